// A readable listing of lowered code, for debugging and review (`sandpiper inspect --lowered`).

/// How an instruction's operands are laid out (drives the disassembler).
enum OperandLayout {
    /// No operands.
    case none
    /// A = B op C.
    case binary
    /// A = op B.
    case unary
    /// A = B op w1.
    case immediate
    /// A = load [B + w1].
    case load
    /// store [A + w1] = B.
    case store
    /// Jump by hi32.
    case jump
    /// Conditional on slot A, jump by hi32.
    case conditional
    /// Conditional on slot A, charge B and jump by C (`brIfCharge`, `brIfNotCharge`).
    case conditionalCharge
    /// A forward branch on the byte at slot A + w1 (`brIfByte`, `brIfNotByte`).
    case conditionalByte
    /// Slot A and the 32-bit immediate hi32.
    case slotAndImmediate
    /// Only the 32-bit immediate hi32.
    case immediateOnly
    /// A, B, C and w1.
    case fourOperands
    /// A and w1.
    case slotAndWord
    /// A, B and w1.
    case twoSlotsAndWord
    /// The jump table.
    case table
    /// Compare A with B (or with hi32) and jump by w1.
    case compareBranch
    /// Store the constant in w1's high half at [A + w1's low half].
    case storeImmediate
    /// A super-instruction with its own operand layout (see its `Op` case).
    case fused
    /// Stores from several slots to one base address (entries follow the first word).
    case storeRun
}

extension Op {
    /// The operand layout of this instruction.
    var layout: OperandLayout {
        switch self {
        case .unreachable, .ret, .interruptCheck: return .none
        case .retCopy, .brIfAnd, .brIfNotAnd, .copy2, .const32x2, .globalAddImm, .globalSetAddImm,
             .brIfAndEq, .brIfAndNe, .selectImm, .i32AddShl, .i32LoadIndexed, .i32Load8UIndexed,
             .i32LoadAddShl, .i32Load8UAddShl, .i32AddImm2, .copyBrBack, .i32ShlAddImm, .i32LoadLoad, .i32LoadByteIndexed, .addImmBrBack,
             .i32AddLoad, .i64AddLoad, .f32AddLoad, .f32MulLoad, .f64AddLoad, .f64MulLoad, .addImmBrIfNeImm, .addImmBrIfNe,
             .i64AddImmBrIfNe, .i64AddImmBrIfLtU, .i64AddBrIfNe, .i64AddBrIfLtU, .brIfBytesEq, .brIfBytesNe,
             .i32XorShl, .i32XorShrU, .i32OrShl, .i32OrShrU,
             .i32AddInPlace, .i64AddInPlace, .f32AddInPlace, .f64AddInPlace, .f32MulAddInPlace, .f64MulAddInPlace,
             .i32LoadMaskedIndexed, .i64LoadAddShl, .copyBr, .i32AddImmTee, .i32AddAddImm:
            return .fused
        case .i32StoreImm, .i32Store8Imm, .i32Store16Imm, .i64StoreImm: return .storeImmediate
        case .i32StoreRun: return .storeRun
        case .br, .brBack, .brCharge: return .jump
        case .brIf, .brIfNot: return .conditional
        case .brIfCharge, .brIfNotCharge: return .conditionalCharge
        case .brIfByte, .brIfNotByte: return .conditionalByte
        case .brTable, .brTableAdd, .brTableByteIndexed: return .table
        case .fuel, .dataDrop, .elemDrop, .hookEnter, .hookExit: return .immediateOnly
        case .call, .callLocal, .returnCall, .const32, .globalGet, .globalSet, .refFunc, .throw: return .slotAndImmediate
        case .callIndirect, .returnCallIndirect, .select, .memoryInit, .tableCopy, .tableInit, .tableFill, .tableGrow:
            return .fourOperands
        case .const64, .tableSize, .callRecord: return .slotAndWord
        case .tableGet, .tableSet: return .twoSlotsAndWord
        case .copy, .throwRef, .memorySize, .memoryGrow: return .unary
        case .memoryCopy, .memoryFill: return .binary
        case .i32Load, .i64Load, .f32Load, .f64Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U,
             .i64Load8S, .i64Load8U, .i64Load16S, .i64Load16U, .i64Load32S, .i64Load32U:
            return .load
        case .i32Store, .i64Store, .f32Store, .f64Store, .i32Store8, .i32Store16, .i64Store8, .i64Store16, .i64Store32:
            return .store
        default:
            if hasBranchWord { return .compareBranch }  // the fused back edges are listed above
            if isImmediateForm { return .immediate }
            return isUnaryNumeric ? .unary : .binary
        }
    }

