// Fuel accounting and branches of the lowering pass: basic blocks and their charges, forward
// branch patches, label copies and returns.

extension FunctionTranslator {
    // MARK: Fuel

    /// Starts a new basic block for fuel accounting.
    mutating func startFuelBlock() {
        guard metering, emitting else { return }
        finishFuelBlock()
        fuelInstruction = emitHi32(.fuel, 0, 0)
        fuelCount = 0
    }

    mutating func finishFuelBlock() {
        guard fuelInstruction >= 0 else { return }
        code[fuelInstruction] = (code[fuelInstruction] & 0xFFFF_FFFF) | UInt64(fuelCount) << 32
        fuelInstruction = -1
    }

    /// Makes every backward branch charge its loop head's fuel itself and jump past the
    /// head's `fuel` instruction, which then runs only when the loop is entered from above.
    /// The amount goes in operand A (`brBack`, when it fits 16 bits) or in w1's high half
    /// (conditional branches, all compare-and-branch forms when backward, and the fused back edges).
    mutating func chargeBackEdges() {
        guard metering else { return }
        for (site, head) in backEdges {
            guard Op.decode(code[head]) == .fuel else { continue }
            let amount = hi32(code[head])
            let op = Op.decode(code[site])
            switch op {
            case .brBack:
                guard amount <= 0xFFFF else { continue }
                code[site] |= UInt64(amount) << 16
            default:
                guard op.hasBranchWord else { continue }
                code[site + 1] = (code[site + 1] & 0xFFFF_FFFF) | UInt64(amount) << 32
            }
            setBranchTarget(site, head + 1)
        }
    }

    /// Makes forward jumps whose target block starts with a `fuel` instruction charge that
    /// amount themselves and land just past it (metered code only), as back edges do: a `br`
    /// becomes `brCharge` and a `brIf` or `brIfNot` `brIfCharge` or `brIfNotCharge` (when
    /// amount and offset fit their fields), a compare-and-branch carries the amount in the free
    /// high half of its branch word, and a jump-table entry in its high half. The target's
    /// `fuel` instruction then runs only when its block is entered another way, and every path
    /// still pays the same. A rewritten site no longer matches, so a site recorded twice is
    /// rewritten once.
    mutating func chargeForwardJumps() {
        guard metering else { return }
        for site in forwardBranches {
            let op = Op.decode(code[site])
            if op == .br || op == .brIf || op == .brIfNot {
                let target = site + offsetOf(code[site])
                guard target < code.count, Op.decode(code[target]) == .fuel, hi32(code[target]) <= 0xFFFF else { continue }
                if op == .br {
                    code[site] = Op.brCharge.code | UInt64(hi32(code[target])) << 16
                        | UInt64(UInt32(bitPattern: Int32(target + 1 - site))) << 32
                } else if target + 1 - site <= Int(Int16.max) {
                    code[site] = (op == .brIf ? Op.brIfCharge : Op.brIfNotCharge).code | UInt64(opA(code[site])) << 16
                        | UInt64(hi32(code[target])) << 32 | UInt64(target + 1 - site) << 48
                }
            } else if op.chargesForwardTarget {
                let offset = Int(Int32(truncatingIfNeeded: code[site + 1]))
                let target = site + offset
                guard offset > 0, target < code.count, Op.decode(code[target]) == .fuel, code[site + 1] >> 32 == 0 else { continue }
                code[site + 1] = UInt64(UInt32(offset + 1)) | UInt64(hi32(code[target])) << 32
            }
        }
        for start in jumpTables {
            let word = code[start]
            let first = start + Op.decode(word).tableEntriesStart.unsafelyUnwrapped
            for entry in first...(first + Int(hi32(word))) {
                let offset = Int(Int32(truncatingIfNeeded: code[entry]))
                let target = start + offset
                guard target < code.count, Op.decode(code[target]) == .fuel else { continue }
                code[entry] = tableEntry(offset + 1) | UInt64(hi32(code[target])) << 32
            }
        }
    }

