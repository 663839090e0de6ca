// Swift-defined modules seen from Python: arguments bound like CPython binds them (with its
// exact messages), Swift errors raised as Python exceptions, values converted both ways,
// help() and .pyi stubs.

import Foundation
import Synchronization
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session Swift modules")
    struct SessionModuleTests {
        /// A session with `notes` imported and a `probe(expr)` helper that returns what an
        /// expression evaluated to or raised, as `["ok", value]` or `[type, message]`.
        func probingSession() async throws -> PythonSession {
            let session = try await SessionFixture.session()
            _ = try await session.exec("""
                import notes
                def probe(source):
                    try:
                        return ["ok", eval(source)]
                    except Exception as e:
                        return [type(e).__name__, str(e)]
                """)
            return session
        }

        func probe(_ session: PythonSession, _ source: String) async throws -> PythonValue {
            try await session.call("probe", [.string(source)]).value
        }

        @Test("positional, keyword and default arguments")
        func arguments() async throws {
            let s = try await probingSession()
            #expect(try await probe(s, "notes.add('abc', 'xy')") == ["ok", 3002])
            #expect(try await probe(s, "notes.add('abc')") == ["ok", 3000])
            #expect(try await probe(s, "notes.add(body='xy', title='abc')") == ["ok", 3002])
            #expect(try await probe(s, "notes.add('abc', body='x')") == ["ok", 3001])
            #expect(try await probe(s, "notes.add(*['ab'], **{'body': 'c'})") == ["ok", 2001])
        }

        /// The messages CPython 3.11 prints for `def add(title, body=""): ...` called the same way.
        @Test("binding errors match CPython 3.11 exactly", arguments: [
            ("notes.add()", "add() missing 1 required positional argument: 'title'"),
            ("notes.add(body='x')", "add() missing 1 required positional argument: 'title'"),
            ("notes.add('a', 'b', 'c')", "add() takes from 1 to 2 positional arguments but 3 were given"),
            ("notes.add('a', 'b', 'c', 'd')", "add() takes from 1 to 2 positional arguments but 4 were given"),
            ("notes.add('a', title='b')", "add() got multiple values for argument 'title'"),
            ("notes.add('a', 'b', body='c')", "add() got multiple values for argument 'body'"),
            ("notes.add('a', x=1)", "add() got an unexpected keyword argument 'x'"),
            ("notes.add(title='a', tags=[])", "add() got an unexpected keyword argument 'tags'"),
            ("notes.small()", "small() missing 1 required positional argument: 'n'"),
            ("notes.small(1, 2)", "small() takes 1 positional argument but 2 were given"),
            ("notes.nap()", "nap() missing 2 required positional arguments: 'ms' and 'tag'"),
            ("notes.big(1, 2)", "big() takes 1 positional argument but 2 were given"),
        ])
        func bindingErrors(_ call: String, _ message: String) async throws {
            let s = try await probingSession()
            #expect(try await probe(s, call) == ["TypeError", .string(message)])
        }

        /// CPython checks keywords before counting positional arguments; so should the binder.
        @Test("binding errors with several problems report what CPython reports first", arguments: [
            ("notes.add('a', 'b', 'c', x=1)", "add() got an unexpected keyword argument 'x'"),
            ("notes.add('a', 'b', 'c', title='x')", "add() got multiple values for argument 'title'"),
        ])
        func bindingErrorPrecedence(_ call: String, _ message: String) async throws {
            let s = try await probingSession()
            #expect(try await probe(s, call) == ["TypeError", .string(message)])
        }

        @Test("wrong argument types are TypeErrors naming function, parameter and types", arguments: [
            ("notes.add(5)", "TypeError", "add() argument 'title' must be str, not int"),
            ("notes.add('t', None)", "TypeError", "add() argument 'body' must be str, not NoneType"),
            ("notes.add(title=['x'])", "TypeError", "add() argument 'title' must be str, not list"),
            ("notes.big('3')", "TypeError", "big() argument 'n' must be int, not str"),
            ("notes.big(1.5)", "TypeError", "big() argument 'n' must be int, not float"),
            ("notes.blob('text')", "TypeError", "blob() argument 'data' must be bytes, not str"),
            ("notes.small(300)", "ValueError", "small() argument 'n' int 300 out of range for Int8 (-128 to 127)"),
            ("notes.small(2 ** 70)", "ValueError", "small() argument 'n' int 1180591620717411303424 out of range for Int8 (-128 to 127)"),
            ("notes.retitle({'id': 'x'})", "TypeError", "retitle() argument 'note' must be int, not str at [\"id\"]"),
        ])
        func wrongTypes(_ call: String, _ type: String, _ message: String) async throws {
            let s = try await probingSession()
            #expect(try await probe(s, call) == [.string(type), .string(message)])
        }

        @Test("Swift errors become Python exceptions that Python code can catch")
        func errorMapping() async throws {
            let s = try await probingSession()
            #expect(try await probe(s, "notes.fail('value')") == ["ValueError", "bad value from Swift"])
            #expect(try await probe(s, "notes.fail('permission')") == ["PermissionError", "not allowed from Swift"])
            #expect(try await probe(s, "notes.fail('other')") == ["RuntimeError", "fail() failed: the disk is on fire"])
            #expect(try await probe(s, "notes.fail('made-up')") == ["RuntimeError", "odd"])
            _ = try await s.exec("""
                def catching():
                    caught = []
                    try:
                        notes.fail('value')
                    except ValueError as e:
                        caught.append('ValueError:' + str(e))
                    try:
                        notes.fail('permission')
                    except PermissionError as e:
                        caught.append('PermissionError:' + str(e))
                    try:
                        notes.fail('permission')
                    except OSError:
                        caught.append('OSError')
                    try:
                        notes.fail('key')
                    except LookupError:
                        caught.append('LookupError')
                    try:
                        notes.fail('other')
                    except RuntimeError:
                        caught.append('RuntimeError')
                    return caught
                """, file: "plugin.py")
            #expect(try await s.call("catching").value == ["ValueError:bad value from Swift", "PermissionError:not allowed from Swift",
                                                           "OSError", "LookupError", "RuntimeError"])
            // Uncaught, the Swift error comes back to Swift as the Python exception with the plugin's frame.
            let e = await pythonException { _ = try await s.exec("notes.fail('value')", file: "plugin.py") }
            #expect(e?.type == "ValueError")
            #expect(e?.message == "bad value from Swift")
            #expect(e?.traceback.contains("plugin.py") == true)
            // Async functions map errors the same way.
            #expect(try await probe(s, "notes.explode()") == ["ValueError", "async failure"])
        }

        @Test("values convert both ways: Codable structs, bytes, tuples, big ints")
        func conversions() async throws {
            let s = try await probingSession()
            #expect(try await probe(s, "notes.blob(b'\\x00\\x01\\xff')") == ["ok", .bytes([0xFF, 1, 0])])
            #expect(try await probe(s, "notes.blob(bytearray(b'ab'))") == ["ok", .bytes([98, 97])])
            #expect(try await probe(s, "notes.echo((1, (2, b'x'))) == (1, (2, b'x'))") == ["ok", .bool(true)])
            #expect(try await probe(s, "type(notes.echo((1,))).__name__") == ["ok", "tuple"])
            #expect(try await probe(s, "notes.echo(2 ** 100) == 2 ** 100") == ["ok", .bool(true)])
            #expect(try await probe(s, "notes.echo(-(2 ** 100)) == -(2 ** 100)") == ["ok", .bool(true)])
            #expect(try await probe(s, "notes.echo({'\\x00t': [1]}) == {'\\x00t': [1]}") == ["ok", .bool(true)])
            // A lone surrogate has no UTF-8 form: refused, not turned into U+FFFD on the way.
            let surrogate = try await probe(s, "notes.echo('a\\ud800b')")
            #expect(surrogate == ["ValueError", "malformed call to notes.echo: a string is not valid UTF-8: lone surrogates cannot cross to Swift (at byte 3)"],
                    "\(surrogate)")
            #expect(try await probe(s, "notes.echo([float('inf'), -0.0, None, True])") == ["ok", .list([.float(.infinity), .float(-0.0), .none, .bool(true)])])
            #expect(try await probe(s, "notes.echo('nul\\x00 and \"quotes\" 🐍')") == ["ok", "nul\u{0} and \"quotes\" 🐍"])
            let note = """
                {'id': 3, 'title': 'shop', 'tags': ['a'], 'score': None, 'attachment': b'\\x01', 'author': {'name': 'x', 'karma': 1},
                 'ratios': {}, 'flags': [True]}
                """.replacingOccurrences(of: "\n", with: "")
            #expect(try await probe(s, "notes.retitle(\(note))['title']") == ["ok", "SHOP"])
            #expect(try await probe(s, "notes.retitle(\(note))['attachment']") == ["ok", .bytes([1])])
            // A deeply nested value crosses. (MicroPython's own recursion limit stops the wrapper's
            // encoder at about 55 levels, well before the wire format's limit of 200.)
            _ = try await s.exec("def nest(n):\n    v = []\n    for i in range(n):\n        v = [v]\n    return v")
            #expect(try await probe(s, "notes.echo(nest(40)) == nest(40)") == ["ok", .bool(true)])
            #expect(try await probe(s, "notes.echo(nest(500))") == ["RuntimeError", "maximum recursion depth exceeded"])
        }

        /// Arguments go as their repr; what the host cannot read as a literal goes again in the
        /// wire format, whose encoder accepts memoryview and raises CPython-like TypeErrors for
        /// the rest. Each call runs its Swift function once.
        @Test("arguments the literal reader refuses are sent again, and the function runs once")
        func refusedLiterals() async throws {
            let seen = Mutex<[String]>([])
            let s = try await SessionFixture.session(observer: { call in seen.withLock { $0.append(call.name) } })
            _ = try await s.exec("""
                import notes
                class Thing:
                    pass
                def probe(source):
                    try:
                        return ["ok", eval(source)]
                    except Exception as e:
                        return [type(e).__name__, str(e)]
                """)
            #expect(try await probe(s, "notes.blob(memoryview(b'ab'))") == ["ok", .bytes([98, 97])])
            #expect(try await probe(s, "notes.echo({1, 2})") == ["TypeError", "cannot pass a 'set' object to the host"])
            #expect(try await probe(s, "notes.echo(Thing())") == ["TypeError", "cannot pass a 'Thing' object to the host"])
            #expect(try await probe(s, "notes.echo({1: 'a'})") == ["TypeError", "dict keys passed to the host must be str, not int"])
            // A lone surrogate (MicroPython keeps its three bytes, invalid UTF-8, in a str): not a
            // literal the host reads, and refused by the wire format's strict decoding of arguments.
            #expect(try await probe(s, "notes.echo(['\\ud800'])")
                    == ["ValueError", "malformed call to notes.echo: a string is not valid UTF-8: lone surrogates cannot cross to Swift (at byte 4)"])
            #expect(seen.withLock { $0 } == ["notes.blob", "notes.echo"], "values refused in Python never reach the host; the rest run once")
        }

        @Test("a result too large for the guest's buffer is a clean ValueError")
        func oversizedResult() async throws {
            let s = try await probingSession()
            let r = try await probe(s, "notes.big(1000000)")
            guard case .list(let parts) = r, parts.count == 2, case .string(let message) = parts[1] else {
                Issue.record("unexpected \(r)")
                return
            }
            #expect(parts[0] == "ValueError")
            #expect(message.contains("more than the 262144"), "\(message)")
            #expect(try await probe(s, "len(notes.big(200000))") == ["ok", 200_000])
            #expect(try await s.value("7") == 7)
        }

        @Test("help() prints the signature and doc; the stub has the signatures")
        func helpAndStubs() async throws {
            let s = try await probingSession()
            let help = try await s.exec("help(notes.add)").stdout
            #expect(help.contains("add(title: str, body: str = '') -> int"), "\(help)")
            #expect(help.contains("Creates a note and returns its id."), "\(help)")
            let moduleHelp = try await s.exec("help(notes)").stdout
            #expect(moduleHelp.contains("module notes"), "\(moduleHelp)")
            #expect(moduleHelp.contains("nap(ms: int, tag: int) -> int"), "\(moduleHelp)")
            #expect(try await s.value("notes.add.__name__") == "add")
            #expect(try await s.value("repr(notes.add)") == "<swift function notes.add>")

            let stub = SessionFixture.notesModule.stub
            #expect(stub.hasPrefix("# Generated by Sandpiper"))
            #expect(stub.contains("def add(title: str, body: str = '') -> int:"), "\(stub)")
            #expect(stub.contains("\"\"\"Creates a note and returns its id.\"\"\""))
            #expect(stub.contains("def echo(value: Any) -> Any:"), "\(stub)")
            #expect(stub.contains("def blob(data: bytes) -> bytes:"))
            #expect(stub.contains("def fail(kind: str) -> None:"))
            #expect(stub.contains("def nap(ms: int, tag: int) -> int:"))
            #expect(stub.contains("def retitle(note: dict) -> dict:"))
            #expect(stub.contains("def explode() -> None:"))
            #expect(SessionFixture.notesModule.function(named: "nap")?.isAsync == true)
            #expect(SessionFixture.notesModule.function(named: "add")?.isAsync == false)
        }

        @Test("a gate can refuse calls, and the observer sees every call with its outcome")
        func gateAndObserver() async throws {
            let seen = Mutex<[CapabilityCall]>([])
            let session = try await SessionFixture.session(
                gate: { name, _ in name == "notes.big" ? PythonException("PermissionError", "big is off") : nil },
                observer: { call in seen.withLock { $0.append(call) } })
            _ = try await session.exec("""
                import notes
                def run():
                    out = [notes.add('a')]
                    try:
                        notes.big(3)
                    except PermissionError as e:
                        out.append(str(e))
                    try:
                        notes.add(1)
                    except TypeError:
                        out.append('TypeError')
                    return out
                """)
            #expect(try await session.call("run").value == [1000, "big is off", "TypeError"])
            let calls = seen.withLock { $0 }
            #expect(calls.map(\.name) == ["notes.add", "notes.big", "notes.add"])
            #expect(calls[0].failure == nil)
            #expect(calls[0].argumentSummary == "('a', '')")
            #expect(calls[1].failure?.pythonExceptionType == "PermissionError")
            #expect(calls[2].failure?.pythonExceptionType == "TypeError")
        }

        @Test("modules can be withheld: denied imports explain why")
        func deniedModules() async throws {
            let template = try await SessionFixture.sharedTemplate()
            let session = try await template.makeSession(grant: [], deny: ["notes": "it needs permission notes.read"])
            let e = await pythonException { _ = try await session.exec("import notes") }
            #expect(e?.type == "ImportError")
            #expect(e?.message.contains("notes.read") == true, "\(String(describing: e))")
            let granted = try await template.makeSession()
            #expect(try await granted.exec("import notes\nprint(notes.add('ab'))").stdout == "2000\n")
        }
    }
}
