import Testing
@testable import WasmInterpreter

/// `x ^ (y << k)`, `x ^ (y >> k)`, `x | (y << k)` and `x | (y >> k)` (either operand order)
/// lower to one `i32XorShl`, `i32XorShrU`, `i32OrShl` or `i32OrShrU`, which must give the bits
/// the shift and the op give, for every shift amount (Wasm takes it modulo 32).
@Suite("Shifts fused into xor and or")
struct ShiftFusionTests {
    /// One case: the op's and the shift's encodings and the fused op's name.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var op: UInt8
        var shift: UInt8
        var fused: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "xorShl", op: 0x73, shift: 0x74, fused: "i32XorShl"),
        Case(name: "xorShrU", op: 0x73, shift: 0x76, fused: "i32XorShrU"),
        Case(name: "orShl", op: 0x72, shift: 0x74, fused: "i32OrShl"),
        Case(name: "orShrU", op: 0x72, shift: 0x76, fused: "i32OrShrU"),
    ]
    static let amounts: [Int32] = [0, 1, 7, 8, 13, 31, 32, 33, 45, -1]

    /// Per case and amount k: `left_<case>_<k>(x, y) = (y shift k) op x`, `right_...(x, y) =
    /// x op (y shift k)` (fused) and `plain_...(x, y)`, the shift kept in a local (not fused).
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for c in cases {
            for (k, amount) in amounts.enumerated() {
                let shifted = I.get(1) + I.i32(amount) + [c.shift]
                b.function([.i32, .i32], [.i32], export: "left_\(c.name)_\(k)", shifted + I.get(0) + [c.op])
                b.function([.i32, .i32], [.i32], export: "right_\(c.name)_\(k)", I.get(0) + shifted + [c.op])
                b.function([.i32, .i32], [.i32], locals: [.i32], export: "plain_\(c.name)_\(k)",
                           shifted + I.set(2) + I.get(0) + I.get(2) + [c.op])
            }
        }
        return try CompiledModule(bytes: b.build())
    }

    /// What the case computes, in Swift.
    static func expected(_ c: Case, _ x: UInt32, _ y: UInt32, _ amount: Int32) -> UInt32 {
        let k = UInt32(bitPattern: amount) & 31
        let shifted = c.shift == 0x74 ? y << k : y >> k
        return c.op == 0x73 ? x ^ shifted : x | shifted
    }

    @Test(arguments: [false, true])
    func fusedShiftsComputeTheSame(metering: Bool) throws {
        let compiled = try Self.module()
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(compiled)
        let values: [UInt32] = [0, 1, 0x8000_0000, 0xFFFF_FFFF, 0x1234_5678, 0xEDB8_8320, 0x0F0F_0F0F]
        var function = 0
        for c in Self.cases {
            for (k, amount) in Self.amounts.enumerated() {
                let left = try Disassembler.listing(compiled, functionIndex: function, metering: metering)
                let right = try Disassembler.listing(compiled, functionIndex: function + 1, metering: metering)
                let plain = try Disassembler.listing(compiled, functionIndex: function + 2, metering: metering)
                // A shift by the constant 0 is no shift at all (see IdentityFoldTests): nothing to fuse.
                let fuses = amount != 0
                #expect(left.contains(c.fused) == fuses && right.contains(c.fused) == fuses, "\(c) by \(amount): \(left)\(right)")
                #expect(!plain.contains(c.fused), "\(c) by \(amount): \(plain)")
                function += 3
                for x in values {
                    for y in values {
                        let want: [Value] = [.i32(Self.expected(c, x, y, amount))]
                        for form in ["left", "right", "plain"] {
                            #expect(try store.call(instance, "\(form)_\(c.name)_\(k)", [.i32(x), .i32(y)]) == want,
                                    "\(form) \(c) by \(amount) of \(x), \(y)")
                        }
                    }
                }
            }
        }
    }
}
