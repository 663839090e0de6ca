// The scripted session the example app runs.

import Foundation
import MicroPythonRuntime
import PluginHost

struct NotesAppDemo {
    let root: URL

    func say(_ text: String = "") { try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8)) }

    /// The app's permission prompt: a real app asks its user; the demo answers for them.
    static let prompt: @Sendable (PermissionRequest) async -> Bool? = { request in
        let answer = request.permission != "net.fetch" || request.pluginID == "link-checker"
        try? FileHandle.standardOutput.write(contentsOf: Data("  ? \(request.pluginName) \(request.version) asks to \(request.description) (\(request.permission)): \(answer ? "yes" : "no")\n".utf8))
        return answer
    }

    func run() async -> Int32 {
        let work = root.appendingPathComponent(".sandpiper-demo")
        let pluginsFolder = root.appendingPathComponent("plugins")
        guard FileManager.default.fileExists(atPath: pluginsFolder.path) else {
            say("NotesApp: no plugins folder at \(pluginsFolder.path); run from the repository root (make demo)")
            return 2
        }
        let guest: MicroPythonGuest
        do { guest = try MicroPythonGuest.load() } catch {
            say("NotesApp: \(error)")
            return 2
        }
        try? FileManager.default.removeItem(at: work)
        let server = LoopbackServer(port: 18765)
        say(server.start() ? "Loopback web server on 127.0.0.1:18765 (for the link checker)" : "Port 18765 is busy: link checks will fail")

        let store = NotesStore(file: work.appendingPathComponent("notes.json"))
        let notifications = NotificationLog()
        let app = ReferenceApp.definition(store: store, notifications: notifications, prompt: Self.prompt)
        let audit = AuditLog(file: work.appendingPathComponent("audit.jsonl"))
        let grants = GrantStore(file: work.appendingPathComponent("grants.json"))
        let host = PluginHost(app: app, directories: [pluginsFolder], guest: guest, grants: grants, audit: audit)

        say("\n== Loading plugins from \(pluginsFolder.path)")
        let started = ContinuousClock.now
        let report = await host.load()
        for m in report.loaded { say("  loaded \(m.id) \(m.version): \(m.description)") }
        for f in report.failures { say("  refused: \(f.error)") }
        say("  (\(report.loaded.count) plugins in \(Self.format(ContinuousClock.now - started)))")

        say("\n== Writing notes (each save is a note.saved event)")
        let drafts = [
            ("Groceries", "milk, eggs, bread #shopping todo"),
            ("Project idea", "A plugin host in Swift #swift #wasm; see http://127.0.0.1:18765/ok and http://127.0.0.1:18765/gone"),
            ("Meeting notes", "Meeting with Ana about the roadmap. Next: https://example.com/plan"),
        ]
        for (title, body) in drafts {
            let id = store.add(title: title, body: body)
            let note = (try? store.get(id)) ?? Note(id: id, title: title, body: body)
            let payload = (try? PythonValueEncoder.encode(note)) ?? .none
            say("\n-- saved note \(id) '\(title)'")
            for result in await host.emit("note.saved", payload: payload) { describe(result) }
            for n in notifications.take() { say("     [notify] \(n.plugin): \(n.message)") }
        }
        say("\n  tags after the auto-tagger ran:")
        for note in store.all { say("    #\(note.id) \(note.title): \(note.tags)") }

        say("\n== Running macros")
        if let r = await host.runMacro("word-counter", arguments: []) { describe(r) }
        if let r = await host.runMacro("daily-digest", arguments: ["2026-11-26"]) { describe(r) }
        let digest = pluginsFolder.appendingPathComponent("daily-digest/data/digest/2026-11-26.md")
        if let text = try? String(contentsOf: digest, encoding: .utf8) {
            say("   digest file \(digest.path):")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(12) { say("     | \(line)") }
        }

        say("\n== The misbehaving plugin once more: after its backoff it restarts clean, and is stopped again")
        try? await Task.sleep(for: .milliseconds(1100))
        let extra = store.add(title: "Another", body: "one more note")
        if let note = try? store.get(extra), let payload = try? PythonValueEncoder.encode(note) {
            for result in await host.emit("note.saved", payload: payload) where result.plugin == "misbehaving" { describe(result) }
        }
        for n in notifications.take() where n.plugin == "misbehaving" { say("     [notify] \(n.plugin): \(n.message)") }

        say("\n== Audit report (least privilege)")
        for r in await host.privilegeReport() {
            say("  \(r.plugin) \(r.version): requested \(r.requested), granted \(r.granted), used \(r.used), denied \(r.denied), never used \(r.neverUsed), \(r.calls) calls")
        }
        var counts: [String: Int] = [:]
        for e in audit.entries() { counts[e.kind.rawValue + "/" + e.outcome, default: 0] += 1 }
        say("\n  audit entries by kind/outcome:")
        for key in counts.keys.sorted() { say("    \(key): \(counts[key]!)") }
        say("\n  denials and limit hits:")
        // (Failed `stat`s of /plugin/*.py are the import system probing for modules; not shown.)
        for e in audit.entries() where e.kind == .denial || e.kind == .limit
            || (e.kind == .file && e.outcome != "ok" && !(e.function == "stat" && e.arguments?.hasPrefix("/plugin/") == true)) {
            say("    \(e.plugin) \(e.kind.rawValue) \(e.function ?? "") \(e.permission ?? "") \(e.arguments ?? ""): \(e.outcome) \(e.detail ?? "")")
        }
        say("\n  full audit log: \(work.appendingPathComponent("audit.jsonl").path) (\(audit.entries().count) entries)")
        if let problem = audit.fileError { say("  warning: \(problem)") }
        await host.shutdown()
        return 0
    }

    func describe(_ r: PluginRunResult) {
        let cost = "\(Self.format(r.duration)), \(r.fuelUsed) instructions"
        switch r.outcome {
        case .completed(let values):
            say("   \(r.plugin): ok -> \(values.map(\.description).joined(separator: ", ")) (\(cost))")
        case .exception(let e):
            say("   \(r.plugin): raised \(e) (\(cost))")
        case .stopped(let why):
            say("   \(r.plugin): STOPPED: \(why)")
        case .skipped(let why):
            say("   \(r.plugin): skipped: \(why)")
        }
        if !r.stdout.isEmpty { say("     stdout: \(r.stdout.trimmingCharacters(in: .newlines))") }
    }

    static func format(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.1f ms", ms)
    }
}
