#!/usr/bin/env python3
"""Generates the WebAssembly opcode table used by the decoder, validator and lowering.

The instruction set is kept as data here: one row per Wasm instruction with its encoding,
its immediates and, for instructions with a fixed stack effect, its signature. Running this
script writes `Sources/WasmInterpreter/Instructions/WasmOpcode.generated.swift`.

    python3 Scripts/generate-opcodes.py          # regenerate
    python3 Scripts/generate-opcodes.py --check  # fail if the committed file is stale
"""
import os
import sys

# (mnemonic, encoding, immediate kind, signature or None)
# encoding: a byte, or (prefix, sub-opcode) for 0xFC-prefixed instructions.
# immediate kinds are cases of `WasmImmediateKind` in the generated file.
# signature "a b -> c" means pops [a b] (b on top) and pushes [c]; None = special validation.
OPCODES = [
    # Control (https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions)
    ("unreachable", 0x00, "none", None),
    ("nop", 0x01, "none", " -> "),
    ("block", 0x02, "blockType", None),
    ("loop", 0x03, "blockType", None),
    ("if", 0x04, "blockType", None),
    ("else", 0x05, "none", None),
    ("throw", 0x08, "tag", None),
    ("throw_ref", 0x0A, "none", None),
    ("end", 0x0B, "none", None),
    ("br", 0x0C, "label", None),
    ("br_if", 0x0D, "label", None),
    ("br_table", 0x0E, "brTable", None),
    ("return", 0x0F, "none", None),
    ("call", 0x10, "function", None),
    ("call_indirect", 0x11, "callIndirect", None),
    ("return_call", 0x12, "function", None),
    ("return_call_indirect", 0x13, "callIndirect", None),
    ("try_table", 0x1F, "tryTable", None),
    # Parametric
    ("drop", 0x1A, "none", None),
    ("select", 0x1B, "none", None),
    ("select_t", 0x1C, "selectTypes", None),
    # Variables
    ("local.get", 0x20, "local", None),
    ("local.set", 0x21, "local", None),
    ("local.tee", 0x22, "local", None),
    ("global.get", 0x23, "global", None),
    ("global.set", 0x24, "global", None),
    # Tables
    ("table.get", 0x25, "table", None),
    ("table.set", 0x26, "table", None),
    ("table.init", (0xFC, 12), "tableInit", None),
    ("elem.drop", (0xFC, 13), "elem", None),
    ("table.copy", (0xFC, 14), "tableCopy", None),
    ("table.grow", (0xFC, 15), "table", None),
    ("table.size", (0xFC, 16), "table", None),
    ("table.fill", (0xFC, 17), "table", None),
    # Memory
    ("i32.load", 0x28, "memarg", "i32 -> i32"),
    ("i64.load", 0x29, "memarg", "i32 -> i64"),
    ("f32.load", 0x2A, "memarg", "i32 -> f32"),
    ("f64.load", 0x2B, "memarg", "i32 -> f64"),
    ("i32.load8_s", 0x2C, "memarg", "i32 -> i32"),
    ("i32.load8_u", 0x2D, "memarg", "i32 -> i32"),
    ("i32.load16_s", 0x2E, "memarg", "i32 -> i32"),
    ("i32.load16_u", 0x2F, "memarg", "i32 -> i32"),
    ("i64.load8_s", 0x30, "memarg", "i32 -> i64"),
    ("i64.load8_u", 0x31, "memarg", "i32 -> i64"),
    ("i64.load16_s", 0x32, "memarg", "i32 -> i64"),
    ("i64.load16_u", 0x33, "memarg", "i32 -> i64"),
    ("i64.load32_s", 0x34, "memarg", "i32 -> i64"),
    ("i64.load32_u", 0x35, "memarg", "i32 -> i64"),
    ("i32.store", 0x36, "memarg", "i32 i32 -> "),
    ("i64.store", 0x37, "memarg", "i32 i64 -> "),
    ("f32.store", 0x38, "memarg", "i32 f32 -> "),
    ("f64.store", 0x39, "memarg", "i32 f64 -> "),
    ("i32.store8", 0x3A, "memarg", "i32 i32 -> "),
    ("i32.store16", 0x3B, "memarg", "i32 i32 -> "),
    ("i64.store8", 0x3C, "memarg", "i32 i64 -> "),
    ("i64.store16", 0x3D, "memarg", "i32 i64 -> "),
    ("i64.store32", 0x3E, "memarg", "i32 i64 -> "),
    ("memory.size", 0x3F, "memory", "-> i32"),
    ("memory.grow", 0x40, "memory", "i32 -> i32"),
    ("memory.init", (0xFC, 8), "memoryInit", "i32 i32 i32 -> "),
    ("data.drop", (0xFC, 9), "data", " -> "),
    ("memory.copy", (0xFC, 10), "memoryCopy", "i32 i32 i32 -> "),
    ("memory.fill", (0xFC, 11), "memory", "i32 i32 i32 -> "),
    # Constants
    ("i32.const", 0x41, "i32", "-> i32"),
    ("i64.const", 0x42, "i64", "-> i64"),
    ("f32.const", 0x43, "f32", "-> f32"),
    ("f64.const", 0x44, "f64", "-> f64"),
    # References
    ("ref.null", 0xD0, "heapType", None),
    ("ref.is_null", 0xD1, "none", None),
    ("ref.func", 0xD2, "function", None),
]

