// Validation and lowering of variable, memory, table and bulk-memory instructions.
// https://webassembly.github.io/spec/core/valid/instructions.html#memory-instructions

extension FunctionTranslator {
    mutating func translateLocalSet(tee: Bool) throws(ModuleError) {
        let i = Int(try readU32())
        guard i < numLocals else { throw error("unknown local \(i)") }
        let t = localTypes[i]
        if emitting { assignment.write(i) }
        let frameHeight = controls[controls.count - 1].height
        guard emitting, valueTypes.count > frameHeight else {
            try pop(t)
            if tee { push(t) }
            return
        }
        try peekMatches(BlockSignature.single(t))
        let top = operands.count - 1
        // Values still reading local i lazily must be saved before it changes.
        var otherReaders = false
        for k in 0..<top where operands[k].kind == .local && operands[k].bits == UInt64(i) {
            otherReaders = true
            break
        }
        let source = operands[top]
        if otherReaders {
            for k in 0..<top where operands[k].kind == .local && operands[k].bits == UInt64(i) {
                materialize(at: k)
            }
        } else if source.kind == .slot, let last = lastResult, last.position == top {
            // Retarget the producing instruction to write the local directly.
            code[last.code] = (code[last.code] & ~(UInt64(0xFFFF) << 16)) | UInt64(i) << 16
            lastResult = nil
            joinInPlaceAdd(last.code)
            if tee {
                operands[top] = Operand(kind: .local, bits: UInt64(i))
            } else {
                valueTypes.removeLast()
                operands.removeLast()
            }
            return
        }
        switch source.kind {
        case .slot: emitCopy(i, slot(top))
        case .local:
            if source.bits != UInt64(i) && !joinTeeAdd(into: i, from: Int(source.bits)) { emitCopy(i, Int(source.bits)) }
        case .constant: emitConstant(source.bits, into: i)
        }
        if !tee {
            valueTypes.removeLast()
            operands.removeLast()
        }
    }

    /// `local.set i` of local `from` just written by an `i32AddImm` (the last instruction, no
    /// label between): a `local.tee from; local.set i` of a sum. The add writes both locals
    /// (`i32AddImmTee`) instead of being followed by a copy. True when joined.
    mutating func joinTeeAdd(into i: Int, from: Int) -> Bool {
        guard let start = lastInstruction(.i32AddImm), opA(code[start]) == from else { return false }
        code[start] = (code[start] & 0x0000_FFFF_FFFF_0000) | Op.i32AddImmTee.code | UInt64(UInt16(truncatingIfNeeded: i)) << 48
        lastResult = nil
        return true
    }

    /// If the instruction at `index` (the last one) now adds a constant to a slot in place and
    /// directly follows another `i32AddImm` or an `i32Add` with no label between, joins the two
    /// into one `i32AddImm2` or `i32AddAddImm`.
    mutating func joinInPlaceAdd(_ index: Int) {
        let word = code[index]
        guard Op.decode(word) == .i32AddImm, opA(word) == opB(word), code.count == index + 2,
              codeOffsets.count >= 2, Int(codeOffsets[codeOffsets.count - 1]) == index else { return }
        let previous = Int(codeOffsets[codeOffsets.count - 2])
        guard labelBarrier <= previous else { return }
        let step = code[index + 1] & 0xFFFF_FFFF
        switch Op.decode(code[previous]) {
        case .i32AddImm where previous == index - 2:
            code[previous] = (code[previous] & 0x0000_FFFF_FFFF_0000) | Op.i32AddImm2.code | UInt64(UInt16(truncatingIfNeeded: opA(word))) << 48
            code[previous + 1] = (code[previous + 1] & 0xFFFF_FFFF) | step << 32
            code.removeLast(2)
        case .i32Add where previous == index - 1:
            code[previous] = (code[previous] & ~0xFFFF) | Op.i32AddAddImm.code
            code[index] = UInt64(UInt16(truncatingIfNeeded: opA(word))) | step << 32
            code.removeLast(1)
        default:
            return
        }
        codeOffsets.removeLast()
        wasmOffsets.removeLast()
    }

