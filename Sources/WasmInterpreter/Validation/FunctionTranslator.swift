// One pass over a function body that validates it and, when asked, lowers it to `Op` code.
// Validation follows the spec's algorithm:
// https://webassembly.github.io/spec/core/appendix/algorithm.html
//
// Lowering assigns every operand-stack position a frame slot (`numLocals + 1 + position`; slot
// `numLocals` always holds zero, so constant addresses fold into a load's offset), keeps
// `local.get` and constants lazy (as operands that name a local slot or hold a value) until an
// instruction consumes them, resolves branch targets, and emits fuel charges per basic block.

/// Where a value on the compile-time operand stack lives.
struct Operand {
    enum Kind: UInt8 {
        /// In the canonical slot of its stack position.
        case slot
        /// Still in local `bits` (a lazy `local.get`).
        case local
        /// A constant not yet written anywhere; `bits` is its value.
        case constant
    }

    var kind: Kind
    var bits: UInt64

    static let inSlot = Operand(kind: .slot, bits: 0)
}

/// Shared type lists for block types, so they never allocate.
enum BlockSignature {
    static let none: [ValueType] = []
    static let i32: [ValueType] = [.i32]
    static let i64: [ValueType] = [.i64]
    static let f32: [ValueType] = [.f32]
    static let f64: [ValueType] = [.f64]
    static let funcref: [ValueType] = [.funcref]
    static let externref: [ValueType] = [.externref]
    static let exnref: [ValueType] = [.exnref]

    /// `[t]`.
    static func single(_ t: ValueType) -> [ValueType] {
        switch t {
        case .i32: return i32
        case .i64: return i64
        case .f32: return f32
        case .f64: return f64
        case .funcref: return funcref
        case .externref: return externref
        case .exnref: return exnref
        }
    }
}

/// An entry on the control stack.
struct ControlFrame {
    enum Kind: UInt8 { case function, block, loop, `if`, `else`, tryTable }

    var kind: Kind
    var params: [ValueType]
    var results: [ValueType]
    /// Operand stack height at entry, below the parameters.
    var height: Int
    /// Validation: the rest of the frame is unreachable (the stack is polymorphic).
    var unreachable = false

    // Lowering state.
    /// Code emitted at the current point can run.
    var reachable: Bool
    /// Code at the frame's entry could run.
    var reachableAtEntry: Bool
    /// Head of the linked list of forward branches to this frame's end.
    var patchHead: Int32 = -1
    /// Code index of the loop head (loops only).
    var loopHead = 0
    /// Code index of the `brIfNot` that skips the then-branch (`if` only).
    var elsePatch = -1
    /// Index of this frame's exception handler (try_table only).
    var handlerIndex = -1

    /// The types a branch to this frame's label carries.
    var labelTypes: [ValueType] { kind == .loop ? params : results }

    /// How many values a branch to this frame's label carries.
    var labelArity: Int { kind == .loop ? params.count : results.count }
}

/// A branch site waiting for its target.
struct PendingPatch {
    enum Kind: UInt8 {
        /// Offset in the high 32 bits of the instruction word at `position`, relative to it.
        case instruction
        /// A whole word at `position` (a br_table entry), relative to `base`.
        case tableEntry
        /// Catch clause `base` of exception handler `position`.
        case handler
    }

    var kind: Kind
    var position: Int32
    var base: Int32
    var next: Int32
}

/// Validates one function body and optionally lowers it.
///
/// Helpers that only read are declared `mutating` all the same: calling a borrowing method of
/// this ~Copyable struct from a mutating one made the optimizer copy the whole translator (384
/// bytes) first, which was a tenth of the lowering's time.
struct FunctionTranslator: ~Copyable {
    let context: ModuleContext
    let functionIndex: Int
    let type: FunctionType
    let localTypes: [ValueType]
    let numLocals: Int
    /// Whether an emitted instruction reads the zero slot (`readZeroSlot`).
    var zeroSlotRead = false
    /// Whether to emit code (false: validate only).
    let lowering: Bool
    /// Whether to emit fuel charges.
    let metering: Bool
    /// Process-wide ids of the module's types (for call_indirect checks); empty when validating.
    let typeIDs: [UInt32]
    /// `NumericSignature.table`, held here: reading the global on every numeric instruction
    /// would check its lazy initialization each time.
    let numericSignatures = NumericSignature.table

