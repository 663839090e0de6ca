import Testing
@testable import WasmInterpreter

/// A bytecode interpreter's dispatch: an opcode byte, a table lookup by it, and a `br_table`
/// on the looked-up value (with or without a constant added) lower to one
/// `brTableByteIndexed`, unless the looked-up value is kept in a local.
@Suite("Byte-indexed table lookups fused into their br_table")
struct ByteDispatchFusionTests {
    static let i32Load8U: [UInt8] = [0x2D, 0, 0]
    static let i32Shl: [UInt8] = [0x74]
    static let ret: [UInt8] = [0x0F]
    /// `br_table 0 1 2`: index 0 and 1 to the two innermost blocks, anything else to the third.
    static let brTable3: [UInt8] = [0x0E, 2, 0, 1, 2]

    /// The looked-up i32 for the opcode byte at `ip`: `table[mem[ip]]`, the table at 1024.
    static let lookup = I.get(0) + i32Load8U + I.i32(2) + i32Shl + I.i32(1024) + I.i32Add + I.i32Load()

    /// Three nested blocks around `index`, then `br_table`: 10, 20 or 30 by target, plus `extra`.
    static func dispatch(_ index: [UInt8], extra: [UInt8] = []) -> [UInt8] {
        I.block + I.block + I.block + index + brTable3 + I.end
            + I.i32(10) + extra + I.i32Add + ret + I.end
            + I.i32(20) + extra + I.i32Add + ret + I.end
            + I.i32(30) + extra + I.i32Add
    }