    /// `global.set g` of a value just computed by adding a constant: fuses the pair (or the
    /// `global.get g; i32.add k; global.set g` of a stack-pointer prologue) into one
    /// instruction. Returns false when the pattern does not apply.
    mutating func fuseGlobalAdjust(_ g: UInt32) -> Bool {
        let top = operands.count - 1
        guard let last = codeOffsets.last.map(Int.init), last == code.count - 2 else { return false }
        let add = code[last]
        let op = Op.decode(add)
        guard op == .i32AddImm || op == .i32SubImm else { return false }
        let k = UInt32(truncatingIfNeeded: code[last + 1])
        let delta = op == .i32AddImm ? k : 0 &- k
        let operand = operands[top]
        let producedTop = operand.kind == .slot && lastResult?.code == last && lastResult?.position == top
        let teedTop = operand.kind == .local && Int(operand.bits) == opA(add) && labelBarrier <= last
        guard producedTop || teedTop else { return false }
        // Prologue: the add reads a temporary that `global.get g` wrote just before it.
        if codeOffsets.count >= 2, labelBarrier <= last {
            let get = Int(codeOffsets[codeOffsets.count - 2])
            let temp = opB(add)
            if get == last - 1, Op.decode(code[get]) == .globalGet, hi32(code[get]) == g, opA(code[get]) == temp, temp > numLocals {
                code.removeLast(code.count - get)
                codeOffsets.removeLast(2)
                wasmOffsets.removeLast(2)
                _ = emitWord(.globalAddImm, opA(add))
                code[code.count - 1] |= UInt64(g) << 32
                emitExtra(UInt64(delta))
                return true
            }
        }
        // Epilogue: global = source + k, the add's own result unused.
        guard producedTop else { return false }
        code.removeLast(2)
        codeOffsets.removeLast()
        wasmOffsets.removeLast()
        _ = emitWord(.globalSetAddImm, opB(add))
        code[code.count - 1] |= UInt64(g) << 32
        emitExtra(UInt64(delta))
        return true
    }

    mutating func translateSelect(declared: ValueType?) throws(ModuleError) {
        let condition = try popSlot(.i32)
        let frameHeight = controls[controls.count - 1].height
        let emit = emitting && valueTypes.count >= frameHeight + 2
        var a = 0, b = 0
        var constants: UInt64? = nil
        if emit {
            let first = operands[operands.count - 2], second = operands[operands.count - 1]
            if first.kind == .constant, second.kind == .constant, first.bits >> 32 == 0, second.bits >> 32 == 0 {
                constants = first.bits | second.bits << 32
            } else {
                b = readSlot(operands.count - 1)
                a = readSlot(operands.count - 2)
            }
        }
        let t2: ValueType?
        let t1: ValueType?
        if let declared {
            try pop(declared)
            try pop(declared)
            t1 = declared
            t2 = declared
        } else {
            t2 = try popAny()
            t1 = try popAny()
            if let t1, t1.isReference { throw mismatch(requires: [.i32, .i32, .i32], available: 0) }
            if let t2, t2.isReference { throw mismatch(requires: [.i32, .i32, .i32], available: 0) }
            if let t1, let t2, t1 != t2 { throw error("type mismatch: select operands differ (\(t1) and \(t2))") }
        }
        let position = valueTypes.count
        push(t1 ?? t2)
        if emit, let constants {
            let index = emitWord(.selectImm, slot(position), condition)
            emitExtra(constants)
            producedResult(index)
        } else if emit {
            let index = emitWord(.select, slot(position), a, b)
            emitExtra(UInt64(condition))
            producedResult(index)
        }
    }

