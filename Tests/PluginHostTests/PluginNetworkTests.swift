// net.fetch: a plugin reaches only the hosts its manifest lists (and only with the permission);
// anything else is a PermissionError in Python and a denial in the audit log. The server is a
// loopback one started by the test.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin network access")
    struct PluginNetworkTests {
        static let fetcherSource = """
            import net
            import sandpiper

            @sandpiper.on("test.ping")
            def ping(payload):
                out = {}
                for name in payload:
                    try:
                        r = net.fetch(payload[name])
                        out[name] = [r["status"], r["body"]]
                    except PermissionError as e:
                        out[name] = "PermissionError: " + str(e)
                    except Exception as e:
                        out[name] = type(e).__name__ + ": " + str(e)
                return out
            """

        @Test("an allowed host works; others raise PermissionError in Python and are audited as denials")
        func fetch() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            let sandbox = try PluginSandbox("net")
            defer { sandbox.cleanUp() }
            let hostPort = "127.0.0.1:\(server.port)"
            try sandbox.plugin("fetcher", source: Self.fetcherSource,
                               fields: ["permissions": ["net.fetch"], "network": ["hosts": [hostPort]], "limits": ["timeout": 10]])
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            let result = await host.ping(.dict([
                "ok": .string("http://\(hostPort)/ok"),
                "missing": .string("http://\(hostPort)/gone"),
                "other-name": .string("http://localhost:\(server.port)/ok"),
                "other-port": .string("http://127.0.0.1:\(server.port == 65535 ? 65534 : server.port + 1)/ok"),
                "scheme": .string("file:///etc/passwd"),
            ]), plugin: "fetcher")
            guard case .dict(let out)? = result?.value() else {
                Issue.record("unexpected \(String(describing: result?.outcome))")
                return
            }
            #expect(out["ok"] == .list([200, "fine"]))
            #expect(out["missing"] == .list([404, "missing"]))
            for name in ["other-name", "other-port"] {
                guard case .string(let message)? = out[name] else {
                    Issue.record("\(name): \(String(describing: out[name]))")
                    continue
                }
                #expect(message.hasPrefix("PermissionError: host "), "\(name): \(message)")
                #expect(message.contains("not in this plugin's network.hosts"), "\(message)")
            }
            #expect(out["scheme"].map { "\($0)".contains("ValueError") } == true, "\(String(describing: out["scheme"]))")
            // Only the allowed requests reached the server.
            #expect(server.paths.sorted() == ["/gone", "/ok"])
            let denials = audit.entries(plugin: "fetcher").filter { $0.kind == .denial }
            #expect(denials.count == 2)
            #expect(denials.allSatisfy { $0.function == "net.fetch" && $0.permission == "net.fetch" && $0.outcome == "denied" })
            #expect(denials.contains { ($0.arguments ?? "").contains("localhost") })
            let calls = audit.entries(plugin: "fetcher").filter { $0.kind == .call && $0.outcome == "ok" }
            #expect(calls.count == 2)
            await host.shutdown()
        }

        @Test("without the permission, net cannot be imported even for a listed host")
        func noPermission() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            let sandbox = try PluginSandbox("nonet")
            defer { sandbox.cleanUp() }
            try sandbox.probe("offline", fields: ["network": ["hosts": ["127.0.0.1:\(server.port)"]]])
            let host = try PluginTestApp(prompts: PluginPromptRecorder { _ in false }).host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            let r = await host.run("import net\nresult = net.fetch('http://127.0.0.1:\(server.port)/ok')", in: "offline")
            #expect(r.map { "\($0)".contains("ImportError") && "\($0)".contains("net.fetch") } == true, "\(String(describing: r))")
            #expect(server.paths.isEmpty)
            await host.shutdown()
        }
    }
}
