import Testing
@testable import WasmInterpreter

/// In metered code a taken forward conditional branch charges its target block's fuel itself
/// and jumps past that block's `fuel` instruction, as forward `br` and `br_table` do:
/// `brIfCharge` and `brIfNotCharge`, and the compare-and-branch forms with the charge in
/// their branch word. Every path must still pay exactly what it paid with the separate
/// instruction.
@Suite("Forward conditional branches charge their target's fuel")
struct ForwardChargeTests {
    static let ifVoid: [UInt8] = [0x04, 0x40]
    static let i32And: [UInt8] = [0x71]
    static let i64ExtendU: [UInt8] = [0xAD]
    static let i64LtU: [UInt8] = [0x54]

    /// Each `f(x)`: a conditional forward jump taken when x is non-zero (or below 10), some
    /// fall-through work, and a block after the label. Both paths pay the same: the
    /// fall-through is charged ahead with the code before the branch, and the label's block
    /// once on either path.
    static let shapes: [(name: String, condition: [UInt8], listed: String)] = [
        ("plain", I.get(0), "brIfCharge"),
        ("lessThan", I.get(0) + I.i32(10) + I.i32LtS, "brIfI32LtSImm"),
        ("lessThan64", I.i64(10) + I.set(2) + I.get(0) + i64ExtendU + I.get(2) + i64LtU, "brIfI64LtU"),
        ("masked", I.get(0) + I.i32(4) + i32And, "brIfAnd"),
    ]

    /// The shapes, then `ifThen(x)`: an `if` on x, skipped when x is 0 (`brIfNotCharge`), and
    /// `loop(n)`: n rounds of such branches, summing which way each went.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for shape in shapes {
            b.function([.i32], [.i32], locals: [.i32, .i64], export: shape.name,
                       I.block + shape.condition + I.brIf(0) + I.i32(1) + I.set(1) + I.end
                       + I.get(1) + I.i32(7) + I.i32Add)
        }
        b.function([.i32], [.i32], locals: [.i32], export: "ifThen",
                   I.get(0) + ifVoid + I.i32(1) + I.set(1) + I.end + I.get(1) + I.i32(7) + I.i32Add)
        // for i in 0..<n: if i & 4 == 0 { acc += 3 }; if i < 10 { acc += 100 }; acc += 1
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "loop",
                   I.block + I.loop
                   + I.get(1) + I.get(0) + I.i32LtS + I.i32Eqz + I.brIf(1)
                   + I.block + I.get(1) + I.i32(4) + i32And + I.brIf(0) + I.get(2) + I.i32(3) + I.i32Add + I.set(2) + I.end
                   + I.block + I.get(1) + I.i32(10) + I.i32LtS + I.i32Eqz + I.brIf(0) + I.get(2) + I.i32(100) + I.i32Add + I.set(2) + I.end
                   + I.get(2) + I.i32(1) + I.i32Add + I.set(2)
                   + I.get(1) + I.i32(1) + I.i32Add + I.set(1) + I.br(0) + I.end + I.end + I.get(2))
        return try CompiledModule(bytes: b.build())
    }

    @Test func meteredForwardBranchesCarryTheirTargetsCharge() throws {
        let compiled = try Self.module()
        for (index, shape) in Self.shapes.enumerated() {
            let listing = try Disassembler.listing(compiled, functionIndex: index, metering: true)
            guard let branch = listing.split(separator: "\n").first(where: { $0.contains(shape.listed) }) else {
                Issue.record("\(shape.name): no \(shape.listed) in\n\(listing)")
                continue
            }
            #expect(branch.contains("(fuel "), "\(listing)")
            let unmetered = try Disassembler.listing(compiled, functionIndex: index, metering: false)
            #expect(!unmetered.contains("Charge") && !unmetered.contains("(fuel "), "\(unmetered)")
        }
        let ifThen = try Disassembler.listing(compiled, functionIndex: Self.shapes.count, metering: true)
        #expect(ifThen.contains("brIfNotCharge"), "\(ifThen)")
    }

    /// Fuel one call of `name(argument)` uses.
    static func fuelUsed(_ store: Store, _ instance: Instance, _ name: String, _ argument: UInt32) throws -> (Int64, [Value]) {
        store.fuel = 1_000_000
        let values = try store.call(instance, name, [.i32(argument)])
        return (1_000_000 - store.fuel, values)
    }

    @Test func bothWaysOfABranchPayTheSame() throws {
        let (store, instance) = try instantiate(Self.module(), metering: true)
        for name in Self.shapes.map(\.name) + ["ifThen"] {
            // "lessThan" and "lessThan64" jump for 3, not for 12; "ifThen" skips its body for
            // 0, not for 4; the others jump for 4, not for 0.
            let (jump, stay): (UInt32, UInt32) = name.hasPrefix("lessThan") ? (3, 12) : name == "ifThen" ? (0, 4) : (4, 0)
            let (fuelJumping, jumped) = try Self.fuelUsed(store, instance, name, jump)
            let (fuelStaying, stayed) = try Self.fuelUsed(store, instance, name, stay)
            #expect(jumped == [.i32(7)] && stayed == [.i32(8)], "\(name)")
            #expect(fuelJumping == fuelStaying, "\(name): \(fuelJumping) jumping, \(fuelStaying) falling through")
            #expect(fuelJumping > 0)
        }
    }

    @Test func aLoopOfChargedBranchesResumesAfterRunningOutOfFuel() throws {
        let compiled = try Self.module()
        // i & 4 == 0 for 52 of 100 rounds, i < 10 for 10: 156 + 1000 + 100.
        let expected: [Value] = [.i32(1256)]
        let (store, instance) = try instantiate(compiled, metering: false)
        #expect(try store.call(instance, "loop", [.i32(100)]) == expected)
        let (metered, meteredInstance) = try instantiate(compiled, metering: true)
        let (whole, values) = try Self.fuelUsed(metered, meteredInstance, "loop", 100)
        #expect(values == expected)
        for chunk: Int64 in [1, 2, 5, 13] {
            let (chunked, refuels, used) = try runHandingOutFuel(compiled, "loop", [.i32(100)], chunk: chunk)
            #expect(chunked == expected, "chunk \(chunk)")
            #expect(used == whole, "chunk \(chunk): \(used) units against \(whole) in one go")
            #expect(refuels > 0)
        }
    }
}