    mutating func translateLoad(_ byte: UInt8) throws(ModuleError) {
        let (op, natural, result): (Op, UInt32, ValueType)
        switch byte {
        case 0x28: (op, natural, result) = (.i32Load, 2, .i32)
        case 0x29: (op, natural, result) = (.i64Load, 3, .i64)
        case 0x2A: (op, natural, result) = (.f32Load, 2, .f32)
        case 0x2B: (op, natural, result) = (.f64Load, 3, .f64)
        case 0x2C: (op, natural, result) = (.i32Load8S, 0, .i32)
        case 0x2D: (op, natural, result) = (.i32Load8U, 0, .i32)
        case 0x2E: (op, natural, result) = (.i32Load16S, 1, .i32)
        case 0x2F: (op, natural, result) = (.i32Load16U, 1, .i32)
        case 0x30: (op, natural, result) = (.i64Load8S, 0, .i64)
        case 0x31: (op, natural, result) = (.i64Load8U, 0, .i64)
        case 0x32: (op, natural, result) = (.i64Load16S, 1, .i64)
        case 0x33: (op, natural, result) = (.i64Load16U, 1, .i64)
        case 0x34: (op, natural, result) = (.i64Load32S, 2, .i64)
        default: (op, natural, result) = (.i64Load32U, 2, .i64)
        }
        let offset = try readMemarg(naturalLog2: natural)
        if let constant = topConstant() {
            // A constant address folds into the offset, read against the zero slot.
            try pop(.i32)
            pushResult(result, op, readZeroSlot())
            if emitting { emitExtra(UInt64(UInt32(truncatingIfNeeded: constant)) + UInt64(offset)) }
            return
        }
        if op == .i64Load, let start = producerOfTop(), [.i32Add, .i32AddShl].contains(Op.decode(code[start])),
           case .sum(let base, let index, let shift)? = takeComputedAddress(loaded: false) {
            // An i64 load from base + (index << shift) computes the sum itself.
            try pop(.i32)
            pushResult(result, .i64LoadAddShl, base, index)
            emitExtra(UInt64(shift) | UInt64(offset) << 32)
            return
        }
        if op == .i32Load || op == .i32Load8U, let address = takeComputedAddress(loaded: op == .i32Load) {
            try pop(.i32)
            switch address {
            case .loaded(let base, let first):
                pushResult(result, .i32LoadLoad, base)
                emitExtra(UInt64(first) | UInt64(offset) << 32)
            case .scaled(let index, let shift, let addend):
                if op == .i32Load, let byte = takeByteIndex(into: index, shift: shift, addend: addend, offset: offset) {
                    pushResult(result, .i32LoadByteIndexed, byte.base, shift)
                    emitExtra(UInt64(byte.byteOffset) | (UInt64(addend) + UInt64(offset)) << 32)
                    return
                }
                if op == .i32Load, let masked = takeMaskedIndex(into: index, shift: shift, addend: addend, offset: offset) {
                    pushResult(result, .i32LoadMaskedIndexed, masked.source, shift)
                    emitExtra(UInt64(masked.mask) | (UInt64(addend) + UInt64(offset)) << 32)
                    return
                }
                pushResult(result, op == .i32Load ? .i32LoadIndexed : .i32Load8UIndexed, index, shift)
                emitExtra(UInt64(addend) | UInt64(offset) << 32)
            case .sum(let base, let index, let shift):
                pushResult(result, op == .i32Load ? .i32LoadAddShl : .i32Load8UAddShl, base, index)
                emitExtra(UInt64(shift) | UInt64(offset) << 32)
            }
            return
        }
        if let start = producerOfTop(), Op.decode(code[start]) == .i32WrapI64 {
            // An address just wrapped from an i64 is read from the i64 itself: a plain load
            // takes only the low 32 bits of its address slot, which is what the wrap keeps.
            let wide = opB(code[start])
            removeLastInstruction(startingAt: start)
            try pop(.i32)
            pushResult(result, op, wide)
            emitExtra(UInt64(offset))
            return
        }
        let address = try popSlot(.i32)
        pushResult(result, op, address)
        if emitting { emitExtra(UInt64(offset)) }
    }

