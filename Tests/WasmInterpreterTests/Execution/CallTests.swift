import Testing
@testable import WasmInterpreter

/// The call fast paths: `callLocal` for functions the module defines, returns that tell from
/// their frame record whether they leave the instance, and the interrupt checkpoint a call
/// takes every `interruptInterval` calls by leaving the loop.
@Suite("Calls: returns across instances, tail calls into imports, interrupt checkpoints")
struct CallTests {
    static let returnCall: UInt8 = 0x12

    /// Module "lib": one page of memory; `peek()` returns the i32 at address 0 of its memory
    /// and `poke(v)` stores v there.
    static func library() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        b.function([], [.i32], export: "peek", I.i32(0) + I.i32Load())
        b.function([.i32], [], export: "poke", I.i32(0) + I.get(0) + I.i32Store())
        return try CompiledModule(bytes: b.build())
    }

    /// The importer, with its own memory. Function 0 is the imported `lib.peek`.
    /// - `direct()`: stores 111 at its address 0, calls `peek`, adds its own word at 0.
    /// - `viaTail()`: the same, but reaches `peek` through `tail()`, a local function that
    ///   tail-calls it, so `peek` returns straight into `viaTail`.
    /// A return that kept `lib`'s memory would read 222 instead of 111 after the call.
    static func importer() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        let peek = b.importFunction("lib", "peek", [], [.i32])
        let store111 = I.i32(0) + I.i32(111) + I.i32Store()
        b.function([], [.i32], export: "direct", store111 + I.call(peek) + I.i32(0) + I.i32Load() + I.i32Add)
        let tail = b.functions.count + 1
        b.function([], [.i32], export: "tail", [returnCall] + WasmBuilder.leb(UInt64(peek)))
        b.function([], [.i32], export: "viaTail", store111 + I.call(tail) + I.i32(0) + I.i32Load() + I.i32Add)
        return try CompiledModule(bytes: b.build())
    }

    /// `doubling(n)`: 1 if n is 0, else doubling(n - 1) + doubling(n - 1). 2^n with 2^(n+1) - 1
    /// calls and no loop, so only the calls' checkpoints can stop it.
    static func recursion() throws -> CompiledModule {
        var b = WasmBuilder()
        let ifI32: [UInt8] = [0x04, 0x7F], elseOp: [UInt8] = [0x05]
        b.function([.i32], [.i32], export: "doubling",
                   I.get(0) + I.i32Eqz + ifI32 + I.i32(1) + elseOp
                   + I.get(0) + I.i32(1) + I.i32Sub + I.call(0)
                   + I.get(0) + I.i32(1) + I.i32Sub + I.call(0) + I.i32Add + I.end)
        return try CompiledModule(bytes: b.build())
    }

    static func linked(metering: Bool) throws -> (Store, Instance) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        if metering { store.fuel = 1_000_000 }
        let lib = try store.instantiate(library())
        _ = try store.call(lib, "poke", [.i32(222)])
        var imports = Imports()
        imports.define("lib", "peek", try #require(store.export(lib, "peek")))
        return (store, try store.instantiate(importer(), imports: imports))
    }

    @Test func callsToDefinedFunctionsLowerToCallLocalAndImportsToCall() throws {
        let listing = try Disassembler.listing(Self.importer(), functionIndex: 1, metering: false)
        #expect(listing.contains("call ") && !listing.contains("callLocal"), "\(listing)")
        let viaTail = try Disassembler.listing(Self.importer(), functionIndex: 3, metering: false)
        #expect(viaTail.contains("callLocal"), "\(viaTail)")
    }

    @Test(arguments: [false, true])
    func aReturnFromAnotherInstanceRestoresTheCallersMemory(metering: Bool) throws {
        let (store, instance) = try Self.linked(metering: metering)
        #expect(try store.call(instance, "direct") == [.i32(333)])
        #expect(try store.call(instance, "direct") == [.i32(333)])
    }

    @Test(arguments: [false, true])
    func aTailCallIntoAnotherInstanceReturnsIntoTheCallersMemory(metering: Bool) throws {
        let (store, instance) = try Self.linked(metering: metering)
        #expect(try store.call(instance, "viaTail") == [.i32(333)])
        // Reached directly, the tail call's return ends the invocation.
        #expect(try store.call(instance, "tail") == [.i32(222)])
    }

    @Test(arguments: [false, true])
    func callsPastManyCheckpointsComputeTheSameResult(metering: Bool) throws {
        // 2^21 - 1 calls: about 500 checkpoints.
        let (store, instance) = try instantiate(Self.recursion(), metering: metering)
        if metering { store.fuel = 1 << 40 }
        #expect(try store.call(instance, "doubling", [.i32(20)]) == [.i32(1 << 20)])
        let (values, refuels, _) = try runHandingOutFuel(Self.recursion(), "doubling", [.i32(14)], chunk: 997)
        #expect(values == [.i32(1 << 14)])
        #expect(refuels > 100)
    }

    @Test func theDeadlineStopsRecursionWithoutLoops() throws {
        let store = Store()
        let instance = try store.instantiate(Self.recursion())
        store.deadline = .now + .milliseconds(50)
        let start = ContinuousClock.now
        // 2^41 calls: hours, unless a checkpoint stops it.
        let trap = try #require(throws: Trap.self) { try store.call(instance, "doubling", [.i32(40)]) }
        guard case .deadlineExceeded = trap.reason else { Issue.record("\(trap)"); return }
        #expect(ContinuousClock.now - start < .seconds(2))
        store.deadline = nil
        #expect(try store.call(instance, "doubling", [.i32(3)]) == [.i32(8)])
    }

    @Test func cancellationStopsRecursionWithoutLoops() throws {
        let store = Store()
        let instance = try store.instantiate(Self.recursion())
        let trap = try #require(try callCancelledFromAnotherThread(store, instance, "doubling", [.i32(40)]))
        guard case .cancelled = trap.reason else { Issue.record("\(trap)"); return }
        #expect(try store.call(instance, "doubling", [.i32(3)]) == [.i32(8)])
    }
}
