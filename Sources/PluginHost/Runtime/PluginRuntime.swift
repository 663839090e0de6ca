// One loaded plugin: its session, grants, health and usage. Events for one plugin run one at a
// time; a plugin that hits a limit or traps is stopped and restarts clean on its next event,
// with backoff after repeated failures.

import Foundation
public import MicroPythonRuntime
import WasiHost
import Synchronization

/// How one plugin handled an event or macro.
public struct PluginRunResult: Sendable {
    /// How it ended.
    public enum Outcome: Sendable {
        /// The handlers (or `main`) returned these values.
        case completed([PythonValue])
        /// The code raised; the plugin keeps running.
        case exception(PythonError)
        /// A limit or trap stopped the plugin; it restarts clean on its next event.
        case stopped(SessionError)
        /// The plugin did not run (backing off after failures, or failed to start).
        case skipped(String)
    }

    /// The plugin id.
    public var plugin: String
    /// How it ended.
    public var outcome: Outcome
    /// What it printed.
    public var stdout: String
    /// What it wrote to stderr.
    public var stderr: String
    /// Fuel it used.
    public var fuelUsed: Int64
    /// Wall time.
    public var duration: Duration
}

/// Permissions a plugin has, readable from the capability gate on any thread.
final class GrantSet: Sendable {
    private let granted: Mutex<Set<String>>
    init(_ s: Set<String>) { granted = Mutex(s) }
    var current: Set<String> { granted.withLock { $0 } }
    func contains(_ p: String) -> Bool { granted.withLock { $0.contains(p) } }
    func revoke(_ p: String) { _ = granted.withLock { $0.remove(p) } }
}

/// Which permissions a plugin used and was refused.
final class UsageTracker: Sendable {
    private let state = Mutex<(used: Set<String>, denied: Set<String>, calls: Int)>(([], [], 0))
    func used(_ p: String?) { state.withLock { s in s.calls += 1; if let p { s.used.insert(p) } } }
    func denied(_ p: String) { _ = state.withLock { $0.denied.insert(p) } }
    var snapshot: (used: Set<String>, denied: Set<String>, calls: Int) { state.withLock { $0 } }
}