    /// An address computed by the instructions just before a load, which the load can compute
    /// itself (all arithmetic wraps to 32 bits before the load's offset is added).
    enum ComputedAddress {
        /// (slot `index` << `shift`) + `addend`.
        case scaled(index: Int, shift: Int, addend: UInt32)
        /// slot `base` + (slot `index` << `shift`).
        case sum(base: Int, index: Int, shift: Int)
        /// The i32 loaded from slot `base` + `offset` (no wrap: a load's effective address).
        case loaded(base: Int, offset: UInt32)
    }

    /// If the address on top of the stack was just computed into its temporary slot (read by
    /// nothing else) by `i32ShlImm`, `i32AddImm`, `i32ShlAddImm`, `i32Add`, `i32AddShl` or (when
    /// `loaded`) `i32Load`: removes that instruction and returns the computation, for the load
    /// to do.
    mutating func takeComputedAddress(loaded: Bool) -> ComputedAddress? {
        guard let start = producerOfTop() else { return nil }
        let word = code[start]
        let taken: ComputedAddress
        switch Op.decode(word) {
        case .i32ShlImm:
            taken = .scaled(index: opB(word), shift: Int(code[start + 1] & 31), addend: 0)
        case .i32AddImm:
            taken = .scaled(index: opB(word), shift: 0, addend: UInt32(truncatingIfNeeded: code[start + 1]))
        case .i32ShlAddImm:
            taken = .scaled(index: opB(word), shift: opC(word), addend: UInt32(truncatingIfNeeded: code[start + 1]))
        case .i32Add:
            taken = .sum(base: opB(word), index: opC(word), shift: 0)
        case .i32AddShl:
            taken = .sum(base: opB(word), index: opC(word), shift: Int(code[start + 1] & 31))
        case .i32Load where loaded && code[start + 1] <= 0xFFFF_FFFF:
            taken = .loaded(base: opB(word), offset: UInt32(code[start + 1]))
        default:
            return nil
        }
        removeLastInstruction(startingAt: start)
        return taken
    }

    /// For an indexed load of `(index << shift) + addend` (already taken) plus `offset`: if
    /// `index` is the temporary just written by `i32Load8U` (read by nothing else), and the byte
    /// shifted and added can never wrap past 32 bits, removes that load and returns its address
    /// slot and offset, for one `i32LoadByteIndexed`.
    mutating func takeByteIndex(into index: Int, shift: Int, addend: UInt32, offset: UInt32) -> (base: Int, byteOffset: UInt32)? {
        // Called after the address is popped: its temporary is the slot of position `operands.count`.
        guard index == slot(operands.count), shift <= 23,
              UInt64(addend) + (255 << UInt64(shift)) <= 0xFFFF_FFFF, UInt64(addend) + UInt64(offset) <= 0xFFFF_FFFF,
              let start = lastInstruction(.i32Load8U) else { return nil }
        let word = code[start]
        guard opA(word) == index, code[start + 1] <= 0xFFFF_FFFF else { return nil }
        let taken = (base: opB(word), byteOffset: UInt32(code[start + 1]))
        removeLastInstruction(startingAt: start)
        return taken
    }

    /// For an indexed load of `(index << shift) + addend` (already taken) plus `offset`: if
    /// `index` is the temporary just written by `i32AndImm` (read by nothing else), and the
    /// masked index shifted and added can never wrap past 32 bits, removes that instruction
    /// and returns its source slot and mask, for one `i32LoadMaskedIndexed` (table lookups by
    /// a byte of a word: CRCs, hashes).
    mutating func takeMaskedIndex(into index: Int, shift: Int, addend: UInt32, offset: UInt32) -> (source: Int, mask: UInt32)? {
        // Called after the address is popped: its temporary is the slot of position `operands.count`.
        guard index == slot(operands.count), let start = lastInstruction(.i32AndImm) else { return nil }
        let word = code[start]
        let mask = UInt32(truncatingIfNeeded: code[start + 1])
        guard opA(word) == index,
              UInt64(mask) << UInt64(shift) + UInt64(addend) + UInt64(offset) <= 0xFFFF_FFFF else { return nil }
        let taken = (source: opB(word), mask: mask)
        removeLastInstruction(startingAt: start)
        return taken
    }

