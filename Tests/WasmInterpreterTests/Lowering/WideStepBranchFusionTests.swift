import Testing
@testable import WasmInterpreter

/// An i64 loop's `i += step; br_if (i != bound)` or `br_if (i <u bound)` lowers to one
/// three-word instruction (`i64AddImmBrIfNe`, `i64AddImmBrIfLtU` for a constant step,
/// `i64AddBrIfNe`, `i64AddBrIfLtU` for a step in a local). The fused form must step, test and
/// branch as the separate instructions do, including wrap-around, and resume exactly after a
/// stop.
@Suite("i64 loop steps fused into their exit branch")
struct WideStepBranchFusionTests {
    static let i64Ne: [UInt8] = [0x52]
    static let i64LtU: [UInt8] = [0x54]
    static let i64Mul: [UInt8] = [0x7E]
    static let i64Xor: [UInt8] = [0x85]
    static let i64ExtendI32U: [UInt8] = [0xAD]

    /// How the loop's exit test reads.
    enum ExitTest: CaseIterable { case notEqual, below, boundNotEqual }

    /// Locals: 0 = i (i64 start), 1 = bound (i64), 2 = step (i64, for a step in a local),
    /// 3 = acc (i64), 4 = n (i32 iterations). Each time round: `n += 1; acc ^= i * 7 + n`, then
    /// `i += step`, looping while the test holds; returns acc + n * 1000003.
    static func body(step: Int64?, test: ExitTest) -> [UInt8] {
        let count = I.get(4) + I.i32(1) + I.i32Add + I.set(4)
        let mix = I.get(3) + I.get(0) + I.i64(7) + i64Mul + I.get(4) + i64ExtendI32U + I.i64Add + i64Xor + I.set(3)
        let stepI = I.get(0) + (step.map(I.i64) ?? I.get(2)) + I.i64Add + I.set(0)
        let compare: [UInt8]
        switch test {
        case .notEqual: compare = I.get(0) + I.get(1) + i64Ne
        case .below: compare = I.get(0) + I.get(1) + i64LtU
        case .boundNotEqual: compare = I.get(1) + I.get(0) + i64Ne
        }
        return I.loop + count + mix + stepI + compare + I.brIf(0) + I.end
            + I.get(3) + I.get(4) + i64ExtendI32U + I.i64(1_000_003) + i64Mul + I.i64Add
    }

    static let steps: [Int64] = [1, 3, -1, 1 << 40, .min, .max]

    /// Per step and test, `imm_<k>_<t>(start, bound, unused)` and `reg_<k>_<t>(start, bound,
    /// step)` (the function index is 2 * (k * 3 + t) and one more).
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for (k, step) in steps.enumerated() {
            for (t, test) in ExitTest.allCases.enumerated() {
                b.function([.i64, .i64, .i64], [.i64], locals: [.i64, .i32], export: "imm_\(k)_\(t)", body(step: step, test: test))
                b.function([.i64, .i64, .i64], [.i64], locals: [.i64, .i32], export: "reg_\(k)_\(t)", body(step: nil, test: test))
            }
        }
        return try CompiledModule(bytes: b.build())
    }

    /// What `body` computes, in Swift; nil if it would run more than `limit` iterations.
    static func expected(start: Int64, step: Int64, bound: Int64, test: ExitTest, limit: Int = 100_000) -> Int64? {
        var i = UInt64(bitPattern: start), acc: UInt64 = 0, n: UInt32 = 0
        let s = UInt64(bitPattern: step), e = UInt64(bitPattern: bound)
        for _ in 0..<limit {
            n &+= 1
            acc ^= i &* 7 &+ UInt64(n)
            i &+= s
            let again = test == .below ? i < e : i != e
            if !again { return Int64(bitPattern: acc &+ UInt64(n) &* 1_000_003) }
        }
        return nil
    }

    static let fusedNames = ["i64AddImmBrIfNe", "i64AddImmBrIfLtU", "i64AddBrIfNe ", "i64AddBrIfLtU"]

    @Test(arguments: [false, true])
    func fusedLoopsComputeTheSame(metering: Bool) throws {
        let compiled = try Self.module()
        for k in Self.steps.indices {
            for (t, test) in ExitTest.allCases.enumerated() {
                let f = 2 * (k * ExitTest.allCases.count + t)
                let below = test == .below
                let imm = try Disassembler.listing(compiled, functionIndex: f, metering: metering)
                let reg = try Disassembler.listing(compiled, functionIndex: f + 1, metering: metering)
                #expect(imm.contains(below ? "i64AddImmBrIfLtU" : "i64AddImmBrIfNe"), "\(imm)")
                #expect(reg.contains(below ? "i64AddBrIfLtU" : "i64AddBrIfNe "), "\(reg)")
            }
        }
        let (store, instance) = try instantiate(compiled, metering: metering)
        var checked = 0
        for (k, step) in Self.steps.enumerated() {
            for start: Int64 in [0, 5, -7, .max - 2, .min, 100 &- 9 &* step] {
                for bound: Int64 in [100, start &+ step, start &+ 4 &* step, -100, 0] {
                    for (t, test) in ExitTest.allCases.enumerated() {
                        guard let want = Self.expected(start: start, step: step, bound: bound, test: test) else { continue }
                        let arguments: [Value] = [.i64(UInt64(bitPattern: start)), .i64(UInt64(bitPattern: bound)), .i64(UInt64(bitPattern: step))]
                        for prefix in ["imm_", "reg_"] {
                            #expect(try store.call(instance, "\(prefix)\(k)_\(t)", arguments) == [.i64(UInt64(bitPattern: want))],
                                    "\(prefix) \(test) step \(step) from \(start) to \(bound)")
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 100)
    }

    /// Fuel runs out on the fused back edge again and again (7 units at a time); each resume
    /// continues exactly, never stepping twice.
    @Test func fusedBackEdgeResumesAfterFuelRunsOut() throws {
        let compiled = try Self.module()
        let below = ExitTest.allCases.firstIndex(of: .below)!
        for (name, step) in [("imm_1_\(below)", Int64(3)), ("reg_0_\(below)", 1), ("reg_1_0", 3)] {
            let start: Int64 = 1, bound: Int64 = 3001
            let arguments: [Value] = [.i64(UInt64(start)), .i64(UInt64(bound)), .i64(UInt64(step))]
            let test: ExitTest = name.hasSuffix("_0") ? .notEqual : .below
            let (values, refuels, _) = try runHandingOutFuel(compiled, name, arguments, chunk: 7)
            let want = Self.expected(start: start, step: step, bound: bound, test: test)!
            #expect(values == [.i64(UInt64(bitPattern: want))], "\(name)")
            #expect(refuels > 100, "\(name)")
        }
    }
}
