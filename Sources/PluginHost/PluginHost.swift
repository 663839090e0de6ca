// The plugin host: discovers plugins, resolves their permissions, runs their event handlers
// and macros, and keeps the audit log.

public import Foundation
public import MicroPythonRuntime

/// A plugin that could not be loaded, and why.
public struct PluginLoadFailure: Sendable, Equatable {
    /// The plugin's folder.
    public var folder: String
    /// The manifest error.
    public var error: ManifestError
}

/// What loading found.
public struct PluginLoadReport: Sendable {
    /// Plugins loaded (id, version).
    public var loaded: [PluginManifest]
    /// Plugins refused.
    public var failures: [PluginLoadFailure]
}

/// Least-privilege facts about one plugin.
public struct PrivilegeReport: Sendable, Equatable {
    /// The plugin id.
    public var plugin: String
    /// Its version.
    public var version: String
    /// Permissions its manifest requests.
    public var requested: [String]
    /// Permissions it holds.
    public var granted: [String]
    /// Permissions it used successfully.
    public var used: [String]
    /// Permissions it tried without holding them.
    public var denied: [String]
    /// Permissions it holds but never used (candidates to drop).
    public var neverUsed: [String]
    /// Capability calls made.
    public var calls: Int
}

/// A plugin's state, for listing.
public struct PluginStatus: Sendable {
    /// The manifest.
    public var manifest: PluginManifest
    /// Permissions granted.
    public var granted: [String]
    /// Whether its session is running.
    public var running: Bool
    /// Failures in a row.
    public var consecutiveFailures: Int
}

