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
