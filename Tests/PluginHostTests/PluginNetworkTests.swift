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
        /// A plugin whose `test.ping` fetches each URL of its payload and answers, per name,
        /// `answer` (Python, of the response `r`), or `Type: message` for an exception.
        static func fetcher(answer: String) -> String {
            """
            import net
            import sandpiper

            @sandpiper.on("test.ping")
            def ping(payload):
                out = {}
                for name in payload:
                    try:
                        r = net.fetch(payload[name])
                        out[name] = \(answer)
                    except Exception as e:
                        out[name] = type(e).__name__ + ": " + str(e)
                return out
            """
        }

        static let fetcherSource = fetcher(answer: "[r[\"status\"], r[\"body\"]]")

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

        /// Like `fetcherSource`, but answers each fetch with [status, body length, first 8 characters].
        static let sizerSource = fetcher(answer: "[r[\"status\"], len(r[\"body\"]), r[\"body\"][:8]]")

        /// Loads `source` as plugin `fetcher`, allowed to reach `server`, and pings it with `urls`.
        static func ping(_ urls: [String: String], server: PluginLoopbackServer, source: String = fetcherSource,
                         limits: ReferenceApp.FetchLimits = .standard, audit: AuditLog = AuditLog(file: nil),
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: PythonValue]? {
            let sandbox = try PluginSandbox("net")
            defer { sandbox.cleanUp() }
            try sandbox.plugin("fetcher", source: source,
                               fields: ["permissions": ["net.fetch"], "network": ["hosts": ["127.0.0.1:\(server.port)"]],
                                        "limits": ["timeout": 20]])
            let host = try PluginTestApp(fetchLimits: limits).host(sandbox, audit: audit)
            _ = await host.load()
            let result = await host.ping(.dict(urls.mapValues { .string($0) }), plugin: "fetcher")
            await host.shutdown()
            guard case .dict(let out)? = result?.value(sourceLocation: sourceLocation) else {
                Issue.record("unexpected \(String(describing: result?.outcome))", sourceLocation: sourceLocation)
                return nil
            }
            return out
        }

        @Test("redirects are followed only to listed hosts, at most 5 times; others raise PermissionError and are audited")
        func redirects() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            let elsewhere = try PluginLoopbackServer()   // the same address, another port: not listed
            defer { elsewhere.stop() }
            let base = "http://127.0.0.1:\(server.port)"
            func redirect(_ to: String) -> String {
                "\(base)/redirect?to=" + to.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            }
            let audit = AuditLog(file: nil)
            guard let out = try await Self.ping([
                "relative": redirect("/ok"),
                "absolute": redirect("\(base)/ok"),
                "other-port": redirect("http://127.0.0.1:\(elsewhere.port)/secret"),
                "other-name": redirect("http://localhost:\(server.port)/secret"),
                "ftp": redirect("ftp://127.0.0.1:\(elsewhere.port)/secret"),
                "loop": "\(base)/loop",
            ], server: server, audit: audit) else { return }
            #expect(out["relative"] == .list([200, "fine"]))
            #expect(out["absolute"] == .list([200, "fine"]))
            #expect(out["other-port"] == .string(
                "PermissionError: redirect to host 127.0.0.1:\(elsewhere.port) is not in this plugin's network.hosts (127.0.0.1:\(server.port))"))
            #expect(out["other-name"] == .string(
                "PermissionError: redirect to host localhost:\(server.port) is not in this plugin's network.hosts (127.0.0.1:\(server.port))"))
            #expect(out["ftp"].map { "\($0)".contains("PermissionError: redirect to ftp://") } == true, "\(String(describing: out["ftp"]))")
            #expect(out["loop"] == .string("OSError: fetch() stopped after 5 redirects"))
            // The refused targets saw nothing; the loop was asked for 1 + 5 times.
            #expect(elsewhere.paths.isEmpty)
            #expect(!server.paths.contains("/secret"))
            #expect(server.paths.filter { $0 == "/loop" }.count == 6)
            let denials = audit.entries(plugin: "fetcher").filter { $0.kind == .denial }
            #expect(denials.count == 3)
            #expect(denials.contains { ($0.detail ?? "").contains("redirect to host localhost:") })
        }

        @Test("a large body is cut at 64 KiB and the transfer stops there")
        func largeBody() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            guard let out = try await Self.ping(["big": "http://127.0.0.1:\(server.port)/big"], server: server,
                                                source: Self.sizerSource) else { return }
            #expect(out["big"] == .list([200, .int(64 << 10), "aaaaaaaa"]))
            // The client hung up early: the server could not send the rest.
            let transfer = await server.transfer("/big")
            #expect(transfer?.complete == false, "\(String(describing: transfer))")
            #expect((transfer?.sent ?? .max) < server.bigBodyBytes / 4, "\(String(describing: transfer))")
        }

        @Test("a server that drips its body ends the fetch at the total deadline")
        func slowDrip() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            var limits = ReferenceApp.FetchLimits.standard
            limits.totalTimeout = 1.5
            let start = ContinuousClock.now
            guard let out = try await Self.ping(["drip": "http://127.0.0.1:\(server.port)/drip"], server: server,
                                                limits: limits) else { return }
            let elapsed = ContinuousClock.now - start
            #expect(out["drip"] == .string("OSError: fetch() from host 127.0.0.1:\(server.port) took longer than 1.5 s"))
            #expect(elapsed < .seconds(8), "\(elapsed)")
            // The server saw the connection close long before its 60 bytes were out.
            let transfer = await server.transfer("/drip", timeout: .seconds(10))
            #expect(transfer?.complete == false, "\(String(describing: transfer))")
        }

        @Test("cancelling the calling task ends a fetch at once")
        func cancellation() async throws {
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            let url = "http://127.0.0.1:\(server.port)/drip"
            let start = ContinuousClock.now
            let call = Task { try await ReferenceApp.fetch(url, allowed: ["127.0.0.1:\(server.port)"]) }
            try await Task.sleep(for: .milliseconds(300))
            call.cancel()
            let result = await call.result
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(throws: CancellationError.self) { try result.get() }
            let transfer = await server.transfer("/drip", timeout: .seconds(10))
            #expect(transfer?.complete == false, "\(String(describing: transfer))")
        }

        @Test("a host that refuses the connection or goes silent is an OSError")
        func transportFailures() async throws {
            let closed = try PluginLoopbackServer()
            closed.stop()
            do {
                _ = try await ReferenceApp.fetch("http://127.0.0.1:\(closed.port)/ok", allowed: ["127.0.0.1:\(closed.port)"])
                Issue.record("fetched from a closed port")
            } catch let e as PythonException {
                #expect(e == PythonException("OSError", "fetch() from host 127.0.0.1:\(closed.port) failed: could not connect"))
            }
            let server = try PluginLoopbackServer()
            defer { server.stop() }
            var limits = ReferenceApp.FetchLimits.standard
            limits.idleTimeout = 1
            let start = ContinuousClock.now
            do {
                _ = try await ReferenceApp.fetch("http://127.0.0.1:\(server.port)/silent", allowed: ["127.0.0.1:\(server.port)"],
                                                 limits: limits)
                Issue.record("fetched from a silent server")
            } catch let e as PythonException {
                #expect(e == PythonException("OSError", "fetch() from host 127.0.0.1:\(server.port) failed: the server sent nothing for too long"))
            }
            #expect(ContinuousClock.now - start < .seconds(5))
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