    /// - `added(ip)`: the jump on `table[mem[ip]] - 2`.
    /// - `plain(ip)`: the jump on `table[mem[ip]]`.
    /// - `kept(ip)`: the looked-up value is also kept in a local and added to the result (not fused).
    /// - `set8(a, v)`, `set32(a, v)`: memory writes.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        b.function([.i32], [.i32], export: "added", dispatch(lookup + I.i32(-2) + I.i32Add, extra: I.i32(0)))
        b.function([.i32], [.i32], export: "plain", dispatch(lookup, extra: I.i32(0)))
        b.function([.i32], [.i32], locals: [.i32], export: "kept", dispatch(lookup + I.tee(1), extra: I.get(1)))
        b.function([.i32, .i32], [], export: "set8", I.get(0) + I.get(1) + [0x3A, 0, 0])
        b.function([.i32, .i32], [], export: "set32", I.get(0) + I.get(1) + I.i32Store())
        return try CompiledModule(bytes: b.build())
    }

    /// What `br_table 0 1 2` picks for `index`.
    static func target(_ index: UInt32) -> UInt32 { index == 0 ? 10 : index == 1 ? 20 : 30 }

    @Test(arguments: [false, true])
    func theDispatchIsOneInstructionUnlessTheIndexIsKept(metering: Bool) throws {
        let compiled = try Self.module()
        let listings = try (0..<3).map { try Disassembler.listing(compiled, functionIndex: $0, metering: metering) }
        for listing in listings.prefix(2) {
            #expect(listing.contains("brTableByteIndexed") && !listing.contains("i32LoadByteIndexed"), "\(listing)")
        }
        #expect(!listings[2].contains("brTableByteIndexed"), "\(listings[2])")
    }

    @Test(arguments: [false, true])
    func everyOpcodeReachesTheTargetItsTableEntryNames(metering: Bool) throws {
        let (store, instance) = try instantiate(Self.module(), metering: metering)
        if metering { store.fuel = 1 << 40 }
        // Table entries 0...4 and two that wrap when 2 is subtracted (0xFFFF_FFFF + ... ).
        let entries: [UInt32] = [0, 1, 2, 3, 4, 0xFFFF_FFFF, 0x8000_0001]
        for byte in UInt32(0)..<256 {
            let entry = entries[Int(byte) % entries.count]
            _ = try store.call(instance, "set32", [.i32(1024 + byte * 4), .i32(entry)])
        }
        for ip in UInt32(0)..<256 {
            _ = try store.call(instance, "set8", [.i32(100), .i32(ip)])
            let entry = entries[Int(ip) % entries.count]
            #expect(try store.call(instance, "added", [.i32(100)]) == [.i32(Self.target(entry &- 2))], "byte \(ip)")
            #expect(try store.call(instance, "plain", [.i32(100)]) == [.i32(Self.target(entry))], "byte \(ip)")
            #expect(try store.call(instance, "kept", [.i32(100)]) == [.i32(Self.target(entry) &+ entry)], "byte \(ip)")
        }
    }

    @Test(arguments: [false, true])
    func anOpcodeOrTableEntryOutOfBoundsTraps(metering: Bool) throws {
        let (store, instance) = try instantiate(Self.module(), metering: metering)
        if metering { store.fuel = 1 << 40 }
        for name in ["added", "plain"] {
            // The opcode byte itself past the end of memory.
            let past = try #require(throws: Trap.self) { try store.call(instance, name, [.i32(65_536)]) }
            guard case .memoryOutOfBounds = past.reason else { Issue.record("\(name): \(past)"); continue }
            #expect(try store.call(instance, name, [.i32(65_535)]) != [])
        }
        // A table wholly past the end of memory: every opcode's entry traps.
        var b = WasmBuilder()
        b.memory = (1, 1)
        let farLookup = I.get(0) + Self.i32Load8U + I.i32(2) + Self.i32Shl + I.i32(65_536 - 4 * 200) + I.i32Add + I.i32Load()
        b.function([.i32], [.i32], export: "far", Self.dispatch(farLookup + I.i32(-2) + I.i32Add, extra: I.i32(0)))
        b.function([.i32, .i32], [], export: "set8", I.get(0) + I.get(1) + [0x3A, 0, 0])
        let far = try CompiledModule(bytes: b.build())
        #expect(try Disassembler.listing(far, functionIndex: 0, metering: metering).contains("brTableByteIndexed"))
        let (farStore, farInstance) = try instantiate(far, metering: metering)
        if metering { farStore.fuel = 1 << 40 }
        // Byte 199's entry is the table's last word in memory (zero: 0 - 2 picks the default).
        _ = try farStore.call(farInstance, "set8", [.i32(7), .i32(199)])
        #expect(try farStore.call(farInstance, "far", [.i32(7)]) == [.i32(30)])
        _ = try farStore.call(farInstance, "set8", [.i32(7), .i32(200)])
        let trap = try #require(throws: Trap.self) { try farStore.call(farInstance, "far", [.i32(7)]) }
        guard case .memoryOutOfBounds = trap.reason else { Issue.record("\(trap)"); return }
    }

    /// `interpret(ip)`: a bytecode loop from `ip`: opcode 0 adds 1, opcode 1 adds 100, opcode 2
    /// stops and returns the sum; the table at 1024 maps opcode b to b + 2 (the jump subtracts
    /// 2). `setup()` writes the table and a 300-byte program at 0.
    static func interpreter() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        let step = I.get(0) + I.i32(1) + I.i32Add + I.set(0)
        let jump: [UInt8] = [0x0E, 2, 0, 1, 2]
        b.function([.i32], [.i32], locals: [.i32], export: "interpret",
                   I.loop + I.block + I.block + I.block
                   + lookup + I.i32(-2) + I.i32Add + jump + I.end
                   + I.get(1) + I.i32(1) + I.i32Add + I.set(1) + step + I.br(2) + I.end
                   + I.get(1) + I.i32(100) + I.i32Add + I.set(1) + step + I.br(1) + I.end
                   + I.end + I.get(1))
        var setup: [UInt8] = []
        for byte in 0..<3 { setup += I.i32(Int32(1024 + 4 * byte)) + I.i32(Int32(byte + 2)) + I.i32Store() }
        for ip in 0..<300 { setup += I.i32(Int32(ip)) + I.i32(ip == 299 ? 2 : Int32(ip % 3 == 0 ? 1 : 0)) + [0x3A, 0, 0] }
        b.function([], [], export: "setup", setup)
        return try CompiledModule(bytes: b.build())
    }

    @Test func aDispatchLoopResumesAfterRunningOutOfFuel() throws {
        let compiled = try Self.interpreter()
        #expect(try Disassembler.listing(compiled, functionIndex: 0, metering: true).contains("brTableByteIndexed"))
        // 100 opcodes 1 (ip % 3 == 0 below 299) and 199 opcodes 0.
        let expected: [Value] = [.i32(100 * 100 + 199)]
        let (store, instance) = try instantiate(compiled, metering: false)
        _ = try store.call(instance, "setup")
        #expect(try store.call(instance, "interpret", [.i32(0)]) == expected)
        for chunk: Int64 in [1, 3, 7, 50] {
            let (values, refuels, _) = try runHandingOutFuel(compiled, "interpret", [.i32(0)], chunk: chunk) { store, instance in
                _ = try store.call(instance, "setup")
            }
            #expect(values == expected, "chunk \(chunk)")
            #expect(refuels > 0)
        }
    }
}
