// Validation and lowering of structured control flow, calls and exceptions.
// https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions

extension FunctionTranslator {
    /// `block`, `loop` and `if`.
    mutating func translateBlockStart(_ byte: UInt8) throws(ModuleError) {
        let (params, results) = try readBlockType()
        var condition = Condition.slot(0)
        // An `if` tests a compare just emitted directly (popCondition removes it).
        if byte == 0x04 { condition = try popCondition() }
        lastResult = nil
        try popAndRepush(params)
        if emitting {
            materializeLocals()
            if byte != 0x02 { materializeTop(params.count) }
        }
        let reachable = controls[controls.count - 1].reachable
        let kind: ControlFrame.Kind = byte == 0x02 ? .block : byte == 0x03 ? .loop : .if
        var frame = ControlFrame(kind: kind, params: params, results: results,
                                 height: valueTypes.count - params.count,
                                 reachable: reachable, reachableAtEntry: reachable)
        if lowering && reachable {
            if kind == .loop {
                frame.loopHead = code.count
                labelBarrier = code.count
                startFuelBlock()
            } else if kind == .if {
                frame.elsePatch = emitConditionalBranch(condition, ifTrue: false)
            }
        }
        // The then-branch is entered only from here: its instructions join the current fuel
        // block (charged ahead, like the rest of an extended basic block).
        controls.append(frame)
        if lowering { assignment.open(frame: controls.count - 1) }
    }

    mutating func translateElse() throws(ModuleError) {
        lastResult = nil
        let i = controls.count - 1
        guard controls[i].kind == .if else { throw error("else without matching if") }
        if lowering && controls[i].reachableAtEntry {
            assignment.enterElse(frame: i, thenReachable: controls[i].reachable)
        }
        let frame = controls[i]
        try peekMatches(frame.results)
        if emitting { materializeTop(frame.results.count) }
        try pop(frame.results)
        guard valueTypes.count == frame.height else { throw mismatch(requires: frame.results, available: valueTypes.count - frame.height + frame.results.count) }
        if emitting {
            let index = emitWord(.br)
            addPatch(i, .instruction, position: index)
        }
        if lowering && frame.elsePatch >= 0 { setBranchTarget(frame.elsePatch, code.count) }
        labelBarrier = code.count
        controls[i].elsePatch = -1
        controls[i].kind = .else
        controls[i].unreachable = false
        controls[i].reachable = frame.reachableAtEntry
        for t in frame.params { push(t) }
        startFuelBlock()
    }

    /// `end`. Returns true at the end of the function body.
    mutating func translateEnd() throws(ModuleError) -> Bool {
        // The function's end is never a branch target (branches to it return directly), so
        // the instruction computing the result may still write it into place.
        let producer = lastResult
        lastResult = nil
        let i = controls.count - 1
        // The frame's fields are read one by one (copying it would retain its type lists),
        // and it leaves the stack once its results are checked.
        let kind = controls[i].kind, height = controls[i].height
        let results = controls[i].results
        try peekMatches(results)
        if kind == .function && emitting && valueTypes.count == height + results.count {
            lastResult = producer
            emitReturn()
        } else if emitting {
            materializeTop(results.count)
        }
        try pop(results)
        guard valueTypes.count == height else {
            throw mismatch(requires: results, available: valueTypes.count - height + results.count)
        }
        if kind == .if && controls[i].params != results {
            throw error("type mismatch: if without else must leave its parameters as results")
        }
        if kind == .function {
            finishFuelBlock()
            chargeBackEdges()
            chargeForwardJumps()
            guard reader.offset == reader.limit else {
                throw .malformed(DecodingError(.sectionSizeMismatch, at: reader.offset))
            }
            controls.removeLast()
            return true
        }
        labelBarrier = code.count
        let handlerIndex = controls[i].handlerIndex
        if kind == .tryTable && lowering && handlerIndex >= 0 {
            handlers[handlerIndex].end = Int32(code.count)
        }
        let patchHead = controls[i].patchHead, elsePatch = controls[i].elsePatch
        var joined = patchHead >= 0
        if lowering && elsePatch >= 0 {
            setBranchTarget(elsePatch, code.count)
            joined = true
        }
        if lowering { resolvePatches(from: patchHead) }
        if lowering && kind != .loop {
            if kind == .if && controls[i].reachableAtEntry { assignment.branchFromEntry(of: i, to: i) }
            assignment.end(frame: i, fallsThrough: controls[i].reachable)
        }
        let reachable = controls.removeLast().reachable
        let parent = controls.count - 1
        if kind != .loop && lowering {
            controls[parent].reachable = reachable || joined
        } else {
            controls[parent].reachable = reachable
        }
        // Validation: the parent continues normally after a nested block.
        for t in results { push(t) }
        if joined { startFuelBlock() }
        return false
    }

