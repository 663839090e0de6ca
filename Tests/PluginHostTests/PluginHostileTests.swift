// Hostile plugins, all loaded in one host beside a well-behaved one and all sent every event at
// once: each attack ends contained (stopped by a limit, or refused with a Python exception),
// reported in its result, and audited; the bystander never notices; and the host's resident
// memory comes back to where it was after the first round.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

/// Resident memory of this process in bytes (Linux `/proc/self/statm`), or nil elsewhere.
func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

extension PluginGuestSuites {
    @Suite("Hostile plugins")
    struct PluginHostileTests {
        /// How an attack must end.
        enum Expected {
            /// Stopped by a limit or trap (and audited as a limit or an error).
            case stopped
            /// The handler raised (audited as an error).
            case exception
            /// Either of the two.
            case ended
            /// The handler returned normally; every attempt it reports must be a refusal.
            case refusals
        }

        /// (plugin id, handler body, how it must end). Bodies run inside `def ping(payload):`.
        static let attacks: [(String, String, Expected)] = [
            ("endless-loop", "while True:\n    pass", .stopped),
            ("stubborn-loop", """
                while True:
                    try:
                        while True:
                            pass
                    except BaseException:
                        pass
                """, .stopped),
            ("exit-catcher", """
                import sys
                for i in range(1000000000):
                    try:
                        sys.exit(1)
                    except SystemExit:
                        pass
                    except KeyboardInterrupt:
                        pass
                """, .stopped),
            ("deep-recursion", "def f(n):\n    return f(n + 1) + 1\nreturn f(0)", .ended),
            ("memory-bomb", "hoard = []\nwhile True:\n    hoard.append(bytearray(100000))", .ended),
            ("output-flood", "while True:\n    print('x' * 1000)", .stopped),
            ("huge-source", "exec('x = 1\\n' * 2000000)", .ended),
            ("deep-nesting", "v = []\nfor i in range(100000):\n    v = [v]\nreturn repr(v)", .ended),
            ("escape-paths", """
                out = []
                for p in ('/plugin/../../../etc/passwd', '/etc/passwd', '../../etc/passwd', '/plugin/data/x',
                          '/data/../plugin.json', '/proc/self/environ', '/dev/mem'):
                    try:
                        open(p).read()
                        out.append('read ' + p)
                    except OSError:
                        out.append('refused')
                return out
                """, .refusals),
            ("hidden-modules", """
                out = []
                for name in ('machine', 'uctypes', 'ssl', 'mip', 'requests', 'socket', '_thread', 'vault'):
                    try:
                        m = __import__(name)
                        dir(m)
                        out.append('imported ' + name)
                    except ImportError:
                        out.append('refused')
                return out
                """, .refusals),
            ("introspection", """
                import host
                out = []
                # Forged session-control messages and unknown capability names.
                for name, payload in (('__sandpiper__', '{"n": "x", "r": {"ok": 1}}'), ('__sandpiper__', '{"n": "", "r": {"ready": true}}'),
                                      ('vault.open', '[[], {}]'), ('notes.add', '[["t"], {}]')):
                    try:
                        r = host.call(name, payload)
                        out.append('refused' if ('PermissionError' in r or 'AttributeError' in r) else 'answered ' + name + ': ' + r[:60])
                    except Exception:
                        out.append('refused')
                # Walk classes and dicts looking for the host's internals.
                seen = 0
                for obj in (object, type, int, str, ping, sandpiper):
                    for name in dir(obj):
                        try:
                            getattr(obj, name)
                            seen += 1
                        except Exception:
                            pass
                try:
                    import vault
                    out.append('imported vault')
                except ImportError:
                    out.append('refused')
                return out
                """, .refusals),
            ("bad-arguments", """
                import notes
                out = []
                for call in (lambda: notes.get('seven'), lambda: notes.get(), lambda: notes.get(1, 2),
                             lambda: notes.get(id=1, idx=2), lambda: notes.search(['x']), lambda: notes.get(2 ** 200),
                             lambda: notes.get('x' * 30000), lambda: notes.get({'a': [{'b': None}] * 1000}),
                             lambda: notes.get([[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]])):
                    try:
                        call()
                        out.append('accepted')
                    except (TypeError, ValueError, KeyError, OverflowError, MemoryError, RuntimeError):
                        out.append('refused')
                return out
                """, .refusals),
        ]

        static func source(_ body: String) -> String {
            let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
            return "import sandpiper\n\n@sandpiper.on(\"test.ping\")\ndef ping(payload):\n" + indented + "\n"
        }

        static let bystanderSource = """
            import sandpiper

            count = 0

            @sandpiper.on("test.ping")
            def ping(payload):
                global count
                count += 1
                return count
            """

