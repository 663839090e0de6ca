// The internal instruction form that validated Wasm code is lowered to, and that `Executor` runs.
//
// Encoding: a stream of 64-bit words. The first word of every instruction is
//
//     bits  0..15  opcode (the `Op` case's tag)
//     bits 16..31  operand A (a frame slot, unless noted)
//     bits 32..47  operand B
//     bits 48..63  operand C
//
// or, for instructions with one 32-bit immediate, bits 32..63 hold the immediate ("hi32").
// Some instructions take a second word ("w1") for an offset, a constant or an index.
// Slots are 64-bit cells relative to the frame pointer: parameters first, then locals, then
// the operand-stack temporaries the lowering assigned. Branch offsets are in words, relative
// to the first word of the branch instruction.

/// An internal instruction. Each case documents its operands.
public enum Op: CaseIterable, Sendable {
    // MARK: Control

    /// Trap with "unreachable".
    case unreachable
    /// Jump by hi32 (signed) words.
    case br
    /// Jump by hi32 words to a loop head, after charging A units of fuel (the head's block,
    /// whose `fuel` instruction the jump skips) and the interrupt countdown check.
    case brBack
    /// If slot A (i32) is non-zero, jump by hi32 words.
    case brIf
    /// If slot A (i32) is zero, jump by hi32 words.
    case brIfNot
    /// Jump table: index in slot A, hi32 = count of targets excluding the default. Followed by
    /// count+1 words, each a signed 32-bit offset relative to this instruction in its low half
    /// and, in metered code, the fuel of the target block (whose `fuel` instruction the jump
    /// skips) in its high half; out-of-range indices use the last.
    case brTable
    /// Charge hi32 units of fuel; stop with "out of fuel" (resumable) when the tank is empty.
    case fuel
    /// Check the deadline and cancellation (countdown-based); no operands.
    case interruptCheck
    /// Call function hi32 (module function index) with arguments starting at slot A; results land
    /// there. Emitted for imported functions, whose instance may differ (`callLocal` otherwise).
    case call
    /// Indirect call: A = argument base, B = slot holding the table index, C = table; w1 = type id.
    case callIndirect
    /// Tail call function hi32 with arguments at slot A: replaces the current frame.
    case returnCall
    /// Tail call through a table: operands as `callIndirect`.
    case returnCallIndirect
    /// Return from the current function; results are already in slots 0..<n.
    case ret
    /// Throw tag hi32 with its arguments starting at slot A.
    case `throw`
    /// Rethrow the exception referenced by slot A (trap on null).
    case throwRef

    // MARK: Moves and constants

    /// Slot A = slot B.
    case copy
    /// Slot A = hi32 (zero-extended).
    case const32
    /// Slot A = w1.
    case const64
    /// Slot A = (slot w1 as i32 != 0) ? slot B : slot C.
    case select
    /// Slot A = global hi32.
    case globalGet
    /// Global hi32 = slot A.
    case globalSet

    // MARK: Memory (A = destination or address, B = address or value, w1 = static offset)

    /// A = i32 load from address B + w1.
    case i32Load
    /// A = i64 load from address B + w1.
    case i64Load
    /// A = f32 load (bits) from address B + w1.
    case f32Load
    /// A = f64 load (bits) from address B + w1.
    case f64Load
    /// A = sign-extended 8-bit load into i32.
    case i32Load8S
    /// A = zero-extended 8-bit load into i32.
    case i32Load8U
    /// A = sign-extended 16-bit load into i32.
    case i32Load16S
    /// A = zero-extended 16-bit load into i32.
    case i32Load16U
    /// A = sign-extended 8-bit load into i64.
    case i64Load8S
    /// A = zero-extended 8-bit load into i64.
    case i64Load8U
    /// A = sign-extended 16-bit load into i64.
    case i64Load16S
    /// A = zero-extended 16-bit load into i64.
    case i64Load16U
    /// A = sign-extended 32-bit load into i64.
    case i64Load32S
    /// A = zero-extended 32-bit load into i64.
    case i64Load32U
    /// Store i32 slot B at address A + w1.
    case i32Store
    /// Store i64 slot B at address A + w1.
    case i64Store
    /// Store f32 bits of slot B at address A + w1.
    case f32Store
    /// Store f64 bits of slot B at address A + w1.
    case f64Store
    /// Store the low 8 bits of i32 slot B.
    case i32Store8
    /// Store the low 16 bits of i32 slot B.
    case i32Store16
    /// Store the low 8 bits of i64 slot B.
    case i64Store8
    /// Store the low 16 bits of i64 slot B.
    case i64Store16
    /// Store the low 32 bits of i64 slot B.
    case i64Store32
    /// Slot A = memory size in pages.
    case memorySize
    /// Slot A = old size in pages after growing by slot B pages, or -1.
    case memoryGrow
    /// Copy from data segment w1: destination slot A, source offset slot B, length slot C.
    case memoryInit
    /// Drop data segment hi32.
    case dataDrop
    /// memory.copy: destination slot A, source slot B, length slot C.
    case memoryCopy
    /// memory.fill: destination slot A, byte value slot B, length slot C.
    case memoryFill

