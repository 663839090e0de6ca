// Branch conditions: the compare, mask, load or step just emitted that a branch can test
// itself, and the compare-and-branch instructions that test them.

extension FunctionTranslator {
    /// A branch condition: a slot holding an i32, or a compare fused into the branch.
    enum Condition {
        /// Branch on slot != 0.
        case slot(Int)
        /// Branch on slot == 0 (a removed `i32.eqz`).
        case zero(Int)
        /// A removed compare: its op and operands (`b` is a slot, or the constant for immediate forms).
        case compare(Op, a: Int, b: UInt64)
        /// Branch on (slot & mask) != 0 (a removed `i32.and` with a constant).
        case anyBits(Int, mask: UInt32)
        /// Branch on (slot & mask) == 0 (a removed `i32.and` and its zero test).
        case noBits(Int, mask: UInt32)
        /// Branch on (slot & mask) == value (`equal`) or != value, both 16-bit.
        case maskedEquals(Int, mask: UInt16, value: UInt16, equal: Bool)
        /// Branch on byte [(slot `left` + slot `index`, wrapping) + `leftOffset`] == (`equal`)
        /// or != byte [(slot `right` + slot `index`, wrapping) + `rightOffset`]: a compare of
        /// two bytes loaded at the same index (removed `i32Load8UAddShl`s).
        case bytesEqual(left: Int, right: Int, index: Int, leftOffset: UInt32, rightOffset: UInt32, equal: Bool)
        /// Branch on the byte at (slot `address` + `offset`) != 0: a removed `i32Load8U` into
        /// `temporary`, which a backward branch loads into again.
        case byteSet(temporary: Int, address: Int, offset: UInt64)
    }

    /// For an `i32Eq` or `i32Ne` at `index` of two temporaries (`a`, `b`): if the two
    /// instructions just before it loaded them, in that order, as bytes at the same index slot
    /// (`i32Load8UAddShl` without a shift), with no label in between, the start of the first
    /// and the condition comparing the bytes directly.
    @inline(__always)
    mutating func byteCompareFeeding(_ index: Int, a: Int, b: Int, equal: Bool) -> (start: Int, condition: Condition)? {
        let count = codeOffsets.count
        guard a > numLocals, b > numLocals, a != b, count >= 3 else { return nil }
        let first = Int(codeOffsets[count - 3]), second = Int(codeOffsets[count - 2])
        guard second == index - 2, first == index - 4, labelBarrier <= first else { return nil }
        let l = code[first], r = code[second], lw = code[first + 1], rw = code[second + 1]
        guard Op.decode(l) == .i32Load8UAddShl, Op.decode(r) == .i32Load8UAddShl, opA(l) == a, opA(r) == b,
              opC(l) == opC(r), lw & 0xFFFF_FFFF == 0, rw & 0xFFFF_FFFF == 0,
              opB(r) != a, opC(r) != a else { return nil }
        return (first, .bytesEqual(left: opB(l), right: opB(r), index: opC(l), leftOffset: UInt32(lw >> 32),
                                   rightOffset: UInt32(rw >> 32), equal: equal))
    }

    /// If the instruction just before the one at `index` is an `i32AndImm` writing the
    /// temporary `slot` (read by nothing else), with no label in between: its index.
    @inline(__always)
    mutating func maskFeeding(_ index: Int, slot s: Int) -> Int? {
        guard s > numLocals, codeOffsets.count >= 2, labelBarrier <= index - 2 else { return nil }
        let previous = Int(codeOffsets[codeOffsets.count - 2])
        guard previous == index - 2, Op.decode(code[previous]) == .i32AndImm, opA(code[previous]) == s else { return nil }
        return previous
    }

