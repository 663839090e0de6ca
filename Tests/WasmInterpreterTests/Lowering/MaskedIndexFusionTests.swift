import Testing
@testable import WasmInterpreter

/// A table lookup by a masked index, `table[(x & mask)]` with the index shifted by the element
/// size, lowers to one `i32LoadMaskedIndexed` where the address cannot wrap past 2^32; where it
/// could, the separate instructions stay (they wrap).
@Suite("Masked table indexes fused into the load")
struct MaskedIndexFusionTests {
    static let i32And: [UInt8] = [0x71]
    static let i32Shl: [UInt8] = [0x74]

    /// `lookup(x) = i32.load offset=8 (((x & 255) << 2) + 1024)`: fused.
    /// `lookupByte(x) = i32.load offset=4 ((x & 0xFFFC) + 100)`: fused, no shift.
    /// `wrapping(x) = i32.load ((x & 0xFFFF) << 2) + 0xFFFF_0000)`: may wrap, not fused.
    /// `set(address, value)` writes memory.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        b.function([.i32], [.i32], export: "lookup",
                   I.get(0) + I.i32(255) + i32And + I.i32(2) + i32Shl + I.i32(1024) + I.i32Add + [0x28, 2, 8])
        b.function([.i32], [.i32], export: "lookupByte",
                   I.get(0) + I.i32(0xFFFC) + i32And + I.i32(100) + I.i32Add + [0x28, 2, 4])
        b.function([.i32], [.i32], export: "wrapping",
                   I.get(0) + I.i32(0xFFFF) + i32And + I.i32(2) + i32Shl + I.i32(Int32(bitPattern: 0xFFFF_0000)) + I.i32Add + [0x28, 2, 0])
        b.function([.i32, .i32], [], export: "set", I.get(0) + I.get(1) + I.i32Store())
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func fusedWhereTheAddressCannotWrap(metering: Bool) throws {
        let compiled = try Self.module()
        let listings = try (0..<3).map { try Disassembler.listing(compiled, functionIndex: $0, metering: metering) }
        #expect(listings[0].contains("i32LoadMaskedIndexed") && !listings[0].contains("i32AndImm"), "\(listings[0])")
        #expect(listings[1].contains("i32LoadMaskedIndexed") && !listings[1].contains("i32AndImm"), "\(listings[1])")
        #expect(!listings[2].contains("i32LoadMaskedIndexed"), "\(listings[2])")

        let (store, instance) = try instantiate(compiled, metering: metering)
        // Memory word at byte address a holds a * 7 + 1, for every 4-aligned a.
        for a in stride(from: UInt32(0), to: 65_536, by: 4) {
            _ = try store.call(instance, "set", [.i32(a), .i32(a &* 7 &+ 1)])
        }
        func word(at a: UInt32) -> UInt32 { a &* 7 &+ 1 }
        for x: UInt32 in [0, 1, 255, 256, 0x1234_56FF, 0xFFFF_FFFF, 0x8000_0001, 77, 0xFF9B, 0xFF98] {
            #expect(try store.call(instance, "lookup", [.i32(x)]) == [.i32(word(at: (x & 255) << 2 + 1032))], "lookup(\(x))")
            // The top of the masked range runs past the end of memory: the fused load still checks bounds.
            let address = (x & 0xFFFC) + 104
            if address + 4 <= 65_536 {
                #expect(try store.call(instance, "lookupByte", [.i32(x)]) == [.i32(word(at: address))], "lookupByte(\(x))")
            } else {
                #expect(throws: Trap.self, "lookupByte(\(x))") { try store.call(instance, "lookupByte", [.i32(x)]) }
            }
        }
        // (x & 0xFFFF) << 2 + 0xFFFF0000 wraps below 2^18 for x >= 0x4000: in bounds; else a trap.
        #expect(try store.call(instance, "wrapping", [.i32(0x4000)]) == [.i32(word(at: 0))])
        #expect(try store.call(instance, "wrapping", [.i32(0x4003)]) == [.i32(word(at: 12))])
        #expect(throws: Trap.self) { try store.call(instance, "wrapping", [.i32(0x3FFF)]) }
    }

    /// The bounds check stays: a masked index whose word runs past the end of memory traps.
    @Test(arguments: [false, true])
    func outOfBoundsStillTraps(metering: Bool) throws {
        var b = WasmBuilder()
        b.memory = (1, 1)
        // i32.load offset=0 (((x & 0xFFFF) << 0) + 0 + 65_533): the word at 65_533 + (x & 0xFFFF).
        b.function([.i32], [.i32], export: "edge", I.get(0) + I.i32(0xFFFF) + Self.i32And + I.i32(65_532) + I.i32Add + [0x28, 2, 0])
        let compiled = try CompiledModule(bytes: b.build())
        #expect(try Disassembler.listing(compiled, functionIndex: 0, metering: metering).contains("i32LoadMaskedIndexed"))
        let (store, instance) = try instantiate(compiled, metering: metering)
        #expect(try store.call(instance, "edge", [.i32(0x1_0000)]) == [.i32(0)])
        for x: UInt32 in [1, 4, 0xFFFF, 0xFFFF_FFFF] {
            do {
                _ = try store.call(instance, "edge", [.i32(x)])
                Issue.record("edge(\(x)): no trap")
            } catch {
                if case .memoryOutOfBounds = error.reason {} else { Issue.record("edge(\(x)): \(error)") }
            }
        }
    }
}
