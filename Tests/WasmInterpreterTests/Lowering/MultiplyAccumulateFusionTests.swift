import Testing
@testable import WasmInterpreter

/// `c[j] += x * b[j]` lowers to one `f64MulAddInPlace` (or `f32MulAddInPlace`): the multiply
/// reads its right operand from memory and the product, read by nothing else, is added to
/// memory in place. The fused op must leave memory bit for bit as the separate loads,
/// multiply, add and store do, trap the same way, and not fuse when the product is kept.
@Suite("Multiply-accumulate into memory")
struct MultiplyAccumulateFusionTests {
    /// One floating-point width: its type, load, multiply, add and store encodings.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var type: ValueType
        var load: [UInt8]
        var mul: UInt8
        var add: UInt8
        var store: [UInt8]
        var width: UInt32
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "f32", type: .f32, load: [0x2A, 2], mul: 0x94, add: 0x92, store: [0x38, 2], width: 4),
        Case(name: "f64", type: .f64, load: [0x2B, 3], mul: 0xA2, add: 0xA0, store: [0x39, 3], width: 8),
    ]

    /// Per case, with parameters (target, source, x):
    /// - `mac_<t>`: memory[target + 8] = x * memory[source + 16] + memory[target + 8] (fused);
    /// - `macAdded_<t>`: the same with the source address `source + 24` added just before its
    ///   load (absorbed into the fused op, wrapping) and offset 16, so memory[source + 40];
    /// - `macKept_<t>`: the product also kept in a local and returned (must not fuse);
    /// - `macPlain_<t>`: the loaded value kept in a local first, so nothing fuses.
    /// `set64`, `set32`, `get64` and `get32` reach memory from the embedder.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        for c in cases {
            let target = I.get(0) + c.load + [8]
            let product = I.get(2) + I.get(1) + c.load + [16] + [c.mul]
            b.function([.i32, .i32, c.type], [], export: "mac_" + c.name,
                       I.get(0) + product + target + [c.add] + c.store + [8])
            let addedSource = I.get(1) + I.i32(24) + I.i32Add + c.load + [16]
            b.function([.i32, .i32, c.type], [], export: "macAdded_" + c.name,
                       I.get(0) + I.get(2) + addedSource + [c.mul] + target + [c.add] + c.store + [8])
            b.function([.i32, .i32, c.type], [c.type], locals: [c.type], export: "macKept_" + c.name,
                       I.get(0) + product + I.tee(3) + target + [c.add] + c.store + [8] + I.get(3))
            b.function([.i32, .i32, c.type], [], locals: [c.type], export: "macPlain_" + c.name,
                       target + I.set(3) + I.get(0) + product + I.get(3) + [c.add] + c.store + [8])
        }
        b.function([.i32, .i64], [], export: "set64", I.get(0) + I.get(1) + [0x37, 3, 0])
        b.function([.i32, .i32], [], export: "set32", I.get(0) + I.get(1) + [0x36, 2, 0])
        b.function([.i32], [.i64], export: "get64", I.get(0) + [0x29, 3, 0])
        b.function([.i32], [.i32], export: "get32", I.get(0) + [0x28, 2, 0])
        return try CompiledModule(bytes: b.build())
    }

    /// Writes `bits` at byte `address` (the low 32 bits for f32).
    func set(_ store: Store, _ instance: Instance, _ c: Case, _ address: UInt32, _ bits: UInt64) throws {
        if c.width == 8 {
            _ = try store.call(instance, "set64", [.i32(address), .i64(bits)])
        } else {
            _ = try store.call(instance, "set32", [.i32(address), .i32(UInt32(truncatingIfNeeded: bits))])
        }
    }

    /// The value at byte `address`, as a float value of the case's type.
    func get(_ store: Store, _ instance: Instance, _ c: Case, _ address: UInt32) throws -> [Value] {
        switch try store.call(instance, c.width == 8 ? "get64" : "get32", [.i32(address)]).first {
        case .i64(let bits): return [.f64(bits)]
        case .i32(let bits): return [.f32(bits)]
        default: return []
        }
    }

    @Test(arguments: [false, true])
    func fusedOnlyWhereTheProductIsReadOnce(metering: Bool) throws {
        let compiled = try Self.module()
        for (i, c) in Self.cases.enumerated() {
            let fused = c.name + "MulAddInPlace"
            let mac = try Disassembler.listing(compiled, functionIndex: 4 * i, metering: metering)
            let added = try Disassembler.listing(compiled, functionIndex: 4 * i + 1, metering: metering)
            let kept = try Disassembler.listing(compiled, functionIndex: 4 * i + 2, metering: metering)
            let plain = try Disassembler.listing(compiled, functionIndex: 4 * i + 3, metering: metering)
            #expect(mac.contains(fused) && !mac.contains("MulLoad") && !mac.contains("Store"), "\(c): \(mac)")
            #expect(added.contains(fused) && added.contains("+ 24) + 16]") && !added.contains("i32AddImm"), "\(c): \(added)")
            #expect(!kept.contains(fused) && kept.contains("MulLoad"), "\(c): \(kept)")
            #expect(!plain.contains(fused), "\(c): \(plain)")
        }
    }

    /// Every triple of bit patterns (target, source, x), with the target and source apart and
    /// the same cell (`a[j] += x * a[j]`), at aligned and unaligned addresses: memory ends
    /// with the bits the unfused code leaves (any quiet NaN where that leaves a NaN).
    @Test(arguments: [false, true])
    func fusedAndUnfusedLeaveTheSameBits(metering: Bool) throws {
        let (store, instance) = try instantiate(Self.module(), metering: metering)
        var compared = 0
        for c in Self.cases {
            let patterns = LoadFusionTests.patterns(c.type)
            for (target, source): (UInt32, UInt32) in [(0, 100), (13, 1001), (200, 192), (65_536 - 16, 64)] {
                for old in patterns {
                    for loaded in patterns {
                        for x in patterns {
                            var results: [[Value]] = []
                            for name in ["mac_", "macAdded_", "macKept_", "macPlain_"] {
                                let sourceAddress = name == "macAdded_" ? source &- 24 : source
                                try set(store, instance, c, source + 16, loaded)
                                try set(store, instance, c, target + 8, old)
                                _ = try store.call(instance, name + c.name, [.i32(target), .i32(sourceAddress), LoadFusionTests.value(c.type, x)])
                                results.append(try get(store, instance, c, target + 8))
                            }
                            for r in results.dropFirst() {
                                #expect(LoadFusionTests.sameResult(results[0], r), "\(c) \(target)/\(source): \(old) + \(x) * \(loaded): \(results)")
                            }
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared == 4 * (2 * 11 * 11 * 11))
        // Spot check against Swift's own arithmetic: 1.5 + 4 * 2.5 = 11.5, rounded once per step.
        let f64 = Self.cases[1]
        try set(store, instance, f64, 116, Double(2.5).bitPattern)
        try set(store, instance, f64, 8, Double(1.5).bitPattern)
        _ = try store.call(instance, "mac_f64", [.i32(0), .i32(100), .f64(Double(4).bitPattern)])
        #expect(try get(store, instance, f64, 8) == [.f64(Double(11.5).bitPattern)])
        // x * y + z rounded twice, never fused into one rounding: (1 + 2^-52)^2 - 1 - 2^-51 is 0 unfused.
        let e = Double(1).nextUp
        try set(store, instance, f64, 116, e.bitPattern)
        try set(store, instance, f64, 8, (-(1 + 2 * Double.ulpOfOne)).bitPattern)
        _ = try store.call(instance, "mac_f64", [.i32(0), .i32(100), .f64(e.bitPattern)])
        #expect(try get(store, instance, f64, 8) == [.f64(Double(0).bitPattern)])
    }

    /// Either operand out of bounds traps, and memory is left unchanged: the last in-bounds
    /// address works, one past it (or a source address that wraps) traps.
    @Test(arguments: [false, true])
    func outOfBoundsTrapsWithoutAStore(metering: Bool) throws {
        let (store, instance) = try instantiate(Self.module(), metering: metering)
        for c in Self.cases {
            let lastTarget = 65_536 - 8 - c.width, lastSource = 65_536 - 16 - c.width
            let x = LoadFusionTests.value(c.type, 0x3F80_0000)
            _ = try store.call(instance, "mac_" + c.name, [.i32(lastTarget), .i32(lastSource), x])
            for (target, source, name) in [(lastTarget + 1, 0, "mac_"), (0, lastSource + 1, "mac_"), (0, 0xFFFF_FFF0, "mac_"),
                                           (lastTarget + 1, 24, "macAdded_"), (8, lastSource + 1 &- 24, "macAdded_")] {
                // The target cell, where it is in bounds, holds 2.0 before and after.
                let cell: UInt32? = target <= lastTarget ? target + 8 : nil
                if let cell { try set(store, instance, c, cell, c.width == 8 ? Double(2).bitPattern : UInt64(Float(2).bitPattern)) }
                let before = try cell.map { try get(store, instance, c, $0) }
                do {
                    _ = try store.call(instance, name + c.name, [.i32(target), .i32(source), x])
                    Issue.record("\(name)\(c) target \(target) source \(source): no trap")
                } catch {
                    guard case .memoryOutOfBounds = error.reason else { Issue.record("\(c): \(error)"); continue }
                }
                if let cell { #expect(try get(store, instance, c, cell) == before, "\(name)\(c): memory changed") }
            }
        }
    }
}
