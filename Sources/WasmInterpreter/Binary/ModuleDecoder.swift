// Decoding the module structure: the preamble and every section.
// https://webassembly.github.io/spec/core/binary/modules.html
//
// Function bodies are not decoded here beyond their locals: validation and lowering read their
// instructions in place, in one pass (see `FunctionValidator`).

/// Limits Sandpiper applies while decoding, so hostile binaries cannot make it allocate or
/// loop without bound.
public struct DecodingLimits: Sendable {
    /// Most locals (parameters included) a function may declare.
    public var maxLocalsPerFunction = 50_000
    /// Most functions, globals, tables, segments and similar items of one kind.
    public var maxItemsPerSection = 1_000_000

    /// The defaults.
    public init() {}
}

/// Decodes a WebAssembly binary into a ``Module``.
public enum ModuleDecoder {
    /// Section ids in the order they must appear (the tag section, 13, sits between memory and global).
    static let sectionRank: [UInt8: Int] = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13]

    /// Decodes `bytes`. Throws a ``DecodingError`` naming the problem and its byte offset.
    ///
    /// - Parameter scanningBodies: whether to check every function body's instructions now
    ///   (the default). With false, only the bodies' sizes and locals are read, and
    ///   ``Module/bodiesScanned`` is false: `CompiledModule` checks each body before lowering
    ///   it. For bytes whose well-formedness is established otherwise (a module pinned by its
    ///   SHA-256), with `CompiledModule.BodyValidation.onFirstUse`.
    public static func decode(_ bytes: [UInt8], limits: DecodingLimits = DecodingLimits(),
                              scanningBodies: Bool = true) throws(DecodingError) -> Module {
        var module = Module(bytes: bytes)
        module.bodiesScanned = scanningBodies
        let result: Result<Void, DecodingError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return .failure(DecodingError(.unexpectedEnd, at: 0))
            }
            var reader = ByteReader(base: base, count: buffer.count)
            do throws(DecodingError) {
                try decodeSections(&reader, into: &module, limits: limits)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return module
    }

    static func decodeSections(_ r: inout ByteReader, into m: inout Module, limits: DecodingLimits) throws(DecodingError) {
        // Preamble: a short binary is "unexpected end", as the reference reads 4 bytes at a time.
        guard r.count >= 4 else { throw DecodingError(.unexpectedEnd, at: r.count) }
        guard r.base[0] == 0, r.base[1] == 0x61, r.base[2] == 0x73, r.base[3] == 0x6D else {
            throw DecodingError(.magicHeaderNotDetected, at: 0)
        }
        guard r.count >= 8 else { throw DecodingError(.unexpectedEnd, at: r.count) }
        let version = UInt32(r.base[4]) | UInt32(r.base[5]) << 8 | UInt32(r.base[6]) << 16 | UInt32(r.base[7]) << 24
        guard version == 1 else { throw DecodingError(.unknownBinaryVersion(version), at: 4) }
        r.offset = 8

        var lastRank = 0
        while r.offset < r.count {
            r.inSection = false
            let idOffset = r.offset
            let id = try r.readByte()
            guard id <= 13 else { throw DecodingError(.malformedSectionID(id), at: idOffset) }
            let size = try r.readLength()
            let start = r.offset
            let end = start + size
            r.inSection = true
            if id != 0 {
                let rank = sectionRank[id]!
                guard rank > lastRank else { throw DecodingError(.unexpectedContentAfterLastSection, at: idOffset) }
                lastRank = rank
                m.sectionSizes[id] = size
            }
            switch id {
            case 0:
                r.inSection = false // the reference reports running out in a custom name as "unexpected end"
                let name = try r.readName()
                r.inSection = true
                // A name running past the section leaves a negative payload size: the reference
                // reports that as "unexpected end".
                guard r.offset <= end else { throw DecodingError(.unexpectedEnd, at: end) }
                m.customSections.append(CustomSection(name: name, payload: r.offset..<end))
                r.offset = end
            case 1: try decodeTypeSection(&r, &m)
            case 2: try decodeImportSection(&r, &m)
            case 3:
                let n = try r.readCount()
                m.functionTypeIndices.reserveCapacity(r.capacity(for: n, itemSize: 1))
                for _ in 0..<n { m.functionTypeIndices.append(try r.readU32()) }
            case 4:
                let n = try r.readCount()
                for _ in 0..<n { m.tables.append(try readTableType(&r)) }
            case 5:
                let n = try r.readCount()
                for _ in 0..<n { m.memories.append(MemoryType(limits: try readLimits(&r))) }
            case 13:
                let n = try r.readCount()
                for _ in 0..<n {
                    let attributeOffset = r.offset
                    let attribute = try r.readByte()
                    guard attribute == 0 else { throw DecodingError(.malformedTagAttribute(attribute), at: attributeOffset) }
                    m.tagTypeIndices.append(try r.readU32())
                }
            case 6:
                let n = try r.readCount()
                for _ in 0..<n {
                    let type = try readGlobalType(&r)
                    m.globals.append(Global(type: type, initializer: try readConstExpression(&r)))
                }
            case 7:
                let n = try r.readCount()
                for _ in 0..<n {
                    let name = try r.readName()
                    let kindOffset = r.offset
                    let kindByte = try r.readByte()
                    guard let kind = ExternalKind(rawValue: kindByte) else {
                        throw DecodingError(.malformedExportKind(kindByte), at: kindOffset)
                    }
                    m.exports.append(Export(name: name, kind: kind, index: try r.readU32()))
                }
            case 8:
                m.start = try r.readU32()
            case 9: try decodeElementSection(&r, &m)
            case 12:
                m.dataCount = try r.readU32()
            case 10:
                try decodeCodeSection(&r, &m, limits: limits)
            case 11: try decodeDataSection(&r, &m)
            default:
                throw DecodingError(.malformedSectionID(id), at: idOffset)
            }
            guard r.offset == end else { throw DecodingError(.sectionSizeMismatch, at: r.offset) }
        }
        guard m.functionTypeIndices.count == m.bodies.count else {
            throw DecodingError(.functionAndCodeInconsistentLengths, at: r.count)
        }
        if let dataCount = m.dataCount, Int(dataCount) != m.data.count {
            throw DecodingError(.dataCountInconsistent, at: r.count)
        }
    }

    static func decodeTypeSection(_ r: inout ByteReader, _ m: inout Module) throws(DecodingError) {
        let n = try r.readCount()
        m.types.reserveCapacity(r.capacity(for: n, itemSize: 3))
        for _ in 0..<n {
            let formOffset = r.offset
            let form = try r.readByte()
            // The form is a 7-bit signed LEB128 value.
            if form & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: formOffset) }
            guard form == 0x60 else { throw DecodingError(.malformedFunctionType(form), at: formOffset) }
            let paramCount = try r.readCount()
            var params: [ValueType] = []
            params.reserveCapacity(r.capacity(for: paramCount, itemSize: 1))
            for _ in 0..<paramCount { params.append(try readValueType(&r)) }
            let resultCount = try r.readCount()
            var results: [ValueType] = []
            results.reserveCapacity(r.capacity(for: resultCount, itemSize: 1))
            for _ in 0..<resultCount { results.append(try readValueType(&r)) }
            m.types.append(FunctionType(parameters: params, results: results))
        }
    }

    static func decodeImportSection(_ r: inout ByteReader, _ m: inout Module) throws(DecodingError) {
        let n = try r.readCount()
        m.imports.reserveCapacity(r.capacity(for: n, itemSize: 4))
        for _ in 0..<n {
            let module = try r.readName()
            let name = try r.readName()
            let kindOffset = r.offset
            let kind = try r.readByte()
            let descriptor: ImportDescriptor
            switch kind {
            case 0: descriptor = .function(typeIndex: try r.readU32())
            case 1: descriptor = .table(try readTableType(&r))
            case 2: descriptor = .memory(MemoryType(limits: try readLimits(&r)))
            case 3: descriptor = .global(try readGlobalType(&r))
            case 4:
                let attributeOffset = r.offset
                let attribute = try r.readByte()
                guard attribute == 0 else { throw DecodingError(.malformedTagAttribute(attribute), at: attributeOffset) }
                descriptor = .tag(typeIndex: try r.readU32())
            default: throw DecodingError(.malformedImportKind(kind), at: kindOffset)
            }
            m.imports.append(Import(module: module, name: name, descriptor: descriptor))
        }
    }

    static func decodeElementSection(_ r: inout ByteReader, _ m: inout Module) throws(DecodingError) {
        let n = try r.readCount()
        for _ in 0..<n {
            let flagsOffset = r.offset
            let flags = try r.readU32()
            guard flags <= 7 else { throw DecodingError(.malformedSegmentKind(flags), at: flagsOffset) }
            let mode: ElementMode
            var type = ValueType.funcref
            let usesExpressions = flags & 4 != 0
            switch flags & 3 {
            case 0:
                mode = .active(table: 0, offset: try readConstExpression(&r))
            case 2:
                let table = try r.readU32()
                mode = .active(table: table, offset: try readConstExpression(&r))
            case 1:
                mode = .passive
            default:
                mode = .declarative
            }
            if flags & 3 != 0 {
                if usesExpressions {
                    type = try readReferenceType(&r)
                } else {
                    let kindOffset = r.offset
                    let kind = try r.readByte()
                    guard kind == 0 else { throw DecodingError(.malformedReferenceType(kind), at: kindOffset) }
                }
            }
            let count = try r.readCount()
            var items: [ConstExpression] = []
            items.reserveCapacity(r.capacity(for: count, itemSize: 1))
            for _ in 0..<count {
                if usesExpressions {
                    items.append(try readConstExpression(&r))
                } else {
                    items.append(ConstExpression(instructions: [.refFunc(try r.readU32())]))
                }
            }
            m.elements.append(ElementSegment(type: type, mode: mode, items: items))
        }
    }

    static func decodeCodeSection(_ r: inout ByteReader, _ m: inout Module, limits: DecodingLimits) throws(DecodingError) {
        let n = try r.readCount()
        m.bodies.reserveCapacity(r.capacity(for: n, itemSize: 2))
        for _ in 0..<n {
            let entryOffset = r.offset
            let size = try r.readLength()
            let bodyEnd = r.offset + size
            let groups = try r.readCount()
            var total: UInt64 = 0
            var localTypes: [ValueType] = []
            for _ in 0..<groups {
                let countOffset = r.offset
                let count = try r.readU32()
                total += UInt64(count)
                guard total <= UInt64(UInt32.max) else { throw DecodingError(.tooManyLocals, at: countOffset) }
                guard total <= UInt64(limits.maxLocalsPerFunction) else {
                    throw DecodingError(.tooManyLocals, at: countOffset)
                }
                let type = try readValueType(&r)
                localTypes.append(contentsOf: repeatElement(type, count: Int(count)))
            }
            let codeStart = r.offset
            if m.bodiesScanned {
                try scanBody(&r, end: bodyEnd, dataCount: m.dataCount)
            } else {
                guard codeStart <= bodyEnd else { throw DecodingError(.sectionSizeMismatch, at: codeStart) }
                r.offset = bodyEnd
            }
            m.bodies.append(FunctionBody(localTypes: localTypes, code: codeStart..<bodyEnd, entryOffset: entryOffset))
        }
    }

    /// Checks that the body whose instructions start at `r` is well formed and ends exactly at
    /// byte `end`.
    static func scanBody(_ r: inout ByteReader, end: Int, dataCount: UInt32?) throws(DecodingError) {
        try BodyScanner.scan(&r, dataCount: dataCount)
        guard r.offset == end else { throw DecodingError(.sectionSizeMismatch, at: r.offset) }
    }

    /// Checks that defined function `index`'s body is well formed, as decoding does when it
    /// scans bodies (for a module decoded with `scanningBodies: false`).
    static func scanBody(_ index: Int, of m: Module) throws(DecodingError) {
        let body = m.bodies[index]
        let result: Result<Void, DecodingError> = m.bytes.withUnsafeBufferPointer { buffer in
            var r = ByteReader(base: buffer.baseAddress!, count: buffer.count, offset: body.code.lowerBound)
            do throws(DecodingError) {
                try scanBody(&r, end: body.code.upperBound, dataCount: m.dataCount)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    static func decodeDataSection(_ r: inout ByteReader, _ m: inout Module) throws(DecodingError) {
        let n = try r.readCount()
        for _ in 0..<n {
            let flagsOffset = r.offset
            let flags = try r.readU32()
            let mode: DataMode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try readConstExpression(&r))
            case 1: mode = .passive
            case 2:
                let memory = try r.readU32()
                mode = .active(memory: memory, offset: try readConstExpression(&r))
            default: throw DecodingError(.malformedSegmentKind(flags), at: flagsOffset)
            }
            let length = try r.readCount()
            guard length <= r.count - r.offset else { r.offset = r.count; throw r.endError() }
            m.data.append(DataSegment(mode: mode, bytes: r.offset..<(r.offset + length)))
            r.offset += length
        }
    }

    // MARK: Types

    static func readValueType(_ r: inout ByteReader) throws(DecodingError) -> ValueType {
        let at = r.offset
        let b = try r.readByte()
        guard let t = ValueType(rawValue: b) else {
            // Value types are 7-bit signed LEB128 values.
            if b & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: at) }
            throw DecodingError(.malformedValueType(b), at: at)
        }
        return t
    }

    static func readReferenceType(_ r: inout ByteReader) throws(DecodingError) -> ValueType {
        let at = r.offset
        let b = try r.readByte()
        guard let t = ValueType(rawValue: b), t.isReference else { throw DecodingError(.malformedReferenceType(b), at: at) }
        return t
    }

    static func readLimits(_ r: inout ByteReader) throws(DecodingError) -> Limits {
        let at = r.offset
        // The flags are a one-bit LEB128 value: a continuation bit is "too long", 2+ "too large".
        let flags = try r.readByte()
        if flags & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: at) }
        switch flags {
        case 0: return Limits(min: UInt64(try r.readU32()))
        case 1:
            let min = UInt64(try r.readU32())
            return Limits(min: min, max: UInt64(try r.readU32()))
        default: throw DecodingError(.malformedLimitsFlags(flags), at: at)
        }
    }

    static func readTableType(_ r: inout ByteReader) throws(DecodingError) -> TableType {
        let type = try readReferenceType(&r)
        return TableType(elementType: type, limits: try readLimits(&r))
    }

    static func readGlobalType(_ r: inout ByteReader) throws(DecodingError) -> GlobalType {
        let type = try readValueType(&r)
        let at = r.offset
        let mutability = try r.readByte()
        guard mutability <= 1 else { throw DecodingError(.malformedMutability(mutability), at: at) }
        return GlobalType(valueType: type, isMutable: mutability == 1)
    }

    /// Reads a constant expression up to and including its `end`. Non-constant instructions are
    /// decoded (their immediates skipped) and recorded so validation can reject them by name.
    static func readConstExpression(_ r: inout ByteReader) throws(DecodingError) -> ConstExpression {
        var instructions: [ConstInstruction] = []
        // Nested blocks (never valid here) are tracked so `end` is matched as the reference does.
        var depth = 0
        while true {
            let at = r.offset
            let byte = try r.readByte()
            switch byte {
            case 0x0B:
                if depth == 0 { return ConstExpression(instructions: instructions) }
                depth -= 1
                instructions.append(.nonConstant(.end))
            case 0x02, 0x03, 0x04, 0x1F:
                depth += 1
                let opcode = try readOpcode(byte, at: at, &r)
                try skipImmediates(of: opcode, &r)
                instructions.append(.nonConstant(opcode))
            case 0x41: instructions.append(.i32Const(try r.readS32()))
            case 0x42: instructions.append(.i64Const(try r.readS64()))
            case 0x43: instructions.append(.f32Const(try r.readFixed32()))
            case 0x44: instructions.append(.f64Const(try r.readFixed64()))
            case 0x23: instructions.append(.globalGet(try r.readU32()))
            case 0xD0: instructions.append(.refNull(try readReferenceType(&r)))
            case 0xD2: instructions.append(.refFunc(try r.readU32()))
            default:
                let opcode = try readOpcode(byte, at: at, &r)
                try skipImmediates(of: opcode, &r)
                instructions.append(.nonConstant(opcode))
            }
            if instructions.count > 10_000 { throw DecodingError(.implementationLimit("constant expression too long"), at: at) }
        }
    }

    /// Maps an opcode byte (and for 0xFC, its sub-opcode) to an instruction.
    static func readOpcode(_ byte: UInt8, at: Int, _ r: inout ByteReader) throws(DecodingError) -> WasmOpcode {
        if byte == 0xFC {
            let sub = try r.readU32()
            guard sub < 32, let op = WasmOpcode.prefixedFC[Int(sub)] else {
                throw DecodingError(.illegalOpcode("0xfc \(sub)"), at: at)
            }
            return op
        }
        guard let op = WasmOpcode.singleByte[Int(byte)] else {
            throw DecodingError(.illegalOpcode("0x" + String(byte, radix: 16)), at: at)
        }
        return op
    }

    /// Skips an instruction's immediates (rejected constant expressions, and the scan's 0xFC instructions).
    static func skipImmediates(of op: WasmOpcode, _ r: inout ByteReader) throws(DecodingError) {
        try skipImmediates(op.immediateKind, &r)
    }

    /// Skips immediates of kind `kind`.
    static func skipImmediates(_ kind: WasmImmediateKind, _ r: inout ByteReader) throws(DecodingError) {
        switch kind {
        case .none: break
        case .blockType: _ = try r.readS33()
        case .label, .function, .local, .global, .table, .elem, .data, .tag: _ = try r.readU32()
        case .brTable:
            let n = try r.readCount()
            for _ in 0...n { _ = try r.readU32() }
        case .callIndirect, .tableInit, .tableCopy, .memoryInit:
            _ = try r.readU32(); _ = try r.readU32()
        case .memarg: _ = try r.readU32(); _ = try r.readU32()
        case .memory: _ = try r.readByte()
        case .memoryCopy: _ = try r.readByte(); _ = try r.readByte()
        case .i32: _ = try r.readS32()
        case .i64: _ = try r.readS64()
        case .f32: _ = try r.readFixed32()
        case .f64: _ = try r.readFixed64()
        case .heapType: _ = try r.readByte()
        case .selectTypes:
            let n = try r.readCount()
            for _ in 0..<n { _ = try r.readByte() }
        case .tryTable:
            _ = try r.readS33()
            let n = try r.readCount()
            for _ in 0..<n {
                let kind = try r.readByte()
                if kind < 2 { _ = try r.readU32() }
                _ = try r.readU32()
            }
        }
    }
}
