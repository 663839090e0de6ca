import Testing
@testable import WasmInterpreter

/// An add or multiply whose right operand a plain load just produced reads memory itself
/// (`i32AddLoad`, `f64MulLoad` and their kin). The fused code must compute the same bits as the
/// two instructions, trap the same way out of bounds, and leave other operand shapes alone.
@Suite("Loads fused into arithmetic")
struct LoadFusionTests {
    /// One fused case: the Wasm op and load encodings, the value type, and the fused op's name.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var type: ValueType
        var load: [UInt8]
        var op: UInt8
        var fused: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "i32Add", type: .i32, load: [0x28, 2], op: 0x6A, fused: "i32AddLoad"),
        Case(name: "i64Add", type: .i64, load: [0x29, 3], op: 0x7C, fused: "i64AddLoad"),
        Case(name: "f32Add", type: .f32, load: [0x2A, 2], op: 0x92, fused: "f32AddLoad"),
        Case(name: "f32Mul", type: .f32, load: [0x2A, 2], op: 0x94, fused: "f32MulLoad"),
        Case(name: "f64Add", type: .f64, load: [0x2B, 3], op: 0xA0, fused: "f64AddLoad"),
        Case(name: "f64Mul", type: .f64, load: [0x2B, 3], op: 0xA2, fused: "f64MulLoad"),
    ]

    /// Bit patterns stored and combined: zeros, ones, extremes, NaNs with payloads, infinities.
    static let bits64: [UInt64] = [0, 1, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
                                   0x7FF8_0000_0000_0001, 0xFFF4_0000_0000_00AB, 0x3FF0_0000_0000_0000,
                                   0xC00C_CCCC_CCCC_CCCD, 0xFFFF_FFFF_FFFF_FFFF, 0x0000_0000_FFFF_FFFF]
    static let bits32: [UInt32] = [0, 1, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0001, 0xFFA0_00AB,
                                   0x3F80_0000, 0xC066_6666, 0xFFFF_FFFF, 0x0000_FFFF]

    /// Per case, exports `fused_<name>(address, x) = x op load(address + 8)` (fused),
    /// `const_<name>(address)` (a constant left operand), `plain_<name>(address, x)` (the load
    /// kept in a local first, so nothing fuses), and `set64`/`set32` to write memory.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        for c in cases {
            let loaded = I.get(0) + c.load + [8]
            b.function([.i32, c.type], [c.type], export: "fused_" + c.name, I.get(1) + loaded + [c.op])
            b.function([.i32], [c.type], export: "const_" + c.name, constant(c.type) + loaded + [c.op])
            b.function([.i32, c.type], [c.type], locals: [c.type], export: "plain_" + c.name,
                       loaded + I.set(2) + I.get(1) + I.get(2) + [c.op])
        }
        b.function([.i32, .i64], [], export: "set64", I.get(0) + I.get(1) + [0x37, 3, 8])
        b.function([.i32, .i32], [], export: "set32", I.get(0) + I.get(1) + [0x36, 2, 8])
        // The load's address computed by adding 12 just before it: `x op load((address + 12,
        // wrapping) + 8)`, fused (`addr_`) and with the sum kept in a local first (`addrPlain_`).
        for c in cases {
            let sum = I.get(0) + I.i32(12) + I.i32Add
            b.function([.i32, c.type], [c.type], export: "addr_" + c.name, I.get(1) + sum + c.load + [8] + [c.op])
            b.function([.i32, c.type], [c.type], locals: [.i32], export: "addrPlain_" + c.name,
                       sum + I.set(2) + I.get(1) + I.get(2) + c.load + [8] + [c.op])
        }
        // `memory[address + 8] = x op memory[address + 8]`: fused in place for the adds
        // (`inPlace_`), and the same with the loaded value kept in a local (`inPlacePlain_`).
        for c in cases {
            let store: [UInt8] = c.type == .i64 || c.type == .f64 ? [c.type == .i64 ? 0x37 : 0x39, 3, 8] : [c.type == .i32 ? 0x36 : 0x38, 2, 8]
            b.function([.i32, c.type], [], export: "inPlace_" + c.name, I.get(0) + I.get(1) + I.get(0) + c.load + [8] + [c.op] + store)
            b.function([.i32, c.type], [], locals: [c.type], export: "inPlacePlain_" + c.name,
                       I.get(0) + c.load + [8] + I.set(2) + I.get(0) + I.get(1) + I.get(2) + [c.op] + store)
        }
        b.function([.i32], [.i64], export: "get64", I.get(0) + [0x29, 3, 8])
        b.function([.i32], [.i32], export: "get32", I.get(0) + [0x28, 2, 8])
        return try CompiledModule(bytes: b.build())
    }

    /// The constant left operand of `const_<name>`: 3 (or 3.0).
    static func constant(_ type: ValueType) -> [UInt8] {
        switch type {
        case .i64: return I.i64(3)
        case .f32: return [0x43] + withUnsafeBytes(of: Float(3).bitPattern.littleEndian, Array.init)
        case .f64: return [0x44] + withUnsafeBytes(of: Double(3).bitPattern.littleEndian, Array.init)
        default: return I.i32(3)
        }
    }

    /// A value of `type` from 64 bits (truncated for 32-bit types).
    static func value(_ type: ValueType, _ bits: UInt64) -> Value {
        switch type {
        case .i64: return .i64(bits)
        case .f32: return .f32(UInt32(truncatingIfNeeded: bits))
        case .f64: return .f64(bits)
        default: return .i32(UInt32(truncatingIfNeeded: bits))
        }
    }

    /// The operand bit patterns for `type`.
    static func patterns(_ type: ValueType) -> [UInt64] {
        type == .i64 || type == .f64 ? bits64 : bits32.map { UInt64($0) }
    }

    /// Equal bits, except that two NaNs match: which NaN operand's payload an add or multiply
    /// of two NaNs keeps is not specified (Wasm allows either; the machine's operand order
    /// decides), so only its NaN-ness and quiet bit are checked.
    static func sameResult(_ a: [Value], _ b: [Value]) -> Bool {
        switch (a.first, b.first) {
        case (.f32(let x), .f32(let y)) where Float(bitPattern: y).isNaN:
            return Float(bitPattern: x).isNaN && x & 0x0040_0000 != 0
        case (.f64(let x), .f64(let y)) where Double(bitPattern: y).isNaN:
            return Double(bitPattern: x).isNaN && x & 0x0008_0000_0000_0000 != 0
        default:
            return a == b
        }
    }

    func store(metering: Bool) throws -> (Store, Instance) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        return (store, try store.instantiate(Self.module()))
    }

    @Test(arguments: [false, true])
    func everyFusedFormIsEmittedAndOnlyWhereItApplies(metering: Bool) throws {
        let compiled = try Self.module()
        for (i, c) in Self.cases.enumerated() {
            let fused = try Disassembler.listing(compiled, functionIndex: 3 * i, metering: metering)
            let constant = try Disassembler.listing(compiled, functionIndex: 3 * i + 1, metering: metering)
            let plain = try Disassembler.listing(compiled, functionIndex: 3 * i + 2, metering: metering)
            #expect(fused.contains(c.fused + " "), "\(c): \(fused)")
            #expect(constant.contains(c.fused + " "), "\(c): \(constant)")
            #expect(!plain.contains(c.fused), "\(c): \(plain)")
            let added = try Disassembler.listing(compiled, functionIndex: 3 * Self.cases.count + 2 + 2 * i, metering: metering)
            if c.type == .i32 {
                // An i32 load absorbs the add itself first (`i32LoadIndexed`), so the add stays.
                #expect(added.contains("i32LoadIndexed") && !added.contains("i32AddImm"), "\(c): \(added)")
            } else {
                #expect(added.contains(c.fused + " ") && added.contains("+ 12) + 8]") && !added.contains("i32AddImm"), "\(c): \(added)")
            }
        }
    }

    /// Every pair of bit patterns, at aligned and unaligned addresses: the fused op gives the
    /// bits the unfused load-then-op gives (any quiet NaN where that gives a NaN).
    @Test(arguments: [false, true])
    func fusedAndUnfusedComputeTheSameBits(metering: Bool) throws {
        let (store, instance) = try store(metering: metering)
        for address: UInt32 in [0, 13, 65_536 - 16] {
            for c in Self.cases {
                for stored in Self.patterns(c.type) {
                    if c.type == .i64 || c.type == .f64 {
                        _ = try store.call(instance, "set64", [.i32(address), .i64(stored)])
                    } else {
                        _ = try store.call(instance, "set32", [.i32(address), .i32(UInt32(truncatingIfNeeded: stored))])
                    }
                    for x in Self.patterns(c.type) {
                        let arguments = [Value.i32(address), Self.value(c.type, x)]
                        let fused = try store.call(instance, "fused_" + c.name, arguments)
                        let plain = try store.call(instance, "plain_" + c.name, arguments)
                        #expect(Self.sameResult(fused, plain), "\(c) at \(address): \(x) with \(stored): \(fused) vs \(plain)")
                        // The same cell through `address - 12 + 12`, which wraps past 2^32 at 0.
                        let before = [Value.i32(address &- 12), Self.value(c.type, x)]
                        let added = try store.call(instance, "addr_" + c.name, before)
                        let addedPlain = try store.call(instance, "addrPlain_" + c.name, before)
                        #expect(Self.sameResult(added, addedPlain) && Self.sameResult(added, plain), "\(c) at \(address) - 12 + 12")
                    }
                    let constant = try store.call(instance, "const_" + c.name, [.i32(address)])
                    #expect(constant.count == 1, "\(c)")
                }
            }
        }
        // Spot checks against Swift's own arithmetic.
        _ = try store.call(instance, "set64", [.i32(100), .i64(Double(2.5).bitPattern)])
        #expect(try store.call(instance, "fused_f64Mul", [.i32(100), .f64(Double(4).bitPattern)]) == [.f64(Double(10).bitPattern)])
        #expect(try store.call(instance, "const_f64Add", [.i32(100)]) == [.f64(Double(5.5).bitPattern)])
        _ = try store.call(instance, "set32", [.i32(100), .i32(0xFFFF_FFFF)])
        #expect(try store.call(instance, "fused_i32Add", [.i32(100), .i32(2)]) == [.i32(1)])
        #expect(try store.call(instance, "const_i32Add", [.i32(100)]) == [.i32(2)])
    }

    /// `a[i] = x + a[i]` adds to memory directly (`f64AddInPlace` and kin); a multiply does not
    /// fuse that way. Either way memory ends as the separate load, op and store leave it.
    @Test(arguments: [false, true])
    func sumsStoredBackAddInPlace(metering: Bool) throws {
        let compiled = try Self.module()
        let base = 5 * Self.cases.count + 2
        for (i, c) in Self.cases.enumerated() {
            let listing = try Disassembler.listing(compiled, functionIndex: base + 2 * i, metering: metering)
            let add = c.name.hasSuffix("Add")
            #expect(listing.contains("AddInPlace") == add && listing.contains("Store") != add, "\(c): \(listing)")
        }
        let (store, instance) = try store(metering: metering)
        for address: UInt32 in [0, 13, 65_536 - 16] {
            for c in Self.cases {
                let wide = c.type == .i64 || c.type == .f64
                for stored in Self.patterns(c.type) {
                    for x in Self.patterns(c.type) {
                        var results: [[Value]] = []
                        for name in ["inPlace_", "inPlacePlain_"] {
                            if wide {
                                _ = try store.call(instance, "set64", [.i32(address), .i64(stored)])
                            } else {
                                _ = try store.call(instance, "set32", [.i32(address), .i32(UInt32(truncatingIfNeeded: stored))])
                            }
                            _ = try store.call(instance, name + c.name, [.i32(address), Self.value(c.type, x)])
                            let bits = try store.call(instance, wide ? "get64" : "get32", [.i32(address)])
                            switch (c.type, bits.first) {
                            case (.f32, .i32(let b)): results.append([.f32(b)])
                            case (.f64, .i64(let b)): results.append([.f64(b)])
                            default: results.append(bits)
                            }
                        }
                        #expect(Self.sameResult(results[0], results[1]), "\(c) at \(address): \(x) with \(stored)")
                    }
                }
            }
        }
        for c in Self.cases {
            #expect(throws: Trap.self) { try store.call(instance, "inPlace_" + c.name, [.i32(65_536 - 9), Self.value(c.type, 0)]) }
        }
    }

    /// The load's bounds check stays: the last in-bounds address works, one past it traps.
    @Test(arguments: [false, true])
    func outOfBoundsStillTraps(metering: Bool) throws {
        let (store, instance) = try store(metering: metering)
        for c in Self.cases {
            let width: UInt32 = c.type == .i64 || c.type == .f64 ? 8 : 4
            let last = 65_536 - 8 - width
            _ = try store.call(instance, "fused_" + c.name, [.i32(last), Self.value(c.type, 0)])
            for address in [last + 1, 0xFFFF_FFF8, 0xFFFF_FFFF] {
                do {
                    _ = try store.call(instance, "fused_" + c.name, [.i32(address), Self.value(c.type, 0)])
                    Issue.record("\(c) at \(address): no trap")
                } catch {
                    guard case .memoryOutOfBounds = error.reason else { Issue.record("\(c) at \(address): \(error)"); continue }
                }
                do {
                    _ = try store.call(instance, "addr_" + c.name, [.i32(address &- 12), Self.value(c.type, 0)])
                    Issue.record("addr \(c) at \(address) - 12: no trap")
                } catch {
                    guard case .memoryOutOfBounds = error.reason else { Issue.record("addr \(c) at \(address): \(error)"); continue }
                }
                do {
                    _ = try store.call(instance, "const_" + c.name, [.i32(address)])
                    Issue.record("const \(c) at \(address): no trap")
                } catch {
                    guard case .memoryOutOfBounds = error.reason else { Issue.record("const \(c) at \(address): \(error)"); continue }
                }
            }
        }
    }
}