/// A loaded plugin.
actor PluginRuntime {
    let manifest: PluginManifest
    let folder: URL
    let grants: GrantSet
    let usage = UsageTracker()
    let audit: AuditLog
    let guest: MicroPythonGuest
    let modules: [PythonModule]
    let deniedModules: [String: String]
    var template: SessionTemplate?
    var session: PythonSession?
    var consecutiveFailures = 0
    var retryAfter: ContinuousClock.Instant?
    /// What the entry script printed when it last started.
    var startupOutput = ""
    /// The room the current session got in the writable data folders (set at each start).
    var dataBudget: DataFolderBudget?
    /// Failures before backoff starts.
    static let failuresBeforeBackoff = 3

    init(manifest: PluginManifest, folder: URL, granted: Set<String>, app: AppDefinition, audit: AuditLog, guest: MicroPythonGuest) {
        self.manifest = manifest
        self.folder = folder
        self.grants = GrantSet(granted)
        self.audit = audit
        self.guest = guest
        let context = CapabilityContext(pluginID: manifest.id, pluginVersion: manifest.version,
                                        dataFolder: folder.appendingPathComponent(PluginManifest.dataFolderName),
                                        networkHosts: manifest.networkHosts)
        let built = app.modules.map { $0.build(context) }
        modules = built
        var denied: [String: String] = [:]
        for m in built {
            let needed = Set(m.functions.compactMap(\.requirement))
            if !needed.isEmpty && needed.isDisjoint(with: granted) {
                denied[m.name] = "it requires permission \(needed.sorted().joined(separator: " or ")), which plugin '\(manifest.id)' was not granted"
            }
        }
        deniedModules = denied
    }

    /// Guest mounts: the plugin's folder read-only at /plugin without its data folder, and the
    /// data folders the manifest names at /data/<path>; nothing else of the data folder exists.
    var mounts: [Mount] {
        let data = folder.appendingPathComponent(PluginManifest.dataFolderName)
        var list = [Mount(guestPath: "/plugin", source: .host(folder), readOnly: true,
                          hiddenNames: [PluginManifest.dataFolderName])]
        for p in manifest.readPaths where !manifest.writePaths.contains(p) {
            list.append(Mount(guestPath: "/data/" + p, source: .host(data.appendingPathComponent(p)), readOnly: true))
        }
        for p in manifest.writePaths {
            list.append(Mount(guestPath: "/data/" + p, source: .host(data.appendingPathComponent(p)), readOnly: false))
        }
        return list
    }

    /// The host folders mounted writable (`files.write`): what `PluginLimits.dataBytes` and
    /// `.dataEntries` cap.
    var writableDataFolders: [URL] {
        let data = folder.appendingPathComponent(PluginManifest.dataFolderName)
        return manifest.writePaths.map { data.appendingPathComponent($0) }
    }

    /// The `sandpiper` module (event decorators) and the plugin's import path.
    var setupCode: String {
        """
        def __sandpiper_setup():
            import sys
            class SandpiperModule:
                pass
            m = SandpiperModule()
            m.__name__ = "sandpiper"
            handlers = {}
            def on(event):
                def register(fn):
                    handlers.setdefault(event, []).append(fn)
                    return fn
                return register
            def dispatch(event, payload):
                return [h(payload) for h in handlers.get(event, [])]
            m.on = on
            m._dispatch = dispatch
            m.plugin_id = \(PythonValue.string(manifest.id).wireJSON)
            m.plugin_version = \(PythonValue.string(manifest.version).wireJSON)
            sys.modules["sandpiper"] = m
            sys.path.insert(0, "/plugin")
        __sandpiper_setup()
        del __sandpiper_setup
        """
    }

    /// Starts (or restarts) the plugin's session and runs its entry script. Returns nil on
    /// success, or the failure. The session's file quotas are what its data folders have left
    /// (`DataFolderBudget`): quotas count one session's writes, the folders keep all of them.
    func start() async -> PluginRunResult? {
        let started = ContinuousClock.now
        dataBudget = nil
        do throws(SessionError) {
            let data = folder.appendingPathComponent(PluginManifest.dataFolderName)
            for p in manifest.readPaths + manifest.writePaths {
                try? FileManager.default.createDirectory(at: data.appendingPathComponent(p), withIntermediateDirectories: true)
            }
            if template == nil {
                var configuration = SessionConfiguration()
                configuration.limits = manifest.limits.pythonLimits
                configuration.modules = modules
                configuration.mounts = mounts
                configuration.setupCode = setupCode
                template = try await SessionTemplate.make(guest: guest, configuration: configuration)
            }
            let budget = DataFolderBudget(folders: writableDataFolders, limits: manifest.limits,
                                          session: template!.configuration.limits)
            dataBudget = budget
            let session = try await template!.makeSession(
                grant: modules.map(\.name).filter { deniedModules[$0] == nil }, deny: deniedModules,
                gate: gate, observer: observer, fileAccessObserver: fileObserver,
                maxBytesWritten: budget.maxBytesWritten, maxFileEntries: budget.maxEntries)
            let source = (try? String(contentsOf: folder.appendingPathComponent(manifest.entry), encoding: .utf8)) ?? ""
            let reply = try await session.exec(source, file: manifest.entry)
            self.session = session
            startupOutput = reply.stdout + reply.stderr
            audit.record(.load, plugin: manifest.id, version: manifest.version, function: manifest.entry,
                         duration: ContinuousClock.now - started, outcome: "ok")
            return nil
        } catch {
            session = nil
            let outcome = record(failure: error, during: "start", started: started)
            return PluginRunResult(plugin: manifest.id, outcome: outcome, stdout: "", stderr: "", fuelUsed: 0,
                                   duration: ContinuousClock.now - started)
        }
    }

    /// The capability gate: every call's permission is checked here, in Swift.
    nonisolated var gate: CapabilityGate {
        let grants = self.grants
        let usage = self.usage
        let id = manifest.id
        return { name, requirement in
            guard let requirement, !grants.contains(requirement) else { return nil }
            usage.denied(requirement)
            return PythonException("PermissionError", "plugin '\(id)' lacks permission '\(requirement)' needed by \(name)()")
        }
    }

    /// Audits every capability call and records usage.
    nonisolated var observer: CapabilityObserver {
        let audit = self.audit
        let usage = self.usage
        let id = manifest.id
        let version = manifest.version
        return { call in
            if let failure = call.failure, failure.pythonExceptionType == "PermissionError", call.requirement != nil {
                audit.record(.denial, plugin: id, version: version, permission: call.requirement, function: call.name,
                             arguments: call.argumentSummary, duration: call.duration, outcome: "denied", detail: failure.pythonMessage)
                return
            }
            if call.failure == nil { usage.used(call.requirement) }
            audit.record(.call, plugin: id, version: version, permission: call.requirement, function: call.name,
                         arguments: call.argumentSummary, duration: call.duration,
                         outcome: call.failure == nil ? "ok" : "failed", detail: call.failure?.description)
        }
    }

    /// Audits file accesses.
    nonisolated var fileObserver: @Sendable (FileAccess) -> Void {
        let audit = self.audit
        let id = manifest.id
        let version = manifest.version
        return { access in
            audit.record(.file, plugin: id, version: version, function: access.operation.rawValue, arguments: access.path,
                         outcome: access.result == .success ? "ok" : "\(access.result)",
                         detail: access.modifies ? "modifies" : nil)
        }
    }

    /// Runs the event's handlers (or `main` for a macro), restarting the plugin if needed.
    func run(kind: AuditEntry.Kind, name: String, function: String, arguments: [PythonValue]) async -> PluginRunResult {
        let started = ContinuousClock.now
        if let retryAfter, ContinuousClock.now < retryAfter {
            let wait = retryAfter - ContinuousClock.now
            return PluginRunResult(plugin: manifest.id, outcome: .skipped("backing off after \(consecutiveFailures) failures; next attempt in \(wait)"),
                                   stdout: "", stderr: "", fuelUsed: 0, duration: .zero)
        }
        if session == nil, let failed = await start() { return failed }
        do throws(SessionError) {
            let reply = try await session!.call(function, arguments)
            consecutiveFailures = 0
            audit.record(kind, plugin: manifest.id, version: manifest.version, function: name,
                         arguments: SessionChannelSummary.summary(arguments), duration: reply.duration, outcome: "ok")
            let values: [PythonValue]
            if case .list(let items) = reply.value, kind == .event { values = items } else { values = [reply.value] }
            return PluginRunResult(plugin: manifest.id, outcome: .completed(values), stdout: reply.stdout, stderr: reply.stderr,
                                   fuelUsed: reply.fuelUsed, duration: reply.duration)
        } catch {
            let outcome = record(failure: error, during: name, started: started)
            var stdout = "", stderr = ""
            if case .exception(_, let out, let err) = error {
                stdout = out
                stderr = err
            }
            return PluginRunResult(plugin: manifest.id, outcome: outcome, stdout: stdout, stderr: stderr, fuelUsed: 0,
                                   duration: ContinuousClock.now - started)
        }
    }

    /// Audits a failure and updates health; returns the outcome to report. A file quota the
    /// data folders' limit lowered is reported as that limit.
    func record(failure original: SessionError, during what: String, started: ContinuousClock.Instant) -> PluginRunResult.Outcome {
        let failure = dataBudget?.explain(original) ?? original
        let duration = ContinuousClock.now - started
        switch failure {
        case .exception(let e, _, _):
            audit.record(.error, plugin: manifest.id, version: manifest.version, function: what, duration: duration,
                         outcome: "exception", detail: e.description)
            if what == "start" {
                noteFailure()
                return .skipped("the entry script raised \(e.description)")
            }
            return .exception(e)
        case .limitExceeded(let limit, let why):
            audit.record(.limit, plugin: manifest.id, version: manifest.version, function: what, duration: duration,
                         outcome: limit.rawValue, detail: why)
        default:
            audit.record(.error, plugin: manifest.id, version: manifest.version, function: what, duration: duration,
                         outcome: "stopped", detail: failure.description)
        }
        session = nil
        noteFailure()
        return .stopped(failure)
    }

    func noteFailure() {
        consecutiveFailures += 1
        if consecutiveFailures >= Self.failuresBeforeBackoff {
            let seconds = min(60.0, pow(2.0, Double(consecutiveFailures - Self.failuresBeforeBackoff)))
            retryAfter = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        }
    }

    /// Removes a permission now (the gate checks it on every call).
    func revoke(_ permission: String) {
        grants.revoke(permission)
    }

    /// Stops the plugin's session.
    func stop() async {
        await session?.close()
        session = nil
    }
}

/// Argument summaries for audit entries.
enum SessionChannelSummary {
    static func summary(_ arguments: [PythonValue]) -> String {
        let text = "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        return text.count <= AuditLog.maxArgumentCharacters ? text : String(text.prefix(AuditLog.maxArgumentCharacters - 3)) + "..."
    }
}
