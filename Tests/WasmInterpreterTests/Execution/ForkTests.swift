import Testing
@testable import WasmInterpreter

@Suite("Forking a store")
struct ForkTests {
    /// `bump()` adds 1 to memory word 0 and returns it.
    static func counter() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, nil)
        b.function([], [.i32], locals: [.i32], export: "bump",
                   I.i32(0) + I.i32(0) + I.i32Load() + I.i32(1) + I.i32Add + I.tee(0) + I.i32Store() + I.get(0))
        return try CompiledModule(bytes: b.build())
    }

    @Test func forkCopiesMemoryAndIsIndependent() throws {
        let store = Store()
        let instance = try store.instantiate(Self.counter())
        for _ in 0..<3 { _ = try store.call(instance, "bump") }
        let fork = try store.fork()
        #expect(try fork.call(instance, "bump") == [.i32(4)])
        #expect(try fork.call(instance, "bump") == [.i32(5)])
        #expect(try store.call(instance, "bump") == [.i32(4)])
    }

    @Test func forkWhileSuspendedResumesIndependently() throws {
        let module = try SuspensionTests.yieldingModule(iterations: 4)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { call in .suspend(call.i32(0)) }
        let instance = try store.instantiate(module, imports: imports)
        var result = try store.invoke(instance, "run")
        result = try store.resume(with: [.i32(100)])   // i = 0 answered 100; now suspended at i = 1
        let fork = try store.fork()
        func finish(_ s: Store, _ first: InvocationResult, answer: UInt32) throws -> [Value] {
            var r = first
            while case .suspended = r { r = try s.resume(with: [.i32(answer)]) }
            guard case .finished(let v) = r else { return [] }
            return v
        }
        #expect(try finish(fork, .suspended(1), answer: 1) == [.i32(103)])
        #expect(try finish(store, .suspended(1), answer: 10) == [.i32(130)])
        _ = result
    }

    @Test func forkRebindsHostFunctions() throws {
        let module = try SuspensionTests.yieldingModule(iterations: 3)
        let store = Store()
        var imports = Imports()
        imports.define("host", "yield", parameters: [.i32], results: [.i32]) { call in
            call.setResult(0, i32: 1)
            return .return
        }
        let instance = try store.instantiate(module, imports: imports)
        let fork = try store.fork { module, name, function in
            #expect(module == "host" && name == "yield")
            return HostFunction(function.type) { call in
                call.setResult(0, i32: 10)
                return .return
            }
        }
        #expect(try store.call(instance, "run") == [.i32(3)])
        #expect(try fork.call(instance, "run") == [.i32(30)])
    }
}