    // MARK: Tables and references (w1 = table index unless noted)

    /// Slot A = table[w1][slot B].
    case tableGet
    /// table[w1][slot A] = slot B.
    case tableSet
    /// Slot A = size of table w1.
    case tableSize
    /// Slot A = old size after growing table w1 by slot C elements initialised to slot B, or -1.
    case tableGrow
    /// Fill table w1 from index slot A, value slot B, count slot C.
    case tableFill
    /// table.copy: destination slot A, source slot B, count slot C; w1 = dst table | src table << 32.
    case tableCopy
    /// table.init: destination slot A, source slot B, count slot C; w1 = table | element segment << 32.
    case tableInit
    /// Drop element segment hi32.
    case elemDrop
    /// Slot A = reference to function hi32 (module function index).
    case refFunc

    // MARK: Numeric (unary: A = op B; binary: A = B op C), same semantics as the Wasm instruction

    /// i32.eqz
    case i32Eqz
    /// i32.eq
    case i32Eq
    /// i32.ne
    case i32Ne
    /// i32.lt_s
    case i32LtS
    /// i32.lt_u
    case i32LtU
    /// i32.gt_s
    case i32GtS
    /// i32.gt_u
    case i32GtU
    /// i32.le_s
    case i32LeS
    /// i32.le_u
    case i32LeU
    /// i32.ge_s
    case i32GeS
    /// i32.ge_u
    case i32GeU
    /// i64.eqz (also ref.is_null: null references are 0)
    case i64Eqz
    /// i64.eq
    case i64Eq
    /// i64.ne
    case i64Ne
    /// i64.lt_s
    case i64LtS
    /// i64.lt_u
    case i64LtU
    /// i64.gt_s
    case i64GtS
    /// i64.gt_u
    case i64GtU
    /// i64.le_s
    case i64LeS
    /// i64.le_u
    case i64LeU
    /// i64.ge_s
    case i64GeS
    /// i64.ge_u
    case i64GeU
    /// f32.eq
    case f32Eq
    /// f32.ne
    case f32Ne
    /// f32.lt
    case f32Lt
    /// f32.gt
    case f32Gt
    /// f32.le
    case f32Le
    /// f32.ge
    case f32Ge
    /// f64.eq
    case f64Eq
    /// f64.ne
    case f64Ne
    /// f64.lt
    case f64Lt
    /// f64.gt
    case f64Gt
    /// f64.le
    case f64Le
    /// f64.ge
    case f64Ge
    /// i32.clz
    case i32Clz
    /// i32.ctz
    case i32Ctz
    /// i32.popcnt
    case i32Popcnt
    /// i32.add
    case i32Add
    /// i32.sub
    case i32Sub
    /// i32.mul
    case i32Mul
    /// i32.div_s
    case i32DivS
    /// i32.div_u
    case i32DivU
    /// i32.rem_s
    case i32RemS
    /// i32.rem_u
    case i32RemU
    /// i32.and
    case i32And
    /// i32.or
    case i32Or
    /// i32.xor
    case i32Xor
    /// i32.shl
    case i32Shl
    /// i32.shr_s
    case i32ShrS
    /// i32.shr_u
    case i32ShrU
    /// i32.rotl
    case i32Rotl
    /// i32.rotr
    case i32Rotr
    /// i64.clz
    case i64Clz
    /// i64.ctz
    case i64Ctz
    /// i64.popcnt
    case i64Popcnt
    /// i64.add
    case i64Add
    /// i64.sub
    case i64Sub
    /// i64.mul
    case i64Mul
    /// i64.div_s
    case i64DivS
    /// i64.div_u
    case i64DivU
    /// i64.rem_s
    case i64RemS
    /// i64.rem_u
    case i64RemU
    /// i64.and
    case i64And
    /// i64.or
    case i64Or
    /// i64.xor
    case i64Xor
    /// i64.shl
    case i64Shl
    /// i64.shr_s
    case i64ShrS
    /// i64.shr_u
    case i64ShrU
    /// i64.rotl
    case i64Rotl
    /// i64.rotr
    case i64Rotr
    /// f32.abs
    case f32Abs
    /// f32.neg
    case f32Neg
    /// f32.ceil
    case f32Ceil
    /// f32.floor
    case f32Floor
    /// f32.trunc
    case f32Trunc
    /// f32.nearest
    case f32Nearest
    /// f32.sqrt
    case f32Sqrt
    /// f32.add
    case f32Add
    /// f32.sub
    case f32Sub
    /// f32.mul
    case f32Mul
    /// f32.div
    case f32Div
    /// f32.min
    case f32Min
    /// f32.max
    case f32Max
    /// f32.copysign
    case f32Copysign
    /// f64.abs
    case f64Abs
    /// f64.neg
    case f64Neg
    /// f64.ceil
    case f64Ceil
    /// f64.floor
    case f64Floor
    /// f64.trunc
    case f64Trunc
    /// f64.nearest
    case f64Nearest
    /// f64.sqrt
    case f64Sqrt
    /// f64.add
    case f64Add
    /// f64.sub
    case f64Sub
    /// f64.mul
    case f64Mul
    /// f64.div
    case f64Div
    /// f64.min
    case f64Min
    /// f64.max
    case f64Max
    /// f64.copysign
    case f64Copysign
    /// i32.wrap_i64
    case i32WrapI64
    /// i32.trunc_f32_s
    case i32TruncF32S
    /// i32.trunc_f32_u
    case i32TruncF32U
    /// i32.trunc_f64_s
    case i32TruncF64S
    /// i32.trunc_f64_u
    case i32TruncF64U
    /// i64.extend_i32_s
    case i64ExtendI32S
    /// i64.extend_i32_u
    case i64ExtendI32U
    /// i64.trunc_f32_s
    case i64TruncF32S
    /// i64.trunc_f32_u
    case i64TruncF32U
    /// i64.trunc_f64_s
    case i64TruncF64S
    /// i64.trunc_f64_u
    case i64TruncF64U
    /// f32.convert_i32_s
    case f32ConvertI32S
    /// f32.convert_i32_u
    case f32ConvertI32U
    /// f32.convert_i64_s
    case f32ConvertI64S
    /// f32.convert_i64_u
    case f32ConvertI64U
    /// f32.demote_f64
    case f32DemoteF64
    /// f64.convert_i32_s
    case f64ConvertI32S
    /// f64.convert_i32_u
    case f64ConvertI32U
    /// f64.convert_i64_s
    case f64ConvertI64S
    /// f64.convert_i64_u
    case f64ConvertI64U
    /// f64.promote_f32
    case f64PromoteF32
    /// i32.reinterpret_f32 (a bit copy of the low 32 bits)
    case i32ReinterpretF32
    /// i64.reinterpret_f64 (a copy)
    case i64ReinterpretF64
    /// f32.reinterpret_i32 (a bit copy of the low 32 bits)
    case f32ReinterpretI32
    /// f64.reinterpret_i64 (a copy)
    case f64ReinterpretI64
    /// i32.extend8_s
    case i32Extend8S
    /// i32.extend16_s
    case i32Extend16S
    /// i64.extend8_s
    case i64Extend8S
    /// i64.extend16_s
    case i64Extend16S
    /// i64.extend32_s
    case i64Extend32S
    /// i32.trunc_sat_f32_s
    case i32TruncSatF32S
    /// i32.trunc_sat_f32_u
    case i32TruncSatF32U
    /// i32.trunc_sat_f64_s
    case i32TruncSatF64S
    /// i32.trunc_sat_f64_u
    case i32TruncSatF64U
    /// i64.trunc_sat_f32_s
    case i64TruncSatF32S
    /// i64.trunc_sat_f32_u
    case i64TruncSatF32U
    /// i64.trunc_sat_f64_s
    case i64TruncSatF64S
    /// i64.trunc_sat_f64_u
    case i64TruncSatF64U

