// The per-instruction rules of validation and lowering.
// https://webassembly.github.io/spec/core/valid/instructions.html

extension FunctionTranslator {
    // MARK: Reading immediates (decoding errors become `ModuleError.malformed`)

    @inline(__always)
    mutating func readByte() throws(ModuleError) -> UInt8 {
        do { return try reader.readByte() } catch { throw .malformed(error) }
    }

    @inline(__always)
    mutating func readU32() throws(ModuleError) -> UInt32 {
        do { return try reader.readU32() } catch { throw .malformed(error) }
    }

    mutating func readS32() throws(ModuleError) -> Int32 {
        do { return try reader.readS32() } catch { throw .malformed(error) }
    }

    mutating func readS64() throws(ModuleError) -> Int64 {
        do { return try reader.readS64() } catch { throw .malformed(error) }
    }

    mutating func readFixed32() throws(ModuleError) -> UInt32 {
        do { return try reader.readFixed32() } catch { throw .malformed(error) }
    }

    mutating func readFixed64() throws(ModuleError) -> UInt64 {
        do { return try reader.readFixed64() } catch { throw .malformed(error) }
    }

    mutating func readLength() throws(ModuleError) -> Int {
        do { return try reader.readLength() } catch { throw .malformed(error) }
    }

    mutating func malformed(_ problem: DecodingProblem) -> ModuleError {
        .malformed(DecodingError(problem, at: instructionOffset))
    }

    /// Reads a block type and returns its parameters and results.
    mutating func readBlockType() throws(ModuleError) -> (params: [ValueType], results: [ValueType]) {
        let b: UInt8
        do { b = try reader.peekByte() } catch { throw .malformed(error) }
        if b == 0x40 {
            reader.offset += 1
            return (BlockSignature.none, BlockSignature.none)
        }
        if let t = ValueType(rawValue: b) {
            reader.offset += 1
            return (BlockSignature.none, BlockSignature.single(t))
        }
        let index: Int64
        do { index = try reader.readS33() } catch { throw .malformed(error) }
        guard index >= 0, index < Int64(context.types.count) else { throw error("unknown type") }
        let t = context.types[Int(index)]
        return (t.parameters, t.results)
    }

    /// Reads a memarg and checks the memory and the alignment against `naturalLog2`.
    mutating func readMemarg(naturalLog2: UInt32) throws(ModuleError) -> UInt32 {
        let flags = try readU32()
        guard flags < 32 else { throw malformed(.malformedMemopFlags) }
        let offset = try readU32()
        guard !context.memories.isEmpty else { throw error("unknown memory 0") }
        guard flags <= naturalLog2 else { throw error("alignment must not be larger than natural") }
        return offset
    }

    /// Reads the reserved memory-index byte of memory.size/grow/fill and checks memory 0 exists.
    mutating func readMemoryIndexByte() throws(ModuleError) {
        let b = try readByte()
        guard b == 0 else { throw malformed(.zeroByteExpected) }
        guard !context.memories.isEmpty else { throw error("unknown memory 0") }
    }

    mutating func table(_ index: UInt32) throws(ModuleError) -> TableType {
        guard Int(index) < context.tables.count else { throw error("unknown table \(index)") }
        return context.tables[Int(index)]
    }

    // MARK: Pop helpers that also yield the slot to read

    /// Pops a value of `type` and returns the slot to read it from (0 in unreachable code).
    mutating func popSlot(_ type: ValueType) throws(ModuleError) -> Int {
        var s = 0
        if emitting && valueTypes.count > controls[controls.count - 1].height {
            s = readSlot(operands.count - 1)
        }
        try pop(type)
        return s
    }

    /// Pops `types` (checking them) and pushes them back with their declared types, keeping
    /// the operands' locations.
    mutating func popAndRepush(_ types: [ValueType]) throws(ModuleError) {
        let available = valueTypes.count - controls[controls.count - 1].height
        if available >= types.count {
            // All are there: they keep their operands and take the expected types (an unknown
            // type from unreachable code becomes known).
            try peekMatches(types)
            let base = valueTypes.count - types.count
            for (i, t) in types.enumerated() { valueTypes[base + i] = t }
            return
        }
        let kept = Array(operands.suffix(min(types.count, available)))
        try pop(types)
        let missing = types.count - kept.count
        for (i, t) in types.enumerated() {
            push(t, i < missing ? .inSlot : kept[i - missing])
        }
    }

    /// Emits an instruction producing a result in the slot of the new top of stack.
    mutating func pushResult(_ type: ValueType, _ op: Op, _ b: Int = 0, _ c: Int = 0) {
        let position = valueTypes.count
        push(type)
        if emitting {
            let index = emitWord(op, slot(position), b, c)
            producedResult(index)
        }
    }