    /// Pops the i32 condition of a branch. If the instruction just emitted computed it with a
    /// compare or `i32.eqz`, that instruction is removed and the branch will test directly.
    mutating func popCondition() throws(ModuleError) -> Condition {
        let top = operands.count - 1
        if emitting, valueTypes.count > controls[controls.count - 1].height, operands[top].kind == .slot,
           let last = lastResult, last.position == top {
            let word = code[last.code]
            let op = Op.decode(word)
            var condition: Condition? = nil
            var start = last.code
            if op == .i32AndImm {
                condition = .anyBits(opB(word), mask: UInt32(truncatingIfNeeded: code[last.code + 1]))
            } else if op == .i32Load8U {
                condition = .byteSet(temporary: opA(word), address: opB(word), offset: code[last.code + 1])
            } else if op == .i32Eqz || ((op == .i32EqImm || op == .i32NeImm) && code[last.code + 1] == 0) {
                let tested = opB(word)
                if let mask = maskFeeding(last.code, slot: tested) {
                    let source = opB(code[mask])
                    let bits = UInt32(truncatingIfNeeded: code[mask + 1])
                    condition = op == .i32NeImm ? .anyBits(source, mask: bits) : .noBits(source, mask: bits)
                    start = mask
                } else {
                    condition = op == .i32NeImm ? .slot(tested) : .zero(tested)
                }
            } else if (op == .i32EqImm || op == .i32NeImm), let k = UInt16(exactly: code[last.code + 1] & 0xFFFF_FFFF),
                      let mask = maskFeeding(last.code, slot: opB(word)), let m = UInt16(exactly: code[mask + 1] & 0xFFFF_FFFF) {
                condition = .maskedEquals(opB(code[mask]), mask: m, value: k, equal: op == .i32EqImm)
                start = mask
            } else if op == .i32Eq || op == .i32Ne,
                      let bytes = byteCompareFeeding(last.code, a: opB(word), b: opC(word), equal: op == .i32Eq) {
                condition = bytes.condition
                start = bytes.start
            } else if op.fusedBranchForm != nil {
                condition = .compare(op, a: opB(word), b: op.isImmediateForm ? code[last.code + 1] : UInt64(opC(word)))
            }
            if let condition {
                let removed = codeOffsets.reversed().prefix { Int($0) >= start }.count
                code.removeLast(code.count - start)
                codeOffsets.removeLast(removed)
                wasmOffsets.removeLast(removed)
                lastResult = nil
                try pop(.i32)
                return condition
            }
        }
        let s = try popSlot(.i32)
        return .slot(s)
    }

    /// Emits a branch taken when `condition` is `ifTrue`; returns its index (to patch, or set
    /// with `setBranchTarget`). `backwardTo` gives a loop head for a backward branch.
    mutating func emitConditionalBranch(_ condition: Condition, ifTrue: Bool, backwardTo head: Int? = nil) -> Int {
        var c = condition
        if head != nil, case .zero(let s) = c { c = .compare(.i32EqImm, a: s, b: 0) }
        let index: Int
        switch c {
        case .slot(let s):
            if head != nil {
                // Backward: a compare-and-branch, whose second word has room for a fuel charge.
                return emitConditionalBranch(.compare(.i32NeImm, a: s, b: 0), ifTrue: ifTrue, backwardTo: head)
            }
            index = emitHi32(ifTrue ? .brIf : .brIfNot, s, 0)
        case .zero(let s):
            index = emitHi32(ifTrue ? .brIfNot : .brIf, s, 0)
        case .maskedEquals(let s, let mask, let value, let equal):
            index = emitWord(equal == ifTrue ? .brIfAndEq : .brIfAndNe, s, Int(mask), Int(value))
            emitExtra(0)
        case .anyBits(let s, let mask), .noBits(let s, let mask):
            var whenAny = ifTrue
            if case .noBits = c { whenAny = !ifTrue }
            index = emitHi32(whenAny ? .brIfAnd : .brIfNotAnd, s, mask)
            emitExtra(0)
        case .byteSet(let temporary, let address, let offset):
            if head != nil {
                // Backward: the load again, then a compare-and-branch with room for a fuel charge.
                _ = emitWord(.i32Load8U, temporary, address)
                emitExtra(offset)
                return emitConditionalBranch(.compare(.i32NeImm, a: temporary, b: 0), ifTrue: ifTrue, backwardTo: head)
            }
            index = emitHi32(ifTrue ? .brIfByte : .brIfNotByte, address, 0)
            emitExtra(offset)
        case .bytesEqual(let left, let right, let i, let leftOffset, let rightOffset, let equal):
            index = emitWord(equal == ifTrue ? .brIfBytesEq : .brIfBytesNe, left, right, i)
            emitExtra(0)
            emitExtra(UInt64(leftOffset) | UInt64(rightOffset) << 32)
        case .compare(let op, let a, let b):
            let compare = ifTrue ? op : op.inverseComparison!
            let branch = compare.fusedBranchForm!
            if let fused = fuseStepIntoBranch(compare, a: a, b: b) {
                index = fused
            } else {
                if compare.isImmediateForm {
                    index = emitHi32(branch, a, UInt32(truncatingIfNeeded: b))
                } else {
                    index = emitWord(branch, a, Int(b))
                }
                emitExtra(0)
            }
        }
        if let head {
            setBranchTarget(index, head)
            backEdges.append((index, head))
        }
        return index
    }

