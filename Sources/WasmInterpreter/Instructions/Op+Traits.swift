// What the lowering pass asks of an op: its encoding in an instruction word, its immediate,
// fused-branch, shifted-operand and inverse forms, and its length in words. The tables are
// indexed by the op's tag, so no lookup hashes.

extension Op {
    /// The opcode's 16-bit encoding in the code stream.
    @inline(__always)
    var code: UInt64 {
        if MemoryLayout<Op>.size == 1 { return UInt64(unsafeBitCast(self, to: UInt8.self)) }
        return UInt64(unsafeBitCast(self, to: UInt16.self))
    }

    /// Decodes the opcode from an instruction word (only words the lowering emitted).
    @inline(__always)
    static func decode(_ word: UInt64) -> Op {
        if MemoryLayout<Op>.size == 1 { return unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Op.self) }
        return unsafeBitCast(UInt16(truncatingIfNeeded: word), to: Op.self)
    }

    /// The internal opcode for each numeric Wasm opcode (indexed by `WasmOpcode.rawValue`).
    /// The numeric cases of `Op` are declared in the same order as those of `WasmOpcode`,
    /// starting at `i32Eqz`; a test checks their names match case by case.
    static let numericByWasmOpcode: [Op?] = {
        var table = [Op?](repeating: nil, count: 0x200)
        var next = Op.i32Eqz.index
        for wasm in WasmOpcode.allCases where wasm.isNumeric {
            table[Int(wasm.rawValue)] = Op.allCases[next]
            next += 1
        }
        return table
    }()

    /// The immediate-operand variant of a binary op, if there is one.
    static let immediateVariant: [Op: Op] = [
        .i32Add: .i32AddImm, .i32Sub: .i32SubImm, .i32Mul: .i32MulImm, .i32And: .i32AndImm,
        .i32Or: .i32OrImm, .i32Xor: .i32XorImm, .i32Shl: .i32ShlImm, .i32ShrS: .i32ShrSImm,
        .i32ShrU: .i32ShrUImm, .i32Eq: .i32EqImm, .i32Ne: .i32NeImm, .i32LtS: .i32LtSImm,
        .i32LtU: .i32LtUImm, .i32GtS: .i32GtSImm, .i32GtU: .i32GtUImm, .i32LeS: .i32LeSImm,
        .i32LeU: .i32LeUImm, .i32GeS: .i32GeSImm, .i32GeU: .i32GeUImm,
        .i64Add: .i64AddImm, .i64Sub: .i64SubImm, .i64And: .i64AndImm, .i64Or: .i64OrImm,
        .i64Xor: .i64XorImm, .i64Shl: .i64ShlImm, .i64ShrU: .i64ShrUImm, .i64ShrS: .i64ShrSImm,
        .i64Mul: .i64MulImm, .i64Eq: .i64EqImm, .i64Ne: .i64NeImm, .i64LtU: .i64LtUImm,
        .i64GtU: .i64GtUImm, .i64LtS: .i64LtSImm, .i64GtS: .i64GtSImm,
    ]

    /// Binary ops whose operands may be swapped (so a constant left operand can become immediate).
    static let commutative: Set<Op> = [
        .i32Add, .i32Mul, .i32And, .i32Or, .i32Xor, .i32Eq, .i32Ne,
        .i64Add, .i64Mul, .i64And, .i64Or, .i64Xor, .i64Eq, .i64Ne,
    ]

    /// The position of this case in `allCases` (its tag).
    @inline(__always)
    var index: Int { Int(code) }

    /// Immediate forms indexed by tag.
    static let immediateTable: [Op?] = {
        var table = [Op?](repeating: nil, count: Op.allCases.count)
        for (op, imm) in immediateVariant { table[op.index] = imm }
        return table
    }()

    /// Commutativity indexed by tag.
    static let commutativeTable: [Bool] = {
        var table = [Bool](repeating: false, count: Op.allCases.count)
        for op in commutative { table[op.index] = true }
        return table
    }()

    /// Whether an op is an immediate form, indexed by tag.
    static let isImmediateTable: [Bool] = {
        var table = [Bool](repeating: false, count: Op.allCases.count)
        for op in immediateVariant.values { table[op.index] = true }
        return table
    }()

    /// The variant taking a constant right operand, if any.
    @inline(__always)
    var immediateForm: Op? { Op.immediateTable[index] }

    /// Whether this op is the immediate form of a binary op (two words: the constant in the second).
    @inline(__always)
    var isImmediateForm: Bool { Op.isImmediateTable[index] }

    /// Whether the operands may be swapped.
    @inline(__always)
    var isCommutative: Bool { Op.commutativeTable[index] }

    /// The fused branch for a compare producing a condition, taken when the compare is true.
    static let fusedBranch: [Op: Op] = [
        .i32Eq: .brIfI32Eq, .i32Ne: .brIfI32Ne, .i32LtS: .brIfI32LtS, .i32LtU: .brIfI32LtU,
        .i32GtS: .brIfI32GtS, .i32GtU: .brIfI32GtU, .i32LeS: .brIfI32LeS, .i32LeU: .brIfI32LeU,
        .i32GeS: .brIfI32GeS, .i32GeU: .brIfI32GeU,
        .i32EqImm: .brIfI32EqImm, .i32NeImm: .brIfI32NeImm, .i32LtSImm: .brIfI32LtSImm, .i32LtUImm: .brIfI32LtUImm,
        .i32GtSImm: .brIfI32GtSImm, .i32GtUImm: .brIfI32GtUImm, .i32LeSImm: .brIfI32LeSImm, .i32LeUImm: .brIfI32LeUImm,
        .i32GeSImm: .brIfI32GeSImm, .i32GeUImm: .brIfI32GeUImm,
        .i64Eq: .brIfI64Eq, .i64Ne: .brIfI64Ne, .i64LtS: .brIfI64LtS, .i64LtU: .brIfI64LtU,
        .i64GtS: .brIfI64GtS, .i64GtU: .brIfI64GtU, .i64LeS: .brIfI64LeS, .i64LeU: .brIfI64LeU,
        .i64GeS: .brIfI64GeS, .i64GeU: .brIfI64GeU,
    ]

    /// For a binary op and the shift-by-a-constant that produced one of its operands: the op
    /// doing both (`i32AddShl`, `i32XorShrU` and their kin). All are commutative, so the shifted
    /// operand may have been either one.
    static func shiftedOperandForm(_ op: Op, shift: Op) -> Op? {
        switch (op, shift) {
        case (.i32Add, .i32ShlImm): return .i32AddShl
        case (.i32Xor, .i32ShlImm): return .i32XorShl
        case (.i32Xor, .i32ShrUImm): return .i32XorShrU
        case (.i32Or, .i32ShlImm): return .i32OrShl
        case (.i32Or, .i32ShrUImm): return .i32OrShrU
        default: return nil
        }
    }

    /// For an i64 add (of a constant or of a slot) and the compare of its sum that a branch
    /// tests: the op doing both (`i64AddImmBrIfNe` and its kin), a loop's step and exit test.
    static func steppedBranchForm(step: Op, compare: Op) -> Op? {
        switch (step, compare) {
        case (.i64AddImm, .i64Ne): return .i64AddImmBrIfNe
        case (.i64AddImm, .i64LtU): return .i64AddImmBrIfLtU
        case (.i64Add, .i64Ne): return .i64AddBrIfNe
        case (.i64Add, .i64LtU): return .i64AddBrIfLtU
        default: return nil
        }
    }

    /// For a binary op that can read its right operand from memory: the plain load that must
    /// have produced that operand, and the fused op (`i32AddLoad` and its kin).
    var loadedRightForm: (load: Op, fused: Op)? {
        switch self {
        case .i32Add: return (.i32Load, .i32AddLoad)
        case .i64Add: return (.i64Load, .i64AddLoad)
        case .f32Add: return (.f32Load, .f32AddLoad)
        case .f32Mul: return (.f32Load, .f32MulLoad)
        case .f64Add: return (.f64Load, .f64AddLoad)
        case .f64Mul: return (.f64Load, .f64MulLoad)
        default: return nil
        }
    }

    /// The compare with the opposite outcome (for branches taken when a compare is false).
    static let inverseCompare: [Op: Op] = [
        .i32Eq: .i32Ne, .i32Ne: .i32Eq, .i32LtS: .i32GeS, .i32GeS: .i32LtS, .i32LtU: .i32GeU, .i32GeU: .i32LtU,
        .i32GtS: .i32LeS, .i32LeS: .i32GtS, .i32GtU: .i32LeU, .i32LeU: .i32GtU,
        .i32EqImm: .i32NeImm, .i32NeImm: .i32EqImm, .i32LtSImm: .i32GeSImm, .i32GeSImm: .i32LtSImm,
        .i32LtUImm: .i32GeUImm, .i32GeUImm: .i32LtUImm, .i32GtSImm: .i32LeSImm, .i32LeSImm: .i32GtSImm,
        .i32GtUImm: .i32LeUImm, .i32LeUImm: .i32GtUImm,
        .i64Eq: .i64Ne, .i64Ne: .i64Eq, .i64LtS: .i64GeS, .i64GeS: .i64LtS, .i64LtU: .i64GeU, .i64GeU: .i64LtU,
        .i64GtS: .i64LeS, .i64LeS: .i64GtS, .i64GtU: .i64LeU, .i64LeU: .i64GtU,
    ]

    /// Whether the branch offset (and, for a backward branch in metered code, the loop head's
    /// fuel) is in the second word: the compare-and-branch forms, and the moves and adds fused
    /// into a back edge.
    @inline(__always)
    var hasBranchWord: Bool { Op.branchWordTable[index] }

    /// The fused branch taken when this compare is true (see `fusedBranch`), by tag.
    @inline(__always)
    var fusedBranchForm: Op? { Op.fusedBranchTable[index] }

    /// The compare with the opposite outcome (see `inverseCompare`), by tag.
    @inline(__always)
    var inverseComparison: Op? { Op.inverseCompareTable[index] }

    /// The ops whose taken forward branch charges the fuel in the high half of its branch word
    /// (`chargeForwardJumps` puts the target block's charge there and skips its `fuel`
    /// instruction): the compare-and-branch forms and the steps fused into one. Not `copyBr`,
    /// whose jump charges nothing.
    var chargesForwardTarget: Bool { hasBranchWord && self != .copyBr && self != .copyBrBack && self != .addImmBrBack }

    /// The ops that keep their branch offset in the second word.
    static let branchWordOps: Set<Op> = Set(fusedBranch.values).union([.brIfAnd, .brIfNotAnd, .brIfAndEq, .brIfAndNe, .copyBrBack, .addImmBrBack,
                                                                      .addImmBrIfNeImm, .addImmBrIfNe, .i64AddImmBrIfNe,
                                                                      .i64AddImmBrIfLtU, .i64AddBrIfNe, .i64AddBrIfLtU, .brIfBytesEq, .brIfBytesNe,
                                                                      .copyBr])

    /// `branchWordOps` indexed by tag: the lowering asks for every branch it emits or patches,
    /// and an array read is much cheaper than hashing the op.
    static let branchWordTable: [Bool] = tagTable(false) { table in
        for op in branchWordOps { table[op.index] = true }
    }

    /// `fusedBranch` indexed by tag.
    static let fusedBranchTable: [Op?] = tagTable(nil) { table in
        for (compare, branch) in fusedBranch { table[compare.index] = branch }
    }

    /// `inverseCompare` indexed by tag.
    static let inverseCompareTable: [Op?] = tagTable(nil) { table in
        for (compare, inverse) in inverseCompare { table[compare.index] = inverse }
    }

    /// A table with one entry per op, `initial` except where `fill` sets one.
    static func tagTable<T>(_ initial: T, _ fill: (inout [T]) -> Void) -> [T] {
        var table = [T](repeating: initial, count: Op.allCases.count)
        fill(&table)
        return table
    }

    /// Where a jump table's entries start, in words after its first word; nil for other ops.
    var tableEntriesStart: Int? {
        switch self {
        case .brTable: return 1
        case .brTableAdd: return 2
        case .brTableByteIndexed: return 3
        default: return nil
        }
    }

    /// Number of words the instruction occupies (excluding a jump table's targets
    /// and a store run's entries).
    var wordCount: Int {
        switch self {
        case .brTableByteIndexed, .addImmBrIfNeImm, .addImmBrIfNe, .f32MulAddInPlace, .f64MulAddInPlace,
             .i64AddImmBrIfNe, .i64AddImmBrIfLtU, .i64AddBrIfNe, .i64AddBrIfLtU, .brIfBytesEq, .brIfBytesNe:
            return 3
        case .i32AddAddImm, .callIndirect, .returnCallIndirect, .const64, .select,
             .i32Load, .i64Load, .f32Load, .f64Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U,
             .i64Load8S, .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U,
             .i32Store, .i64Store, .f32Store, .f64Store, .i32Store8, .i32Store16, .i64Store8, .i64Store16, .i64Store32,
             .memoryInit, .tableGet, .tableSet, .tableSize, .tableGrow, .tableFill, .tableCopy, .tableInit,
             .callRecord, .i32StoreImm, .brIfAnd, .brIfNotAnd, .copy2, .const32x2, .globalAddImm, .globalSetAddImm,
             .brIfAndEq, .brIfAndNe, .selectImm, .i32AddShl, .i32Store8Imm, .i32Store16Imm, .i64StoreImm,
             .i32LoadIndexed, .i32Load8UIndexed, .i32LoadAddShl, .i32Load8UAddShl, .i32AddImm2, .copyBrBack, .i32ShlAddImm, .i32LoadLoad, .i32LoadByteIndexed, .addImmBrBack,
             .brIfI32Eq, .brIfI32Ne, .brIfI32LtS, .brIfI32LtU, .brIfI32GtS, .brIfI32GtU, .brIfI32LeS, .brIfI32LeU,
             .brIfI32GeS, .brIfI32GeU, .brIfI32EqImm, .brIfI32NeImm, .brIfI32LtSImm, .brIfI32LtUImm, .brIfI32GtSImm,
             .brIfI32GtUImm, .brIfI32LeSImm, .brIfI32LeUImm, .brIfI32GeSImm, .brIfI32GeUImm,
             .brIfI64Eq, .brIfI64Ne, .brIfI64LtS, .brIfI64LtU, .brIfI64GtS, .brIfI64GtU, .brIfI64LeS, .brIfI64LeU,
             .brIfI64GeS, .brIfI64GeU, .i32AddLoad, .i64AddLoad, .f32AddLoad, .f32MulLoad, .f64AddLoad, .f64MulLoad,
             .i32XorShl, .i32XorShrU, .i32OrShl, .i32OrShrU,
             .i32AddInPlace, .i64AddInPlace, .f32AddInPlace, .f64AddInPlace, .i32LoadMaskedIndexed, .brIfByte, .brIfNotByte, .i64LoadAddShl, .copyBr, .i32AddImmTee:
            return 2
        default:
            return isImmediateForm ? 2 : 1
        }
    }

    /// The immediate-operand binary ops (two words).
    static let immediateOps: Set<Op> = Set(immediateVariant.values)
}
