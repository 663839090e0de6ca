// What the app offers plugins: permissions, capability modules, hooks, limits, policy.

public import Foundation
public import MicroPythonRuntime

/// How the app answers a permission a plugin requests.
public enum PermissionPolicy: String, Sendable, Codable, Equatable {
    /// Granted without asking.
    case allow
    /// Refused without asking.
    case deny
    /// Asked through the app's prompt; the answer is remembered.
    case ask
}

/// A permission the app defines (e.g. `notes.read`).
public struct PermissionDefinition: Sendable, Equatable {
    /// Its name.
    public var name: String
    /// What it lets a plugin do (shown in prompts and reports).
    public var description: String
    /// The app's policy for it.
    public var policy: PermissionPolicy

    /// Creates a permission.
    public init(_ name: String, _ description: String, policy: PermissionPolicy = .ask) {
        self.name = name
        self.description = description
        self.policy = policy
    }
}

/// Who is calling a capability: passed to module factories so functions can enforce
/// per-plugin rules (the data folder, allowed network hosts).
public struct CapabilityContext: Sendable {
    /// The plugin's id.
    public var pluginID: String
    /// Its version.
    public var pluginVersion: String
    /// Its data folder on the host.
    public var dataFolder: URL
    /// Network hosts its manifest lists (`host` or `host:port`).
    public var networkHosts: [String]
}

/// A Swift module the app offers, built per plugin. Each function's `requires` names the
/// permission it needs.
public struct CapabilityModule: Sendable {
    /// The import name.
    public var name: String
    /// Builds the module for one plugin.
    public var build: @Sendable (CapabilityContext) -> PythonModule

    /// Creates a capability module.
    public init(_ name: String, build: @escaping @Sendable (CapabilityContext) -> PythonModule) {
        self.name = name
        self.build = build
    }
}

/// Resource limits of one plugin (per event: fuel, timeout, output; for its life: memory, heap;
/// across all its sessions and restarts: what its writable data folders may hold).
public struct PluginLimits: Sendable, Equatable, Codable {
    /// Wasm instructions per event or macro run.
    public var fuel: Int64
    /// Linear memory, in bytes.
    public var memoryBytes: Int
    /// MicroPython heap, in bytes.
    public var heapBytes: Int
    /// Wall time per event or macro run, in seconds.
    public var timeoutSeconds: Double
    /// Bytes of stdout (and of stderr) per event.
    public var outputBytes: Int
    /// Total size, in bytes, of the regular files in the plugin's writable data folders
    /// (`files.write`), whatever wrote them and however many times the plugin restarted. Each
    /// session may write only the room left when it starts (overwrites count too), so the
    /// folders never grow past this; files the plugin deletes free room from its next start.
    public var dataBytes: Int
    /// Total files and directories in the plugin's writable data folders, kept like `dataBytes`.
    public var dataEntries: Int

    /// The `dataBytes` of `standard`: 64 MiB.
    public static let defaultDataBytes = 64 << 20
    /// The `dataEntries` of `standard`: 10,000 files and directories.
    public static let defaultDataEntries = 10_000

    /// Creates limits.
    public init(fuel: Int64, memoryBytes: Int, heapBytes: Int, timeoutSeconds: Double, outputBytes: Int,
                dataBytes: Int = PluginLimits.defaultDataBytes, dataEntries: Int = PluginLimits.defaultDataEntries) {
        self.fuel = fuel
        self.memoryBytes = memoryBytes
        self.heapBytes = heapBytes
        self.timeoutSeconds = timeoutSeconds
        self.outputBytes = outputBytes
        self.dataBytes = dataBytes
        self.dataEntries = dataEntries
    }

    /// Decodes limits; `dataBytes` and `dataEntries` may be missing (limits saved before they
    /// existed) and then take the defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fuel = try c.decode(Int64.self, forKey: .fuel)
        memoryBytes = try c.decode(Int.self, forKey: .memoryBytes)
        heapBytes = try c.decode(Int.self, forKey: .heapBytes)
        timeoutSeconds = try c.decode(Double.self, forKey: .timeoutSeconds)
        outputBytes = try c.decode(Int.self, forKey: .outputBytes)
        dataBytes = try c.decodeIfPresent(Int.self, forKey: .dataBytes) ?? Self.defaultDataBytes
        dataEntries = try c.decodeIfPresent(Int.self, forKey: .dataEntries) ?? Self.defaultDataEntries
    }

    /// Defaults for plugins that do not ask for more: 200M instructions, 2 s, 32 MiB memory,
    /// 2 MiB heap, 64 KiB output, data folders of 64 MiB and 10,000 entries.
    public static let standard = PluginLimits(fuel: 200_000_000, memoryBytes: 32 << 20, heapBytes: 2 << 20,
                                              timeoutSeconds: 2, outputBytes: 64 << 10)
    /// The most any plugin may ask for by default (data folders: 1 GiB and 100,000 entries).
    public static let maximum = PluginLimits(fuel: 5_000_000_000, memoryBytes: 256 << 20, heapBytes: 64 << 20,
                                             timeoutSeconds: 30, outputBytes: 4 << 20,
                                             dataBytes: 1 << 30, dataEntries: 100_000)

    /// As runtime limits.
    var pythonLimits: PythonLimits {
        var l = PythonLimits()
        l.fuel = fuel
        l.memoryBytes = memoryBytes
        l.heapBytes = heapBytes
        // Manifests cap the timeout at the app's maximum; clamp anyway so no value can trap.
        l.timeout = PythonLimits.timeout(seconds: timeoutSeconds)
        l.maxOutputBytes = outputBytes
        return l
    }
}

/// A question to the app's user: may this plugin have this permission?
public struct PermissionRequest: Sendable, Equatable {
    /// The plugin's id.
    public var pluginID: String
    /// Its display name.
    public var pluginName: String
    /// Its version.
    public var version: String
    /// The permission.
    public var permission: String
    /// What the permission allows.
    public var description: String
}

/// Everything the app offers and decides.
public struct AppDefinition: Sendable {
    /// Permissions plugins may request.
    public var permissions: [PermissionDefinition]
    /// Capability modules.
    public var modules: [CapabilityModule]
    /// Events plugins may subscribe to, with descriptions.
    public var hooks: [String: String]
    /// Limits for plugins that do not set their own.
    public var defaultLimits: PluginLimits
    /// The most a plugin may ask for.
    public var maximumLimits: PluginLimits
    /// Answers `.ask` permissions: true or false is the user's answer (remembered); nil means
    /// the question could not be asked (refused this time, asked again next time). Without a
    /// prompt every `.ask` is refused.
    public var prompt: (@Sendable (PermissionRequest) async -> Bool?)?

    /// Creates an app definition.
    public init(permissions: [PermissionDefinition], modules: [CapabilityModule], hooks: [String: String],
                defaultLimits: PluginLimits = .standard, maximumLimits: PluginLimits = .maximum,
                prompt: (@Sendable (PermissionRequest) async -> Bool?)? = nil) {
        self.permissions = permissions
        self.modules = modules
        self.hooks = hooks
        self.defaultLimits = defaultLimits
        self.maximumLimits = maximumLimits
        self.prompt = prompt
    }

    /// The permission named `name`, if defined.
    public func permission(_ name: String) -> PermissionDefinition? { permissions.first { $0.name == name } }
}