/// Hosts the plugins of one app.
public actor PluginHost {
    /// What the app offers.
    public nonisolated let app: AppDefinition
    /// Folders searched for plugins.
    public nonisolated let directories: [URL]
    /// Remembered permission answers.
    public nonisolated let grants: GrantStore
    /// The audit log.
    public nonisolated let audit: AuditLog
    let guest: MicroPythonGuest
    var runtimes: [String: PluginRuntime] = [:]
    var order: [String] = []

    /// Creates a host over `directories` (each holds plugin folders).
    public init(app: AppDefinition, directories: [URL], guest: MicroPythonGuest, grants: GrantStore, audit: AuditLog) {
        self.app = app
        self.directories = directories
        self.guest = guest
        self.grants = grants
        self.audit = audit
    }

    /// Validates every plugin's manifest without loading anything (for `plugins check`).
    public static func discover(directories: [URL], app: AppDefinition) -> PluginLoadReport {
        var loaded: [PluginManifest] = []
        var failures: [PluginLoadFailure] = []
        var seen: [String: String] = [:]
        for directory in directories {
            let entries = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
            for folder in entries.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
                guard !folder.lastPathComponent.hasPrefix("."),
                      (try? folder.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { continue }
                do {
                    let manifest = try PluginManifest.load(folder: folder, app: app)
                    if let other = seen[manifest.id] {
                        failures.append(PluginLoadFailure(folder: folder.path, error: ManifestError(
                            .duplicateID, plugin: manifest.id, field: "id",
                            "another plugin with this id is in \(other); remove or rename one")))
                        continue
                    }
                    seen[manifest.id] = folder.path
                    loaded.append(manifest)
                } catch {
                    failures.append(PluginLoadFailure(folder: folder.path, error: error))
                }
            }
        }
        return PluginLoadReport(loaded: loaded, failures: failures)
    }

    /// Finds, validates and starts plugins (all, or those in `only`); asks about permissions as
    /// the app's policy says.
    public func load(only: Set<String>? = nil) async -> PluginLoadReport {
        var report = Self.discover(directories: directories, app: app)
        if let only { report.loaded = report.loaded.filter { only.contains($0.id) } }
        for failure in report.failures {
            audit.record(.load, plugin: failure.error.plugin, version: "", outcome: "refused", detail: failure.error.description)
        }
        for manifest in report.loaded {
            let granted = await resolvePermissions(manifest)
            let runtime = PluginRuntime(manifest: manifest, folder: manifest.folder, granted: granted, app: app, audit: audit, guest: guest)
            runtimes[manifest.id] = runtime
            order.append(manifest.id)
            _ = await runtime.start()
        }
        return report
    }

    /// Effective permissions: requested and allowed by policy, by a remembered answer, or by
    /// the prompt (whose answer is remembered).
    func resolvePermissions(_ manifest: PluginManifest) async -> Set<String> {
        var granted = Set<String>()
        for name in manifest.permissions {
            guard let definition = app.permission(name) else { continue }
            let decision: Bool
            var how: String
            switch definition.policy {
            case .allow:
                decision = true
                how = "policy"
            case .deny:
                decision = false
                how = "policy"
            case .ask:
                if let remembered = grants.answer(plugin: manifest.id, permission: name) {
                    decision = remembered
                    how = "remembered"
                } else {
                    let request = PermissionRequest(pluginID: manifest.id, pluginName: manifest.name, version: manifest.version,
                                                    permission: name, description: definition.description)
                    if let answer = await app.prompt?(request) {
                        decision = answer
                        how = "asked"
                        do {
                            try grants.remember(plugin: manifest.id, version: manifest.version, permission: name, granted: answer)
                        } catch {
                            // Holds for this run; the next one asks again.
                            how = "asked; the answer was not saved: \(error)"
                        }
                    } else {
                        decision = false
                        how = "could not ask"
                    }
                }
            }
            if decision { granted.insert(name) }
            audit.record(.grant, plugin: manifest.id, version: manifest.version, permission: name,
                         outcome: decision ? "granted" : "refused", detail: how)
        }
        return granted
    }

    /// Delivers `event` to every plugin subscribed to it, concurrently; returns each result.
    public func emit(_ event: String, payload: PythonValue) async -> [PluginRunResult] {
        let targets = order.compactMap { id -> PluginRuntime? in
            guard let r = runtimes[id], r.manifest.hooks.contains(event) else { return nil }
            return r
        }
        return await withTaskGroup(of: (Int, PluginRunResult).self) { group in
            for (i, runtime) in targets.enumerated() {
                group.addTask {
                    (i, await runtime.run(kind: .event, name: event, function: "sandpiper._dispatch",
                                          arguments: [.string(event), payload]))
                }
            }
            var results = [PluginRunResult?](repeating: nil, count: targets.count)
            for await (i, r) in group { results[i] = r }
            return results.compactMap { $0 }
        }
    }

    /// Runs the plugin's `main(args)`.
    public func runMacro(_ plugin: String, arguments: [String]) async -> PluginRunResult? {
        guard let runtime = runtimes[plugin] else { return nil }
        return await runtime.run(kind: .macro, name: "main", function: "main", arguments: [.list(arguments.map { .string($0) })])
    }

    /// Revokes a permission from a plugin, now and for the future. The revocation takes effect
    /// in this process whatever happens; it throws when the grants file cannot be saved, as a
    /// later process would then read the answer the file still has (tell the user).
    public func revoke(_ plugin: String, permission: String) async throws(GrantStoreError) {
        var saveError: GrantStoreError? = nil
        do { try grants.revoke(plugin: plugin, permission: permission) } catch { saveError = error }
        if let runtime = runtimes[plugin] {
            await runtime.revoke(permission)
            audit.record(.grant, plugin: plugin, version: runtime.manifest.version, permission: permission, outcome: "revoked",
                         detail: saveError.map { "not saved: \($0)" })
        }
        if let saveError { throw saveError }
    }

    /// The loaded plugins.
    public func statuses() async -> [PluginStatus] {
        var list: [PluginStatus] = []
        for id in order {
            guard let r = runtimes[id] else { continue }
            list.append(PluginStatus(manifest: r.manifest, granted: r.grants.current.sorted(), running: await r.session != nil,
                                     consecutiveFailures: await r.consecutiveFailures))
        }
        return list
    }

    /// What the entry script of `plugin` printed when it started.
    public func startupOutput(_ plugin: String) async -> String { await runtimes[plugin]?.startupOutput ?? "" }

    /// Least-privilege report per plugin.
    public func privilegeReport() -> [PrivilegeReport] {
        order.compactMap { id in
            guard let r = runtimes[id] else { return nil }
            let usage = r.usage.snapshot
            let granted = r.grants.current
            return PrivilegeReport(plugin: id, version: r.manifest.version, requested: r.manifest.permissions.sorted(),
                                   granted: granted.sorted(), used: usage.used.sorted(), denied: usage.denied.sorted(),
                                   neverUsed: granted.subtracting(usage.used).sorted(), calls: usage.calls)
        }
    }

    /// The stubs (`.pyi`) of every capability module of `app`, built for a sample plugin, and
    /// of the `sandpiper` module; by file name.
    public static func stubFiles(for app: AppDefinition) -> [String: String] {
        let context = CapabilityContext(pluginID: "example", pluginVersion: "0.0.0", dataFolder: URL(fileURLWithPath: "/tmp"), networkHosts: [])
        var files: [String: String] = [:]
        for m in app.modules { let built = m.build(context); files[built.name + ".pyi"] = built.stub }
        files["sandpiper.pyi"] = Self.sandpiperStub
        return files
    }

    /// The stub of the built-in `sandpiper` module.
    static let sandpiperStub = """
        # Generated by Sandpiper; do not edit.
        \"\"\"Plugin support: register event handlers.\"\"\"

        from typing import Any, Callable

        plugin_id: str
        plugin_version: str

        def on(event: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
            \"\"\"Decorator: call the function with the payload whenever `event` is emitted.\"\"\"
            ...

        """

    /// Stops every plugin, and writes the audit log's counts of alike entries it left out.
    public func shutdown() async {
        for r in runtimes.values { await r.stop() }
        audit.flushRepeats()
    }
}