NUMERIC = """
i32.eqz 45 i32 -> i32
i32.eq 46 i32 i32 -> i32
i32.ne 47 i32 i32 -> i32
i32.lt_s 48 i32 i32 -> i32
i32.lt_u 49 i32 i32 -> i32
i32.gt_s 4A i32 i32 -> i32
i32.gt_u 4B i32 i32 -> i32
i32.le_s 4C i32 i32 -> i32
i32.le_u 4D i32 i32 -> i32
i32.ge_s 4E i32 i32 -> i32
i32.ge_u 4F i32 i32 -> i32
i64.eqz 50 i64 -> i32
i64.eq 51 i64 i64 -> i32
i64.ne 52 i64 i64 -> i32
i64.lt_s 53 i64 i64 -> i32
i64.lt_u 54 i64 i64 -> i32
i64.gt_s 55 i64 i64 -> i32
i64.gt_u 56 i64 i64 -> i32
i64.le_s 57 i64 i64 -> i32
i64.le_u 58 i64 i64 -> i32
i64.ge_s 59 i64 i64 -> i32
i64.ge_u 5A i64 i64 -> i32
f32.eq 5B f32 f32 -> i32
f32.ne 5C f32 f32 -> i32
f32.lt 5D f32 f32 -> i32
f32.gt 5E f32 f32 -> i32
f32.le 5F f32 f32 -> i32
f32.ge 60 f32 f32 -> i32
f64.eq 61 f64 f64 -> i32
f64.ne 62 f64 f64 -> i32
f64.lt 63 f64 f64 -> i32
f64.gt 64 f64 f64 -> i32
f64.le 65 f64 f64 -> i32
f64.ge 66 f64 f64 -> i32
i32.clz 67 i32 -> i32
i32.ctz 68 i32 -> i32
i32.popcnt 69 i32 -> i32
i32.add 6A i32 i32 -> i32
i32.sub 6B i32 i32 -> i32
i32.mul 6C i32 i32 -> i32
i32.div_s 6D i32 i32 -> i32
i32.div_u 6E i32 i32 -> i32
i32.rem_s 6F i32 i32 -> i32
i32.rem_u 70 i32 i32 -> i32
i32.and 71 i32 i32 -> i32
i32.or 72 i32 i32 -> i32
i32.xor 73 i32 i32 -> i32
i32.shl 74 i32 i32 -> i32
i32.shr_s 75 i32 i32 -> i32
i32.shr_u 76 i32 i32 -> i32
i32.rotl 77 i32 i32 -> i32
i32.rotr 78 i32 i32 -> i32
i64.clz 79 i64 -> i64
i64.ctz 7A i64 -> i64
i64.popcnt 7B i64 -> i64
i64.add 7C i64 i64 -> i64
i64.sub 7D i64 i64 -> i64
i64.mul 7E i64 i64 -> i64
i64.div_s 7F i64 i64 -> i64
i64.div_u 80 i64 i64 -> i64
i64.rem_s 81 i64 i64 -> i64
i64.rem_u 82 i64 i64 -> i64
i64.and 83 i64 i64 -> i64
i64.or 84 i64 i64 -> i64
i64.xor 85 i64 i64 -> i64
i64.shl 86 i64 i64 -> i64
i64.shr_s 87 i64 i64 -> i64
i64.shr_u 88 i64 i64 -> i64
i64.rotl 89 i64 i64 -> i64
i64.rotr 8A i64 i64 -> i64
f32.abs 8B f32 -> f32
f32.neg 8C f32 -> f32
f32.ceil 8D f32 -> f32
f32.floor 8E f32 -> f32
f32.trunc 8F f32 -> f32
f32.nearest 90 f32 -> f32
f32.sqrt 91 f32 -> f32
f32.add 92 f32 f32 -> f32
f32.sub 93 f32 f32 -> f32
f32.mul 94 f32 f32 -> f32
f32.div 95 f32 f32 -> f32
f32.min 96 f32 f32 -> f32
f32.max 97 f32 f32 -> f32
f32.copysign 98 f32 f32 -> f32
f64.abs 99 f64 -> f64
f64.neg 9A f64 -> f64
f64.ceil 9B f64 -> f64
f64.floor 9C f64 -> f64
f64.trunc 9D f64 -> f64
f64.nearest 9E f64 -> f64
f64.sqrt 9F f64 -> f64
f64.add A0 f64 f64 -> f64
f64.sub A1 f64 f64 -> f64
f64.mul A2 f64 f64 -> f64
f64.div A3 f64 f64 -> f64
f64.min A4 f64 f64 -> f64
f64.max A5 f64 f64 -> f64
f64.copysign A6 f64 f64 -> f64
i32.wrap_i64 A7 i64 -> i32
i32.trunc_f32_s A8 f32 -> i32
i32.trunc_f32_u A9 f32 -> i32
i32.trunc_f64_s AA f64 -> i32
i32.trunc_f64_u AB f64 -> i32
i64.extend_i32_s AC i32 -> i64
i64.extend_i32_u AD i32 -> i64
i64.trunc_f32_s AE f32 -> i64
i64.trunc_f32_u AF f32 -> i64
i64.trunc_f64_s B0 f64 -> i64
i64.trunc_f64_u B1 f64 -> i64
f32.convert_i32_s B2 i32 -> f32
f32.convert_i32_u B3 i32 -> f32
f32.convert_i64_s B4 i64 -> f32
f32.convert_i64_u B5 i64 -> f32
f32.demote_f64 B6 f64 -> f32
f64.convert_i32_s B7 i32 -> f64
f64.convert_i32_u B8 i32 -> f64
f64.convert_i64_s B9 i64 -> f64
f64.convert_i64_u BA i64 -> f64
f64.promote_f32 BB f32 -> f64
i32.reinterpret_f32 BC f32 -> i32
i64.reinterpret_f64 BD f64 -> i64
f32.reinterpret_i32 BE i32 -> f32
f64.reinterpret_i64 BF i64 -> f64
i32.extend8_s C0 i32 -> i32
i32.extend16_s C1 i32 -> i32
i64.extend8_s C2 i64 -> i64
i64.extend16_s C3 i64 -> i64
i64.extend32_s C4 i64 -> i64
i32.trunc_sat_f32_s FC00 f32 -> i32
i32.trunc_sat_f32_u FC01 f32 -> i32
i32.trunc_sat_f64_s FC02 f64 -> i32
i32.trunc_sat_f64_u FC03 f64 -> i32
i64.trunc_sat_f32_s FC04 f32 -> i64
i64.trunc_sat_f32_u FC05 f32 -> i64
i64.trunc_sat_f64_s FC06 f64 -> i64
i64.trunc_sat_f64_u FC07 f64 -> i64
"""