    // MARK: Binary operations with a constant right operand (A = B op w1)

    /// i32.add with constant
    case i32AddImm
    /// i32.sub with constant
    case i32SubImm
    /// i32.mul with constant
    case i32MulImm
    /// i32.and with constant
    case i32AndImm
    /// i32.or with constant
    case i32OrImm
    /// i32.xor with constant
    case i32XorImm
    /// i32.shl with constant
    case i32ShlImm
    /// i32.shr_s with constant
    case i32ShrSImm
    /// i32.shr_u with constant
    case i32ShrUImm
    /// i32.eq with constant
    case i32EqImm
    /// i32.ne with constant
    case i32NeImm
    /// i32.lt_s with constant
    case i32LtSImm
    /// i32.lt_u with constant
    case i32LtUImm
    /// i32.gt_s with constant
    case i32GtSImm
    /// i32.gt_u with constant
    case i32GtUImm
    /// i32.le_s with constant
    case i32LeSImm
    /// i32.le_u with constant
    case i32LeUImm
    /// i32.ge_s with constant
    case i32GeSImm
    /// i32.ge_u with constant
    case i32GeUImm
    /// i64.add with constant
    case i64AddImm
    /// i64.sub with constant
    case i64SubImm
    /// i64.and with constant
    case i64AndImm
    /// i64.or with constant
    case i64OrImm
    /// i64.xor with constant
    case i64XorImm
    /// i64.shl with constant
    case i64ShlImm
    /// i64.shr_u with constant
    case i64ShrUImm
    /// i64.shr_s with constant
    case i64ShrSImm
    /// i64.mul with constant
    case i64MulImm
    /// i64.eq with constant
    case i64EqImm
    /// i64.ne with constant
    case i64NeImm
    /// i64.lt_u with constant
    case i64LtUImm
    /// i64.gt_u with constant
    case i64GtUImm
    /// i64.lt_s with constant
    case i64LtSImm
    /// i64.gt_s with constant
    case i64GtSImm