    // MARK: Branches

    /// Adds a patch site to the end label of frame `frameIndex`.
    mutating func addPatch(_ frameIndex: Int, _ kind: PendingPatch.Kind, position: Int, base: Int = 0) {
        patches.append(PendingPatch(kind: kind, position: Int32(position), base: Int32(base),
                                    next: controls[frameIndex].patchHead))
        controls[frameIndex].patchHead = Int32(patches.count - 1)
    }

    /// Resolves the forward branches whose patch list starts at `head` (a frame's `patchHead`)
    /// to the current code index.
    mutating func resolvePatches(from head: Int32) {
        var p = head
        let target = code.count
        if p >= 0 { labelBarrier = target }
        while p >= 0 {
            let patch = patches[Int(p)]
            switch patch.kind {
            case .instruction:
                setBranchTarget(Int(patch.position), target)
            case .tableEntry:
                code[Int(patch.position)] = tableEntry(target - Int(patch.base))
            case .handler:
                handlers[Int(patch.position)].catches[Int(patch.base)].target = Int32(target)
            }
            p = patch.next
        }
    }

    /// A jump-table entry: the signed offset in the low half; the high half is the fuel the
    /// jump charges for its target block (set by `chargeForwardJumps` in metered code).
    mutating func tableEntry(_ offset: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: offset)))
    }

    /// Points the branch instruction at `index` to code index `target` (the offset sits in the
    /// high half of the first word, or in the second word of a compare-and-branch).
    mutating func setBranchTarget(_ index: Int, _ target: Int) {
        if target == code.count { labelBarrier = target }
        if metering && target > index { forwardBranches.append(index) }
        if Op.decode(code[index]).hasBranchWord {
            let offset = UInt32(bitPattern: Int32(target - index))
            code[index + 1] = (code[index + 1] & 0xFFFF_FFFF_0000_0000) | UInt64(offset)
        } else {
            let offset = UInt32(bitPattern: Int32(target - index))
            code[index] = (code[index] & 0xFFFF_FFFF) | UInt64(offset) << 32
        }
    }

    /// Emits the copies that move the top values into the label slots of frame `frameIndex`.
    mutating func emitLabelCopies(_ frameIndex: Int) {
        let n = controls[frameIndex].labelArity
        let top = operands.count
        let destBase = controls[frameIndex].height
        // Does not change `operands`: a br_table emits one such sequence per target stub.
        for i in 0..<n {
            let source = top - n + i
            let dest = destBase + i
            let operand = operands[source]
            switch operand.kind {
            case .slot: if source != dest { emitCopy(slot(dest), slot(source)) }
            case .local: emitCopy(slot(dest), Int(operand.bits))
            case .constant: emitConstant(operand.bits, into: slot(dest))
            }
        }
    }

    /// Whether branching to frame `frameIndex` needs no copies.
    @inline(__always)
    mutating func labelNeedsNoCopies(_ frameIndex: Int) -> Bool {
        let n = controls[frameIndex].labelArity
        if n == 0 { return true }
        guard controls[frameIndex].height == operands.count - n else { return false }
        for i in (operands.count - n)..<operands.count where operands[i].kind != .slot { return false }
        return true
    }

    /// Emits the result moves and `ret` for returning from the function.
    mutating func emitReturn() {
        let n = type.results.count
        let top = operands.count
        if n == 1 {
            // One result: the instruction that computed it writes slot 0 directly, or
            // `retCopy` moves it there.
            let operand = operands[top - 1]
            switch operand.kind {
            case .slot:
                if let last = lastResult, last.position == top - 1 {
                    code[last.code] &= ~(UInt64(0xFFFF) << 16)
                    _ = emitWord(.ret)
                } else {
                    _ = emitWord(.retCopy, slot(top - 1))
                }
            case .local:
                _ = emitWord(operand.bits == 0 ? .ret : .retCopy, Int(operand.bits))
            case .constant:
                emitConstant(operand.bits, into: 0)
                _ = emitWord(.ret)
            }
            return
        }
        // A lazy local that a lower destination would overwrite is first copied to its own slot.
        // Does not change `operands` (see `emitLabelCopies`).
        var sources = Array(operands[(top - n)..<top])
        for i in 0..<n where sources[i].kind == .local && Int(sources[i].bits) < n {
            emitCopy(slot(top - n + i), Int(sources[i].bits))
            sources[i] = .inSlot
        }
        for i in 0..<n {
            let source = top - n + i
            let operand = sources[i]
            switch operand.kind {
            case .slot: if slot(source) != i { emitCopy(i, slot(source)) }
            case .local: if Int(operand.bits) != i { emitCopy(i, Int(operand.bits)) }
            case .constant: emitConstant(operand.bits, into: i)
            }
        }
        _ = emitWord(.ret)
    }

    /// Emits an unconditional branch to the label of frame `frameIndex` (copies included).
    mutating func emitBranch(to frameIndex: Int) {
        let kind = controls[frameIndex].kind
        if kind == .function {
            emitReturn()
            return
        }
        emitLabelCopies(frameIndex)
        if kind == .loop {
            if let fused = lastInstruction(.i32AddAddImm), let k = Int16(exactly: Int32(bitPattern: hi32(code[fused + 1]))) {
                // A sum and a small step just joined (`joinInPlaceAdd`): the sum stays an
                // `i32Add`, and the step joins the back edge (`addImmBrBack`) instead.
                let step = UInt64(code[fused + 1] & 0xFFFF)
                code[fused] = (code[fused] & ~0xFFFF) | Op.i32Add.code
                code[fused + 1] = Op.addImmBrBack.code | step << 16 | step << 32 | UInt64(UInt16(bitPattern: k)) << 48
                code.append(0)
                codeOffsets.append(UInt32(fused + 1))
                wasmOffsets.append(wasmOffsets[wasmOffsets.count - 1])
                lastResult = nil
                setBranchTarget(fused + 1, controls[frameIndex].loopHead)
                backEdges.append((fused + 1, controls[frameIndex].loopHead))
                return
            }
            if let add = lastInstruction(.i32AddImm), let k = Int16(exactly: Int32(bitPattern: UInt32(truncatingIfNeeded: code[add + 1]))) {
                // The loop's last step (`x = y + k`, k small) and its back edge become one `addImmBrBack`.
                code[add] = (code[add] & 0x0000_FFFF_FFFF_0000) | Op.addImmBrBack.code | UInt64(UInt16(bitPattern: k)) << 48
                code[add + 1] = 0
                lastResult = nil
                setBranchTarget(add, controls[frameIndex].loopHead)
                backEdges.append((add, controls[frameIndex].loopHead))
                return
            }
            if let copy = lastInstruction(.copy) {
                // The loop's last move and its back edge become one `copyBrBack`.
                code[copy] = (code[copy] & ~0xFFFF) | Op.copyBrBack.code
                emitExtra(0)
                lastResult = nil
                setBranchTarget(copy, controls[frameIndex].loopHead)
                backEdges.append((copy, controls[frameIndex].loopHead))
                return
            }
            let index = emitWord(.brBack)
            let offset = UInt32(bitPattern: Int32(controls[frameIndex].loopHead - index))
            code[index] |= UInt64(offset) << 32
            backEdges.append((index, controls[frameIndex].loopHead))
        } else {
            if let copy = lastInstruction(.copy) {
                // The block's last move and its jump out become one `copyBr`.
                code[copy] = (code[copy] & ~0xFFFF) | Op.copyBr.code
                emitExtra(0)
                lastResult = nil
                addPatch(frameIndex, .instruction, position: copy)
                return
            }
            let index = emitWord(.br)
            addPatch(frameIndex, .instruction, position: index)
        }
    }
}
