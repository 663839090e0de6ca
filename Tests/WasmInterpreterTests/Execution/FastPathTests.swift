import Testing
@testable import WasmInterpreter

/// Native fast paths (`Store.replace(_:function:withFastPath:name:)`): the native version
/// answers the calls it accepts, and the function's own code runs for the others, reached
/// every way a function can be called, in forks too.
@Suite("Native fast paths")
struct FastPathTests {
    /// Function 1, `triple(x)`: stores x to memory word 0, calls `host.pause()`, returns 3x.
    /// `tripleAndOne(x)` calls it directly and adds 1; `viaTable(x)` calls it through the table.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        let pause = b.importFunction("host", "pause", [], [])
        b.memory = (1, nil)
        let triple = b.function([.i32], [.i32], export: "triple",
                                I.i32(0) + I.get(0) + I.i32Store() + I.call(pause) + I.get(0) + I.get(0) + I.i32Add + I.get(0) + I.i32Add)
        b.function([.i32], [.i32], export: "tripleAndOne", I.get(0) + I.call(triple) + I.i32(1) + I.i32Add)
        let type = b.type([.i32], [.i32])
        b.table = (1, [triple])
        b.function([.i32], [.i32], export: "viaTable", I.get(0) + I.i32(0) + [0x11] + WasmBuilder.leb(UInt64(type)) + [0])
        return try CompiledModule(bytes: b.build())
    }

    /// Counts the calls the fast path answered.
    final class Counter: @unchecked Sendable {
        var answered = 0
        var declined = 0
    }

    /// A store whose `triple` has a fast path for even arguments (it answers 3x without
    /// touching memory); odd ones decline. `pause` returns at once unless `suspending`.
    static func setUp(suspending: Bool = false, metered: Bool = false) throws -> (Store, Instance, Counter) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metered
        let store = Store(configuration: configuration)
        var imports = Imports()
        imports.define("host", "pause", parameters: [], results: []) { _ in suspending ? .suspend(0) : .return }
        let instance = try store.instantiate(module(), imports: imports)
        let counter = Counter()
        try store.replace(instance, function: 1, withFastPath: { call in
            guard call.i32(0) % 2 == 0 else {
                counter.declined += 1
                return false
            }
            counter.answered += 1
            call.setResult(0, i32: call.i32(0) &* 3)
            return true
        }, name: "triple")
        return (store, instance, counter)
    }

    static func word0(_ store: Store, _ instance: Instance) throws -> [UInt8] {
        try #require(store.defaultMemory(of: instance)).read(at: 0, count: 4)
    }

    @Test func acceptedCallsRunNativelyAndTheRestRunTheOriginal() throws {
        let (store, instance, counter) = try Self.setUp()
        #expect(try store.call(instance, "triple", [.i32(4)]) == [.i32(12)])
        #expect(try Self.word0(store, instance) == [0, 0, 0, 0], "the native path does not run the body")
        #expect(try store.call(instance, "triple", [.i32(5)]) == [.i32(15)])
        #expect(try Self.word0(store, instance) == [5, 0, 0, 0], "a declined call runs the body")
        #expect(try store.call(instance, "tripleAndOne", [.i32(6)]) == [.i32(19)])
        #expect(try store.call(instance, "tripleAndOne", [.i32(7)]) == [.i32(22)])
        #expect(try store.call(instance, "viaTable", [.i32(8)]) == [.i32(24)])
        #expect(try store.call(instance, "viaTable", [.i32(9)]) == [.i32(27)])
        #expect(counter.answered == 3 && counter.declined == 3)
    }

    @Test func onlyTheOriginalCodeUsesFuel() throws {
        let (store, instance, _) = try Self.setUp(metered: true)
        store.fuel = 1_000
        _ = try store.call(instance, "tripleAndOne", [.i32(2)])
        let native = 1_000 - store.fuel
        store.fuel = 1_000
        _ = try store.call(instance, "tripleAndOne", [.i32(3)])
        let original = 1_000 - store.fuel
        #expect(native > 0 && original > native, "fuel: \(native) natively, \(original) with the body")
    }

    @Test func aForkKeepsBothPathsAndItsOwnMemory() throws {
        let (store, instance, counter) = try Self.setUp()
        let fork = try store.fork()
        #expect(try fork.call(instance, "tripleAndOne", [.i32(11)]) == [.i32(34)])
        #expect(try Self.word0(fork, instance) == [11, 0, 0, 0])
        #expect(try Self.word0(store, instance) == [0, 0, 0, 0], "the declined call ran on the copy's memory")
        #expect(try fork.call(instance, "triple", [.i32(10)]) == [.i32(30)])
        #expect(counter.answered == 1 && counter.declined == 1)
    }

    @Test func aForkTakenInsideTheOriginalResumesInTheCopy() throws {
        let (store, instance, _) = try Self.setUp(suspending: true)
        guard case .suspended = try store.invoke(instance, "tripleAndOne", [.i32(21)]) else {
            Issue.record("the declined call should suspend in host.pause")
            return
        }
        let fork = try store.fork()
        guard case .finished(let copied) = try fork.resume() else { Issue.record("the copy did not finish"); return }
        guard case .finished(let first) = try store.resume() else { Issue.record("the original did not finish"); return }
        #expect(copied == [.i32(64)] && first == [.i32(64)])
    }

    @Test func replacingAFunctionTwiceOrOutOfRangeIsRefused() throws {
        let (store, instance, _) = try Self.setUp()
        #expect(throws: Trap.self) { try store.replace(instance, function: 1, withFastPath: { _ in false }, name: "again") }
        #expect(throws: Trap.self) { try store.replace(instance, function: 0, withFastPath: { _ in false }, name: "import") }
        #expect(throws: Trap.self) { try store.replace(instance, function: 99, withFastPath: { _ in false }, name: "none") }
    }
}