    var reader: ByteReader
    var valueTypes: [ValueType?] = []
    var operands: [Operand] = []
    var controls: [ControlFrame] = []
    var maxHeight = 0

    // Emission.
    var code: [UInt64] = []
    var codeOffsets: [UInt32] = []
    var wasmOffsets: [UInt32] = []
    var patches: [PendingPatch] = []
    var handlers: [ExceptionHandler] = []
    var fuelInstruction = -1
    var fuelCount: UInt32 = 0
    /// Code index and stack position of the last instruction whose result is on top of the stack.
    var lastResult: (code: Int, position: Int)? = nil
    /// Offset of the instruction being translated.
    var instructionOffset = 0
    /// Definite assignment (lowering only; see FunctionTranslator+Assignment.swift).
    var assignment = AssignmentAnalysis()
    /// Backward branches (code index of the branch, of the loop head), for `chargeBackEdges`.
    var backEdges: [(site: Int, head: Int)] = []
    /// Branches `setBranchTarget` pointed forward (metered code), and jump tables, for
    /// `chargeForwardJumps`.
    var forwardBranches: [Int] = []
    var jumpTables: [Int] = []
    /// The latest code index that is a branch target (a label). Instructions are never fused
    /// across it: code after a label can be reached without running the code before it.
    var labelBarrier = 0

    init(context: ModuleContext, functionIndex: Int, body: FunctionBody, reader: ByteReader,
         lowering: Bool, metering: Bool, typeIDs: [UInt32] = []) throws(ModuleError) {
        self.context = context
        self.functionIndex = functionIndex
        guard let type = context.functionType(UInt32(functionIndex)) else {
            throw .invalid(ValidationError("unknown type", functionIndex: functionIndex))
        }
        self.type = type
        self.localTypes = type.parameters + body.localTypes
        self.numLocals = localTypes.count
        self.lowering = lowering
        self.metering = metering
        self.typeIDs = typeIDs
        self.reader = reader
        if lowering {
            code.reserveCapacity(body.code.count)
            codeOffsets.reserveCapacity(body.code.count / 2)
            wasmOffsets.reserveCapacity(body.code.count / 2)
        }
        valueTypes.reserveCapacity(16)
        operands.reserveCapacity(16)
        if lowering { assignment.start(locals: numLocals, parameters: type.parameters.count) }
        controls.append(ControlFrame(kind: .function, params: [], results: type.results, height: 0,
                                     reachable: true, reachableAtEntry: true))
    }

    // MARK: Errors

    mutating func error(_ message: String) -> ModuleError {
        .invalid(ValidationError(message, offset: instructionOffset, functionIndex: functionIndex))
    }

    /// "type mismatch: instruction requires [..] but stack has [..]"
    mutating func mismatch(requires expected: [ValueType], available: Int) -> ModuleError {
        let top = valueTypes.suffix(min(available, expected.count))
        let have = top.map { $0?.description ?? "_" }.joined(separator: " ")
        return error("type mismatch: instruction requires [\(expected.map(\.description).joined(separator: " "))] but stack has [\(have)]")
    }

    // MARK: Operand stack (validation)

    @inline(__always)
    mutating func push(_ type: ValueType?, _ operand: Operand = .inSlot) {
        valueTypes.append(type)
        operands.append(operand)
        if valueTypes.count > maxHeight { maxHeight = valueTypes.count }
    }

    /// Pops one value of any type; nil type means "unknown" (unreachable code).
    @inline(__always)
    mutating func popAny() throws(ModuleError) -> ValueType? {
        let top = controls.count - 1
        if valueTypes.count == controls[top].height {
            if controls[top].unreachable { return nil }
            throw error("type mismatch: instruction requires a value but the stack is empty")
        }
        operands.removeLast()
        return valueTypes.removeLast()
    }

    /// Pops one value that must have type `expected`.
    @inline(__always)
    mutating func pop(_ expected: ValueType) throws(ModuleError) {
        let top = controls.count - 1
        if valueTypes.count == controls[top].height {
            if controls[top].unreachable { return }
            throw mismatch(requires: [expected], available: 0)
        }
        if let actual = valueTypes[valueTypes.count - 1], actual != expected {
            throw mismatch(requires: [expected], available: 1)
        }
        operands.removeLast()
        valueTypes.removeLast()
    }