    // MARK: Stores of constants (A = address slot, w1 = offset | value << 32)

    /// Store the constant i32 (w1 >> 32) at address A + (w1 & 0xFFFFFFFF).
    case i32StoreImm
    /// Store the constant's low 8 bits.
    case i32Store8Imm
    /// Store the constant's low 16 bits.
    case i32Store16Imm
    /// Store the constant sign-extended to 64 bits.
    case i64StoreImm

    // MARK: Compare and branch (A, B = operands or A and hi32 = constant; i64 forms compare two
    // slots). The second word holds
    // the signed offset in its low half and, for a backward branch in metered code, the fuel of
    // the loop head's block (whose `fuel` instruction the branch skips) in its high half.
    // A taken backward branch also runs the interrupt countdown.

    /// Branch if i32 A == B.
    case brIfI32Eq
    /// Branch if i32 A != B.
    case brIfI32Ne
    /// Branch if i32 A < B (signed).
    case brIfI32LtS
    /// Branch if i32 A < B (unsigned).
    case brIfI32LtU
    /// Branch if i32 A > B (signed).
    case brIfI32GtS
    /// Branch if i32 A > B (unsigned).
    case brIfI32GtU
    /// Branch if i32 A <= B (signed).
    case brIfI32LeS
    /// Branch if i32 A <= B (unsigned).
    case brIfI32LeU
    /// Branch if i32 A >= B (signed).
    case brIfI32GeS
    /// Branch if i32 A >= B (unsigned).
    case brIfI32GeU
    /// Branch if i32 A == hi32.
    case brIfI32EqImm
    /// Branch if i32 A != hi32.
    case brIfI32NeImm
    /// Branch if i32 A < hi32 (signed).
    case brIfI32LtSImm
    /// Branch if i32 A < hi32 (unsigned).
    case brIfI32LtUImm
    /// Branch if i32 A > hi32 (signed).
    case brIfI32GtSImm
    /// Branch if i32 A > hi32 (unsigned).
    case brIfI32GtUImm
    /// Branch if i32 A <= hi32 (signed).
    case brIfI32LeSImm
    /// Branch if i32 A <= hi32 (unsigned).
    case brIfI32LeUImm
    /// Branch if i32 A >= hi32 (signed).
    case brIfI32GeSImm
    /// Branch if i32 A >= hi32 (unsigned).
    case brIfI32GeUImm
    /// Branch if i64 A == B.
    case brIfI64Eq
    /// Branch if i64 A != B.
    case brIfI64Ne
    /// Branch if i64 A < B (signed).
    case brIfI64LtS
    /// Branch if i64 A < B (unsigned).
    case brIfI64LtU
    /// Branch if i64 A > B (signed).
    case brIfI64GtS
    /// Branch if i64 A > B (unsigned).
    case brIfI64GtU
    /// Branch if i64 A <= B (signed).
    case brIfI64LeS
    /// Branch if i64 A <= B (unsigned).
    case brIfI64LeU
    /// Branch if i64 A >= B (signed).
    case brIfI64GeS
    /// Branch if i64 A >= B (unsigned).
    case brIfI64GeU

