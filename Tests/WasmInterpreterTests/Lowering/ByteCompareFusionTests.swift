import Testing
@testable import WasmInterpreter

/// Two bytes loaded at the same index and compared by a branch (`memcmp`-style match loops)
/// lower to one `brIfBytesNe` or `brIfBytesEq`. The fused branch must go where the loads and
/// compare send it, with 32-bit wrap of base + index, the same traps, and fuel on its back edge.
@Suite("Byte compares fused into their branch")
struct ByteCompareFusionTests {
    static let i32Eq: [UInt8] = [0x46]
    static let i32Ne: [UInt8] = [0x47]
    static let ifVoid: [UInt8] = [0x04, 0x40]

    /// byte [(local base + local index) + offset]
    static func byte(_ base: Int, _ index: Int, offset: UInt8) -> [UInt8] {
        I.get(base) + I.get(index) + I.i32Add + [0x2D, 0, offset]
    }

    /// Parameters (a, b, limit), local 3 = length. Exports:
    /// - `match`: `while length != limit && byte[a + length] == byte[b + length + 5]: length += 1`
    ///   (the compare branches out on !=: `brIfBytesNe`);
    /// - `matchEq`: the same loop with its exit test written `if (x == y) {} else break`
    ///   (`brIfBytesEq` skipping the break... the lowering branches when the `if` is false);
    /// - `run`: `do { length += 1 } while byte[a + length] == byte[b + length]` (a backward
    ///   `brIfBytesEq`), returning length;
    /// - `apart`: bytes at different indexes (a + length, b + limit): not fused.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        let stepLength = I.get(3) + I.i32(1) + I.i32Add + I.set(3)
        let atLimit = I.get(3) + I.get(2) + i32Eq + I.brIf(1)
        b.function([.i32, .i32, .i32], [.i32], locals: [.i32], export: "match",
                   I.block + I.loop + atLimit + byte(0, 3, offset: 0) + byte(1, 3, offset: 5) + i32Ne + I.brIf(1)
                   + stepLength + I.br(0) + I.end + I.end + I.get(3))
        b.function([.i32, .i32, .i32], [.i32], locals: [.i32], export: "matchEq",
                   I.block + I.loop + atLimit + byte(0, 3, offset: 0) + byte(1, 3, offset: 5) + i32Eq
                   + ifVoid + [0x05] + I.br(2) + I.end + stepLength + I.br(0) + I.end + I.end + I.get(3))
        b.function([.i32, .i32, .i32], [.i32], locals: [.i32], export: "run",
                   I.loop + stepLength + byte(0, 3, offset: 0) + byte(1, 3, offset: 0) + i32Eq + I.brIf(0) + I.end + I.get(3))
        b.function([.i32, .i32, .i32], [.i32], locals: [.i32], export: "apart",
                   I.block + I.loop + atLimit + byte(0, 3, offset: 0) + byte(1, 2, offset: 0) + i32Ne + I.brIf(1)
                   + stepLength + I.br(0) + I.end + I.end + I.get(3))
        b.function([.i32, .i32], [], export: "poke", I.get(0) + I.get(1) + [0x3A, 0, 0])
        return try CompiledModule(bytes: b.build())
    }

    /// The Swift model of `match` (`rightOffset` 5) and `run` (`rightOffset` 0, starting at 1,
    /// no limit), over `memory`; nil where a read would be out of bounds (a trap).
    static func matchLength(_ memory: [UInt8], a: UInt32, b: UInt32, limit: UInt32?, rightOffset: UInt64, from start: UInt32) -> UInt32? {
        var length = start
        while true {
            if let limit, length == limit { return length }
            let left = UInt64(a &+ length), right = UInt64(b &+ length) + rightOffset
            guard left < UInt64(memory.count), right < UInt64(memory.count) else { return nil }
            if memory[Int(left)] != memory[Int(right)] { return length }
            if limit == nil { length &+= 1 } else { length += 1 }
        }
    }

    @Test(arguments: [false, true])
    func fusedOnlyForTwoBytesAtOneIndex(metering: Bool) throws {
        let compiled = try Self.module()
        let listings = try (0..<4).map { try Disassembler.listing(compiled, functionIndex: $0, metering: metering) }
        #expect(listings[0].contains("brIfBytesNe") && !listings[0].contains("Load8U"), "\(listings[0])")
        #expect(listings[1].contains("brIfBytes") && !listings[1].contains("Load8U"), "\(listings[1])")
        #expect(listings[2].contains("brIfBytesEq") && listings[2].contains("(fuel") == metering, "\(listings[2])")
        #expect(!listings[3].contains("brIfBytes"), "\(listings[3])")
    }

    @Test(arguments: [false, true])
    func fusedLoopsMatchTheModel(metering: Bool) throws {
        let (store, instance) = try instantiate(Self.module(), metering: metering)
        // A repeating pattern with runs of equal bytes, a few differing bytes, and a tail.
        var memory = [UInt8](repeating: 0, count: 65_536)
        var seed: UInt32 = 12345
        for i in 0..<memory.count {
            seed = seed &* 1_103_515_245 &+ 12345
            memory[i] = i % 97 < 60 ? UInt8(i % 7) : UInt8(truncatingIfNeeded: seed >> 16)
        }
        for (i, value) in memory.enumerated() where value != 0 {
            _ = try store.call(instance, "poke", [.i32(UInt32(i)), .i32(UInt32(value))])
        }
        var checked = 0
        for (a, b): (UInt32, UInt32) in [(0, 7), (0, 97 - 5), (14, 21), (3, 3 + 194 - 5), (65_500, 65_400), (0xFFFF_FF00, 0xFFFF_FF07), (0xFFFF_FFFF, 6)] {
            for limit: UInt32 in [0, 1, 5, 40, 200] {
                let arguments: [Value] = [.i32(a), .i32(b), .i32(limit)]
                let want = Self.matchLength(memory, a: a, b: b, limit: limit, rightOffset: 5, from: 0)
                for name in ["match", "matchEq"] {
                    if let want {
                        #expect(try store.call(instance, name, arguments) == [.i32(want)], "\(name)(\(a), \(b), \(limit))")
                    } else {
                        #expect(throws: Trap.self, "\(name)(\(a), \(b), \(limit))") { try store.call(instance, name, arguments) }
                    }
                }
                checked += 1
            }
            let run = Self.matchLength(memory, a: a, b: b, limit: nil, rightOffset: 0, from: 1)
            if let run {
                #expect(try store.call(instance, "run", [.i32(a), .i32(b), .i32(0)]) == [.i32(run)], "run(\(a), \(b))")
            } else {
                #expect(throws: Trap.self, "run(\(a), \(b))") { try store.call(instance, "run", [.i32(a), .i32(b), .i32(0)]) }
            }
        }
        #expect(checked == 35)
        // The last byte on both sides is in bounds; one past it, on either side, is not.
        #expect(try store.call(instance, "match", [.i32(65_535), .i32(65_530), .i32(1)]) == [.i32(1)])
        for (a, b): (UInt32, UInt32) in [(65_536, 0), (0, 65_531), (0xFFFF_FFFF, 0), (0, 0xFFFF_FFFB)] {
            do {
                _ = try store.call(instance, "match", [.i32(a), .i32(b), .i32(10)])
                Issue.record("match(\(a), \(b)): no trap")
            } catch {
                if case .memoryOutOfBounds = error.reason {} else { Issue.record("match(\(a), \(b)): \(error)") }
            }
        }
    }

    /// Fuel runs out on the fused back edge again and again (7 units at a time); each resume
    /// continues exactly: the run stops at the one byte that differs.
    @Test func fusedBackEdgeResumesAfterFuelRunsOut() throws {
        let (values, refuels, _) = try runHandingOutFuel(Self.module(), "run", [.i32(1000), .i32(0), .i32(0)], chunk: 7) { store, instance in
            _ = try store.call(instance, "poke", [.i32(1000 + 3000), .i32(9)])
        }
        #expect(values == [.i32(3000)])
        #expect(refuels > 1000)
    }
}