# Which feature (for `sandpiper inspect`) an instruction belongs to, by mnemonic.
FEATURES = {
    "sign-extension": ["i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s"],
    "non-trapping float-to-int": [n for n in NUMERIC.split() if "trunc_sat" in n],
    "bulk memory": ["memory.init", "data.drop", "memory.copy", "memory.fill"],
    "reference types": ["table.get", "table.set", "table.init", "elem.drop", "table.copy", "table.grow",
                        "table.size", "table.fill", "ref.null", "ref.is_null", "ref.func", "select_t"],
    "exception handling": ["throw", "throw_ref", "try_table"],
    "tail calls": ["return_call", "return_call_indirect"],
}


SWIFT_KEYWORDS = {"if", "else", "throw", "return"}


def camel(mnemonic):
    parts = mnemonic.replace(".", "_").split("_")
    name = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def rows():
    out = []
    for name, enc, imm, sig in OPCODES:
        out.append((name, enc, imm, sig, False))
    for line in NUMERIC.strip().splitlines():
        parts = line.split()
        name, code = parts[0], parts[1]
        sig = " ".join(parts[2:])
        enc = (0xFC, int(code[2:], 16)) if code.startswith("FC") else int(code, 16)
        out.append((name, enc, "none", sig, True))
    return out


def value_type(t):
    return {"i32": ".i32", "i64": ".i64", "f32": ".f32", "f64": ".f64"}[t]