    /// If the i32 on top of the stack was just computed into its temporary slot by
    /// `i32AddImm`, removes that instruction and returns its source slot and constant (for
    /// `brTableAdd`).
    mutating func takeAddedIndex() -> (index: Int, addend: UInt32)? {
        guard let start = producerOfTop(), Op.decode(code[start]) == .i32AddImm else { return nil }
        let taken = (index: opB(code[start]), addend: UInt32(truncatingIfNeeded: code[start + 1]))
        removeLastInstruction(startingAt: start)
        return taken
    }

    mutating func translateStore(_ byte: UInt8) throws(ModuleError) {
        let (op, natural, type): (Op, UInt32, ValueType)
        switch byte {
        case 0x36: (op, natural, type) = (.i32Store, 2, .i32)
        case 0x37: (op, natural, type) = (.i64Store, 3, .i64)
        case 0x38: (op, natural, type) = (.f32Store, 2, .f32)
        case 0x39: (op, natural, type) = (.f64Store, 3, .f64)
        case 0x3A: (op, natural, type) = (.i32Store8, 0, .i32)
        case 0x3B: (op, natural, type) = (.i32Store16, 1, .i32)
        case 0x3C: (op, natural, type) = (.i64Store8, 0, .i64)
        case 0x3D: (op, natural, type) = (.i64Store16, 1, .i64)
        default: (op, natural, type) = (.i64Store32, 2, .i64)
        }
        let offset = try readMemarg(naturalLog2: natural)
        // A constant value that fits in 32 bits is stored from the instruction itself.
        var immediate: Op? = nil
        if let v = topConstant() {
            switch op {
            case .i32Store: immediate = .i32StoreImm
            case .i32Store8: immediate = .i32Store8Imm
            case .i32Store16: immediate = .i32Store16Imm
            case .i64Store where Int64(bitPattern: v) == Int64(Int32(truncatingIfNeeded: v)): immediate = .i64StoreImm
            default: break
            }
        }
        if let immediate, let v = topConstant() {
            try pop(type)
            let (address, folded) = try popAddress(offset: offset)
            if emitting {
                _ = emitWord(immediate, address)
                emitExtra(folded | UInt64(UInt32(truncatingIfNeeded: v)) << 32)
            }
            return
        }
        let valueProducer = producerOfTop()
        let value = try popSlot(type)
        let (address, folded) = try popAddress(offset: offset)
        if emitting {
            if let start = valueProducer, fuseAddInPlace(op, start: start, address: address, offset: folded) { return }
            if (op == .i32Store || op == .f32Store) && joinStoreRun(address: address, value: value, offset: folded) { return }
            _ = emitWord(op, address, value)
            emitExtra(folded)
        }
    }

    /// A store of the sum an `i32AddLoad` (or its i64, f32, f64 kin) just computed into the
    /// value's temporary, back to the address that op loaded from (same slot, no added constant,
    /// same offset), with nothing emitted since: turns that op into `i32AddInPlace` (or kin),
    /// which adds to memory directly. True when done.
    mutating func fuseAddInPlace(_ store: Op, start: Int, address: Int, offset: UInt64) -> Bool {
        let inPlace: Op
        switch (store, Op.decode(code[start])) {
        case (.i32Store, .i32AddLoad): inPlace = .i32AddInPlace
        case (.i64Store, .i64AddLoad): inPlace = .i64AddInPlace
        case (.f32Store, .f32AddLoad): inPlace = .f32AddInPlace
        case (.f64Store, .f64AddLoad): inPlace = .f64AddInPlace
        default: return false
        }
        let word = code[start]
        guard code.count == start + 2, opC(word) == address, code[start + 1] == offset << 32 else { return false }
        code[start] = (word & ~0xFFFF) | inPlace.code
        lastResult = nil
        joinMultiplyAccumulate(inPlace: start)
        return true
    }