/// A forward branch on a loaded byte (`if (flags[i])`) lowers to one `brIfByte` or
/// `brIfNotByte`; a backward one keeps its load and a compare-and-branch (which carries fuel).
@Suite("Byte loads fused into their forward branch")
struct ByteBranchFusionTests {
    /// `flagged(a)`: 9 if byte [a + 3] != 0 (a `br_if` out of a block), else 7.
    /// `ifFlag(a)`: 1 if byte [a + 3] != 0 (an `if`, branching when false), else 2.
    /// `run(a)`: `do { a += 1; n += 1 } while byte [a]`, returning n (a backward branch).
    /// `poke(a, byte)` writes memory.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        let loaded = I.get(0) + [0x2D, 0, 3]
        b.function([.i32], [.i32], export: "flagged", I.block + loaded + I.brIf(0) + I.i32(7) + [0x0F] + I.end + I.i32(9))
        b.function([.i32], [.i32], export: "ifFlag", loaded + [0x04, 0x7F] + I.i32(1) + [0x05] + I.i32(2) + I.end)
        b.function([.i32], [.i32], locals: [.i32], export: "run",
                   I.loop + I.get(0) + I.i32(1) + I.i32Add + I.set(0) + I.get(1) + I.i32(1) + I.i32Add + I.set(1)
                   + I.get(0) + [0x2D, 0, 0] + I.brIf(0) + I.end + I.get(1))
        b.function([.i32, .i32], [], export: "poke", I.get(0) + I.get(1) + [0x3A, 0, 0])
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func forwardBranchesTestTheByteInMemory(metering: Bool) throws {
        let compiled = try Self.module()
        let listings = try (0..<3).map { try Disassembler.listing(compiled, functionIndex: $0, metering: metering) }
        #expect(listings[0].contains("brIfByte") && !listings[0].contains("i32Load8U"), "\(listings[0])")
        #expect(listings[1].contains("brIfNotByte") && !listings[1].contains("i32Load8U"), "\(listings[1])")
        #expect(listings[2].contains("i32Load8U") && listings[2].contains("brIfI32NeImm") && !listings[2].contains("Byte "),
                "\(listings[2])")

