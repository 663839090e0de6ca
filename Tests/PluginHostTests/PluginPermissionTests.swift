// Permissions: granted or refused by policy, asked once and remembered (also across host
// instances), revoked at run time, asked again only for what an update adds; modules whose
// permissions are all missing cannot even be imported, and the gate in Swift refuses raw calls.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin permissions")
    struct PluginPermissionTests {
        func grants(_ audit: AuditLog, _ plugin: String) -> [String: (outcome: String, detail: String?)] {
            var out: [String: (String, String?)] = [:]
            for e in audit.entries(plugin: plugin) where e.kind == .grant { out[e.permission ?? ""] = (e.outcome, e.detail) }
            return out
        }

        @Test("policy grants and refuses without asking")
        func policy() async throws {
            let sandbox = try PluginSandbox("policy")
            defer { sandbox.cleanUp() }
            try sandbox.probe("policied", fields: ["permissions": ["notes.read", "ui.notify", "vault.open"]])
            let app = PluginTestApp()
            let audit = AuditLog(file: nil)
            let host = try app.host(sandbox, audit: audit)
            let report = await host.load()
            #expect(report.loaded.map(\.id) == ["policied"])
            #expect(app.prompts.questions.isEmpty)
            let status = await host.statuses().first
            #expect(status?.granted == ["notes.read", "ui.notify"])
            #expect(status?.running == true)
            let g = grants(audit, "policied")
            #expect(g["notes.read"]?.outcome == "granted" && g["notes.read"]?.detail == "policy")
            #expect(g["vault.open"]?.outcome == "refused" && g["vault.open"]?.detail == "policy")
            // The refused module is not importable; the granted ones work.
            let vault = await host.run("import vault\nresult = vault.open()", in: "policied")
            guard case .string(let message)? = vault else {
                Issue.record("vault import: \(String(describing: vault))")
                return
            }
            #expect(message.hasPrefix("ImportError: "), "\(message)")
            #expect(message.contains("vault.open"), "\(message)")
            app.store.add(title: "first", body: "hello")
            #expect(await host.run("import notes\nresult = [n['title'] for n in notes.list()]", in: "policied") == ["first"])
            #expect(await host.run("import ui\nresult = ui.notify('hey')", in: "policied") == PythonValue.none)
            #expect(app.notifications.take().map(\.message) == ["hey"])
            await host.shutdown()
        }

        @Test("an asked permission is asked once and remembered, also by a new host with the same grants file")
        func askedAndRemembered() async throws {
            let sandbox = try PluginSandbox("ask")
            defer { sandbox.cleanUp() }
            try sandbox.probe("writer", fields: ["permissions": ["notes.read", "notes.write"]])
            try sandbox.probe("refused-writer", fields: ["permissions": ["notes.read", "notes.write"]])
            let prompts = PluginPromptRecorder { $0.pluginID == "writer" }
            let app = PluginTestApp(prompts: prompts)
            let audit = AuditLog(file: nil)
            let host = try app.host(sandbox, audit: audit)
            _ = await host.load()
            #expect(prompts.questions.map { "\($0.pluginID):\($0.permission)" }.sorted() == ["refused-writer:notes.write", "writer:notes.write"])
            let question = prompts.questions.first { $0.pluginID == "writer" }
            #expect(question?.pluginName == "Plugin writer")
            #expect(question?.version == "1.0.0")
            #expect(question?.description == "create and change notes")
            #expect(grants(audit, "writer")["notes.write"]?.detail == "asked")
            #expect(await host.run("import notes\nresult = notes.add('from plugin')", in: "writer") == 1)
            let refused = await host.run("import notes\nresult = notes.add('nope')", in: "refused-writer")
            #expect(refused == "PermissionError: plugin 'refused-writer' lacks permission 'notes.write' needed by notes.add()")
            await host.shutdown()

            // A second host instance over the same grants file does not ask again.
            let audit2 = AuditLog(file: nil)
            let host2 = try PluginTestApp(prompts: prompts).host(sandbox, audit: audit2)
            _ = await host2.load()
            #expect(prompts.questions.count == 2, "asked again: \(prompts.questions.map(\.permission))")
            #expect(grants(audit2, "writer")["notes.write"]?.outcome == "granted")
            #expect(grants(audit2, "writer")["notes.write"]?.detail == "remembered")
            #expect(grants(audit2, "refused-writer")["notes.write"]?.outcome == "refused")
            #expect(grants(audit2, "refused-writer")["notes.write"]?.detail == "remembered")
            #expect(await host2.run("import notes\nresult = notes.add('again')", in: "writer") == .int(1))
            let grantsFile = try String(contentsOf: sandbox.grantsFile, encoding: .utf8)
            #expect(grantsFile.contains("writer") && grantsFile.contains("notes.write"))
            await host2.shutdown()
        }

        @Test("a prompt that cannot answer refuses this time and asks again next time")
        func couldNotAsk() async throws {
            let sandbox = try PluginSandbox("noanswer")
            defer { sandbox.cleanUp() }
            try sandbox.probe("unsure", fields: ["permissions": ["notes.write"]])
            let prompts = PluginPromptRecorder { _ in nil }
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp(prompts: prompts).host(sandbox, audit: audit)
            _ = await host.load()
            #expect(grants(audit, "unsure")["notes.write"]?.outcome == "refused")
            #expect(grants(audit, "unsure")["notes.write"]?.detail == "could not ask")
            await host.shutdown()
            let host2 = try PluginTestApp(prompts: prompts).host(sandbox, audit: AuditLog(file: nil))
            _ = await host2.load()
            #expect(prompts.questions.count == 2)
            await host2.shutdown()
        }

        /// A revocation the grants file cannot keep still applies now, but the next process
        /// would read the old grant from the file: the host says so instead of carrying on.
        @Test("a revocation that cannot be saved applies now, is audited, and throws")
        func unsavedRevocation() async throws {
            let sandbox = try PluginSandbox("unsaved")
            defer { sandbox.cleanUp() }
            try sandbox.probe("revokee", fields: ["permissions": ["notes.read", "notes.write"]])
            let blocker = sandbox.root.appendingPathComponent("a-file")
            try Data("x".utf8).write(to: blocker)
            let grants = GrantStore(file: blocker.appendingPathComponent("grants.json"))
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp(prompts: PluginPromptRecorder()).host(sandbox, audit: audit, grants: grants)
            _ = await host.load()
            let asked = audit.entries(plugin: "revokee").filter { $0.kind == .grant && $0.detail?.hasPrefix("asked") == true }
            #expect(!asked.isEmpty)
            #expect(asked.allSatisfy { $0.detail?.contains("was not saved: cannot save the remembered permission answers") == true })
            await #expect(throws: GrantStoreError.self) { try await host.revoke("revokee", permission: "notes.write") }
            let after = await host.run("import notes\nresult = notes.add('after')", in: "revokee")
            #expect(after == "PermissionError: plugin 'revokee' lacks permission 'notes.write' needed by notes.add()")
            #expect(grants.answer(plugin: "revokee", permission: "notes.write") == false)
            let revocation = audit.entries(plugin: "revokee").first { $0.kind == .grant && $0.outcome == "revoked" }
            #expect(revocation?.detail?.hasPrefix("not saved: cannot save") == true)
            await host.shutdown()
        }

        @Test("revoking takes effect on the next call, is remembered, and is audited")
        func revoke() async throws {
            let sandbox = try PluginSandbox("revoke")
            defer { sandbox.cleanUp() }
            try sandbox.probe("revokee", fields: ["permissions": ["notes.read", "notes.write"]])
            let prompts = PluginPromptRecorder()
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp(prompts: prompts).host(sandbox, audit: audit)
            _ = await host.load()
            // Import once; the module object stays in the plugin's session after the revocation.
            #expect(await host.run("import notes\nresult = notes.add('before')", in: "revokee") == 1)
            try await host.revoke("revokee", permission: "notes.write")
            let after = await host.run("import notes\nresult = notes.add('after')", in: "revokee")
            #expect(after == "PermissionError: plugin 'revokee' lacks permission 'notes.write' needed by notes.add()")
            // Reading is still allowed.
            #expect(await host.run("import notes\nresult = len(notes.list())", in: "revokee") == 1)
            let revocation = audit.entries(plugin: "revokee").first { $0.kind == .grant && $0.outcome == "revoked" }
            #expect(revocation?.permission == "notes.write")
            #expect(revocation?.version == "1.0.0")
            let denial = audit.entries(plugin: "revokee").first { $0.kind == .denial }
            #expect(denial?.permission == "notes.write")
            #expect(denial?.function == "notes.add")
            #expect(denial?.outcome == "denied")
            #expect(await host.statuses().first?.granted == ["notes.read"])
            await host.shutdown()

            // A later host remembers the revocation and does not ask.
            let host2 = try PluginTestApp(prompts: prompts).host(sandbox, audit: AuditLog(file: nil))
            _ = await host2.load()
            #expect(prompts.questions.count == 1)
            #expect(await host2.statuses().first?.granted == ["notes.read"])
            await host2.shutdown()
        }

        @Test("an update that adds a permission asks only for the new one")
        func updateAddsPermission() async throws {
            let sandbox = try PluginSandbox("update")
            defer { sandbox.cleanUp() }
            try sandbox.probe("growing", fields: ["permissions": ["notes.read", "notes.write"]])
            let prompts = PluginPromptRecorder()
            let host = try PluginTestApp(prompts: prompts).host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            #expect(prompts.questions.map(\.permission) == ["notes.write"])
            await host.shutdown()

            try sandbox.probe("growing", fields: ["version": "1.1.0", "permissions": ["notes.read", "notes.write", "net.fetch"],
                                                  "network": ["hosts": ["127.0.0.1:9"]]])
            let host2 = try PluginTestApp(prompts: prompts).host(sandbox, audit: AuditLog(file: nil))
            let report = await host2.load()
            #expect(report.loaded.first?.version == "1.1.0")
            #expect(prompts.questions.map(\.permission) == ["notes.write", "net.fetch"])
            #expect(prompts.questions.last?.version == "1.1.0")
            #expect(await host2.statuses().first?.granted == ["net.fetch", "notes.read", "notes.write"])
            #expect(GrantStore(file: sandbox.grantsFile).record(for: "growing")?.version == "1.1.0")
            await host2.shutdown()
        }

        @Test("a module with none of its permissions granted cannot be imported; the gate refuses raw calls")
        func ungrantedModule() async throws {
            let sandbox = try PluginSandbox("import")
            defer { sandbox.cleanUp() }
            try sandbox.probe("notifier", fields: ["permissions": ["ui.notify"]])
            let app = PluginTestApp()
            let audit = AuditLog(file: nil)
            let host = try app.host(sandbox, audit: audit)
            _ = await host.load()
            let imported = await host.run("import notes\nresult = 'imported?!'", in: "notifier")
            guard case .string(let message)? = imported else {
                Issue.record("\(String(describing: imported))")
                return
            }
            #expect(message.hasPrefix("ImportError: "), "\(message)")
            #expect(message.contains("notes.read"), "\(message)")
            #expect(message.contains("notifier"), "\(message)")
            // `from notes import add` and `__import__` are refused the same way.
            let from = await host.run("from notes import add\nresult = 'imported?!'", in: "notifier")
            #expect(from.map { "\($0)".contains("ImportError") } == true, "\(String(describing: from))")
            // Bypassing the wrapper: the Swift gate refuses the call itself.
            let raw = await host.run("import host\nresult = host.call('notes.add', '[[\"x\"], {}]')", in: "notifier")
            guard case .string(let reply)? = raw else {
                Issue.record("\(String(describing: raw))")
                return
            }
            #expect(reply.contains("PermissionError"), "\(reply)")
            #expect(app.store.all.isEmpty, "a note was added without permission")
            let denial = audit.entries(plugin: "notifier").first { $0.kind == .denial }
            #expect(denial?.function == "notes.add")
            #expect(denial?.permission == "notes.write")
            await host.shutdown()
        }

        @Test("load(only:) loads just the named plugins")
        func loadOnly() async throws {
            let sandbox = try PluginSandbox("only")
            defer { sandbox.cleanUp() }
            try sandbox.probe("one")
            try sandbox.probe("two")
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil))
            let report = await host.load(only: ["two"])
            #expect(report.loaded.map(\.id) == ["two"])
            #expect(await host.emit("test.ping", payload: .dict(["code": "result = 1"])).map(\.plugin) == ["two"])
            await host.shutdown()
        }
    }
}
