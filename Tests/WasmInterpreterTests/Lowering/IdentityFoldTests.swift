import Testing
@testable import WasmInterpreter

/// `x + 0`, `0 + x`, `x - 0`, `x | 0`, `x ^ 0` and shifts by 0 emit nothing: the result is the
/// operand itself. It must stay right when that operand is a local changed afterwards, a
/// temporary, or a constant, for i32 and i64.
@Suite("Identity operations fold away")
struct IdentityFoldTests {
    static let i32Or: [UInt8] = [0x72]
    static let i32Xor: [UInt8] = [0x73]
    static let i32Shl: [UInt8] = [0x74]
    static let i32ShrU: [UInt8] = [0x76]
    static let i32Mul: [UInt8] = [0x6C]
    static let i64Sub: [UInt8] = [0x7D]

    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        // 0: x + 0, 1: 0 + x, 2: x | 0 ^ 0 - 0, 3: x << 0 >> 0
        b.function([.i32], [.i32], export: "addZero", I.get(0) + I.i32(0) + I.i32Add)
        b.function([.i32], [.i32], export: "zeroAdd", I.i32(0) + I.get(0) + I.i32Add)
        b.function([.i32], [.i32], export: "orXorSub", I.get(0) + I.i32(0) + i32Or + I.i32(0) + i32Xor + I.i32(0) + I.i32Sub)
        b.function([.i32], [.i32], export: "shifts", I.get(0) + I.i32(0) + i32Shl + I.i32(0) + i32ShrU)
        // 4: (x + 0) kept lazily, then x changes: the kept value is the old x. Returns old x * 1000 + new x.
        b.function([.i32], [.i32], export: "changed",
                   I.get(0) + I.i32(0) + I.i32Add + I.i32(7) + I.set(0) + I.i32(1000) + i32Mul + I.get(0) + I.i32Add)
        // 5: 0 + (x * 3): the right operand is a temporary (not folded, still right).
        b.function([.i32], [.i32], export: "zeroAddTemp", I.i32(0) + I.get(0) + I.i32(3) + i32Mul + I.i32Add)
        // 6: x << 32 is x (Wasm takes the amount mod 32) but is not a zero constant: computed.
        b.function([.i32], [.i32], export: "shift32", I.get(0) + I.i32(32) + i32Shl)
        // 7: i64 x - 0 + 0; 8: constant 0 + 0.
        b.function([.i64], [.i64], export: "i64SubAdd", I.get(0) + I.i64(0) + i64Sub + I.i64(0) + I.i64Add)
        b.function([], [.i32], export: "zeroZero", I.i32(0) + I.i32(0) + I.i32Add)
        // 9: poke(address, byte); 10: peek(a) = load8_u(i32.wrap_i64(a) + 3), whose wrap the
        // load does itself (it reads the low half of its address slot).
        b.memory = (1, 1)
        b.function([.i32, .i32], [], export: "poke", I.get(0) + I.get(1) + [0x3A, 0, 0])
        b.function([.i64], [.i32], export: "peek", I.get(0) + [0xA7] + [0x2D, 0, 3])
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func identitiesComputeTheSameAndEmitNothing(metering: Bool) throws {
        let compiled = try Self.module()
        for f in [0, 1, 2, 3, 7] {
            let listing = try Disassembler.listing(compiled, functionIndex: f, metering: metering)
            let instructions = listing.split(separator: "\n").dropFirst().filter { !$0.contains(" fuel ") }
            #expect(instructions.count == 1 && instructions[0].contains("ret"), "function \(f): \(listing)")
        }
        let (store, instance) = try instantiate(compiled, metering: metering)
        for x: UInt32 in [0, 1, 0x8000_0000, 0xFFFF_FFFF, 12345] {
            for name in ["addZero", "zeroAdd", "orXorSub", "shifts", "shift32"] {
                #expect(try store.call(instance, name, [.i32(x)]) == [.i32(x)], "\(name)(\(x))")
            }
            #expect(try store.call(instance, "changed", [.i32(x)]) == [.i32(x &* 1000 &+ 7)], "changed(\(x))")
            #expect(try store.call(instance, "zeroAddTemp", [.i32(x)]) == [.i32(x &* 3)], "zeroAddTemp(\(x))")
        }
        for x: UInt64 in [0, 1, 1 << 63, .max, 0xFFFF_FFFF] {
            #expect(try store.call(instance, "i64SubAdd", [.i64(x)]) == [.i64(x)], "i64SubAdd(\(x))")
        }
        #expect(try store.call(instance, "zeroZero") == [.i32(0)])
    }

    @Test(arguments: [false, true])
    func aWrappedAddressIsReadFromTheI64(metering: Bool) throws {
        let compiled = try Self.module()
        let peek = try Disassembler.listing(compiled, functionIndex: 10, metering: metering)
        #expect(!peek.contains("i32WrapI64") && peek.contains("i32Load8U"), "\(peek)")
        let (store, instance) = try instantiate(compiled, metering: metering)
        _ = try store.call(instance, "poke", [.i32(103), .i32(0xAB)])
        _ = try store.call(instance, "poke", [.i32(65_535), .i32(0x5C)])
        for high: UInt64 in [0, 1, 0xFFFF_FFFF, 0x8000_0000] {
            #expect(try store.call(instance, "peek", [.i64(high << 32 | 100)]) == [.i32(0xAB)], "high \(high)")
            #expect(try store.call(instance, "peek", [.i64(high << 32 | 65_532)]) == [.i32(0x5C)], "high \(high)")
            #expect(try store.call(instance, "peek", [.i64(high << 32 | 101)]) == [.i32(0)], "high \(high)")
            for low: UInt64 in [65_533, 0xFFFF_FFFD, 0xFFFF_FFFF] {
                do {
                    _ = try store.call(instance, "peek", [.i64(high << 32 | low)])
                    Issue.record("peek(\(high) << 32 | \(low)): no trap")
                } catch {
                    if case .memoryOutOfBounds = error.reason {} else { Issue.record("peek: \(error)") }
                }
            }
        }
    }
}
