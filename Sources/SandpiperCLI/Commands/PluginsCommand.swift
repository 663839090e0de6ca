// `sandpiper plugins list | check | run ID ... | audit` and `sandpiper stubs --out DIR`:
// plugins hosted by the reference app (the notes capabilities the example app also offers).

import Foundation
import MicroPythonRuntime
import PluginHost

/// Manages and runs plugins with the reference app's capabilities.
public struct PluginsCommand: Equatable, Sendable {
    /// What to do.
    public enum Action: Equatable, Sendable {
        /// List plugins and their permissions.
        case list
        /// Validate every manifest.
        case check
        /// Load one plugin and deliver an event to it.
        case event(plugin: String, name: String, payload: String)
        /// Load one plugin and run its `main(args)`.
        case macro(plugin: String, arguments: [String])
        /// Print the audit log and a least-privilege summary.
        case audit(log: String?)
    }

    /// What to do.
    public var action: Action
    /// The plugins folder.
    public var directory = "plugins"
    /// Where the reference app keeps its notes, grants and audit log.
    public var stateDirectory = ".sandpiper"
    /// Grant every `ask` permission without asking.
    public var allowAll = false

    static let usage = """
        usage: sandpiper plugins [--dir DIR] [--state DIR] list
               sandpiper plugins [--dir DIR] check
               sandpiper plugins [--dir DIR] [--state DIR] [--allow-all] run ID --event NAME [--payload JSON]
               sandpiper plugins [--dir DIR] [--state DIR] [--allow-all] run ID --macro [ARGS...]
               sandpiper plugins [--state DIR] audit [--log FILE]
          Plugins run with the reference notes app's capabilities (notes, ui, net); its notes,
          remembered grants and audit log live in --state (default ./.sandpiper).
          --dir DIR     the plugins folder (default ./plugins)
          --allow-all   grant every permission the app would ask about (otherwise a terminal
                        prompts, and a non-interactive run refuses them)
          check exits 1 if any manifest is invalid; run exits 1 if the plugin raised, 3 if a limit stopped it.
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> PluginsCommand {
        var directory = "plugins"
        var state = ".sandpiper"
        var allowAll = false
        var verb: String? = nil
        var rest: [String] = []
        while let a = c.next() {
            switch a {
            case "--dir": directory = try c.value(for: a)
            case "--state": state = try c.value(for: a)
            case "--allow-all": allowAll = true
            default:
                if verb == nil && !a.hasPrefix("-") {
                    verb = a
                } else if verb != nil {
                    rest.append(a)
                    if verb == "run" { rest += c.rest() }
                } else {
                    throw c.unexpected(a)
                }
            }
        }
        let action: Action
        switch verb {
        case "list"?:
            guard rest.isEmpty else { throw UsageError("plugins list takes no arguments", command: "plugins") }
            action = .list
        case "check"?:
            guard rest.isEmpty else { throw UsageError("plugins check takes no arguments", command: "plugins") }
            action = .check
        case "audit"?:
            if rest.isEmpty { action = .audit(log: nil) }
            else if rest.count == 2 && rest[0] == "--log" { action = .audit(log: rest[1]) }
            else { throw UsageError("plugins audit takes only --log FILE", command: "plugins") }
        case "run"?:
            guard let id = rest.first, !id.hasPrefix("-") else { throw UsageError("plugins run needs a plugin ID", command: "plugins") }
            var args = ArgumentCursor(Array(rest.dropFirst()), command: "plugins")
            var event: String? = nil
            var payload = "null"
            var macro: [String]? = nil
            while let a = args.next() {
                switch a {
                case "--event": event = try args.value(for: a)
                case "--payload": payload = try args.value(for: a)
                case "--macro": macro = args.rest()
                case "--allow-all": allowAll = true
                default: throw args.unexpected(a)
                }
            }
            if let macro {
                guard event == nil else { throw UsageError("give either --event or --macro", command: "plugins") }
                action = .macro(plugin: id, arguments: macro)
            } else if let event {
                action = .event(plugin: id, name: event, payload: payload)
            } else {
                throw UsageError("plugins run needs --event NAME or --macro", command: "plugins")
            }
        default:
            throw UsageError("plugins needs list, check, run or audit", command: "plugins")
        }
        return PluginsCommand(action: action, directory: directory, stateDirectory: state, allowAll: allowAll)
    }

    /// The reference app over the state folder.
    func makeApp(_ console: Console) -> (AppDefinition, NotesStore, NotificationLog) {
        let state = URL(fileURLWithPath: stateDirectory)
        let store = NotesStore(file: state.appendingPathComponent("notes.json"))
        let notifications = NotificationLog()
        let allowAll = self.allowAll
        let interactive = console.inputIsTerminal
        let prompt: @Sendable (PermissionRequest) async -> Bool? = { request in
            if allowAll { return true }
            guard interactive else {
                console.error("sandpiper: refusing \(request.permission) for \(request.pluginID) this time (not a terminal to ask on; pass --allow-all to grant)")
                return nil
            }
            console.writeOut(Array("Allow \(request.pluginName) \(request.version) to \(request.description) (\(request.permission))? [y/N] ".utf8))
            return console.readLine()?.lowercased().hasPrefix("y") ?? false
        }
        return (ReferenceApp.definition(store: store, notifications: notifications, prompt: prompt), store, notifications)
    }

    func run(_ console: Console) -> Int32 {
        let (app, _, notifications) = makeApp(console)
        let folder = URL(fileURLWithPath: directory)
        switch action {
        case .check:
            let report = PluginHost.discover(directories: [folder], app: app)
            for m in report.loaded { console.print("ok      \(m.id) \(m.version)") }
            for f in report.failures { console.print("invalid \(f.error)") }
            if report.loaded.isEmpty && report.failures.isEmpty { console.print("no plugins in \(folder.path)") }
            return report.failures.isEmpty ? 0 : 1
        case .list:
            let report = PluginHost.discover(directories: [folder], app: app)
            let grants = GrantStore(file: URL(fileURLWithPath: stateDirectory).appendingPathComponent("grants.json"))
            for m in report.loaded {
                console.print("\(m.id) \(m.version) - \(m.name): \(m.description)")
                console.print("    hooks: \(m.hooks.isEmpty ? "none" : m.hooks.joined(separator: ", "))")
                let permissions = m.permissions.map { p -> String in
                    let policy = app.permission(p)?.policy ?? .deny
                    let remembered = grants.answer(plugin: m.id, permission: p).map { $0 ? "granted" : "refused" }
                    return "\(p) (\(remembered ?? policy.rawValue))"
                }
                console.print("    permissions: \(permissions.isEmpty ? "none" : permissions.joined(separator: ", "))")
                if !m.readPaths.isEmpty || !m.writePaths.isEmpty {
                    console.print("    files: read \(m.readPaths), write \(m.writePaths)")
                }
                if !m.networkHosts.isEmpty { console.print("    network: \(m.networkHosts.joined(separator: ", "))") }
            }
            for f in report.failures { console.print("invalid \(f.error)") }
            return 0
        case .audit(let log):
            return printAudit(log.map { URL(fileURLWithPath: $0) }
                              ?? URL(fileURLWithPath: stateDirectory).appendingPathComponent("audit.jsonl"), console)
        case .event(let plugin, let name, let payloadText):
            let payload: PythonValue
            do { payload = try PythonValue(wire: payloadText) } catch {
                console.error("sandpiper plugins: --payload is not JSON: \(error)")
                return 2
            }
            return runPlugin(plugin, app: app, notifications: notifications, console: console) { host in
                await host.emit(name, payload: payload).first
            }
        case .macro(let plugin, let arguments):
            return runPlugin(plugin, app: app, notifications: notifications, console: console) { host in
                await host.runMacro(plugin, arguments: arguments)
            }
        }
    }

    func runPlugin(_ plugin: String, app: AppDefinition, notifications: NotificationLog, console: Console,
                   _ body: @escaping @Sendable (PluginHost) async -> PluginRunResult?) -> Int32 {
        let guest: MicroPythonGuest
        do { guest = try MicroPythonGuest.load() } catch {
            console.error("sandpiper plugins: \(error)")
            return RunCommand.Status.trap
        }
        let state = URL(fileURLWithPath: stateDirectory)
        let audit = AuditLog(file: state.appendingPathComponent("audit.jsonl"))
        let host = PluginHost(app: app, directories: [URL(fileURLWithPath: directory)], guest: guest,
                              grants: GrantStore(file: state.appendingPathComponent("grants.json")), audit: audit)
        // The audit file failing is said after the run; whatever the plugin's outcome.
        defer { if let problem = audit.fileError { console.error("sandpiper plugins: warning: \(problem)") } }
        return BlockingTask.run { () async -> Int32 in
            let report = await host.load(only: [plugin])
            if let failure = report.failures.first(where: { $0.error.plugin == plugin }) {
                console.error("sandpiper plugins: \(failure.error)")
                return 1
            }
            guard report.loaded.contains(where: { $0.id == plugin }) else {
                console.error("sandpiper plugins: no plugin \(plugin) in \(directory)")
                return 2
            }
            let startup = await host.startupOutput(plugin)
            if !startup.isEmpty { console.writeOut(Array(startup.utf8)) }
            guard let result = await body(host) else {
                console.print("\(plugin) is not subscribed to that event")
                await host.shutdown()
                return 0
            }
            console.writeOut(Array(result.stdout.utf8))
            console.writeError(Array(result.stderr.utf8))
            for n in notifications.take() { console.print("[notify] \(n.message)") }
            await host.shutdown()
            switch result.outcome {
            case .completed(let values):
                for v in values { console.print(v.description) }
                return 0
            case .exception(let e):
                console.error(e.traceback)
                return RunCommand.Status.pythonError
            case .stopped(let why):
                console.error("sandpiper plugins: \(plugin) was stopped: \(why)")
                return RunCommand.Status.limit
            case .skipped(let why):
                console.error("sandpiper plugins: \(plugin) did not run: \(why)")
                return RunCommand.Status.trap
            }
        }
    }

    func printAudit(_ file: URL, _ console: Console) -> Int32 {
        guard FileManager.default.fileExists(atPath: file.path) else {
            console.error("sandpiper plugins: no audit log at \(file.path)")
            return 2
        }
        let read: (entries: [AuditEntry], skipped: Int)
        do { read = try AuditLog.readWithRotated(file) } catch {
            console.error("sandpiper plugins: cannot read \(file.path): \(error.localizedDescription)")
            return 2
        }
        for e in read.entries {
            var line = "\(e.time) \(e.plugin) \(e.version) \(e.kind.rawValue)"
            if let p = e.permission { line += " [\(p)]" }
            if let f = e.function { line += " \(f)" }
            if let a = e.arguments { line += " \(a)" }
            line += " -> \(e.outcome)"
            if let d = e.detail { line += " (\(d))" }
            console.print(line)
        }
        if read.skipped > 0 { console.print("(\(read.skipped) unreadable lines skipped)") }
        console.print("\nleast privilege, from the log:")
        var plugins: [String: (granted: Set<String>, used: Set<String>, denied: Set<String>)] = [:]
        for e in read.entries {
            var p = plugins[e.plugin] ?? ([], [], [])
            switch e.kind {
            case .grant where e.outcome == "granted": if let perm = e.permission { p.granted.insert(perm) }
            case .grant where e.outcome == "revoked": if let perm = e.permission { p.granted.remove(perm) }
            case .call where e.outcome == "ok": if let perm = e.permission { p.used.insert(perm) }
            case .denial: if let perm = e.permission { p.denied.insert(perm) }
            default: break
            }
            plugins[e.plugin] = p
        }
        for (id, p) in plugins.sorted(by: { $0.key < $1.key }) {
            console.print("  \(id): granted \(p.granted.sorted()), used \(p.used.sorted()), denied \(p.denied.sorted()), never used \(p.granted.subtracting(p.used).sorted())")
        }
        return 0
    }
}

/// `sandpiper stubs --out DIR`: `.pyi` files for the reference app's modules.
public struct StubsCommand: Equatable, Sendable {
    /// The folder to write to.
    public var outputDirectory: String

    static let usage = """
        usage: sandpiper stubs --out DIR
          Writes .pyi stubs for the Swift modules plugins can import (notes, ui, net) and for
          the sandpiper module, so editors can check plugin code.
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> StubsCommand {
        var out: String? = nil
        while let a = c.next() {
            switch a {
            case "--out": out = try c.value(for: a)
            default: throw c.unexpected(a)
            }
        }
        guard let out else { throw UsageError("stubs needs --out DIR", command: "stubs") }
        return StubsCommand(outputDirectory: out)
    }

    func run(_ console: Console) -> Int32 {
        let app = ReferenceApp.definition(store: NotesStore(file: nil), notifications: NotificationLog())
        let folder = URL(fileURLWithPath: outputDirectory)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files = PluginHost.stubFiles(for: app)
            for (name, text) in files.sorted(by: { $0.key < $1.key }) {
                try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
                console.print("wrote \(folder.appendingPathComponent(name).path)")
            }
            return 0
        } catch {
            console.error("sandpiper stubs: \(error.localizedDescription)")
            return 2
        }
    }
}
