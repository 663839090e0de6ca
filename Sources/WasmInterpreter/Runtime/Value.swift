// Values crossing between the embedder and Wasm code.

/// A WebAssembly value. Floats are carried as bit patterns so NaN payloads survive.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// A 32-bit integer (bit pattern; signed or unsigned by interpretation).
    case i32(UInt32)
    /// A 64-bit integer.
    case i64(UInt64)
    /// A 32-bit float's bits.
    case f32(UInt32)
    /// A 64-bit float's bits.
    case f64(UInt64)
    /// A function reference (opaque), or null.
    case funcref(FunctionReference?)
    /// A host reference: any 64-bit value except `UInt64.max`, or null.
    case externref(UInt64?)
    /// An exception reference (opaque), or null.
    case exnref(ExceptionReference?)

    /// An i32 from a signed integer.
    public init(int32 v: Int32) { self = .i32(UInt32(bitPattern: v)) }
    /// An i64 from a signed integer.
    public init(int64 v: Int64) { self = .i64(UInt64(bitPattern: v)) }
    /// An f32 from a float.
    public init(float v: Float) { self = .f32(v.bitPattern) }
    /// An f64 from a double.
    public init(double v: Double) { self = .f64(v.bitPattern) }

    /// The value's type.
    public var type: ValueType {
        switch self {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .funcref: return .funcref
        case .externref: return .externref
        case .exnref: return .exnref
        }
    }

    /// The i32 as a signed integer, if this is an i32.
    public var int32: Int32? { if case .i32(let v) = self { return Int32(bitPattern: v) } else { return nil } }
    /// The i64 as a signed integer, if this is an i64.
    public var int64: Int64? { if case .i64(let v) = self { return Int64(bitPattern: v) } else { return nil } }

    /// Rendering like `i32:42`, `f64:1.5`, `funcref:null`.
    public var description: String {
        switch self {
        case .i32(let v): return "i32:\(Int32(bitPattern: v))"
        case .i64(let v): return "i64:\(Int64(bitPattern: v))"
        case .f32(let v): return "f32:\(Float(bitPattern: v))"
        case .f64(let v): return "f64:\(Double(bitPattern: v))"
        case .funcref(let r): return r.map { "funcref:\($0.bits)" } ?? "funcref:null"
        case .externref(let r): return r.map { "externref:\($0)" } ?? "externref:null"
        case .exnref(let r): return r.map { "exnref:\($0.bits)" } ?? "exnref:null"
        }
    }

    /// The value's 64-bit slot encoding.
    var bits: UInt64 {
        switch self {
        case .i32(let v): return UInt64(v)
        case .i64(let v): return v
        case .f32(let v): return UInt64(v)
        case .f64(let v): return v
        case .funcref(let r): return r?.bits ?? 0
        case .externref(let r): return r.map { $0 &+ 1 } ?? 0
        case .exnref(let r): return r?.bits ?? 0
        }
    }

    /// Decodes a slot of the given type.
    init(bits: UInt64, type: ValueType) {
        switch type {
        case .i32: self = .i32(UInt32(truncatingIfNeeded: bits))
        case .i64: self = .i64(bits)
        case .f32: self = .f32(UInt32(truncatingIfNeeded: bits))
        case .f64: self = .f64(bits)
        case .funcref: self = .funcref(bits == 0 ? nil : FunctionReference(bits: bits))
        case .externref: self = .externref(bits == 0 ? nil : bits &- 1)
        case .exnref: self = .exnref(bits == 0 ? nil : ExceptionReference(bits: bits))
        }
    }
}

/// An opaque reference to a function of some instance in a store.
public struct FunctionReference: Sendable, Hashable {
    /// The encoding: (instance index + 1) << 32 | function index.
    public let bits: UInt64
}

/// An opaque reference to a caught exception in a store.
public struct ExceptionReference: Sendable, Hashable {
    /// The encoding (see `ExceptionHeap`).
    public let bits: UInt64
}
