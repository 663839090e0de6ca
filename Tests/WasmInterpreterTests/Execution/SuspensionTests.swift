import Testing
@testable import WasmInterpreter

@Suite("Host functions and suspension")
struct SuspensionTests {
    /// A guest that calls the host `yield(i) -> i32` `n` times and sums the answers.
    static func yieldingModule(iterations: Int32) throws -> CompiledModule {
        var b = WasmBuilder()
        let yield = b.importFunction("host", "yield", [.i32], [.i32])
        // locals: 0 = i, 1 = sum
        b.function([], [.i32], locals: [.i32, .i32], export: "run",
                   I.block + I.loop
                   + I.get(0) + I.i32(iterations) + I.i32LtS + I.i32Eqz + I.brIf(1)
                   + I.get(1) + I.get(0) + I.call(yield) + I.i32Add + I.set(1)
                   + I.get(0) + I.i32(1) + I.i32Add + I.set(0)
                   + I.br(0) + I.end + I.end + I.get(1))
        return try CompiledModule(bytes: b.build())
    }

    @Test func suspendsOneHundredThousandTimes() throws {
        let n: Int32 = 100_000
        let module = try Self.yieldingModule(iterations: n)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { call in
            .suspend(call.i32(0))
        }
        let instance = try store.instantiate(module, imports: imports)
        var result = try store.invoke(instance, "run")
        var suspensions = 0
        while case .suspended(let payload) = result {
            let i = payload as! Int32
            #expect(i == Int32(suspensions))
            suspensions += 1
            result = try store.resume(with: [.i32(UInt32(bitPattern: i &* 2))])
        }
        guard case .finished(let values) = result else { Issue.record("did not finish"); return }
        #expect(suspensions == Int(n))
        let expected = (0..<n).reduce(Int32(0)) { $0 &+ $1 &* 2 }
        #expect(values == [.i32(UInt32(bitPattern: expected))])
        #expect(!store.hasSuspendedExecution)
    }

    @Test func hostFunctionsReturnResultsDirectly() throws {
        let module = try Self.yieldingModule(iterations: 10)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { call in
            call.setResult(0, i32: call.i32(0) + 1)
            return .return
        }
        let instance = try store.instantiate(module, imports: imports)
        #expect(try store.call(instance, "run") == [.i32(55)])
    }

    struct Refused: Error, Equatable {}

    @Test func hostErrorsBecomeTraps() throws {
        let module = try Self.yieldingModule(iterations: 10)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { _ in throw Refused() }
        let instance = try store.instantiate(module, imports: imports)
        let trap = try #require(throws: Trap.self) { try store.call(instance, "run") }
        guard case .hostError(let e) = trap.reason else { Issue.record("wrong reason \(trap)"); return }
        #expect(e as? Refused == Refused())
        #expect(trap.functionIndex == 1)
    }

    @Test func resumeWithWrongResultsIsRejected() throws {
        let module = try Self.yieldingModule(iterations: 3)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { _ in .suspend(0) }
        let instance = try store.instantiate(module, imports: imports)
        _ = try store.invoke(instance, "run")
        #expect(throws: Trap.self) { try store.resume(with: []) }
        #expect(throws: Trap.self) { try store.invoke(instance, "run") }
        _ = try store.resume(with: [.i32(1)])
        store.abandonSuspendedExecution()
        #expect(!store.hasSuspendedExecution)
    }
}