    /// Pops values of the given types (last on top).
    mutating func pop(_ expected: [ValueType]) throws(ModuleError) {
        try peekMatches(expected)
        let available = valueTypes.count - controls[controls.count - 1].height
        let n = min(expected.count, available)
        drop(n)
    }

    /// Checks that the top values match `expected` without popping (for br_if and labels).
    @inline(__always)
    mutating func peekMatches(_ expected: [ValueType]) throws(ModuleError) {
        let top = controls.count - 1
        let available = valueTypes.count - controls[top].height
        var depth = 1
        while depth <= expected.count {
            if depth > available {
                if controls[top].unreachable { return }
                throw mismatch(requires: expected, available: available)
            }
            if let actual = valueTypes[valueTypes.count - depth], actual != expected[expected.count - depth] {
                throw mismatch(requires: expected, available: available)
            }
            depth += 1
        }
    }

    /// Removes the top `n` values (a loop: `removeLast(n)` takes a slow generic path).
    @inline(__always)
    mutating func drop(_ n: Int) {
        for _ in 0..<n {
            valueTypes.removeLast()
            operands.removeLast()
        }
    }

    /// Marks the rest of the current frame unreachable (after br, return, unreachable, throw...).
    mutating func setUnreachable() {
        let i = controls.count - 1
        let h = controls[i].height
        drop(valueTypes.count - h)
        controls[i].unreachable = true
        controls[i].reachable = false
        lastResult = nil
    }

    /// The label at relative depth `depth`.
    mutating func label(_ depth: UInt32) throws(ModuleError) -> Int {
        guard Int(depth) < controls.count else { throw error("unknown label") }
        return controls.count - 1 - Int(depth)
    }

    // MARK: Emission helpers

    /// Whether code emitted now could run.
    @inline(__always)
    var emitting: Bool { lowering && controls[controls.count - 1].reachable }

    /// The frame slot for operand-stack position `position`.
    @inline(__always)
    func slot(_ position: Int) -> Int { numLocals + 1 + position }

    /// A slot that is always zero (zeroed with the locals on entry, never written), for an
    /// instruction about to read it. Marks it read: a function whose code never reads it does
    /// not zero it on entry.
    @inline(__always)
    mutating func readZeroSlot() -> Int {
        zeroSlotRead = true
        return numLocals
    }

    /// Appends an instruction word, recording its Wasm offset for trap reports.
    @inline(__always)
    mutating func emitWord(_ op: Op, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0) -> Int {
        let index = code.count
        code.append(op.code | UInt64(UInt16(truncatingIfNeeded: a)) << 16
                     | UInt64(UInt16(truncatingIfNeeded: b)) << 32 | UInt64(UInt16(truncatingIfNeeded: c)) << 48)
        codeOffsets.append(UInt32(index))
        wasmOffsets.append(UInt32(truncatingIfNeeded: instructionOffset))
        lastResult = nil
        return index
    }

    /// Appends an instruction with a 32-bit immediate in its high half.
    @discardableResult @inline(__always)
    mutating func emitHi32(_ op: Op, _ a: Int, _ imm: UInt32) -> Int {
        let index = emitWord(op, a)
        code[index] |= UInt64(imm) << 32
        return index
    }

    /// Appends an extra word to the current instruction.
    @inline(__always)
    mutating func emitExtra(_ word: UInt64) { code.append(word) }

    /// Writes operand `i` (counting from the bottom of the stack) into its canonical slot.
    mutating func materialize(at position: Int) {
        let operand = operands[position]
        switch operand.kind {
        case .slot: return
        case .local: emitCopy(slot(position), Int(operand.bits))
        case .constant: emitConstant(operand.bits, into: slot(position))
        }
        operands[position] = .inSlot
    }

    /// The start of the instruction emitted last, if it is `op` and no label lies at or after
    /// its start: a following instruction may absorb or join it.
    @inline(__always)
    mutating func lastInstruction(_ op: Op) -> Int? {
        guard let last = codeOffsets.last.map(Int.init), last == code.count - op.wordCount, labelBarrier <= last,
              Op.decode(code[last]) == op else { return nil }
        return last
    }

