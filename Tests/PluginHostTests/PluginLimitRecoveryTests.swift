// Limits and health: a plugin that loops forever is stopped, restarts clean on its next event,
// backs off after repeated failures, and comes back after the delay. Exceptions do not stop it.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin limit recovery")
    struct PluginLimitRecoveryTests {
        static let looperSource = """
            import sandpiper

            events = 0

            @sandpiper.on("test.ping")
            def ping(payload):
                global events
                events += 1
                if payload.get("loop"):
                    while True:
                        pass
                if payload.get("raise"):
                    raise ValueError("handler failed")
                return events
            """

        @Test("a plugin that loops forever is stopped, restarts clean, backs off after 3 failures, and recovers")
        func stopRestartBackoff() async throws {
            let sandbox = try PluginSandbox("looper")
            defer { sandbox.cleanUp() }
            try sandbox.plugin("looper", source: Self.looperSource, fields: ["limits": ["fuel": 20_000_000]])
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            #expect(await host.ping(plugin: "looper")?.value() == 1)
            #expect(await host.ping(plugin: "looper")?.value() == 2)

            // 1: stopped by the fuel limit.
            let stopped = await host.ping(["loop": true], plugin: "looper")
            guard case .stopped(.limitExceeded(let limit, _))? = stopped?.outcome else {
                Issue.record("expected a limit stop, got \(String(describing: stopped?.outcome))")
                return
            }
            #expect(limit == .fuel)
            // The next event restarts the plugin clean: its state starts over.
            #expect(await host.ping(plugin: "looper")?.value() == 1)
            #expect(await host.statuses().first?.consecutiveFailures == 0)

            // 3 failures in a row start the backoff.
            for i in 1...3 {
                let r = await host.ping(["loop": true], plugin: "looper")
                #expect(r?.isStopped == true, "failure \(i): \(String(describing: r?.outcome))")
            }
            #expect(await host.statuses().first?.consecutiveFailures == 3)
            #expect(await host.statuses().first?.running == false)
            let skipped = await host.ping(plugin: "looper")
            guard case .skipped(let why)? = skipped?.outcome else {
                Issue.record("expected a skip while backing off, got \(String(describing: skipped?.outcome))")
                return
            }
            #expect(why.contains("backing off after 3 failures"), "\(why)")
            // After the delay (1 s after the third failure) it runs again.
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(await host.ping(plugin: "looper")?.value() == 1)
            #expect(await host.statuses().first?.consecutiveFailures == 0)

            let limits = audit.entries(plugin: "looper").filter { $0.kind == .limit }
            #expect(limits.count == 4)
            #expect(limits.allSatisfy { $0.outcome == "fuel" && $0.function == "test.ping" && ($0.detail ?? "").contains("20000000") })
            await host.shutdown()
        }

        @Test("a timeout stops the plugin too")
        func timeout() async throws {
            let sandbox = try PluginSandbox("timeout")
            defer { sandbox.cleanUp() }
            try sandbox.plugin("spinner", source: Self.looperSource, fields: ["limits": ["fuel": 5_000_000_000, "timeout": 0.3]])
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            let started = ContinuousClock.now
            let r = await host.ping(["loop": true], plugin: "spinner")
            let elapsed = ContinuousClock.now - started
            guard case .stopped(.limitExceeded(let limit, _))? = r?.outcome else {
                Issue.record("expected a timeout, got \(String(describing: r?.outcome))")
                return
            }
            #expect(limit == .timeout)
            #expect(elapsed < .seconds(5))
            #expect(await host.ping(plugin: "spinner")?.value() == 1)
            await host.shutdown()
        }

        @Test("an exception fails only that event; the plugin keeps its state")
        func exceptionKeepsRunning() async throws {
            let sandbox = try PluginSandbox("raiser")
            defer { sandbox.cleanUp() }
            try sandbox.plugin("raiser", source: Self.looperSource)
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            #expect(await host.ping(plugin: "raiser")?.value() == 1)
            let r = await host.ping(["raise": true], plugin: "raiser")
            guard case .exception(let e)? = r?.outcome else {
                Issue.record("expected an exception, got \(String(describing: r?.outcome))")
                return
            }
            #expect(e.type == "ValueError" && e.message == "handler failed")
            #expect(e.traceback.contains("main.py"), "\(e.traceback)")
            #expect(!e.traceback.contains("<sandpiper>") && !e.traceback.contains("<stdin>"), "\(e.traceback)")
            #expect(await host.ping(plugin: "raiser")?.value() == 3)
            #expect(await host.statuses().first?.consecutiveFailures == 0)
            let error = audit.entries(plugin: "raiser").first { $0.kind == .error }
            #expect(error?.outcome == "exception")
            #expect(error?.detail == "ValueError: handler failed")
            await host.shutdown()
        }

        @Test("an entry script that raises is reported and retried on the next event")
        func brokenEntry() async throws {
            let sandbox = try PluginSandbox("broken")
            defer { sandbox.cleanUp() }
            let folder = try sandbox.plugin("broken", source: "import sandpiper\nraise RuntimeError('cannot start')\n")
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            #expect(await host.statuses().first?.running == false)
            let r = await host.ping(plugin: "broken")
            guard case .skipped(let why)? = r?.outcome else {
                Issue.record("expected a skip, got \(String(describing: r?.outcome))")
                return
            }
            #expect(why.contains("cannot start"), "\(why)")
            #expect(audit.entries(plugin: "broken").contains { $0.kind == .error && ($0.detail ?? "").contains("cannot start") })
            // Fixed on disk: the next event starts it (the template keeps the old code only in memory it never ran).
            try Data(PluginLimitRecoveryTests.looperSource.utf8).write(to: folder.appendingPathComponent("main.py"))
            #expect(await host.ping(plugin: "broken")?.value() == 1)
            await host.shutdown()
        }

        @Test("the sample misbehaving plugin is contained and stopped")
        func misbehavingSample() async throws {
            let sandbox = try PluginSandbox("rogue")
            defer { sandbox.cleanUp() }
            let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("plugins/misbehaving")
            try FileManager.default.copyItem(at: samples, to: sandbox.plugins.appendingPathComponent("misbehaving"))
            let store = NotesStore(file: nil)
            let notifications = NotificationLog()
            let audit = AuditLog(file: nil)
            let host = PluginHost(app: ReferenceApp.definition(store: store, notifications: notifications),
                                  directories: [sandbox.plugins], guest: try PluginGuest.load(),
                                  grants: GrantStore(file: nil), audit: audit)
            _ = await host.load()
            let note = try PythonValueEncoder.encode(Note(id: 1, title: "t", body: "b"))
            let results = await host.emit("note.saved", payload: note)
            #expect(results.first?.isStopped == true, "\(String(describing: results.first?.outcome))")
            #expect(store.all.isEmpty)
            let message = notifications.take().first?.message ?? ""
            #expect(message.contains("import notes: ImportError"), "\(message)")
            #expect(message.contains("raw host.call notes.add: PermissionError"), "\(message)")
            #expect(message.contains("read /etc/passwd: OSError"), "\(message)")
            #expect(message.contains("write outside its folder: OSError"), "\(message)")
            #expect(!message.contains("allowed?!"), "\(message)")
            await host.shutdown()
        }
    }
}