def main():
    table = rows()
    lines = []
    w = lines.append
    w("// Generated by Scripts/generate-opcodes.py from its opcode table; do not edit by hand.")
    w("// https://webassembly.github.io/spec/core/binary/instructions.html")
    w("")
    w("/// Every WebAssembly instruction Sandpiper decodes, one case per opcode.")
    w("///")
    w("/// Single-byte opcodes use their byte as raw value; `0xFC`-prefixed ones use `0x100 + sub-opcode`.")
    w("public enum WasmOpcode: UInt16, Sendable, CaseIterable {")
    for name, enc, imm, sig, numeric in table:
        raw = enc if isinstance(enc, int) else 0x100 + enc[1]
        w(f"    /// `{name}`")
        w(f"    case {camel(name)} = 0x{raw:03X}")
    w("}")
    w("")
    w("/// The kind of immediate operand that follows an opcode in the binary format.")
    w("public enum WasmImmediateKind: Sendable {")
    kinds = sorted({imm for _, _, imm, _, _ in table})
    for k in kinds:
        w(f"    /// Immediate `{k}`.")
        w(f"    case {k}")
    w("}")
    w("")
    w("/// A fixed stack effect: operand types popped (last on top) and result types pushed.")
    w("public struct WasmSignature: Sendable {")
    w("    /// Popped operand types, bottom first.")
    w("    public let operands: [ValueType]")
    w("    /// Pushed result types.")
    w("    public let results: [ValueType]")
    w("}")
    w("")
    w("extension WasmOpcode {")
    w("    /// The text-format mnemonic, such as `i32.add`.")
    w("    public var mnemonic: String {")
    w("        switch self {")
    for name, enc, imm, sig, numeric in table:
        w(f"        case .{camel(name)}: return \"{name}\"")
    w("        }")
    w("    }")
    w("")
    w("    /// The immediate operands that follow the opcode.")
    w("    public var immediateKind: WasmImmediateKind {")
    w("        switch self {")
    for name, enc, imm, sig, numeric in table:
        w(f"        case .{camel(name)}: return .{imm}")
    w("        }")
    w("    }")
    w("")
    w("    /// True for the arithmetic, comparison and conversion instructions with a fixed signature.")
    w("    public var isNumeric: Bool {")
    w("        switch self {")
    nums = [camel(n) for n, _, _, _, num in table if num]
    w("        case " + ", ".join("." + n for n in nums) + ": return true")
    w("        default: return false")
    w("        }")
    w("    }")
    w("")
    w("    /// The fixed stack effect, or nil where validation needs the immediates or the context.")
    w("    public var signature: WasmSignature? { Self.signatures[Int(rawValue)] }")
    w("")
    w("    /// Signatures indexed by raw value.")
    w("    static let signatures: [WasmSignature?] = {")
    w("        var table = [WasmSignature?](repeating: nil, count: 0x200)")
    for name, enc, imm, sig, numeric in table:
        if sig is None:
            continue
        raw = enc if isinstance(enc, int) else 0x100 + enc[1]
        lhs, rhs = sig.split("->")
        ops = ", ".join(value_type(t) for t in lhs.split())
        res = ", ".join(value_type(t) for t in rhs.split())
        w(f"        table[0x{raw:03X}] = WasmSignature(operands: [{ops}], results: [{res}])")
    w("        return table")
    w("    }()")
    w("")
    w("    /// Opcodes by their single-byte encoding (nil: not an instruction, or a prefix).")
    w("    static let singleByte: [WasmOpcode?] = {")
    w("        var table = [WasmOpcode?](repeating: nil, count: 256)")
    w("        for op in WasmOpcode.allCases where op.rawValue < 0x100 { table[Int(op.rawValue)] = op }")
    w("        return table")
    w("    }()")
    w("")
    w("    /// Opcodes by their `0xFC` sub-opcode.")
    w("    static let prefixedFC: [WasmOpcode?] = {")
    w("        var table = [WasmOpcode?](repeating: nil, count: 32)")
    w("        for op in WasmOpcode.allCases where op.rawValue >= 0x100 { table[Int(op.rawValue - 0x100)] = op }")
    w("        return table")
    w("    }()")
    w("")
    w("    /// The post-MVP feature an instruction belongs to, or nil for MVP instructions.")
    w("    public var feature: String? {")
    w("        switch self {")
    for feat, names in FEATURES.items():
        w("        case " + ", ".join("." + camel(n) for n in names) + f": return \"{feat}\"")
    w("        default: return nil")
    w("        }")
    w("    }")
    w("}")
    w("")
    text = "\n".join(lines)
    path = os.path.join(os.path.dirname(__file__), "..", "Sources", "WasmInterpreter", "Instructions",
                        "WasmOpcode.generated.swift")
    path = os.path.normpath(path)
    if "--check" in sys.argv:
        with open(path) as f:
            if f.read() != text:
                print(f"{path} is stale: run python3 Scripts/generate-opcodes.py")
                sys.exit(1)
        print("up to date")
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path} ({len(table)} opcodes)")


if __name__ == "__main__":
    main()