    /// The start of the last instruction when it computed the operand at `position` into that
    /// position's own slot (so nothing else reads the value) and no label lies between: a
    /// producer the instruction being lowered may absorb.
    @inline(__always)
    mutating func producer(ofOperandAt position: Int) -> Int? {
        guard operands[position].kind == .slot, let last = lastResult, last.position == position,
              let start = codeOffsets.last.map(Int.init), start == last.code, labelBarrier <= start,
              opA(code[start]) == slot(position) else { return nil }
        return start
    }

    /// `producer(ofOperandAt:)` for the top of the stack, when code is being emitted.
    @inline(__always)
    mutating func producerOfTop() -> Int? {
        guard emitting, valueTypes.count > controls[controls.count - 1].height else { return nil }
        return producer(ofOperandAt: operands.count - 1)
    }

    /// Removes the last instruction, which starts at `start` (its work was absorbed).
    mutating func removeLastInstruction(startingAt start: Int) {
        code.removeLast(code.count - start)
        codeOffsets.removeLast()
        wasmOffsets.removeLast()
        lastResult = nil
    }

    /// Slot `target` = slot `source`; joins a directly preceding copy into one `copy2`.
    mutating func emitCopy(_ target: Int, _ source: Int) {
        if let previous = lastInstruction(.copy) {
            code[previous] = (code[previous] & ~0xFFFF) | Op.copy2.code
            emitExtra(UInt64(UInt16(truncatingIfNeeded: target)) | UInt64(UInt16(truncatingIfNeeded: source)) << 16)
            lastResult = nil
            return
        }
        _ = emitWord(.copy, target, source)
    }

    /// Slot `target` = `bits`; a 32-bit constant joins a directly preceding one into `const32x2`.
    mutating func emitConstant(_ bits: UInt64, into target: Int) {
        if bits >> 32 == 0 {
            if let previous = lastInstruction(.const32) {
                let first = code[previous]
                code[previous] = Op.const32x2.code | (first & 0xFFFF_0000)
                    | UInt64(UInt16(truncatingIfNeeded: target)) << 32
                emitExtra((first >> 32) | bits << 32)
                lastResult = nil
                return
            }
            emitHi32(.const32, target, UInt32(bits))
        } else {
            _ = emitWord(.const64, target)
            emitExtra(bits)
        }
    }

    /// Materializes every lazy `local.get` on the stack (at block entries, so a later
    /// `local.set` inside the block cannot change what they read on some paths only).
    mutating func materializeLocals() {
        guard emitting else { return }
        for i in 0..<operands.count where operands[i].kind == .local { materialize(at: i) }
    }

    /// Materializes the top `count` operands in place.
    mutating func materializeTop(_ count: Int) {
        guard emitting else { return }
        let n = operands.count
        for i in max(0, n - count)..<n { materialize(at: i) }
    }

    /// The slot an operand can be read from, writing a constant to its canonical slot first.
    mutating func readSlot(_ position: Int) -> Int {
        let operand = operands[position]
        switch operand.kind {
        case .slot: return slot(position)
        case .local: return Int(operand.bits)
        case .constant:
            emitConstant(operand.bits, into: slot(position))
            operands[position] = .inSlot
            return slot(position)
        }
    }

    /// Records that the instruction at `index` wrote the new top of stack (so a following
    /// `local.set` can retarget it).
    @inline(__always)
    mutating func producedResult(_ index: Int) {
        lastResult = (index, operands.count - 1)
    }

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

/// An exception handler: the code range of a `try_table` body and its catch clauses.
struct ExceptionHandler: Sendable {
    /// First code index covered.
    var start: Int32
    /// First code index not covered.
    var end: Int32
    /// Catch clauses in order.
    var catches: [CatchClause]
}

/// One catch clause of a `try_table`, lowered.
struct CatchClause: Sendable {
    /// 0 `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`.
    var kind: UInt8
    /// The module tag index (catch and catch_ref).
    var tag: UInt32
    /// The first slot of the target label's values.
    var destinationSlot: Int32
    /// The code index to continue at.
    var target: Int32
    /// Whether the target is a loop head (needs an interrupt check; informational).
    var targetIsLoop: Bool
}
