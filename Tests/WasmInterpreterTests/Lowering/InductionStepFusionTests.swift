import Testing
@testable import WasmInterpreter

/// A sum written to a local followed by a constant step of a local in place (`a = a + b;
/// b += k`, as a compiler's strength reduction steps pointers and counters together) lowers to
/// one `i32AddAddImm`, which keeps the two in order and wraps like i32 arithmetic.
@Suite("A sum and a constant step in place fused")
struct InductionStepFusionTests {
    static let i32Mul: [UInt8] = [0x6C]

    /// - `stepAfter(x, y)`: a = x + y; y += 7; returns a * 1000 + y.
    /// - `stepOperand(x, y)`: x = x + y; y += 1 (the step reads after the sum used y).
    /// - `sameSlot(x, y)`: x = x + y; x += 3 (the step updates the sum itself).
    /// - `walk(n)`: p = 0, q = 5; n times: acc += p; p = p + q; q += 2; returns acc.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.function([.i32, .i32], [.i32], locals: [.i32], export: "stepAfter",
                   I.get(0) + I.get(1) + I.i32Add + I.set(2) + I.get(1) + I.i32(7) + I.i32Add + I.set(1)
                   + I.get(2) + I.i32(1000) + i32Mul + I.get(1) + I.i32Add)
        b.function([.i32, .i32], [.i32], export: "stepOperand",
                   I.get(0) + I.get(1) + I.i32Add + I.set(0) + I.get(1) + I.i32(1) + I.i32Add + I.set(1)
                   + I.get(0) + I.i32(1000) + i32Mul + I.get(1) + I.i32Add)
        b.function([.i32, .i32], [.i32], export: "sameSlot",
                   I.get(0) + I.get(1) + I.i32Add + I.set(0) + I.get(0) + I.i32(3) + I.i32Add + I.set(0) + I.get(0))
        b.function([.i32], [.i32], locals: [.i32, .i32, .i32], export: "walk",
                   I.i32(5) + I.set(2)
                   + I.block + I.loop + I.get(0) + I.i32Eqz + I.brIf(1)
                   + I.get(3) + I.get(1) + I.i32Add + I.set(3)
                   + I.get(1) + I.get(2) + I.i32Add + I.set(1) + I.get(2) + I.i32(2) + I.i32Add + I.set(2)
                   + I.get(0) + I.i32(-1) + I.i32Add + I.set(0) + I.br(0) + I.end + I.end + I.get(3))
        return try CompiledModule(bytes: b.build())
    }

    static func walk(_ n: Int) -> UInt32 {
        var (acc, p, q): (UInt32, UInt32, UInt32) = (0, 0, 5)
        for _ in 0..<n {
            acc &+= p
            p &+= q
            q &+= 2
        }
        return acc
    }

    @Test(arguments: [false, true])
    func theFusedPairComputesWhatThePairDid(metering: Bool) throws {
        let compiled = try Self.module()
        for function in 0..<4 {
            let listing = try Disassembler.listing(compiled, functionIndex: function, metering: metering)
            #expect(listing.contains("i32AddAddImm"), "\(listing)")
        }
        let (store, instance) = try instantiate(compiled, metering: metering)
        if metering { store.fuel = 1 << 40 }
        let values: [UInt32] = [0, 1, 7, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF9, 0xFFFF_FFFF]
        for x in values {
            for y in values {
                let stepped = y &+ 7
                #expect(try store.call(instance, "stepAfter", [.i32(x), .i32(y)]) == [.i32((x &+ y) &* 1000 &+ stepped)])
                #expect(try store.call(instance, "stepOperand", [.i32(x), .i32(y)]) == [.i32((x &+ y) &* 1000 &+ (y &+ 1))])
                #expect(try store.call(instance, "sameSlot", [.i32(x), .i32(y)]) == [.i32(x &+ y &+ 3)])
            }
        }
        for n: UInt32 in [0, 1, 2, 100, 70_000] {
            #expect(try store.call(instance, "walk", [.i32(n)]) == [.i32(Self.walk(Int(n)))], "walk(\(n))")
        }
    }

    @Test func aLoopOfStepsResumesAfterRunningOutOfFuel() throws {
        for chunk: Int64 in [1, 4, 9] {
            let (values, refuels, _) = try runHandingOutFuel(Self.module(), "walk", [.i32(300)], chunk: chunk)
            #expect(values == [.i32(Self.walk(300))], "chunk \(chunk)")
            #expect(refuels > 0)
        }
    }
}
