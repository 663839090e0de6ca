// Shared set-up for the plugin host tests: the guest, temporary plugin folders written from
// test code, an app definition with a prompt that records its questions, and outcome helpers.

import Foundation
import Synchronization
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

/// Every guest-dependent plugin suite, one test at a time (two shared cores; the throughput
/// numbers mean something only without the other tests' load).
@Suite("Plugins with the guest", .serialized, .enabled(if: PluginGuest.isAvailable, PluginGuest.missing))
struct PluginGuestSuites {}

/// Where the guest is, and whether it has been fetched.
enum PluginGuest {
    static let path: String = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Guest/micropython-wasi.wasm").path
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path) }

    static let missing: Comment = "MicroPython guest not fetched: run `make guest` (Guest/micropython-wasi.wasm)"

    static func load() throws -> MicroPythonGuest { try MicroPythonGuest.load(path: path) }
}

/// A temporary folder tree for plugins, grants and audit files; removed by `cleanUp()`.
struct PluginSandbox {
    let root: URL
    let plugins: URL

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sandpiper-plugin-\(label)-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        plugins = root.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
    }

    var grantsFile: URL { root.appendingPathComponent("grants.json") }
    var auditFile: URL { root.appendingPathComponent("audit.jsonl") }

    /// Writes `plugins/<folder>/plugin.json` (the JSON text as given) and the other files.
    @discardableResult
    func write(folder: String, manifest: String, files: [String: String] = [:], in directory: URL? = nil) throws -> URL {
        let dir = (directory ?? plugins).appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(manifest.utf8).write(to: dir.appendingPathComponent("plugin.json"))
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    /// Writes a plugin from manifest fields (merged over a valid default) and its entry script.
    @discardableResult
    func plugin(_ id: String, entry: String = "main.py", source: String = "import sandpiper\n",
                fields: [String: Any] = [:], remove: [String] = [], in directory: URL? = nil) throws -> URL {
        var manifest: [String: Any] = ["schema": 1, "id": id, "name": "Plugin \(id)", "version": "1.0.0",
                                       "description": "test plugin", "entry": entry, "hooks": ["test.ping"]]
        for (k, v) in fields { manifest[k] = v }
        for k in remove { manifest[k] = nil }
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        return try write(folder: id, manifest: String(decoding: data, as: UTF8.self), files: [entry: source], in: directory)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: root) }
}

/// Records permission questions and answers them.
final class PluginPromptRecorder: Sendable {
    private let asked = Mutex<[PermissionRequest]>([])
    private let answers: @Sendable (PermissionRequest) -> Bool?

    init(_ answers: @escaping @Sendable (PermissionRequest) -> Bool? = { _ in true }) { self.answers = answers }

    var questions: [PermissionRequest] { asked.withLock { $0 } }

    var prompt: @Sendable (PermissionRequest) async -> Bool? {
        { request in
            self.asked.withLock { $0.append(request) }
            return self.answers(request)
        }
    }
}

/// The test app: the reference app's notes/ui/net plus a `vault` the policy always refuses,
/// and a `test.ping` hook.
struct PluginTestApp {
    let store = NotesStore(file: nil)
    let notifications = NotificationLog()
    let prompts: PluginPromptRecorder
    let fetchLimits: ReferenceApp.FetchLimits

    init(prompts: PluginPromptRecorder = PluginPromptRecorder(), fetchLimits: ReferenceApp.FetchLimits = .standard) {
        self.prompts = prompts
        self.fetchLimits = fetchLimits
    }

    static let permissions = ReferenceApp.permissions + [PermissionDefinition("vault.open", "open the vault", policy: .deny)]

    static let vaultModule = CapabilityModule("vault") { _ in
        var m = PythonModule("vault", doc: "Secrets.")
        m.add("open", doc: "Opens the vault.", requires: "vault.open", returns: String.self) { "treasure" }
        return m
    }

    func definition(limits: PluginLimits = .standard) -> AppDefinition {
        var hooks = ReferenceApp.hooks
        hooks["test.ping"] = "a test event"
        return AppDefinition(permissions: Self.permissions,
                             modules: [ReferenceApp.notesModule(store), ReferenceApp.uiModule(notifications), ReferenceApp.netModule(limits: fetchLimits),
                                       Self.vaultModule],
                             hooks: hooks, defaultLimits: limits, prompt: prompts.prompt)
    }

    /// A host over the sandbox's plugins (and any other directories), with file-backed grants and audit.
    func host(_ sandbox: PluginSandbox, directories: [URL]? = nil, audit: AuditLog? = nil, grants: GrantStore? = nil) throws -> PluginHost {
        PluginHost(app: definition(), directories: directories ?? [sandbox.plugins], guest: try PluginGuest.load(),
                   grants: grants ?? GrantStore(file: sandbox.grantsFile), audit: audit ?? AuditLog(file: sandbox.auditFile))
    }
}

extension PluginRunResult {
    /// The handler results, or nil (with the outcome recorded as an issue).
    func values(sourceLocation: SourceLocation = #_sourceLocation) -> [PythonValue]? {
        if case .completed(let v) = outcome { return v }
        Issue.record("plugin \(plugin) did not complete: \(outcome)", sourceLocation: sourceLocation)
        return nil
    }

    /// The single handler result.
    func value(sourceLocation: SourceLocation = #_sourceLocation) -> PythonValue? {
        guard let v = values(sourceLocation: sourceLocation) else { return nil }
        #expect(v.count == 1, "expected one handler result, got \(v)", sourceLocation: sourceLocation)
        return v.first
    }

    var isStopped: Bool { if case .stopped = outcome { return true } else { return false } }
    var isSkipped: Bool { if case .skipped = outcome { return true } else { return false } }
}

extension PluginHost {
    /// Emits `test.ping` and returns the one plugin's result.
    func ping(_ payload: PythonValue = .dict([:]), plugin: String) async -> PluginRunResult? {
        await emit("test.ping", payload: payload).first { $0.plugin == plugin }
    }
}

/// Milliseconds in a duration.
func pluginMilliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

extension PluginSandbox {
    /// An entry script whose `test.ping` handler runs `payload["code"]` and returns its
    /// `result` (or `"Type: message"` for an exception), so tests can probe from plugin code.
    /// With `payload["only"]` set, other plugins ignore the event.
    static let probeSource = """
        import sandpiper

        @sandpiper.on("test.ping")
        def ping(payload):
            # Every plugin subscribed to test.ping gets the event; only the one named runs the code.
            if payload.get("only", sandpiper.plugin_id) != sandpiper.plugin_id:
                return None
            scope = {}
            try:
                exec(payload["code"], scope)
                return scope.get("result")
            except Exception as e:
                return type(e).__name__ + ": " + str(e)
        """

    /// Writes a probing plugin.
    @discardableResult
    func probe(_ id: String, fields: [String: Any] = [:]) throws -> URL {
        try plugin(id, source: Self.probeSource, fields: fields)
    }
}

extension PluginHost {
    /// Runs `code` in plugin `plugin` through its probe handler and returns `result`.
    func run(_ code: String, in plugin: String, sourceLocation: SourceLocation = #_sourceLocation) async -> PythonValue? {
        guard let r = await ping(.dict(["code": .string(code), "only": .string(plugin)]), plugin: plugin) else {
            Issue.record("plugin \(plugin) did not receive the event", sourceLocation: sourceLocation)
            return nil
        }
        return r.value(sourceLocation: sourceLocation)
    }
}