    mutating func translateBrIf() throws(ModuleError) {
        let depth = try readU32()
        let condition = try popCondition()
        lastResult = nil
        let fi = try label(depth)
        let types = controls[fi].labelTypes
        try peekMatches(types)
        noteBranch(to: fi)
        if emitting {
            // The target's fields are read one by one: copying the whole frame would retain
            // and release its type lists.
            let targetKind = controls[fi].kind
            materializeTop(types.count)
            if targetKind == .function {
                let skip = emitConditionalBranch(condition, ifTrue: false)
                emitReturn()
                patchForward(skip)
            } else if labelNeedsNoCopies(fi) {
                if targetKind == .loop {
                    _ = emitConditionalBranch(condition, ifTrue: true, backwardTo: controls[fi].loopHead)
                } else {
                    let index = emitConditionalBranch(condition, ifTrue: true)
                    addPatch(fi, .instruction, position: index)
                }
            } else {
                let skip = emitConditionalBranch(condition, ifTrue: false)
                emitBranch(to: fi)
                patchForward(skip)
            }
        }
        // The fall-through continues the current fuel block (an extended basic block: entered
        // only from here, so its cost is charged ahead together with the code before the branch).
        try popAndRepush(types)
    }

    /// Points the branch at `index` to the current end of code.
    mutating func patchForward(_ index: Int) {
        setBranchTarget(index, code.count)
    }

    mutating func translateBrTable() throws(ModuleError) {
        let count = try readLength()
        var depths: [UInt32] = []
        depths.reserveCapacity(count + 1)
        for _ in 0...count { depths.append(try readU32()) }
        // An index computed by adding a constant is added by the jump itself (`brTableAdd`).
        let index: Int
        let added = takeAddedIndex()
        lastResult = nil
        if let added {
            try pop(.i32)
            index = added.index
        } else {
            index = try popSlot(.i32)
        }
        let defaultFrame = try label(depths[count])
        let arity = controls[defaultFrame].labelTypes.count
        var frames: [Int] = []
        frames.reserveCapacity(depths.count)
        for d in depths {
            let fi = try label(d)
            let types = controls[fi].labelTypes
            guard types.count == arity else { throw error("type mismatch: br_table targets have different arities") }
            try peekMatches(types)
            frames.append(fi)
        }
        for fi in frames { noteBranch(to: fi) }
        if emitting {
            materializeTop(arity)
            let start: Int
            if let load = lastInstruction(.i32LoadByteIndexed), opA(code[load]) == index, index > numLocals {
                // The index was just looked up by a byte (a bytecode interpreter's dispatch) into
                // a temporary only this jump reads: the jump does the lookup itself.
                let word = code[load], w1 = code[load + 1]
                removeLastInstruction(startingAt: load)
                start = emitHi32(.brTableByteIndexed, opB(word), UInt32(count))
                emitExtra(w1)
                emitExtra(UInt64(opC(word)) | UInt64(added?.addend ?? 0) << 32)
            } else {
                start = emitHi32(added == nil ? .brTable : .brTableAdd, index, UInt32(count))
                if let added { emitExtra(UInt64(added.addend)) }
            }
            let first = start + Op.decode(code[start]).tableEntriesStart.unsafelyUnwrapped
            jumpTables.append(start)
            for _ in 0...count { emitExtra(0) }
            var stubs: [Int: Int] = [:]
            for (i, fi) in frames.enumerated() {
                let entry = first + i
                let kind = controls[fi].kind
                if kind != .function && kind != .loop && labelNeedsNoCopies(fi) {
                    addPatch(fi, .tableEntry, position: entry, base: start)
                    continue
                }
                if let stub = stubs[fi] {
                    code[entry] = tableEntry(stub - start)
                    continue
                }
                let stub = code.count
                labelBarrier = stub
                stubs[fi] = stub
                code[entry] = tableEntry(stub - start)
                emitBranch(to: fi)
            }
        }
        setUnreachable()
    }