    // MARK: The translation loop

    /// Validates (and lowers) the whole body. Returns when the function's final `end` is read.
    mutating func translateBody() throws(ModuleError) {
        startFuelBlock()
        while true {
            instructionOffset = reader.offset
            let byte = try readByte()
            if metering && emitting { fuelCount &+= 1 }
            if byte >= 0x45 && byte <= 0xC4 {
                try translateNumeric(WasmOpcode(rawValue: UInt16(byte))!)
                continue
            }
            switch byte {
            case 0x00: // unreachable
                if emitting { _ = emitWord(.unreachable) }
                setUnreachable()
            case 0x01: // nop
                break
            case 0x02, 0x03, 0x04: // block, loop, if
                try translateBlockStart(byte)
            case 0x05: // else
                try translateElse()
            case 0x0B: // end
                if try translateEnd() { return }
            case 0x0C: // br
                let fi = try label(try readU32())
                try peekMatches(controls[fi].labelTypes)
                noteBranch(to: fi)
                if emitting { emitBranch(to: fi) }
                setUnreachable()
            case 0x0D: // br_if
                try translateBrIf()
            case 0x0E: // br_table
                try translateBrTable()
            case 0x0F: // return
                try peekMatches(type.results)
                if emitting { emitReturn() }
                setUnreachable()
            case 0x10: // call
                let f = try readU32()
                guard let callee = context.functionType(f) else { throw error("unknown function \(f)") }
                let argBase = try popArguments(callee.parameters)
                for t in callee.results { push(t) }
                if emitting { emitHi32(Int(f) < context.importedFunctionCount ? .call : .callLocal, argBase, f) }
            case 0x11, 0x13: // call_indirect, return_call_indirect
                try translateCallIndirect(tail: byte == 0x13)
            case 0x12: // return_call
                let f = try readU32()
                guard let callee = context.functionType(f) else { throw error("unknown function \(f)") }
                guard callee.results == type.results else { throw error("type mismatch: return_call callee results \(callee) do not match the caller's") }
                let argBase = try popArguments(callee.parameters)
                if emitting { emitHi32(.returnCall, argBase, f) }
                setUnreachable()
            case 0x08: // throw
                let tag = try readU32()
                guard let tagType = context.tagType(tag) else { throw error("unknown tag \(tag)") }
                let argBase = try popArguments(tagType.parameters)
                if emitting { emitHi32(.throw, argBase, tag) }
                setUnreachable()
            case 0x0A: // throw_ref
                let s = try popSlot(.exnref)
                if emitting { _ = emitWord(.throwRef, s) }
                setUnreachable()
            case 0x1F: // try_table
                try translateTryTable()
            case 0x1A: // drop
                _ = try popAny()
            case 0x1B: // select
                try translateSelect(declared: nil)
            case 0x1C: // select t*
                let n = try readLength()
                guard n == 1 else { throw error("invalid result arity") }
                let b = try readByte()
                guard let t = ValueType(rawValue: b) else { throw malformed(.malformedValueType(b)) }
                try translateSelect(declared: t)
            case 0x20: // local.get
                let i = try readU32()
                guard Int(i) < numLocals else { throw error("unknown local \(i)") }
                if emitting { assignment.read(Int(i)) }
                push(localTypes[Int(i)], Operand(kind: .local, bits: UInt64(i)))
            case 0x21, 0x22: // local.set, local.tee
                try translateLocalSet(tee: byte == 0x22)
            case 0x23: // global.get
                let i = try readU32()
                guard Int(i) < context.globals.count else { throw error("unknown global \(i)") }
                let position = valueTypes.count
                push(context.globals[Int(i)].valueType)
                if emitting { producedResult(emitHi32(.globalGet, slot(position), i)) }
            case 0x24: // global.set
                let i = try readU32()
                guard Int(i) < context.globals.count else { throw error("unknown global \(i)") }
                let g = context.globals[Int(i)]
                guard g.isMutable else { throw error("global is immutable") }
                if emitting && g.valueType == .i32 && valueTypes.count > controls[controls.count - 1].height,
                   fuseGlobalAdjust(i) {
                    try pop(.i32)
                    break
                }
                let s = try popSlot(g.valueType)
                if emitting { emitHi32(.globalSet, s, i) }
            case 0x25: // table.get
                let t = try readU32()
                let tt = try table(t)
                let s = try popSlot(.i32)
                pushResult(tt.elementType, .tableGet, s)
                if emitting { emitExtra(UInt64(t)) }
            case 0x26: // table.set
                let t = try readU32()
                let tt = try table(t)
                let v = try popSlot(tt.elementType)
                let i = try popSlot(.i32)
                if emitting { _ = emitWord(.tableSet, i, v); emitExtra(UInt64(t)) }
            case 0x28...0x35:
                try translateLoad(byte)
            case 0x36...0x3E:
                try translateStore(byte)
            case 0x3F: // memory.size
                try readMemoryIndexByte()
                pushResult(.i32, .memorySize)
            case 0x40: // memory.grow
                try readMemoryIndexByte()
                let s = try popSlot(.i32)
                pushResult(.i32, .memoryGrow, s)
            case 0x41:
                let v = try readS32()
                push(.i32, Operand(kind: .constant, bits: UInt64(UInt32(bitPattern: v))))
            case 0x42:
                let v = try readS64()
                push(.i64, Operand(kind: .constant, bits: UInt64(bitPattern: v)))
            case 0x43:
                let v = try readFixed32()
                push(.f32, Operand(kind: .constant, bits: UInt64(v)))
            case 0x44:
                let v = try readFixed64()
                push(.f64, Operand(kind: .constant, bits: v))
            case 0xD0: // ref.null
                let b = try readByte()
                guard let t = ValueType(rawValue: b), t.isReference else { throw malformed(.malformedReferenceType(b)) }
                push(t, Operand(kind: .constant, bits: 0))
            case 0xD1: // ref.is_null
                var s = 0
                if emitting && valueTypes.count > controls[controls.count - 1].height { s = readSlot(operands.count - 1) }
                let t = try popAny()
                if let t, !t.isReference { throw mismatch(requires: [.funcref], available: 1) }
                pushResult(.i32, .i64Eqz, s)
            case 0xD2: // ref.func
                let f = try readU32()
                guard context.functionType(f) != nil else { throw error("unknown function \(f)") }
                guard context.declaredFunctionReferences.contains(f) else { throw error("undeclared function reference") }
                let position = valueTypes.count
                push(.funcref)
                if emitting { producedResult(emitHi32(.refFunc, slot(position), f)) }
            case 0xFC:
                try translatePrefixed()
            default:
                throw malformed(.illegalOpcode("0x" + String(byte, radix: 16)))
            }
        }
    }