    // MARK: Super-instructions (common pairs, fused by the lowering)

    /// Slot 0 = slot A, then return (the single result moved into place).
    case retCopy
    /// If (i32 A & hi32) != 0, jump by w1 words (w1 as in compare-and-branch).
    case brIfAnd
    /// If (i32 A & hi32) == 0, jump by w1 words (w1 as in compare-and-branch).
    case brIfNotAnd
    /// Slot A = slot B; slot (w1 & 0xFFFF) = slot (w1 >> 16 & 0xFFFF).
    case copy2
    /// Slot A = low half of w1; slot B = high half of w1 (32-bit constants, zero-extended).
    case const32x2
    /// If (i32 A & B) == C (B and C 16-bit constants), jump by w1 words (as compare-and-branch).
    case brIfAndEq
    /// If (i32 A & B) != C (B and C 16-bit constants), jump by w1 words (as compare-and-branch).
    case brIfAndNe
    /// Slot A = slot B (i32) != 0 ? low half of w1 : high half of w1 (constants zero-extended).
    case selectImm
    /// Slot A = i32 slot B + (i32 slot C << w1).
    case i32AddShl
    /// Global hi32 (i32) += w1 (as i32, wrapping); slot A = the new value (stack-pointer prologues).
    case globalAddImm
    /// Global hi32 = i32 slot A + w1 (wrapping) (stack-pointer epilogues).
    case globalSetAddImm
    /// Consecutive 32-bit stores (i32 or f32) to one base: address slot A, B stores (at least
    /// two), C = the largest offset. Followed by B words, each `value slot | offset << 32`
    /// (offsets below 65536), stored in order (register spills, structure set-up).
    case i32StoreRun
    /// Slot A = i32 load from address ((i32 slot B << C) + low half of w1, wrapping to 32 bits)
    /// + high half of w1 (a table or array lookup: the address's shift and add fused in).
    case i32LoadIndexed
    /// Slot A = zero-extended 8-bit load from the address `i32LoadIndexed` computes.
    case i32Load8UIndexed
    /// Slot A = i32 load from address (i32 slot B + (i32 slot C << low half of w1), wrapping to
    /// 32 bits) + high half of w1 (a base plus a scaled index, fused into the load).
    case i32LoadAddShl
    /// Slot A = zero-extended 8-bit load from the address `i32LoadAddShl` computes.
    case i32Load8UAddShl
    /// Slot A = (i32 slot B << C) + w1, wrapping (a scaled index plus a constant).
    case i32ShlAddImm
    /// Slot A = i32 load from address (i32 load from address slot B + low half of w1) + high
    /// half of w1 (following a pointer: a load whose address was just loaded).
    case i32LoadLoad
    /// Slot A = i32 slot B + low half of w1; then slot C += high half of w1 (two constant
    /// adds, the second in place: counters and pointers stepped together).
    case i32AddImm2
    /// Slot A = slot B, then jump back by the low half of w1 (signed) to a loop head, charging
    /// w1's high half of fuel as `brBack` does (a loop's phi move fused into its back edge).
    case copyBrBack
    /// Slot A = i32 load from address (zero-extended byte at slot B + low half of w1) << C + high
    /// half of w1: a table indexed by a byte just loaded (a bytecode interpreter's dispatch).
    case i32LoadByteIndexed
    /// Slot A = i32 slot B + C (a signed 16-bit constant), then jump back by the low half of w1
    /// (signed) to a loop head, charging w1's high half of fuel as `brBack` does.
    case addImmBrBack
    /// Jump by hi32 words after charging A units of fuel: a forward `br` in metered code whose
    /// target block's `fuel` instruction it skips (see `brBack`).
    case brCharge
    /// Jump table on index (i32 slot A + w1, wrapping): `brTable` whose index was computed by
    /// adding a constant. hi32 = count; the count+1 offsets follow w1.
    case brTableAdd
    /// Slot A = i32 slot B + the i32 loaded from address (i32 slot C + low half of w1, wrapping
    /// to 32 bits) + high half of w1: an add whose right operand a plain load had just produced
    /// (the load, and a constant added to its address, fused in).
    case i32AddLoad
    /// Slot A = i64 slot B + the i64 loaded from the address `i32AddLoad` computes.
    case i64AddLoad
    /// Slot A = f32 slot B + the f32 loaded from the address `i32AddLoad` computes.
    case f32AddLoad
    /// Slot A = f32 slot B * the f32 loaded from the address `i32AddLoad` computes.
    case f32MulLoad
    /// Slot A = f64 slot B + the f64 loaded from the address `i32AddLoad` computes.
    case f64AddLoad
    /// Slot A = f64 slot B * the f64 loaded from the address `i32AddLoad` computes.
    case f64MulLoad
    /// Slot A = i32 slot B + the low half of w2 (wrapping); if that sum differs from w2's high
    /// half, jump by w1 as a compare-and-branch does, else continue past the three words (a
    /// counted loop's step and exit test in one instruction).
    case addImmBrIfNeImm
    /// Slot A = i32 slot B + the low half of w2 (wrapping); if that sum differs from i32 slot C
    /// (never A), jump by w1 as a compare-and-branch does, else continue past the three words.
    case addImmBrIfNe
    /// Slots A and C = i32 slot B + the low half of w1 (wrapping): a sum kept in two locals
    /// (`local.tee a; local.set c`).
    case i32AddImmTee
    /// Slot A = slot B, then jump forward by w1's low half: a block's last move and its `br`
    /// (the branch word's fuel half stays 0: forward jumps charge nothing).
    case copyBr
    /// Slot A = the i64 loaded from the address `i32LoadAddShl` computes: (i32 slot B + (i32
    /// slot C << the low half of w1), wrapping to 32 bits) + the high half of w1.
    case i64LoadAddShl
    /// Jump forward by hi32 words if the byte at i32 slot A + w1 is not 0, else continue past
    /// both words: `if (flags[i])`, a byte load and the branch on it.
    case brIfByte
    /// Jump forward by hi32 words if the byte at i32 slot A + w1 is 0 (as `brIfByte`).
    case brIfNotByte
    /// Slot A = the i32 loaded from ((i32 slot B & the low half of w1) << C) + the high half
    /// of w1: a table lookup by a masked index (`table[(x ^ y) & 255]`). Lowered only where
    /// the sum cannot pass 2^32, so it needs no wrap.
    case i32LoadMaskedIndexed
    /// Jump by w1 (as a compare-and-branch does) if the byte at (i32 slot A + i32 slot C,
    /// wrapping to 32 bits) + the low half of w2 equals the byte at (slot B + slot C, wrapping)
    /// + the high half of w2; else continue past the three words. Two byte loads at one index
    /// and their compare (`memcmp`-style loops).
    case brIfBytesEq
    /// As `brIfBytesEq`, jumping when the two bytes differ.
    case brIfBytesNe
    /// Slot A = i64 slot B + w2 (wrapping); if that sum differs from i64 slot C (never A), jump
    /// by w1 as a compare-and-branch does, else continue past the three words.
    case i64AddImmBrIfNe
    /// Slot A = i64 slot B + w2 (wrapping); jump by w1 if that sum is below i64 slot C (never A),
    /// unsigned, else continue past the three words.
    case i64AddImmBrIfLtU
    /// Slot A = i64 slot B + i64 slot w2 (wrapping); if that sum differs from i64 slot C (never
    /// A), jump by w1 as a compare-and-branch does, else continue past the three words.
    case i64AddBrIfNe
    /// Slot A = i64 slot B + i64 slot w2 (wrapping); jump by w1 if that sum is below i64 slot C
    /// (never A), unsigned, else continue past the three words.
    case i64AddBrIfLtU
    /// Slot A = i32 slot B ^ (i32 slot C << w1): an xor with an operand shifted just before
    /// (hashes, xorshift generators).
    case i32XorShl
    /// Slot A = i32 slot B ^ (i32 slot C >> w1), unsigned (table-driven CRCs).
    case i32XorShrU
    /// Slot A = i32 slot B | (i32 slot C << w1) (bytes and bit fields assembled into a word).
    case i32OrShl
    /// Slot A = i32 slot B | (i32 slot C >> w1), unsigned.
    case i32OrShrU
    /// Add i32 slot B to the i32 at the address `i32AddLoad` computes (from slot C and w1), in
    /// memory: `a[i] += x`, an `i32AddLoad` whose sum is stored back where it was loaded.
    case i32AddInPlace
    /// Add i64 slot B to the i64 in memory (as `i32AddInPlace`).
    case i64AddInPlace
    /// Add f32 slot B to the f32 in memory (as `i32AddInPlace`; the loaded value on the right).
    case f32AddInPlace
    /// Add f64 slot B to the f64 in memory (as `i32AddInPlace`; the loaded value on the right).
    case f64AddInPlace
    /// Multiply-accumulate into memory, `c[j] += x * b[j]`: the f32 at address (i32 slot C + the
    /// low half of w2, wrapping to 32 bits) + the high half of w2 becomes (f32 slot B * the f32
    /// loaded from (slot A + the low half of w1, wrapping) + the high half of w1) + its old value.
    /// An `f32MulLoad` whose product only an `f32AddInPlace` read, so the product is never stored.
    case f32MulAddInPlace
    /// Multiply-accumulate into memory on f64 values (as `f32MulAddInPlace`).
    case f64MulAddInPlace

