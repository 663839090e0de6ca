// Errors for modules that decode but are not valid.
// https://webassembly.github.io/spec/core/valid/index.html

/// An invalid module: the spec-worded reason, where it was found, and in which function.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, worded like the reference interpreter (e.g. `type mismatch`, `unknown local 3`).
    public var message: String
    /// The byte offset of the offending instruction or item, when known.
    public var offset: Int?
    /// The function index (imports included) whose body is invalid, when in a body.
    public var functionIndex: Int?

    /// Creates an error.
    public init(_ message: String, offset: Int? = nil, functionIndex: Int? = nil) {
        self.message = message
        self.offset = offset
        self.functionIndex = functionIndex
    }

    /// The message with its location.
    public var description: String {
        var text = message
        if let functionIndex { text += " (in function \(functionIndex)" } else if offset != nil { text += " (" }
        if let offset {
            text += (functionIndex == nil ? "" : ", ") + "at byte 0x\(String(offset, radix: 16))"
        }
        if functionIndex != nil || offset != nil { text += ")" }
        return text
    }
}

/// Everything that can go wrong turning bytes into a runnable module.
public enum ModuleError: Error, Sendable, CustomStringConvertible {
    /// The binary is malformed.
    case malformed(DecodingError)
    /// The module decodes but is invalid.
    case invalid(ValidationError)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .malformed(let e): return "malformed module: \(e)"
        case .invalid(let e): return "invalid module: \(e)"
        }
    }
}