    /// A branch on `slot a != b` (a constant, or another slot) right after an `i32AddImm` that
    /// wrote slot `a` (or, for two slots, `b`: != is symmetric), with no label between: rewrites
    /// the add into one `addImmBrIfNeImm` or `addImmBrIfNe` (its branch word still to be set)
    /// and returns its index. Counted loops end this way once compiled.
    mutating func fuseStepIntoBranch(_ compare: Op, a: Int, b: UInt64) -> Int? {
        if let fused = fuseWideStepIntoBranch(compare, a: a, bound: Int(b)) { return fused }
        guard compare == .i32NeImm || (compare == .i32Ne && Int(b) != a), let start = lastInstruction(.i32AddImm) else { return nil }
        let add = code[start]
        var a = a, b = b
        if compare == .i32Ne && opA(add) == Int(b) { (a, b) = (Int(b), UInt64(a)) }
        guard opA(add) == a else { return nil }
        // The bound is a constant (w2's high half) or a slot (operand C); w2's low half is the step.
        let immediate = compare == .i32NeImm
        let step = code[start + 1] & 0xFFFF_FFFF
        code[start] = (immediate ? Op.addImmBrIfNeImm : Op.addImmBrIfNe).code
            | UInt64(a) << 16 | UInt64(opB(add)) << 32 | (immediate ? 0 : b << 48)
        code[start + 1] = 0
        code.append(step | (immediate ? (b & 0xFFFF_FFFF) << 32 : 0))
        return start
    }

    /// A branch on `slot a != bound` or `slot a <u bound` (i64 slots) right after an `i64AddImm`
    /// or `i64Add` that wrote slot `a` (for !=, also `bound`: != is symmetric), with no label
    /// between and the bound not the sum's own slot: rewrites the add into one three-word
    /// `i64AddImmBrIfNe` (or kin; its branch word still to be set) and returns its index.
    mutating func fuseWideStepIntoBranch(_ compare: Op, a: Int, bound: Int) -> Int? {
        guard compare == .i64Ne || compare == .i64LtU, let start = codeOffsets.last.map(Int.init),
              labelBarrier <= start else { return nil }
        let add = code[start]
        let step = Op.decode(add)
        guard let fused = Op.steppedBranchForm(step: step, compare: compare),
              start + step.wordCount == code.count else { return nil }
        var (a, bound) = (a, bound)
        if compare == .i64Ne && opA(add) == bound { (a, bound) = (bound, a) }
        guard opA(add) == a, bound != a else { return nil }
        // w2 is the added constant, or the slot of the add's other operand.
        let addend = step == .i64AddImm ? code[start + 1] : UInt64(opC(add))
        code[start] = fused.code | UInt64(a) << 16 | UInt64(opB(add)) << 32 | UInt64(bound) << 48
        code.removeLast(code.count - start - 1)
        code.append(0)
        code.append(addend)
        return start
    }
}