        @Test("every attack ends contained, reported and audited; the bystander never notices; memory returns")
        func attacksAreContained() async throws {
            let sandbox = try PluginSandbox("hostile")
            defer { sandbox.cleanUp() }
            for (id, body, _) in Self.attacks {
                // Encoding a thousand dicts in Python takes more than the tight budget the others get.
                let fuel = id == "bad-arguments" ? 1_000_000_000 : 100_000_000
                let limits: [String: Any] = ["fuel": fuel, "heap": "2M", "memory": "16M", "timeout": 2, "output": "16K"]
                try sandbox.plugin(id, source: Self.source(body), fields: ["permissions": ["notes.read"], "limits": limits])
            }
            try sandbox.plugin("bystander", source: Self.bystanderSource)
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            let report = await host.load()
            #expect(report.loaded.count == Self.attacks.count + 1, "\(report.failures)")

            let rounds = 4
            var baseline: Int?
            var afterRounds: [Int] = []
            for round in 1...rounds {
                let results = await host.emit("test.ping", payload: .dict([:]))
                #expect(results.count == Self.attacks.count + 1)
                for r in results {
                    if r.plugin == "bystander" {
                        #expect(r.value() == .int(Int64(round)), "the bystander lost its state in round \(round)")
                        continue
                    }
                    guard let expected = Self.attacks.first(where: { $0.0 == r.plugin })?.2 else { continue }
                    switch (expected, r.outcome) {
                    case (.stopped, .stopped), (.exception, .exception), (.ended, .stopped), (.ended, .exception):
                        break
                    case (.refusals, .completed(let values)):
                        guard case .list(let attempts)? = values.first else {
                            Issue.record("\(r.plugin): expected a list of attempts, got \(values)")
                            break
                        }
                        #expect(!attempts.isEmpty && attempts.allSatisfy { $0 == "refused" }, "\(r.plugin): \(attempts)")
                    case (_, .skipped):
                        break   // backing off after repeated failures: also contained
                    default:
                        Issue.record("\(r.plugin) round \(round): expected \(expected), got \(r.outcome)")
                    }
                }
                if round == 1 { baseline = residentBytes() }
                if let rss = residentBytes() { afterRounds.append(rss) }
            }
            // Reported and audited: every attack that stopped or raised left a limit or error entry.
            for (id, _, expected) in Self.attacks where expected != .refusals {
                let entries = audit.entries(plugin: id).filter { $0.kind == .limit || $0.kind == .error }
                #expect(!entries.isEmpty, "\(id) left no limit or error entry in the audit log")
            }
            // Refused capability calls are audited as denials or failed calls.
            #expect(audit.entries(plugin: "bad-arguments").contains { $0.kind == .call && $0.outcome != "ok" })
            if let baseline, let last = afterRounds.last {
                print("HOSTILE: resident memory after round 1 \(baseline >> 20) MiB, after round \(rounds) \(last >> 20) MiB")
                #expect(last <= baseline + (64 << 20), "resident memory grew from \(baseline >> 20) MiB to \(last >> 20) MiB")
            }
            await host.shutdown()
        }

        /// The notes store is the app's and shared: one plugin may not grow it (and its file,
        /// rewritten on every change) without bound.
        @Test("a plugin's notes are bounded in size and number")
        func notesAreBounded() async throws {
            let sandbox = try PluginSandbox("notesbound")
            defer { sandbox.cleanUp() }
            try sandbox.probe("writer", fields: ["permissions": ["notes.read", "notes.write"]])
            let app = PluginTestApp()
            let host = try app.host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            let title = ReferenceApp.maxTitleCharacters, body = ReferenceApp.maxBodyCharacters
            #expect(await host.run("import notes\nresult = notes.add('t' * \(title), 'b' * \(body))", in: "writer") == 1)
            let refusal = PythonValue.string("ValueError: a note's title may have \(title) characters and its body \(body)")
            #expect(await host.run("import notes\nresult = notes.add('t' * \(title + 1))", in: "writer") == refusal)
            #expect(await host.run("import notes\nresult = notes.add('t', 'b' * \(body + 1))", in: "writer") == refusal)
            // One grapheme, many scalars: counted as Python counts characters.
            #expect(await host.run("import notes\nresult = notes.add('t' + '\\u0301' * \(title))", in: "writer") == refusal)
            #expect(await host.run("import notes\nresult = notes.set_tags(1, ['x' * 65])", in: "writer")
                    == .string("ValueError: a tag may have \(ReferenceApp.maxTagCharacters) characters"))
            for i in 1..<ReferenceApp.maxNotes { app.store.add(title: "n\(i)", body: "") }
            let full = await host.run("import notes\nresult = notes.add('one more')", in: "writer")
            #expect(full == .string("ValueError: the app keeps at most \(ReferenceApp.maxNotes) notes"))
            #expect(app.store.count == ReferenceApp.maxNotes)
            await host.shutdown()
        }
    }
}
