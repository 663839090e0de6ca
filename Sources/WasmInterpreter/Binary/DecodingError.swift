// Errors for malformed binaries.
// https://webassembly.github.io/spec/core/binary/index.html

/// Why a binary is malformed. Descriptions are worded like the reference interpreter's messages.
public enum DecodingProblem: Sendable, Hashable {
    /// The input ended before a complete item was read.
    case unexpectedEnd
    /// A section or function body ended before a complete item was read.
    case unexpectedEndOfSection
    /// The first four bytes are not `\0asm`.
    case magicHeaderNotDetected
    /// The version field is not 1.
    case unknownBinaryVersion(UInt32)
    /// A section id above 13.
    case malformedSectionID(UInt8)
    /// A section's content did not end exactly at its declared size.
    case sectionSizeMismatch
    /// A LEB128 integer used more bytes than its type allows.
    case integerRepresentationTooLong
    /// A LEB128 integer's last byte has bits beyond the type's width.
    case integerTooLarge
    /// A name is not valid UTF-8.
    case malformedUTF8
    /// A known section appears out of order or twice.
    case unexpectedContentAfterLastSection
    /// A reserved byte that must be zero is not.
    case zeroByteExpected
    /// The function and code sections list different numbers of functions.
    case functionAndCodeInconsistentLengths
    /// The data count section disagrees with the data section.
    case dataCountInconsistent
    /// `memory.init` or `data.drop` without a data count section.
    case dataCountSectionRequired
    /// A length field is larger than the bytes left.
    case lengthOutOfBounds
    /// A memory access's alignment field is malformed.
    case malformedMemopFlags
    /// A function declares more locals than the implementation allows.
    case tooManyLocals
    /// Import kind byte is not 0 to 4.
    case malformedImportKind(UInt8)
    /// Export kind byte is not 0 to 4.
    case malformedExportKind(UInt8)
    /// A mutability byte is not 0 or 1.
    case malformedMutability(UInt8)
    /// An opcode that does not exist (or belongs to an unsupported feature).
    case illegalOpcode(String)
    /// A constant expression or body did not end with `end`.
    case endOpcodeExpected
    /// A reference type byte is not `funcref`, `externref` or `exnref`.
    case malformedReferenceType(UInt8)
    /// A value type byte is not a supported type.
    case malformedValueType(UInt8)
    /// A function type does not start with 0x60.
    case malformedFunctionType(UInt8)
    /// Limits flags other than 0 or 1.
    case malformedLimitsFlags(UInt8)
    /// An element or data segment kind out of range.
    case malformedSegmentKind(UInt32)
    /// A tag attribute other than 0 (exception).
    case malformedTagAttribute(UInt8)
    /// A size or count exceeds what Sandpiper accepts.
    case implementationLimit(String)
}

/// A malformed binary: what was wrong and at which byte offset.
public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var problem: DecodingProblem
    /// The byte offset in the binary where it was found.
    public var offset: Int

    /// Creates an error.
    public init(_ problem: DecodingProblem, at offset: Int) {
        self.problem = problem
        self.offset = offset
    }

    /// The spec-style message, without the offset.
    public var message: String {
        switch problem {
        case .unexpectedEnd: return "unexpected end"
        case .unexpectedEndOfSection: return "unexpected end of section or function"
        case .magicHeaderNotDetected: return "magic header not detected"
        case .unknownBinaryVersion(let v): return "unknown binary version \(v)"
        case .malformedSectionID(let id): return "malformed section id \(id)"
        case .sectionSizeMismatch: return "section size mismatch"
        case .integerRepresentationTooLong: return "integer representation too long"
        case .integerTooLarge: return "integer too large"
        case .malformedUTF8: return "malformed UTF-8 encoding"
        case .unexpectedContentAfterLastSection: return "unexpected content after last section"
        case .zeroByteExpected: return "zero byte expected"
        case .functionAndCodeInconsistentLengths: return "function and code section have inconsistent lengths"
        case .dataCountInconsistent: return "data count and data section have inconsistent lengths"
        case .dataCountSectionRequired: return "data count section required"
        case .lengthOutOfBounds: return "length out of bounds"
        case .malformedMemopFlags: return "malformed memop flags"
        case .tooManyLocals: return "too many locals"
        case .malformedImportKind(let k): return "malformed import kind \(k)"
        case .malformedExportKind(let k): return "malformed export kind \(k)"
        case .malformedMutability(let m): return "malformed mutability \(m)"
        case .illegalOpcode(let what): return "illegal opcode \(what)"
        case .endOpcodeExpected: return "END opcode expected"
        case .malformedReferenceType(let b): return "malformed reference type 0x\(String(b, radix: 16))"
        case .malformedValueType(let b): return "malformed value type 0x\(String(b, radix: 16))"
        case .malformedFunctionType(let b): return "malformed function type 0x\(String(b, radix: 16)) (expected 0x60)"
        case .malformedLimitsFlags(let b): return "integer too large (limits flags 0x\(String(b, radix: 16)))"
        case .malformedSegmentKind(let k): return "malformed segment kind \(k)"
        case .malformedTagAttribute(let a): return "malformed tag attribute \(a)"
        case .implementationLimit(let what): return "implementation limit exceeded: \(what)"
        }
    }

    /// The message with the offset, e.g. `unexpected end (at byte 0x1f)`.
    public var description: String {
        "\(message) (at byte 0x\(String(offset, radix: 16)))"
    }
}