    // MARK: Interception (embedder hooks, see `Store.intercept`)

    /// Run the embedder's entry hook hi32, then continue.
    case hookEnter
    /// Run the embedder's exit hook hi32, then continue.
    case hookExit
    /// Call the wrapped function record whose store id is w1 with arguments at slot A.
    case callRecord

    // MARK: Calls known to stay in the instance

    /// `call` of a function the module defines (not an import), so the callee's instance is
    /// the caller's: hi32 = function index, A = argument base, as `call`.
    case callLocal

    // MARK: Dispatch of a bytecode interpreter

    /// Jump table on index (the i32 that `i32LoadByteIndexed` would load: from address
    /// (zero-extended byte at i32 slot A + low half of w1) << the low half of w2, + high half
    /// of w1) + the high half of w2, wrapping. hi32 = count; the count+1 entries follow w2, as
    /// `brTable`'s. A bytecode interpreter's fetch, table lookup and `switch` in one
    /// instruction, so the looked-up index never goes through a slot.
    case brTableByteIndexed

    // MARK: Forward conditional branches that charge their target's fuel (metered code)

    /// If slot A (i32) is non-zero, charge B units of fuel and jump by C words (signed 16
    /// bits), past the target block's `fuel` instruction; else continue. Out of fuel, it stops
    /// with pc still here.
    case brIfCharge
    /// If slot A (i32) is zero, charge B units of fuel and jump by C words (as `brIfCharge`).
    case brIfNotCharge

    // MARK: Induction variables

    /// Slot A = i32 slot B + i32 slot C; then slot (w1 & 0xFFFF) += the high half of w1 (i32):
    /// a sum followed by a constant step in place, as the pointers and counters a compiler's
    /// strength reduction steps together at the end of a loop body.
    case i32AddAddImm
}
