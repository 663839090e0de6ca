// The WebAssembly type system for the features Sandpiper supports.
// https://webassembly.github.io/spec/core/syntax/types.html

/// A WebAssembly value type.
public enum ValueType: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// 32-bit integer.
    case i32 = 0x7F
    /// 64-bit integer.
    case i64 = 0x7E
    /// 32-bit IEEE 754 float.
    case f32 = 0x7D
    /// 64-bit IEEE 754 float.
    case f64 = 0x7C
    /// Nullable reference to a function.
    case funcref = 0x70
    /// Nullable opaque reference owned by the host.
    case externref = 0x6F
    /// Nullable reference to a caught exception (exception handling, exnref form).
    case exnref = 0x69

    /// True for the three reference types.
    public var isReference: Bool { self == .funcref || self == .externref || self == .exnref }

    /// True for the four number types.
    public var isNumber: Bool { !isReference }

    /// The text-format name, such as `i32` or `funcref`.
    public var description: String {
        switch self {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .funcref: return "funcref"
        case .externref: return "externref"
        case .exnref: return "exnref"
        }
    }
}

/// A function signature: parameter and result types.
public struct FunctionType: Sendable, Hashable, CustomStringConvertible {
    /// Parameter types, in order.
    public var parameters: [ValueType]
    /// Result types, in order.
    public var results: [ValueType]

    /// Creates a function type.
    public init(parameters: [ValueType], results: [ValueType]) {
        self.parameters = parameters
        self.results = results
    }

    /// `[i32 i32] -> [i32]` style rendering.
    public var description: String {
        "[" + parameters.map(\.description).joined(separator: " ") + "] -> ["
            + results.map(\.description).joined(separator: " ") + "]"
    }
}

/// Size limits of a memory (in 64 KiB pages) or a table (in elements).
public struct Limits: Sendable, Hashable, CustomStringConvertible {
    /// Initial size.
    public var min: UInt64
    /// Maximum size, if any.
    public var max: UInt64?

    /// Creates limits.
    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether limits `self` (of an actual import) fit the limits `required` by an importer.
    /// https://webassembly.github.io/spec/core/valid/types.html#match-limits
    public func matches(_ required: Limits) -> Bool {
        guard min >= required.min else { return false }
        if let requiredMax = required.max {
            guard let max, max <= requiredMax else { return false }
        }
        return true
    }

    /// `{min 1, max 2}` style rendering.
    public var description: String {
        if let max { return "{min \(min), max \(max)}" }
        return "{min \(min)}"
    }
}

/// A table's element type and limits.
public struct TableType: Sendable, Hashable {
    /// The reference type stored in the table.
    public var elementType: ValueType
    /// Size limits in elements.
    public var limits: Limits

    /// Creates a table type.
    public init(elementType: ValueType, limits: Limits) {
        self.elementType = elementType
        self.limits = limits
    }
}

/// A linear memory's limits, in 64 KiB pages.
public struct MemoryType: Sendable, Hashable {
    /// Size limits in pages.
    public var limits: Limits

    /// Creates a memory type.
    public init(limits: Limits) { self.limits = limits }
}

/// A global's value type and mutability.
public struct GlobalType: Sendable, Hashable {
    /// The value type.
    public var valueType: ValueType
    /// Whether `global.set` may change it.
    public var isMutable: Bool

    /// Creates a global type.
    public init(valueType: ValueType, isMutable: Bool) {
        self.valueType = valueType
        self.isMutable = isMutable
    }
}

/// The size of a WebAssembly page in bytes.
public let wasmPageSize = 65536

/// The kinds of things modules import and export.
public enum ExternalKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// A function.
    case function = 0
    /// A table.
    case table = 1
    /// A linear memory.
    case memory = 2
    /// A global.
    case global = 3
    /// An exception tag.
    case tag = 4

    /// The text-format keyword.
    public var description: String {
        switch self {
        case .function: return "func"
        case .table: return "table"
        case .memory: return "memory"
        case .global: return "global"
        case .tag: return "tag"
        }
    }
}