    /// Numeric ops with one operand.
    var isUnaryNumeric: Bool {
        switch self {
        case .i32Eqz, .i64Eqz, .i32Clz, .i32Ctz, .i32Popcnt, .i64Clz, .i64Ctz, .i64Popcnt,
             .f32Abs, .f32Neg, .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f32Sqrt,
             .f64Abs, .f64Neg, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest, .f64Sqrt,
             .i32WrapI64, .i32TruncF32S, .i32TruncF32U, .i32TruncF64S, .i32TruncF64U,
             .i64ExtendI32S, .i64ExtendI32U, .i64TruncF32S, .i64TruncF32U, .i64TruncF64S, .i64TruncF64U,
             .f32ConvertI32S, .f32ConvertI32U, .f32ConvertI64S, .f32ConvertI64U, .f32DemoteF64,
             .f64ConvertI32S, .f64ConvertI32U, .f64ConvertI64S, .f64ConvertI64U, .f64PromoteF32,
             .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64,
             .i32Extend8S, .i32Extend16S, .i64Extend8S, .i64Extend16S, .i64Extend32S,
             .i32TruncSatF32S, .i32TruncSatF32U, .i32TruncSatF64S, .i32TruncSatF64U,
             .i64TruncSatF32S, .i64TruncSatF32U, .i64TruncSatF64S, .i64TruncSatF64U:
            return true
        default:
            return false
        }
    }
}