        let (store, instance) = try instantiate(compiled, metering: metering)
        for (address, value): (UInt32, UInt32) in [(103, 1), (104, 0x80), (105, 0xFF), (65_535, 2), (200, 3), (201, 4), (202, 5)] {
            _ = try store.call(instance, "poke", [.i32(address), .i32(value)])
        }
        for a: UInt32 in [100, 101, 102, 65_532, 0, 7] where UInt64(a) + 3 <= 65_535 {
            let set = [100, 101, 102, 65_532].contains(a)
            #expect(try store.call(instance, "flagged", [.i32(a)]) == [.i32(set ? 9 : 7)], "flagged(\(a))")
            #expect(try store.call(instance, "ifFlag", [.i32(a)]) == [.i32(set ? 1 : 2)], "ifFlag(\(a))")
        }
        #expect(try store.call(instance, "run", [.i32(199)]) == [.i32(4)])
        #expect(try store.call(instance, "run", [.i32(0)]) == [.i32(1)])
        for a: UInt32 in [65_533, 0xFFFF_FFFD, 0xFFFF_FFFF] {
            for name in ["flagged", "ifFlag"] {
                do {
                    _ = try store.call(instance, name, [.i32(a)])
                    Issue.record("\(name)(\(a)): no trap")
                } catch {
                    if case .memoryOutOfBounds = error.reason {} else { Issue.record("\(name)(\(a)): \(error)") }
                }
            }
        }
    }
}