    /// An `f32AddInPlace` or `f64AddInPlace` at `start` whose added value is the product the
    /// instruction just before it computed into a temporary with `f32MulLoad` or `f64MulLoad`
    /// (no label between): the two become one `f32MulAddInPlace` or `f64MulAddInPlace`, which
    /// never stores the product. The temporary is dead after the add: it held a stack operand
    /// that the add consumed.
    mutating func joinMultiplyAccumulate(inPlace start: Int) {
        let fused: Op, multiply: Op
        switch Op.decode(code[start]) {
        case .f32AddInPlace: (fused, multiply) = (.f32MulAddInPlace, .f32MulLoad)
        case .f64AddInPlace: (fused, multiply) = (.f64MulAddInPlace, .f64MulLoad)
        default: return
        }
        let count = codeOffsets.count
        guard count >= 2, Int(codeOffsets[count - 1]) == start else { return }
        let product = Int(codeOffsets[count - 2])
        let add = code[start], mul = code[product]
        guard product == start - 2, labelBarrier <= product, Op.decode(mul) == multiply,
              opA(mul) == opB(add), opA(mul) > numLocals else { return }
        let target = code[start + 1]
        removeLastInstruction(startingAt: start)
        // A = the multiplied load's address slot, B = the multiplier, C = the updated address slot.
        code[product] = fused.code | UInt64(opC(mul)) << 16 | UInt64(opB(mul)) << 32 | UInt64(opC(add)) << 48
        emitExtra(target)
    }

    /// Joins a 32-bit store to the store (or store run) emitted just before it when both use
    /// the same address slot, no label lies between, and the offsets are below 65536: the
    /// pair becomes an `i32StoreRun`, or the run grows by one entry. True when joined.
    mutating func joinStoreRun(address: Int, value: Int, offset: UInt64) -> Bool {
        guard offset <= 0xFFFF, let last = codeOffsets.last.map(Int.init), labelBarrier < code.count else { return false }
        let word = code[last]
        guard opA(word) == address else { return false }
        let entry = UInt64(UInt16(truncatingIfNeeded: value)) | offset << 32
        switch Op.decode(word) {
        case .i32Store, .f32Store:
            let first = code[last + 1]
            guard last + 2 == code.count, first <= 0xFFFF else { return false }
            code[last] = Op.i32StoreRun.code | UInt64(UInt16(truncatingIfNeeded: address)) << 16
                | 2 << 32 | max(first, offset) << 48
            code[last + 1] = UInt64(opB(word)) | first << 32
        case .i32StoreRun:
            let count = opB(word)
            guard last + 1 + count == code.count, count < 0xFFFF else { return false }
            code[last] = Op.i32StoreRun.code | UInt64(UInt16(truncatingIfNeeded: address)) << 16
                | UInt64(count + 1) << 32 | max(UInt64(opC(word)), offset) << 48
        default:
            return false
        }
        emitExtra(entry)
        lastResult = nil
        return true
    }

    /// The value of the top operand if it is a constant (and code is being emitted).
    @inline(__always)
    mutating func topConstant() -> UInt64? {
        guard emitting, valueTypes.count > controls[controls.count - 1].height,
              operands[operands.count - 1].kind == .constant else { return nil }
        return operands[operands.count - 1].bits
    }

    /// Pops a memory address: a constant folds into the offset (read against the zero slot).
    /// Returns the address slot and the offset to encode. Immediate stores keep the folded
    /// offset in 32 bits, so a constant that would overflow them is materialized instead.
    mutating func popAddress(offset: UInt32) throws(ModuleError) -> (slot: Int, offset: UInt64) {
        if let c = topConstant(), UInt64(UInt32(truncatingIfNeeded: c)) + UInt64(offset) <= UInt64(UInt32.max) {
            try pop(.i32)
            return (readZeroSlot(), UInt64(UInt32(truncatingIfNeeded: c)) + UInt64(offset))
        }
        return (try popSlot(.i32), UInt64(offset))
    }

    /// Pops three i32 operands (bulk memory and table ops) and returns their slots, bottom first.
    mutating func popThree(_ t0: ValueType, _ t1: ValueType, _ t2: ValueType) throws(ModuleError) -> (Int, Int, Int) {
        let c = try popSlot(t2)
        let b = try popSlot(t1)
        let a = try popSlot(t0)
        return (a, b, c)
    }

