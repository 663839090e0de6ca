import Foundation
import Testing
@testable import WasmInterpreter

@Suite("Limits: fuel, deadline, cancellation, memory, call depth")
struct LimitTests {
    /// `count(n)`: loops n times, returns n; `spin()`: loops forever; `grow(pages)`; `recurse()`.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, nil)
        b.function([.i32], [.i32], locals: [.i32], export: "count",
                   I.block + I.loop + I.get(1) + I.get(0) + I.i32LtS + I.i32Eqz + I.brIf(1)
                   + I.get(1) + I.i32(1) + I.i32Add + I.set(1) + I.br(0) + I.end + I.end + I.get(1))
        b.function([], [], export: "spin", I.loop + I.br(0) + I.end)
        b.function([.i32], [.i32], export: "grow", I.get(0) + I.memoryGrow())
        b.function([], [], export: "recurse", I.call(3))
        return try CompiledModule(bytes: b.build())
    }

    @Test func fuelRunsOutAndCanBeRefuelledAndResumed() throws {
        let (values, refuels, _) = try runHandingOutFuel(Self.module(), "count", [.i32(100_000)], chunk: 1000)
        #expect(values == [.i32(100_000)])
        // Ten Wasm instructions per iteration: about 1M units, so about 1000 refuels.
        #expect(refuels > 900 && refuels < 1100)
    }

    @Test func fuelIsChargedPerInstruction() throws {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = true
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(Self.module())
        store.fuel = 10_000_000
        _ = try store.call(instance, "count", [.i32(1000)])
        let used1000 = 10_000_000 - store.fuel
        store.fuel = 10_000_000
        _ = try store.call(instance, "count", [.i32(2000)])
        let used2000 = 10_000_000 - store.fuel
        // Each iteration runs ten instructions: local.get, local.get, i32.lt_s, i32.eqz,
        // br_if, local.get, i32.const, i32.add, local.set, br.
        #expect(used2000 - used1000 == 10 * 1000)
    }

    @Test func outOfFuelThroughCallIsATrap() throws {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = true
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(Self.module())
        store.fuel = 100
        let trap = try #require(throws: Trap.self) { try store.call(instance, "spin") }
        guard case .outOfFuel = trap.reason else { Issue.record("\(trap)"); return }
        #expect(!store.hasSuspendedExecution)
    }

    @Test func deadlineStopsAnEndlessLoop() throws {
        let store = Store()
        let instance = try store.instantiate(Self.module())
        store.deadline = .now + .milliseconds(50)
        let start = ContinuousClock.now
        let trap = try #require(throws: Trap.self) { try store.call(instance, "spin") }
        guard case .deadlineExceeded = trap.reason else { Issue.record("\(trap)"); return }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func cancellationFromAnotherThread() throws {
        let store = Store()
        let instance = try store.instantiate(Self.module())
        let trap = try #require(try callCancelledFromAnotherThread(store, instance, "spin"))
        guard case .cancelled = trap.reason else { Issue.record("\(trap)"); return }
        #expect(try store.call(instance, "count", [.i32(5)]) == [.i32(5)])
    }

    @Test func memoryGrowthStopsAtTheLimit() throws {
        var configuration = StoreConfiguration()
        configuration.maxMemoryBytes = 4 * 65536
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(Self.module())
        #expect(try store.call(instance, "grow", [.i32(2)]) == [.i32(1)])
        #expect(try store.call(instance, "grow", [.i32(2)]) == [.i32(UInt32(bitPattern: -1))])
        #expect(try store.call(instance, "grow", [.i32(1)]) == [.i32(3)])
        #expect(store.defaultMemory(of: instance)?.size == 4 * 65536)
    }

    @Test func deepRecursionIsACleanTrapAndTheStoreStaysUsable() throws {
        var configuration = StoreConfiguration()
        configuration.maxCallDepth = 500
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(Self.module())
        let trap = try #require(throws: Trap.self) { try store.call(instance, "recurse") }
        guard case .callStackExhausted = trap.reason else { Issue.record("\(trap)"); return }
        #expect(try store.call(instance, "count", [.i32(3)]) == [.i32(3)])
    }

    @Test func valueStackSizeIsEnforced() throws {
        var configuration = StoreConfiguration()
        configuration.valueStackSlots = 2048
        configuration.maxCallDepth = 1_000_000
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(Self.module())
        let trap = try #require(throws: Trap.self) { try store.call(instance, "recurse") }
        guard case .callStackExhausted = trap.reason else { Issue.record("\(trap)"); return }
    }
}

