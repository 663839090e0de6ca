import Testing
@testable import WasmInterpreter

/// A counted loop's `i += step; br_if (i != bound)` lowers to one `addImmBrIfNeImm` (constant
/// bound) or `addImmBrIfNe` (bound in a local). The fused form must step, test and branch as
/// the three instructions do, backward and forward, and resume exactly after a stop.
@Suite("Loop steps fused into their exit branch")
struct StepBranchFusionTests {
    static let i32Xor: [UInt8] = [0x73]
    static let i32Ne: [UInt8] = [0x47]
    static let i32Eq: [UInt8] = [0x46]
    static let ifVoid: [UInt8] = [0x04, 0x40]

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    /// `n += 1; acc ^= i * 7 + n` each time round (so the result depends on every value `i`
    /// took), then `i += step`, looping while i != bound; returns acc + n * 1000003. Locals: 0 = i
    /// (start), 1 = bound or unused, 2 = acc, 3 = n (iterations). The step follows an xor, so
    /// it is not joined to the count's add.
    static func body(step: Int32, bound: [UInt8], boundFirst: Bool = false) -> [UInt8] {
        let mix = I.get(2) + I.get(0) + I.i32(7) + [0x6C] + I.get(3) + I.i32Add + i32Xor + I.set(2)
        let count = I.get(3) + I.i32(1) + I.i32Add + I.set(3)
        let stepI = I.get(0) + I.i32(step) + I.i32Add + I.set(0)
        let test = boundFirst ? bound + I.get(0) : I.get(0) + bound
        return I.loop + count + mix + stepI + test + i32Ne + I.brIf(0) + I.end
            + I.get(2) + I.get(3) + I.i32(1_000_003) + [0x6C] + I.i32Add
    }

    static let steps: [Int32] = [1, 2, -1, 3, 0x7FFF_FFFF, -0x8000_0000]

    /// Per step: `imm_<k>(start)` looping to the constant bound 100, `reg_<k>(start, bound)`
    /// and `rev_<k>(start, bound)` (testing `bound != i`),
    /// and `fwd(i)`: `i += 3; if (i == 12) {acc = 1}; return i + 1000 * acc`, whose `if`
    /// branches forward on i != 12.
    /// `self(i)` compares the stepped local with itself (never fused).
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for (k, step) in steps.enumerated() {
            b.function([.i32], [.i32], locals: [.i32, .i32, .i32], export: "imm_\(k)", body(step: step, bound: I.i32(100)))
            b.function([.i32, .i32], [.i32], locals: [.i32, .i32], export: "reg_\(k)", body(step: step, bound: I.get(1)))
        }
        for (k, step) in steps.enumerated() {
            b.function([.i32, .i32], [.i32], locals: [.i32, .i32], export: "rev_\(k)",
                       body(step: step, bound: I.get(1), boundFirst: true))
        }
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "fwd",
                   I.get(0) + I.i32(3) + I.i32Add + I.set(0) + I.get(0) + I.i32(12) + i32Eq + ifVoid
                   + I.i32(1) + I.set(2) + I.end + I.get(0) + I.get(2) + I.i32(1000) + [0x6C] + I.i32Add)
        b.function([.i32], [.i32], locals: [.i32], export: "self",
                   I.loop + I.get(0) + I.i32(1) + I.i32Add + I.set(0) + I.get(0) + I.get(0) + i32Ne + I.brIf(0) + I.end + I.get(0))
        return try CompiledModule(bytes: b.build())
    }

    /// What `body` computes, in Swift; nil if it would run more than `limit` iterations.
    static func expected(start: Int32, step: Int32, bound: Int32, limit: Int = 1_000_000) -> Int32? {
        var i = start, acc: Int32 = 0, n: Int32 = 0
        for _ in 0..<limit {
            n &+= 1
            acc ^= i &* 7 &+ n
            i &+= step
            if i == bound { return acc &+ n &* 1_000_003 }
        }
        return nil
    }

    @Test(arguments: [false, true])
    func fusedLoopsComputeTheSame(metering: Bool) throws {
        let compiled = try Self.module()
        for k in Self.steps.indices {
            #expect(try Disassembler.listing(compiled, functionIndex: 2 * k, metering: metering).contains("addImmBrIfNeImm"))
            #expect(try Disassembler.listing(compiled, functionIndex: 2 * k + 1, metering: metering).contains("addImmBrIfNe "))
        }
        for k in Self.steps.indices {
            let reversed = try Disassembler.listing(compiled, functionIndex: 2 * Self.steps.count + k, metering: metering)
            #expect(reversed.contains("addImmBrIfNe "), "\(reversed)")
        }
        let fwd = 3 * Self.steps.count
        #expect(try Disassembler.listing(compiled, functionIndex: fwd, metering: metering).contains("addImmBrIfNeImm"))
        #expect(try !Disassembler.listing(compiled, functionIndex: fwd + 1, metering: metering).contains("addImmBrIf"))

        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(compiled)
        var checked = 0
        for (k, step) in Self.steps.enumerated() {
            for start: Int32 in [100 &- 9 &* step, 99, 98, -5, 100 &- step, 0x7FFF_FFF0, -0x8000_0000, 100 &+ 2 &* step] {
                for bound: Int32 in [100, start &+ step, start &+ 3 &* step, -100] {
                    guard let want = Self.expected(start: start, step: step, bound: bound) else { continue }
                    if bound == 100 {
                        #expect(try store.call(instance, "imm_\(k)", [v(start)]) == [v(want)], "imm step \(step) from \(start)")
                    }
                    #expect(try store.call(instance, "reg_\(k)", [v(start), v(bound)]) == [v(want)],
                            "reg step \(step) from \(start) to \(bound)")
                    #expect(try store.call(instance, "rev_\(k)", [v(start), v(bound)]) == [v(want)],
                            "rev step \(step) from \(start) to \(bound)")
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
        for (i, result): (Int32, Int32) in [(9, 1012), (10, 13), (-3, 0), (12, 15), (0x7FFF_FFFE, -0x7FFF_FFFF)] {
            #expect(try store.call(instance, "fwd", [v(i)]) == [v(result)], "fwd(\(i))")
        }
        #expect(try store.call(instance, "self", [v(41)]) == [v(42)])
    }

    /// Fuel runs out on the fused back edge again and again (7 units at a time); each resume
    /// continues exactly, never stepping twice.
    @Test func fusedBackEdgeResumesAfterFuelRunsOut() throws {
        let compiled = try Self.module()
        let (imm, immRefuels, _) = try runHandingOutFuel(compiled, "imm_0", [v(-4000)], chunk: 7)
        #expect(imm == [v(Self.expected(start: -4000, step: 1, bound: 100)!)])
        #expect(immRefuels > 1000)
        let (reg, regRefuels, _) = try runHandingOutFuel(compiled, "reg_1", [v(0), v(8000)], chunk: 7)
        #expect(reg == [v(Self.expected(start: 0, step: 2, bound: 8000)!)])
        #expect(regRefuels > 1000)
    }
}
