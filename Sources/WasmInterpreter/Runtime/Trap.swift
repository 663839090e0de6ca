// Why execution stopped abnormally.
// https://webassembly.github.io/spec/core/exec/runtime.html#results

/// The reason for a trap. Descriptions use the spec's wording where it has one.
public enum TrapReason: Sendable, CustomStringConvertible {
    /// `unreachable` was executed.
    case unreachable
    /// A memory access outside the memory.
    case memoryOutOfBounds
    /// A table access outside the table.
    case tableOutOfBounds
    /// `call_indirect` through a table index past the table's end.
    case undefinedElement
    /// `call_indirect` through a null entry.
    case uninitializedElement(index: UInt32)
    /// `call_indirect` to a function of another type.
    case indirectCallTypeMismatch
    /// Integer division or remainder by zero.
    case integerDivideByZero
    /// Signed division overflow, or a float-to-int conversion out of range.
    case integerOverflow
    /// A float-to-int conversion of NaN.
    case invalidConversionToInteger
    /// Too many nested calls, or the value stack is full.
    case callStackExhausted
    /// A null reference was used where a function or exception was needed.
    case nullReference
    /// The fuel tank ran dry (the execution can be refuelled and resumed).
    case outOfFuel
    /// The deadline passed.
    case deadlineExceeded
    /// The embedder cancelled the execution.
    case cancelled
    /// A host function threw this error.
    case hostError(any Error & Sendable)
    /// An exception no handler caught.
    case uncaughtException(WasmException)
    /// The embedder misused the API (for example calling with wrong argument types).
    case invalidInvocation(String)
    /// A lowering failure (an implementation limit) on first call of a function.
    case loweringFailed(String)

    /// The spec-style message.
    public var description: String {
        switch self {
        case .unreachable: return "unreachable"
        case .memoryOutOfBounds: return "out of bounds memory access"
        case .tableOutOfBounds: return "out of bounds table access"
        case .undefinedElement: return "undefined element"
        case .uninitializedElement(let i): return "uninitialized element \(i)"
        case .indirectCallTypeMismatch: return "indirect call type mismatch"
        case .integerDivideByZero: return "integer divide by zero"
        case .integerOverflow: return "integer overflow"
        case .invalidConversionToInteger: return "invalid conversion to integer"
        case .callStackExhausted: return "call stack exhausted"
        case .nullReference: return "null reference"
        case .outOfFuel: return "out of fuel"
        case .deadlineExceeded: return "deadline exceeded"
        case .cancelled: return "cancelled"
        case .hostError(let e): return "host function failed: \(e)"
        case .uncaughtException(let e): return "uncaught exception: \(e)"
        case .invalidInvocation(let why): return "invalid invocation: \(why)"
        case .loweringFailed(let why): return "cannot prepare function: \(why)"
        }
    }
}

/// A trap: the reason, and where it happened.
public struct Trap: Error, Sendable, CustomStringConvertible {
    /// Why execution stopped.
    public var reason: TrapReason
    /// The function index (imports included) that was running, if known.
    public var functionIndex: Int?
    /// The byte offset in the module of the instruction that trapped, if known.
    public var offset: Int?

    /// Creates a trap.
    public init(_ reason: TrapReason, functionIndex: Int? = nil, offset: Int? = nil) {
        self.reason = reason
        self.functionIndex = functionIndex
        self.offset = offset
    }

    /// `out of bounds memory access (in function 12 at byte 0x1f3)`.
    public var description: String {
        var s = reason.description
        if let functionIndex {
            s += " (in function \(functionIndex)"
            if let offset { s += " at byte 0x\(String(offset, radix: 16))" }
            s += ")"
        }
        return s
    }
}

/// A Wasm exception that escaped to the embedder: its tag and payload.
public struct WasmException: Error, Sendable, CustomStringConvertible {
    /// Store-wide identity of the tag.
    public var tagID: UInt32
    /// The tag's parameter types.
    public var types: [ValueType]
    /// The payload.
    public var values: [Value]

    /// `tag 3 [i32:7]`
    public var description: String {
        "tag \(tagID) [\(values.map(\.description).joined(separator: ", "))]"
    }
}