/// Renders lowered code as text, one instruction per line.
public enum Disassembler {
    /// Lowers function `functionIndex` (imports included) of `module` and lists its code.
    public static func listing(_ module: CompiledModule, functionIndex: Int, metering: Bool = false) throws(ModuleError) -> String {
        let imported = module.context.importedFunctionCount
        guard functionIndex >= imported, functionIndex < module.context.functionTypeIndices.count else {
            throw .invalid(ValidationError("function \(functionIndex) is imported or does not exist"))
        }
        let f = try module.lowered(functionIndex - imported, metering: metering)
        var lines = ["function \(functionIndex) \(module.context.functionType(UInt32(functionIndex))!): "
                     + "\(f.parameterCount) params, \(f.localCount - f.parameterCount) locals, frame \(f.frameSize) slots, "
                     + "\(f.codeCount) words"]
        for h in f.handlers {
            let clauses = h.catches.map { "\(["catch", "catch_ref", "catch_all", "catch_all_ref"][Int($0.kind)]) tag \($0.tag) -> @\($0.target) s\($0.destinationSlot)" }
            lines.append("  handler @\(h.start)..<@\(h.end): " + clauses.joined(separator: ", "))
        }
        var pc = 0
        while pc < f.codeCount {
            let w = f.code[pc]
            let op = Op.decode(w)
            let wasm = f.wasmOffset(atCodeIndex: pc).map { String($0, radix: 16) } ?? "?"
            let (text, size) = render(op, w, f.code + pc)
            lines.append(pad("  @\(pc)", 9) + pad("[0x\(wasm)]", 11) + text)
            pc += size
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func render(_ op: Op, _ w: UInt64, _ p: UnsafeMutablePointer<UInt64>) -> (String, Int) {
        let name = String(describing: op)
        let a = opA(w), b = opB(w), c = opC(w)
        let imm = hi32(w)
        switch op.layout {
        case .none: return (name, 1)
        case .binary: return ("\(name) s\(a) = s\(b), s\(c)", 1)
        case .unary: return ("\(name) s\(a) = s\(b)", 1)
        case .immediate: return ("\(name) s\(a) = s\(b), \(Int64(bitPattern: p[1]))", 2)
        case .load: return ("\(name) s\(a) = [s\(b) + \(p[1])]", 2)
        case .store: return ("\(name) [s\(a) + \(p[1])] = s\(b)", 2)
        case .jump: return ("\(name) " + jumpText(Int32(offsetOf(w))) + (op != .br && a != 0 ? " (fuel \(a))" : ""), 1)
        case .conditional: return ("\(name) s\(a) " + jumpText(Int32(offsetOf(w))), 1)
        case .conditionalCharge: return ("\(name) s\(a) " + jumpText(Int32(Int16(truncatingIfNeeded: c))) + " (fuel \(b))", 1)
        case .conditionalByte: return ("\(name) byte [s\(a) + \(p[1])] " + jumpText(Int32(offsetOf(w))), 2)
        case .slotAndImmediate: return ("\(name) s\(a), \(imm)", 1)
        case .immediateOnly: return ("\(name) \(imm)", 1)
        case .fourOperands: return ("\(name) s\(a), s\(b), \(op == .select ? "s" : "")\(c), \(op == .select ? "s" : "")\(p[1])", 2)
        case .slotAndWord: return ("\(name) s\(a), \(p[1])", 2)
        case .twoSlotsAndWord: return ("\(name) s\(a), s\(b), table \(p[1])", 2)
        case .compareBranch:
            let rhs = name.hasSuffix("Imm") ? "\(Int32(bitPattern: imm))" : "s\(b)"
            return ("\(name) s\(a), \(rhs) " + branchWordText(p[1]), 2)
        case .fused:
            // retCopy is one word (it may end the code): read p[1] only for two-word forms.
            if op == .retCopy { return ("\(name) s0 = s\(a)", 1) }
            let imm2 = Int32(bitPattern: UInt32(truncatingIfNeeded: p[1]))
            switch op {
            case .copy2: return ("\(name) s\(a) = s\(b); s\(p[1] & 0xFFFF) = s\(p[1] >> 16 & 0xFFFF)", 2)
            case .const32x2: return ("\(name) s\(a), \(p[1] & 0xFFFF_FFFF); s\(b), \(p[1] >> 32)", 2)
            case .globalAddImm: return ("\(name) s\(a) = global \(imm) += \(imm2)", 2)
            case .globalSetAddImm: return ("\(name) global \(imm) = s\(a) + \(imm2)", 2)
            case .selectImm: return ("\(name) s\(a) = s\(b) ? \(p[1] & 0xFFFF_FFFF) : \(p[1] >> 32)", 2)
            case .i32AddShl: return ("\(name) s\(a) = s\(b) + (s\(c) << \(p[1]))", 2)
            case .i32XorShl: return ("\(name) s\(a) = s\(b) ^ (s\(c) << \(p[1]))", 2)
            case .i32XorShrU: return ("\(name) s\(a) = s\(b) ^ (s\(c) >> \(p[1]))", 2)
            case .i32OrShl: return ("\(name) s\(a) = s\(b) | (s\(c) << \(p[1]))", 2)
            case .i32OrShrU: return ("\(name) s\(a) = s\(b) | (s\(c) >> \(p[1]))", 2)
            case .i32LoadIndexed, .i32Load8UIndexed:
                return ("\(name) s\(a) = [(s\(b) << \(c)) + \(imm2) + \(p[1] >> 32)]", 2)
            case .i32LoadAddShl, .i32Load8UAddShl, .i64LoadAddShl:
                return ("\(name) s\(a) = [s\(b) + (s\(c) << \(imm2)) + \(p[1] >> 32)]", 2)
            case .i32LoadMaskedIndexed:
                return ("\(name) s\(a) = [((s\(b) & 0x\(String(p[1] & 0xFFFF_FFFF, radix: 16))) << \(c)) + \(p[1] >> 32)]", 2)
            case .i32LoadByteIndexed:
                return ("\(name) s\(a) = [(byte [s\(b) + \(p[1] & 0xFFFF_FFFF)] << \(c)) + \(p[1] >> 32)]", 2)
            case .addImmBrBack:
                return ("\(name) s\(a) = s\(b) + \(Int16(truncatingIfNeeded: c)) " + branchWordText(p[1]), 2)
            case .i32ShlAddImm: return ("\(name) s\(a) = (s\(b) << \(c)) + \(imm2)", 2)
            case .addImmBrIfNeImm, .addImmBrIfNe:
                let bound = op == .addImmBrIfNe ? "s\(c)" : "\(Int32(bitPattern: UInt32(truncatingIfNeeded: p[2] >> 32)))"
                let step = Int32(bitPattern: UInt32(truncatingIfNeeded: p[2]))
                return ("\(name) s\(a) = s\(b) + \(step); s\(a) != \(bound) " + branchWordText(p[1]), 3)
            case .i64AddImmBrIfNe, .i64AddImmBrIfLtU, .i64AddBrIfNe, .i64AddBrIfLtU:
                let step = op == .i64AddImmBrIfNe || op == .i64AddImmBrIfLtU ? "\(Int64(bitPattern: p[2]))" : "s\(p[2])"
                let compare = op == .i64AddImmBrIfNe || op == .i64AddBrIfNe ? "!=" : "<u"
                return ("\(name) s\(a) = s\(b) + \(step); s\(a) \(compare) s\(c) " + branchWordText(p[1]), 3)
            case .brIfBytesEq, .brIfBytesNe:
                let compare = op == .brIfBytesEq ? "==" : "!="
                return ("\(name) byte [(s\(a) + s\(c)) + \(p[2] & 0xFFFF_FFFF)] \(compare) byte [(s\(b) + s\(c)) + \(p[2] >> 32)]"
                        + " " + branchWordText(p[1]), 3)
            case .i32AddInPlace, .i64AddInPlace, .f32AddInPlace, .f64AddInPlace:
                return ("\(name) [(s\(c) + \(imm2)) + \(p[1] >> 32)] += s\(b)", 2)
            case .f32MulAddInPlace, .f64MulAddInPlace:
                let source = "[(s\(a) + \(imm2)) + \(p[1] >> 32)]"
                let target = "[(s\(c) + \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[2])))) + \(p[2] >> 32)]"
                return ("\(name) \(target) += s\(b) * \(source)", 3)
            case .i32AddLoad, .i64AddLoad, .f32AddLoad, .f64AddLoad, .f32MulLoad, .f64MulLoad:
                let operation = op == .f32MulLoad || op == .f64MulLoad ? "*" : "+"
                return ("\(name) s\(a) = s\(b) \(operation) [(s\(c) + \(imm2)) + \(p[1] >> 32)]", 2)
            case .i32LoadLoad: return ("\(name) s\(a) = [[s\(b) + \(p[1] & 0xFFFF_FFFF)] + \(p[1] >> 32)]", 2)
            case .i32AddImm2:
                return ("\(name) s\(a) = s\(b) + \(imm2); s\(c) += \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[1] >> 32)))", 2)
            case .i32AddImmTee: return ("\(name) s\(a), s\(c) = s\(b) + \(imm2)", 2)
            case .i32AddAddImm:
                return ("\(name) s\(a) = s\(b) + s\(c); s\(p[1] & 0xFFFF) += \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[1] >> 32)))", 2)
            case .copyBr:
                return ("\(name) s\(a) = s\(b) " + branchWordText(p[1]), 2)
            case .copyBrBack:
                return ("\(name) s\(a) = s\(b) " + branchWordText(p[1]), 2)
            case .brIfAndEq, .brIfAndNe:
                return ("\(name) s\(a) & 0x\(String(b, radix: 16)), \(c) " + branchWordText(p[1]), 2)
            default:
                return ("\(name) s\(a) & 0x\(String(imm, radix: 16)) " + branchWordText(p[1]), 2)
            }
        case .storeImmediate:
            return ("\(name) [s\(a) + \(p[1] & 0xFFFF_FFFF)] = \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[1] >> 32)))", 2)
        case .storeRun:
            let entries = (0..<b).map { "+\(p[1 + $0] >> 32)] = s\(p[1 + $0] & 0xFFFF)" }
            return ("\(name) [s\(a) " + entries.joined(separator: ", [s\(a) "), b + 1)
        case .table:
            let count = Int(imm)
            let first = op.tableEntriesStart ?? 1
            let targets = (0...count).map { (i: Int) -> String in
                let entry = p[first + i]
                return "+\(Int32(truncatingIfNeeded: entry))" + (entry >> 32 == 0 ? "" : "(fuel \(entry >> 32))")
            }
            let index: String
            switch op {
            case .brTableAdd: index = "s\(a) + \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[1])))"
            case .brTableByteIndexed:
                index = "[(byte [s\(a) + \(p[1] & 0xFFFF_FFFF)] << \(p[2] & 0xFFFF_FFFF)) + \(p[1] >> 32)]"
                    + " + \(Int32(bitPattern: UInt32(truncatingIfNeeded: p[2] >> 32)))"
            default: index = "s\(a)"
            }
            return ("\(name) \(index) [\(targets.joined(separator: " "))]", count + 1 + first)
        }
    }
}

/// A jump's target as the listing shows it: `-> +5`, `-> -12`.
func jumpText(_ offset: Int32) -> String {
    "-> \(offset >= 0 ? "+" : "")\(offset)"
}

/// The jump of a branch word (offset in the low half, a back edge's fuel charge in the high
/// half): `-> -12 (fuel 7)`.
func branchWordText(_ word: UInt64) -> String {
    jumpText(Int32(truncatingIfNeeded: word)) + (word >> 32 == 0 ? "" : " (fuel \(word >> 32))")
}