/// In metered code, forward jumps charge their target block's fuel themselves (`brCharge`,
/// jump-table entries): the totals must not change with how the fuel is handed out, and a run
/// stopped for fuel at such a jump must resume exactly.
@Suite("Fuel charged by forward jumps")
struct ForwardJumpFuelTests {
    /// for i in 0..<n { switch i % 3 { case 0: acc += 1 case 1: acc += 10 default: acc += 100 } }
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        let remU: [UInt8] = [0x70]
        let geS: [UInt8] = [0x4E]
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "switchy",
                   I.block + I.loop + I.get(1) + I.get(0) + geS + I.brIf(1)
                   + I.block + I.block + I.block + I.block
                   + I.get(1) + I.i32(3) + remU + [0x0E, 3, 0, 1, 2, 2]
                   + I.end + I.get(2) + I.i32(1) + I.i32Add + I.set(2) + I.br(2)
                   + I.end + I.get(2) + I.i32(10) + I.i32Add + I.set(2) + I.br(1)
                   + I.end + I.get(2) + I.i32(100) + I.i32Add + I.set(2)
                   + I.end + I.get(1) + I.i32(1) + I.i32Add + I.set(1) + I.br(0)
                   + I.end + I.end + I.get(2))
        return try CompiledModule(bytes: b.build())
    }

    /// Fuel used and results for n iterations: all fuel at once, or `chunk` units at a time.
    func used(_ n: Int32, chunk: Int64? = nil) throws -> (fuel: Int64, result: [Value]) {
        let run = try runHandingOutFuel(Self.module(), "switchy", [.i32(UInt32(n))], chunk: chunk ?? 1 << 40)
        return (run.fuelUsed, run.values)
    }

    @Test func theCompiledFormChargesAtTheJumps() throws {
        let listing = try Disassembler.listing(Self.module(), functionIndex: 0, metering: true)
        #expect(listing.contains("brCharge"), "\(listing)")
        #expect(listing.contains("(fuel "), "\(listing)")
    }

    @Test func totalsDoNotDependOnHowFuelIsGiven() throws {
        let once = try used(3000)
        #expect(once.result == [.i32(1000 * 111)])
        // What charging every block at its own `fuel` instruction costs (measured with the
        // forward-jump charging turned off): moving the charges must not change it.
        #expect(once.fuel == 66016)
        for chunk: Int64 in [1, 2, 3, 5, 7, 13, 64] {
            let chunked = try used(3000, chunk: chunk)
            #expect(chunked.result == once.result, "chunk \(chunk)")
            #expect(chunked.fuel == once.fuel, "chunk \(chunk)")
        }
        // Linear in the iterations: every third iteration takes each case once.
        let none = try used(0).fuel, some = try used(1500).fuel
        #expect(once.fuel - some == some - none)
        let perThree = (some - none) / 500
        #expect(perThree > 3 * 15 && perThree < 3 * 30, "\(perThree) units per three iterations")
    }
}

/// A loop whose body lowers to one compare-and-branch (or step-and-branch) instruction jumps to
/// itself: a branch offset of 0. It is still a back edge, so fuel and the deadline stop it.
@Suite("Limits stop a loop that is one instruction")
struct SelfLoopLimitTests {
    static let i32Ne: [UInt8] = [0x47]
    static let i32And: [UInt8] = [0x71]
    static let i64Ne: [UInt8] = [0x52]

    /// Each runs forever given (1, 0): the loop head is the branch itself.
    static let loops: [(name: String, body: [UInt8])] = [
        ("brIf", I.loop + I.get(0) + I.brIf(0) + I.end),
        ("brIfAnd", I.loop + I.get(0) + I.i32(1) + i32And + I.brIf(0) + I.end),
        ("brIfI32Ne", I.loop + I.get(0) + I.get(1) + i32Ne + I.brIf(0) + I.end),
        ("addImmBrIfNeImm", I.loop + I.get(1) + I.i32(2) + I.i32Add + I.set(1) + I.get(1) + I.i32(1) + i32Ne + I.brIf(0) + I.end),
        ("i64AddImmBrIfNe", I.loop + I.get(2) + I.i64(2) + I.i64Add + I.set(2) + I.get(2) + I.get(3) + i64Ne + I.brIf(0) + I.end),
    ]

    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for loop in loops {
            b.function([.i32, .i32], [], locals: [.i64, .i64], export: loop.name, loop.body)
        }
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func theLoopIsOneInstructionJumpingToItself(metering: Bool) throws {
        let compiled = try Self.module()
        for (i, loop) in Self.loops.enumerated() {
            let listing = try Disassembler.listing(compiled, functionIndex: i, metering: metering)
            #expect(listing.contains("-> +0"), "\(loop.name): \(listing)")
        }
    }

    @Test func fuelStopsIt() throws {
        let (store, instance) = try instantiate(Self.module(), metering: true)
        for loop in Self.loops {
            store.fuel = 100_000
            let trap = try #require(throws: Trap.self, "\(loop.name)") { try store.call(instance, loop.name, [.i32(1), .i32(0)]) }
            guard case .outOfFuel = trap.reason else { Issue.record("\(loop.name): \(trap)"); continue }
        }
    }

    @Test func theDeadlineStopsIt() throws {
        let store = Store()
        let instance = try store.instantiate(Self.module())
        for loop in Self.loops {
            store.deadline = .now + .milliseconds(20)
            let start = ContinuousClock.now
            let trap = try #require(throws: Trap.self, "\(loop.name)") { try store.call(instance, loop.name, [.i32(1), .i32(0)]) }
            guard case .deadlineExceeded = trap.reason else { Issue.record("\(loop.name): \(trap)"); continue }
            #expect(ContinuousClock.now - start < .seconds(2), "\(loop.name)")
        }
    }
}
