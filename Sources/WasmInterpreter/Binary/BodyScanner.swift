// Checks that a function body is well-formed instruction by instruction, without validating
// types: opcodes exist, immediates decode, blocks nest and end where they should.
// https://webassembly.github.io/spec/core/binary/instructions.html
//
// The decoder runs this over every body so that malformed code is reported as malformed, at
// the point the reference decoder reports it, before any validation. Validation and lowering
// then read the same bytes again, knowing they are well-formed.

enum BodyScanner {
    /// Reads one body's instructions up to and including its final `end`. When `seen` is
    /// given, records each opcode used (indexed by `WasmOpcode.rawValue`).
    static func scan(_ r: inout ByteReader, dataCount: UInt32?, seen: UnsafeMutablePointer<Bool>? = nil) throws(DecodingError) {
        // One entry per open block: true when an `else` may come next (an `if` before its else).
        var elseAllowed: [Bool] = [false]
        let immediates = singleByteImmediates
        while true {
            let at = r.offset
            let byte = try r.readByte()
            if let seen {
                if byte == 0xFC {
                    let sub = try r.peekByte()
                    if sub < 32 { seen[0x100 + Int(sub)] = true }
                } else {
                    seen[Int(byte)] = true
                }
            }
            switch byte {
            case 0x0B:
                elseAllowed.removeLast()
                if elseAllowed.isEmpty { return }
            case 0x05:
                guard elseAllowed[elseAllowed.count - 1] else { throw DecodingError(.endOpcodeExpected, at: at) }
                elseAllowed[elseAllowed.count - 1] = false
            case 0x02, 0x03:
                try readBlockType(&r)
                elseAllowed.append(false)
            case 0x04:
                try readBlockType(&r)
                elseAllowed.append(true)
            case 0x1F:
                try readBlockType(&r)
                let n = try r.readLength()
                for _ in 0..<n {
                    let kindOffset = r.offset
                    let kind = try r.readByte()
                    guard kind <= 3 else { throw DecodingError(.illegalOpcode("catch kind \(kind)"), at: kindOffset) }
                    if kind < 2 { _ = try r.readU32() }
                    _ = try r.readU32()
                }
                elseAllowed.append(false)
            case 0x3F, 0x40:
                try zeroByte(&r)
            case 0xD0:
                let typeOffset = r.offset
                let b = try r.readByte()
                guard let t = ValueType(rawValue: b), t.isReference else {
                    throw DecodingError(.malformedReferenceType(b), at: typeOffset)
                }
            case 0x1C:
                let n = try r.readLength()
                for _ in 0..<n {
                    let typeOffset = r.offset
                    let b = try r.readByte()
                    guard ValueType(rawValue: b) != nil else { throw DecodingError(.malformedValueType(b), at: typeOffset) }
                }
            case 0xFC:
                let sub = try r.readU32()
                guard sub < 32, let op = WasmOpcode.prefixedFC[Int(sub)] else {
                    throw DecodingError(.illegalOpcode("0xfc \(sub)"), at: at)
                }
                switch op {
                case .memoryInit:
                    guard dataCount != nil else { throw DecodingError(.dataCountSectionRequired, at: at) }
                    _ = try r.readU32()
                    try zeroByte(&r)
                case .dataDrop:
                    guard dataCount != nil else { throw DecodingError(.dataCountSectionRequired, at: at) }
                    _ = try r.readU32()
                case .memoryCopy:
                    try zeroByte(&r)
                    try zeroByte(&r)
                case .memoryFill:
                    try zeroByte(&r)
                default:
                    try ModuleDecoder.skipImmediates(of: op, &r)
                }
            default:
                guard let kind = immediates[Int(byte)] else {
                    throw DecodingError(.illegalOpcode("0x" + String(byte, radix: 16)), at: at)
                }
                if kind == .memarg {
                    let flagsOffset = r.offset
                    let flags = try r.readU32()
                    guard flags < 32 else { throw DecodingError(.malformedMemopFlags, at: flagsOffset) }
                    _ = try r.readU32()
                } else {
                    try ModuleDecoder.skipImmediates(kind, &r)
                }
            }
        }
    }

    /// The immediates of each single-byte opcode, nil where no instruction has that byte: read
    /// once per body, so the scan's step is one table read rather than two opcode lookups.
    static let singleByteImmediates: [WasmImmediateKind?] = WasmOpcode.singleByte.map { $0?.immediateKind }

    /// A block type: empty (0x40), a value type, or a non-negative type index.
    static func readBlockType(_ r: inout ByteReader) throws(DecodingError) {
        let at = r.offset
        let b = try r.peekByte()
        if b == 0x40 || ValueType(rawValue: b) != nil {
            r.offset += 1
            return
        }
        let index = try r.readS33()
        guard index >= 0 else { throw DecodingError(.malformedValueType(b), at: at) }
    }

    static func zeroByte(_ r: inout ByteReader) throws(DecodingError) {
        let at = r.offset
        guard try r.readByte() == 0 else { throw DecodingError(.zeroByteExpected, at: at) }
    }
}