    // MARK: Numeric

    /// `i32.add`, `i32.xor` or `i32.or` where one operand was just computed by a shift by a
    /// constant (an address `base + (i << k)`, a CRC's `table[...] ^ (c >> 8)`): replaces the
    /// shift with one `i32AddShl`, `i32XorShrU` or kin. Returns its index.
    mutating func fuseOpOfShift(_ op: Op, _ lhsPosition: Int) -> Int? {
        guard let last = lastResult, last.position >= lhsPosition, let start = codeOffsets.last.map(Int.init),
              start == last.code, code.count == start + 2,
              let fused = Op.shiftedOperandForm(op, shift: Op.decode(code[start])) else { return nil }
        let shifted = opB(code[start])
        let amount = code[start + 1] & 31
        let otherPosition = last.position == lhsPosition ? lhsPosition + 1 : lhsPosition
        // The other operand must not be a constant (it would need a slot written first).
        guard operands[otherPosition].kind != .constant else { return nil }
        let other = readSlot(otherPosition)
        removeLastInstruction(startingAt: start)
        let index = emitWord(fused, slot(lhsPosition), other, shifted)
        emitExtra(amount)
        return index
    }

    /// `i32.add` whose left operand an `i32ShlImm` computed into its temporary just before an
    /// `i32AddImm` computed the right one (`(i << 3) + (base + 32)`, no label between): the
    /// shift moves into one `i32AddShl` after the `i32AddImm`, which writes neither the shifted
    /// slot nor reads the shift's result. Returns the fused op's index.
    mutating func fuseShiftUnderAddImm(_ lhsPosition: Int) -> Int? {
        let count = codeOffsets.count
        guard count >= 2, let last = lastResult, last.position == lhsPosition + 1,
              operands[lhsPosition].kind == .slot else { return nil }
        let addStart = Int(codeOffsets[count - 1]), shiftStart = Int(codeOffsets[count - 2])
        guard addStart == last.code, code.count == addStart + 2, shiftStart == addStart - 2, labelBarrier <= shiftStart else { return nil }
        let add = code[addStart], shift = code[shiftStart]
        guard Op.decode(add) == .i32AddImm, Op.decode(shift) == .i32ShlImm, opA(shift) == slot(lhsPosition),
              opA(add) == slot(lhsPosition + 1), opA(add) != opB(shift), opB(add) != opA(shift) else { return nil }
        let addend = code[addStart + 1], amount = code[shiftStart + 1] & 31
        removeLastInstruction(startingAt: addStart)
        removeLastInstruction(startingAt: shiftStart)
        _ = emitWord(.i32AddImm, opA(add), opB(add))
        emitExtra(addend)
        let index = emitWord(.i32AddShl, slot(lhsPosition), opA(add), opB(shift))
        emitExtra(amount)
        return index
    }

