// Resolving a module's imports.
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation

/// The items offered to a module's imports, by module and field name.
public struct Imports {
    var entries: [ImportKey: ExternalValue] = [:]
    /// Consulted for names not defined explicitly.
    public var resolver: ((String, String) -> ExternalValue?)?

    /// No imports.
    public init() {}

    /// Imports resolved by a function (e.g. a registry of named instances).
    public init(resolver: @escaping (String, String) -> ExternalValue?) { self.resolver = resolver }

    /// Offers `value` as `module.name`.
    public mutating func define(_ module: String, _ name: String, _ value: ExternalValue) {
        entries[ImportKey(module: Array(module.utf8), name: Array(name.utf8))] = value
    }

    /// Offers a host function as `module.name`.
    public mutating func define(_ module: String, _ name: String, _ function: HostFunction) {
        define(module, name, .hostFunction(function))
    }

    /// Offers a host function as `module.name`.
    public mutating func define(_ module: String, _ name: String, parameters: [ValueType], results: [ValueType],
                                _ body: @escaping HostFunctionBody) {
        define(module, name, .hostFunction(HostFunction(parameters: parameters, results: results, body)))
    }

    /// The item offered as `module.name`, if any.
    public func lookup(_ module: String, _ name: String) -> ExternalValue? {
        if let v = entries[ImportKey(module: Array(module.utf8), name: Array(name.utf8))] { return v }
        return resolver?(module, name)
    }
}

struct ImportKey: Hashable {
    var module: [UInt8]
    var name: [UInt8]
}

/// Why instantiation failed.
public enum InstantiationError: Error, Sendable, CustomStringConvertible {
    /// No item was offered for an import.
    case unknownImport(module: String, name: String)
    /// The item offered does not match the import's kind or type.
    case incompatibleImportType(module: String, name: String, reason: String)
    /// A segment or the start function trapped.
    case trap(Trap)
    /// A memory or table the module defines is larger, at its minimum size, than the store's
    /// `StoreConfiguration` allows.
    case limitExceeded(String)

    /// Spec-worded message: "unknown import", "incompatible import type", the trap, or the limit.
    public var description: String {
        switch self {
        case .unknownImport(let m, let n): return "unknown import \(m).\(n)"
        case .incompatibleImportType(let m, let n, let why): return "incompatible import type for \(m).\(n): \(why)"
        case .trap(let t): return t.description
        case .limitExceeded(let why): return "limit exceeded: \(why)"
        }
    }
}