    mutating func requireDataCount() throws(ModuleError) -> UInt32 {
        guard let count = context.dataCount else { throw malformed(.dataCountSectionRequired) }
        return count
    }

    mutating func elementType(_ index: UInt32) throws(ModuleError) -> ValueType {
        guard Int(index) < context.elementTypes.count else { throw error("unknown elem segment \(index)") }
        return context.elementTypes[Int(index)]
    }

    mutating func translatePrefixed() throws(ModuleError) {
        let sub = try readU32()
        switch sub {
        case 0...7:
            let wasm = WasmOpcode(rawValue: 0x100 + UInt16(sub))!
            try translateNumeric(wasm)
        case 8: // memory.init
            let segment = try readU32()
            let count = try requireDataCount()
            try readMemoryIndexByte()
            guard segment < count else { throw error("unknown data segment \(segment)") }
            let (d, s, n) = try popThree(.i32, .i32, .i32)
            if emitting { _ = emitWord(.memoryInit, d, s, n); emitExtra(UInt64(segment)) }
        case 9: // data.drop
            let segment = try readU32()
            let count = try requireDataCount()
            guard segment < count else { throw error("unknown data segment \(segment)") }
            if emitting { emitHi32(.dataDrop, 0, segment) }
        case 10: // memory.copy
            let b1 = try readByte()
            let b2 = try readByte()
            guard b1 == 0, b2 == 0 else { throw malformed(.zeroByteExpected) }
            guard !context.memories.isEmpty else { throw error("unknown memory 0") }
            let (d, s, n) = try popThree(.i32, .i32, .i32)
            if emitting { _ = emitWord(.memoryCopy, d, s, n) }
        case 11: // memory.fill
            try readMemoryIndexByte()
            let (d, v, n) = try popThree(.i32, .i32, .i32)
            if emitting { _ = emitWord(.memoryFill, d, v, n) }
        case 12: // table.init
            let segment = try readU32()
            let tableIndex = try readU32()
            let tt = try table(tableIndex)
            let et = try elementType(segment)
            guard et == tt.elementType else { throw error("type mismatch: element segment \(segment) is \(et), table \(tableIndex) holds \(tt.elementType)") }
            let (d, s, n) = try popThree(.i32, .i32, .i32)
            if emitting { _ = emitWord(.tableInit, d, s, n); emitExtra(UInt64(tableIndex) | UInt64(segment) << 32) }
        case 13: // elem.drop
            let segment = try readU32()
            _ = try elementType(segment)
            if emitting { emitHi32(.elemDrop, 0, segment) }
        case 14: // table.copy
            let destination = try readU32()
            let source = try readU32()
            let dt = try table(destination)
            let st = try table(source)
            guard dt.elementType == st.elementType else { throw error("type mismatch: table.copy between \(st.elementType) and \(dt.elementType) tables") }
            let (d, s, n) = try popThree(.i32, .i32, .i32)
            if emitting { _ = emitWord(.tableCopy, d, s, n); emitExtra(UInt64(destination) | UInt64(source) << 32) }
        case 15: // table.grow
            let tableIndex = try readU32()
            let tt = try table(tableIndex)
            let n = try popSlot(.i32)
            let value = try popSlot(tt.elementType)
            pushResult(.i32, .tableGrow, value, n)
            if emitting { emitExtra(UInt64(tableIndex)) }
        case 16: // table.size
            let tableIndex = try readU32()
            _ = try table(tableIndex)
            pushResult(.i32, .tableSize)
            if emitting { emitExtra(UInt64(tableIndex)) }
        case 17: // table.fill
            let tableIndex = try readU32()
            let tt = try table(tableIndex)
            let (i, v, n) = try popThree(.i32, tt.elementType, .i32)
            if emitting { _ = emitWord(.tableFill, i, v, n); emitExtra(UInt64(tableIndex)) }
        default:
            throw malformed(.illegalOpcode("0xfc \(sub)"))
        }
    }
}