    /// `i32.add` of a constant to a value just computed by `i32.shl` with a constant (into its
    /// temporary): replaces the shift with one `i32ShlAddImm`. Returns its index.
    mutating func fuseShiftThenAdd(_ lhsPosition: Int, _ addend: UInt32) -> Int? {
        guard let start = producer(ofOperandAt: lhsPosition), Op.decode(code[start]) == .i32ShlImm else { return nil }
        let shifted = opB(code[start])
        let amount = Int(code[start + 1] & 31)
        removeLastInstruction(startingAt: start)
        let index = emitWord(.i32ShlAddImm, slot(lhsPosition), shifted, amount)
        emitExtra(UInt64(addend))
        return index
    }

    /// `i32.add` of a constant to a value just computed by `i32AddImm` or `i32ShlAddImm` into
    /// its temporary: adds the constant to that instruction's (32-bit addition wraps the same
    /// either way). Returns the instruction's index.
    mutating func foldAddIntoAdd(_ lhsPosition: Int, _ addend: UInt32) -> Int? {
        guard let start = producer(ofOperandAt: lhsPosition) else { return nil }
        let op = Op.decode(code[start])
        guard op == .i32AddImm || op == .i32ShlAddImm else { return nil }
        code[start + 1] = UInt64(UInt32(truncatingIfNeeded: code[start + 1]) &+ addend)
        lastResult = nil
        return start
    }

    /// A binary op whose right operand a plain load just wrote into its temporary (read by
    /// nothing else): removes the load (and an `i32AddImm` that computed its address) and
    /// emits the fused op that reads memory itself (`form.fused`, e.g. `f64AddLoad`). Returns
    /// its index.
    mutating func fuseLoadedRight(_ lhsPosition: Int, _ rhsPosition: Int, _ form: (load: Op, fused: Op)) -> Int? {
        guard let start = producer(ofOperandAt: rhsPosition), code.count == start + 2,
              Op.decode(code[start]) == form.load, code[start + 1] <= 0xFFFF_FFFF else { return nil }
        var address = opB(code[start])
        var addend: UInt64 = 0
        let offset = code[start + 1]
        removeLastInstruction(startingAt: start)
        // An address the instruction before computed into this same temporary by adding a
        // constant (`x + 8` for the next element) is added by the fused op too, wrapping.
        if address == slot(rhsPosition), let add = codeOffsets.last.map(Int.init), add == start - 2,
           labelBarrier <= add, Op.decode(code[add]) == .i32AddImm, opA(code[add]) == address {
            address = opB(code[add])
            addend = code[add + 1] & 0xFFFF_FFFF
            removeLastInstruction(startingAt: add)
        }
        // The load's address is a local, the zero slot or the right operand's temporary, never
        // the left operand's slot, so materialising a constant left operand cannot clobber it.
        let l = readSlot(lhsPosition)
        let index = emitWord(form.fused, slot(lhsPosition), l, address)
        emitExtra(addend | offset << 32)
        return index
    }

    /// Which operand (0 = left, 1 = right) a binary op leaves unchanged because the other is
    /// the constant zero, if one does. A right operand qualifies only if it does not live in its
    /// own position's slot (it becomes the left position's value). Slots hold i32 values
    /// zero-extended, so the kept operand is exactly the op's result.
    mutating func identityOperand(_ op: Op, lhs: Operand, rhs: Operand) -> Int? {
        let rightZero = rhs.kind == .constant && rhs.bits == 0
        switch op {
        case .i32Add, .i32Or, .i32Xor, .i64Add, .i64Or, .i64Xor:
            if rightZero { return 0 }
            if lhs.kind == .constant && lhs.bits == 0 && rhs.kind != .slot { return 1 }
            return nil
        case .i32Sub, .i64Sub, .i32Shl, .i32ShrS, .i32ShrU, .i64Shl, .i64ShrS, .i64ShrU:
            return rightZero ? 0 : nil
        default:
            return nil
        }
    }