    /// Pops call or throw arguments, materializing them in their slots; returns the first one's slot.
    mutating func popArguments(_ params: [ValueType]) throws(ModuleError) -> Int {
        let frameHeight = controls[controls.count - 1].height
        var argBase = 0
        if emitting && valueTypes.count - frameHeight >= params.count {
            materializeTop(params.count)
            argBase = slot(operands.count - params.count)
        }
        try pop(params)
        if valueTypes.count + params.count > maxHeight { maxHeight = valueTypes.count + params.count }
        return argBase
    }

    mutating func translateCallIndirect(tail: Bool) throws(ModuleError) {
        let typeIndex = try readU32()
        let tableIndex = try readU32()
        guard Int(typeIndex) < context.types.count else { throw error("unknown type") }
        let tt = try table(tableIndex)
        guard tt.elementType == .funcref else { throw error("type mismatch: call_indirect needs a funcref table") }
        let callee = context.types[Int(typeIndex)]
        let indexSlot = try popSlot(.i32)
        if tail && callee.results != type.results {
            throw error("type mismatch: return_call_indirect callee results do not match the caller's")
        }
        let argBase = try popArguments(callee.parameters)
        if emitting {
            _ = emitWord(tail ? .returnCallIndirect : .callIndirect, argBase, indexSlot, Int(tableIndex))
            emitExtra(UInt64(typeIDs.isEmpty ? 0 : typeIDs[Int(typeIndex)]))
        }
        if tail {
            setUnreachable()
        } else {
            for t in callee.results { push(t) }
        }
    }

    mutating func translateTryTable() throws(ModuleError) {
        lastResult = nil
        let (params, results) = try readBlockType()
        let n = try readLength()
        var clauses: [CatchClause] = []
        var targets: [Int] = []
        for _ in 0..<n {
            let kind = try readByte()
            guard kind <= 3 else { throw malformed(.illegalOpcode("catch kind \(kind)")) }
            var tag: UInt32 = 0
            var payload: [ValueType] = []
            if kind < 2 {
                tag = try readU32()
                guard let tagType = context.tagType(tag) else { throw error("unknown tag \(tag)") }
                payload = tagType.parameters
            }
            if kind == 1 || kind == 3 { payload.append(.exnref) }
            let fi = try label(try readU32())
            guard controls[fi].labelTypes == payload else {
                throw error("type mismatch: catch clause payload [\(payload.map(\.description).joined(separator: " "))] does not match its label")
            }
            clauses.append(CatchClause(kind: kind, tag: tag, destinationSlot: Int32(slot(controls[fi].height)),
                                       target: -1, targetIsLoop: controls[fi].kind == .loop))
            targets.append(fi)
        }
        try popAndRepush(params)
        if emitting { materializeLocals() }
        // A catch can leave the body before anything in it ran: its label gets the entry set.
        for fi in targets { noteBranch(to: fi) }
        let reachable = controls[controls.count - 1].reachable
        var frame = ControlFrame(kind: .tryTable, params: params, results: results,
                                 height: valueTypes.count - params.count,
                                 reachable: reachable, reachableAtEntry: reachable)
        if lowering && reachable {
            // Catches that return from the function land on a stub that moves the values.
            var returnStub = -1
            if targets.contains(where: { controls[$0].kind == .function }) {
                let skip = emitHi32(.br, 0, 0)
                returnStub = code.count
                labelBarrier = returnStub
                let n = type.results.count
                for i in 0..<n where slot(i) != i { emitCopy(i, slot(i)) }
                _ = emitWord(.ret)
                patchForward(skip)
            }
            let handlerIndex = handlers.count
            labelBarrier = code.count  // nothing before the body fuses with what is inside it
            handlers.append(ExceptionHandler(start: Int32(code.count), end: Int32(code.count), catches: clauses))
            for (c, fi) in targets.enumerated() {
                switch controls[fi].kind {
                case .function: handlers[handlerIndex].catches[c].target = Int32(returnStub)
                case .loop: handlers[handlerIndex].catches[c].target = Int32(controls[fi].loopHead)
                default: addPatch(fi, .handler, position: handlerIndex, base: c)
                }
            }
            frame.handlerIndex = handlerIndex
        }
        controls.append(frame)
        if lowering { assignment.open(frame: controls.count - 1) }
    }
}
