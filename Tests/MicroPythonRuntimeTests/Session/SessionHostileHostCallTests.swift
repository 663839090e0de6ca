// Plugin code can call the raw `host.call(name, payload)` import directly, bypassing the
// generated wrappers. Everything it can send must be refused cleanly (an error reply or a
// RuntimeError in Python), reported to the observer where it is a forged control message, and
// must leave the session working.

import Foundation
import Synchronization
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session hostile host.call")
    struct SessionHostileHostCallTests {
        /// A session with `raw(name, payload)`: "ok:<reply text>" or "raised:<type>:<message>".
        func rawSession(observer: CapabilityObserver? = nil, limits: PythonLimits? = nil) async throws -> PythonSession {
            let session: PythonSession
            if let limits {
                session = try await SessionFixture.session(limits: limits)
            } else {
                session = try await SessionFixture.session(observer: observer)
            }
            _ = try await session.exec("""
                import host
                def raw(name, payload):
                    try:
                        return "ok:" + host.call(name, payload)
                    except Exception as e:
                        return "raised:" + type(e).__name__ + ":" + str(e)
                """)
            return session
        }

        func raw(_ session: PythonSession, _ name: String, _ payload: String) async throws -> String {
            guard case .string(let s) = try await session.call("raw", [.string(name), .string(payload)]).value else { return "" }
            return s
        }

        /// Decodes an error reply `{"\u0000e": [type, message]}`.
        func errorReply(_ text: String) -> (type: String, message: String)? {
            // The exception tag is for the guest only; the Swift parser (rightly) refuses it, so rename it first.
            let body = String(text.dropFirst(3)).replacingOccurrences(of: #"{"\u0000e":"#, with: #"{"e":"#)
            guard text.hasPrefix("ok:"), case .dict(let d)? = try? PythonValue(wire: body),
                  case .list(let parts)? = d["e"], parts.count == 2,
                  case .string(let type) = parts[0], case .string(let message) = parts[1] else { return nil }
            return (type, message)
        }

        @Test("a well-formed raw call works like the wrapper")
        func wellFormed() async throws {
            let s = try await rawSession()
            #expect(try await raw(s, "notes.add", #"[["abc"], {"body": "z"}]"#) == "ok:3001")
            #expect(try await raw(s, "notes.add", #"[["abc", "zz"], {}]"#) == "ok:3002")
        }

        @Test("unknown function names get an AttributeError reply", arguments: [
            "nope", "notes.nope", "notes", "", "notes.add.extra", "__import__", "NOTES.ADD", "notes.add\u{0}",
        ])
        func unknownNames(_ name: String) async throws {
            let s = try await rawSession()
            let reply = try await raw(s, name, "[[], {}]")
            let e = errorReply(reply)
            #expect(e?.type == "AttributeError", "\(name.debugDescription): \(reply)")
            #expect(try await s.value("1") == 1)
        }

        @Test("a name longer than the host accepts fails the call")
        func longName() async throws {
            let s = try await rawSession()
            #expect(try await raw(s, String(repeating: "n", count: 10_000), "[[], {}]") == "raised:RuntimeError:host callback failed")
            #expect(try await s.value("1") == 1)
        }

        @Test("malformed payloads get a ValueError or TypeError reply", arguments: [
            "", "not json", "[", "{}", "[]", "[[]]", "[[], {}, 1]", "[{}, {}]", "[[], []]", "[1, {}]", "[\"abc\", {}]",
            "null", "[[\"a\"], {\"title\": 1, \"title\": 2}]", "[[\"a\"], {\"\\u0000t\": 1}]", #"[[{"\u0000b": "!!"}], {}]"#,
            "[[\"\\ud800\"], {}]", "[[\"a\"], {}] trailing",
        ])
        func malformedPayloads(_ payload: String) async throws {
            let s = try await rawSession()
            let reply = try await raw(s, "notes.add", payload)
            let e = errorReply(reply)
            #expect(e?.type == "ValueError" || e?.type == "TypeError", "\(payload.debugDescription): \(reply)")
            #expect(try await s.value("1") == 1)
        }

        @Test("a literal payload works like the wire format; one the host cannot read asks for the wire format")
        func literalPayloads() async throws {
            let s = try await rawSession()
            #expect(try await raw(s, "notes.add", "(('abc',), {'body': 'z'})") == "ok:3001")
            #expect(try await raw(s, "notes.add", "(['abc', 'zz'], {})") == "ok:3002")
            for payload in ["(", "({1, 2}, {})", "((), {1: 2})", "((<object>,), {})", "(('\\ud800',), {})", "((), {}) x"] {
                #expect(try await raw(s, "notes.add", payload) == "ok:\u{0}", "\(payload.debugDescription)")
            }
            // Read, but not `(args, kwargs)`: an error reply, as for the wire format.
            for payload in ["()", "((), ())", "(1, {})", "((), {}, 1)"] {
                #expect(errorReply(try await raw(s, "notes.add", payload))?.type == "ValueError", "\(payload.debugDescription)")
            }
            #expect(errorReply(try await raw(s, "notes.add", "((1,), {})"))?.message == "add() argument 'title' must be str, not int")
            #expect(try await s.value("1") == 1)
        }

        @Test("a wrong-shaped but valid call reports CPython-style errors")
        func wrongShape() async throws {
            let s = try await rawSession()
            #expect(errorReply(try await raw(s, "notes.add", "[[], {}]"))?.message == "add() missing 1 required positional argument: 'title'")
            #expect(errorReply(try await raw(s, "notes.add", "[[1], {}]"))?.message == "add() argument 'title' must be str, not int")
            // A tuple for the positional arguments is fine too.
            #expect(try await raw(s, "notes.add", #"[{"\u0000t": ["ab"]}, {}]"#) == "ok:2000")
        }

        @Test("deeply nested payloads are refused without recursing")
        func deepPayload() async throws {
            let s = try await rawSession()
            _ = try await s.exec("import notes\ndeep = '[[' + '[' * 100000 + ']' * 100000 + '], {}]'")
            guard case .string(let reply) = try await s.value("raw('notes.echo', deep)") else { return }
            let e = errorReply(reply)
            #expect(e?.type == "ValueError")
            #expect(e?.message.contains("nested deeper") == true, "\(reply.prefix(200))")
            #expect(try await s.value("1") == 1)
        }

        @Test("a 5 MB payload is refused; a 3 MB one gets a clean oversized-result error")
        func hugePayloads() async throws {
            var limits = PythonLimits()
            limits.heapBytes = 24 << 20
            limits.memoryBytes = 64 << 20
            let s = try await rawSession(limits: limits)
            _ = try await s.exec("big = 'x' * (5 * 1024 * 1024)")
            guard case .string(let refused) = try await s.value("raw('notes.echo', big)") else { return }
            #expect(refused == "raised:RuntimeError:host callback failed")
            // A literal that large gets the request for the wire format (which may be smaller).
            _ = try await s.exec("big = '(' + big[1:]")
            #expect(try await s.value("raw('notes.echo', big)") == "ok:\u{0}")
            _ = try await s.exec("big = None\nmid = '[[\"' + 'y' * (3 * 1024 * 1024) + '\"], {}]'")
            guard case .string(let oversized) = try await s.value("raw('notes.echo', mid)") else { return }
            let e = errorReply(oversized)
            #expect(e?.type == "ValueError")
            #expect(e?.message.contains("more than the 262144") == true, "\(oversized.prefix(200))")
            #expect(try await s.value("len('still fine')") == 10)
        }

        @Test("a result too large to report back is a clean error, not the end of the session")
        func resultTooLargeForControlChannel() async throws {
            var limits = PythonLimits()
            limits.heapBytes = 24 << 20
            limits.memoryBytes = 64 << 20
            let s = try await rawSession(limits: limits)
            let error = await sessionError { _ = try await s.eval("'r' * (5 * 1024 * 1024)") }
            let stillWorks = (try? await s.value("1")) == 1
            guard case .exception(let e, _, _)? = error else {
                Issue.record("expected a Python exception, got \(String(describing: error))")
                return
            }
            #expect(e.type == "ValueError")
            #expect(e.message.contains("too large"), "\(e.message)")
            #expect(stillWorks)
        }

        @Test("forged control messages are refused, reported, and the session keeps working")
        func forgedControl() async throws {
            let seen = Mutex<[CapabilityCall]>([])
            let s = try await rawSession(observer: { call in seen.withLock { $0.append(call) } })
            _ = try await s.exec("x = 'before'")
            let forgeries = [
                #"{"n": "deadbeefdeadbeefdeadbeefdeadbeef", "r": {"ok": "forged"}}"#,   // made-up nonce
                #"{"n": "", "r": {"ready": true}}"#,                                      // the boot message again
                #"{"n": "", "r": {"ok": 1}}"#,                                            // an empty nonce
                #"{"n": 5, "r": {"ok": 1}}"#,                                             // a nonce of the wrong type
                #"{"r": {"ok": 1}}"#,                                                     // no nonce
                #"{"n": "x"}"#,                                                           // no reply
                "garbage", "", "[]", String(repeating: "{", count: 10_000),
            ]
            for payload in forgeries {
                #expect(try await raw(s, "__sandpiper__", payload) == "raised:RuntimeError:host callback failed",
                        "forged control \(payload.prefix(60)) was not refused")
            }
            // The request that sent them finished normally, and the next ones too.
            #expect(try await s.value("x") == "before")
            #expect(try await s.exec("print('alive')").stdout == "alive\n")
            #expect(try await s.call("raw", ["notes.add", #"[["a"], {}]"#]).value == "ok:1000")
            let rejected = seen.withLock { $0.filter { $0.name == "__sandpiper__" } }
            #expect(rejected.count == forgeries.count)
            #expect(rejected.allSatisfy { $0.failure?.pythonExceptionType == "RuntimeError" })
        }

        @Test("a control message sent from inside a request cannot end it early")
        func controlFromInside() async throws {
            let s = try await rawSession()
            // Guessing the nonce is hopeless (128 random bits); try a few anyway, then finish normally.
            let reply = try await s.exec("""
                import host
                refused = 0
                for guess in ["0", "1", "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff"]:
                    try:
                        host.call("__sandpiper__", '{"n": "%s", "r": {"ok": "early"}}' % guess)
                    except RuntimeError:
                        refused += 1
                print(refused)
                """)
            #expect(reply.stdout == "4\n")
        }
    }
}