    mutating func translateNumeric(_ wasm: WasmOpcode) throws(ModuleError) {
        let signature = numericSignatures[Int(wasm.rawValue)]
        let op = signature.op
        let result = signature.result
        guard let rhsType = signature.rhs else {
            if op == .i64ExtendI32U, emitting, valueTypes.count > controls[controls.count - 1].height {
                // Slots and constants hold i32 values zero-extended: the operand already is
                // the i64, so it stays as it is (a slot, a lazily read local or a constant).
                try peekMatches(BlockSignature.i32)
                let operand = operands[operands.count - 1]
                drop(1)
                push(.i64, operand)
                return
            }
            let s = try popSlot(signature.lhs)
            pushResult(result, op, s)
            return
        }
        let frameHeight = controls[controls.count - 1].height
        guard emitting, valueTypes.count >= frameHeight + 2 else {
            try pop(signature.lhs == rhsType ? NumericSignature.pair(signature.lhs) : [signature.lhs, rhsType])
            push(result)
            return
        }
        // Both operands are there: their types are checked without a type list.
        let n = valueTypes.count, left = valueTypes[n - 2], right = valueTypes[n - 1]
        if (left != nil && left != signature.lhs) || (right != nil && right != rhsType) {
            throw mismatch(requires: [signature.lhs, rhsType], available: n - frameHeight)
        }
        let lhsPosition = operands.count - 2
        let rhsPosition = operands.count - 1
        let lhs = operands[lhsPosition]
        let rhs = operands[rhsPosition]
        if let kept = identityOperand(op, lhs: lhs, rhs: rhs) {
            // x + 0, x - 0, x | 0, x ^ 0, a shift by 0 (and 0 + x, 0 | x, 0 ^ x) are x: the
            // operand stays as it is (a slot, a lazily read local or a constant), nothing emitted.
            drop(2)
            push(result, kept == 0 ? lhs : rhs)
            if kept != 0 { lastResult = nil }
            return
        }
        let index: Int
        if let fused = fuseOpOfShift(op, lhsPosition) {
            index = fused
        } else if op == .i32Add, let fused = fuseShiftUnderAddImm(lhsPosition) {
            index = fused
        } else if op == .i32Add, rhs.kind == .constant, let fused = fuseShiftThenAdd(lhsPosition, UInt32(truncatingIfNeeded: rhs.bits)) {
            index = fused
        } else if op == .i32Add, rhs.kind == .constant, let folded = foldAddIntoAdd(lhsPosition, UInt32(truncatingIfNeeded: rhs.bits)) {
            index = folded
        } else if let form = op.loadedRightForm, let fused = fuseLoadedRight(lhsPosition, rhsPosition, form) {
            index = fused
        } else if rhs.kind == .constant, let imm = op.immediateForm {
            let l = readSlot(lhsPosition)
            index = emitWord(imm, slot(lhsPosition), l)
            emitExtra(rhs.bits)
        } else if lhs.kind == .constant, op.isCommutative, let imm = op.immediateForm {
            let r = readSlot(rhsPosition)
            index = emitWord(imm, slot(lhsPosition), r)
            emitExtra(lhs.bits)
        } else {
            let l = readSlot(lhsPosition)
            let r = readSlot(rhsPosition)
            index = emitWord(op, slot(lhsPosition), l, r)
        }
        drop(2)
        push(result)
        producedResult(index)
    }
}

/// A numeric instruction's operand and result types and its internal op, without arrays.
struct NumericSignature {
    var lhs: ValueType
    var rhs: ValueType?
    var result: ValueType
    var op: Op

    /// Indexed by `WasmOpcode.rawValue`; entries for non-numeric opcodes are unused.
    static let table: [NumericSignature] = {
        var table = [NumericSignature](repeating: NumericSignature(lhs: .i32, rhs: nil, result: .i32, op: .unreachable), count: 0x200)
        for wasm in WasmOpcode.allCases where wasm.isNumeric {
            let s = wasm.signature!
            table[Int(wasm.rawValue)] = NumericSignature(lhs: s.operands[0], rhs: s.operands.count > 1 ? s.operands[1] : nil,
                                                         result: s.results[0], op: Op.numericByWasmOpcode[Int(wasm.rawValue)]!)
        }
        return table
    }()

    static let i32Pair: [ValueType] = [.i32, .i32]
    static let i64Pair: [ValueType] = [.i64, .i64]
    static let f32Pair: [ValueType] = [.f32, .f32]
    static let f64Pair: [ValueType] = [.f64, .f64]

    /// `[t, t]`, shared so binary ops never allocate one.
    static func pair(_ t: ValueType) -> [ValueType] {
        switch t {
        case .i64: return i64Pair
        case .f32: return f32Pair
        case .f64: return f64Pair
        default: return i32Pair
        }
    }
}
