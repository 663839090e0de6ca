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

/// Resource limits of one plugin (per event: fuel, timeout, output; for its life: memory, heap).
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

    /// Creates limits.
    public init(fuel: Int64, memoryBytes: Int, heapBytes: Int, timeoutSeconds: Double, outputBytes: Int) {
        self.fuel = fuel
        self.memoryBytes = memoryBytes
        self.heapBytes = heapBytes
        self.timeoutSeconds = timeoutSeconds
        self.outputBytes = outputBytes
    }

    /// Defaults for plugins that do not ask for more: 200M instructions, 2 s, 32 MiB memory,
    /// 2 MiB heap, 64 KiB output.
    public static let standard = PluginLimits(fuel: 200_000_000, memoryBytes: 32 << 20, heapBytes: 2 << 20,
                                              timeoutSeconds: 2, outputBytes: 64 << 10)
    /// The most any plugin may ask for by default.
    public static let maximum = PluginLimits(fuel: 5_000_000_000, memoryBytes: 256 << 20, heapBytes: 64 << 20,
                                             timeoutSeconds: 30, outputBytes: 4 << 20)

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
