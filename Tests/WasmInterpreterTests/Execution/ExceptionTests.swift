import Testing
@testable import WasmInterpreter

@Suite("Exceptions across calls and host functions")
struct ExceptionTests {
    /// `catchFromHost()`: calls the host inside `try_table (catch $e 0)` and returns the caught
    /// payload, or -1 when nothing is thrown. `throwIt(x)`: throws `$e x` uncaught.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        let host = b.importFunction("host", "mayThrow", [], [])
        b.tags = [b.type([.i32], [])]
        b.exportedTags = [("e", 0)]
        // block (result i32) try_table (catch 0 0) call host end i32.const -1 return end
        b.function([], [.i32], export: "catchFromHost",
                   [0x02, 0x7F, 0x1F, 0x40, 0x01, 0x00, 0x00, 0x00] + I.call(host) + I.end
                   + I.i32(-1) + [0x0F] + I.end)
        b.function([.i32], [], export: "throwIt", I.get(0) + I.throwTag(0))
        // Catches what throwIt throws, through a Wasm call.
        b.function([.i32], [.i32], export: "catchFromWasm",
                   [0x02, 0x7F, 0x1F, 0x40, 0x01, 0x00, 0x00, 0x00] + I.get(0) + I.call(2) + I.end
                   + I.i32(-1) + [0x0F] + I.end + I.i32(1) + I.i32Add)
        return try CompiledModule(bytes: b.build())
    }

    final class Plan: @unchecked Sendable { var payload: Int32? }

    func setUp(_ plan: Plan) throws -> (Store, Instance) {
        let store = Store()
        var imports = Imports()
        imports.define("host", "mayThrow", parameters: [], results: []) { call in
            guard let payload = plan.payload else { return .return }
            guard case .tag(let tag)? = call.store.export(Instance(index: 0), "e") else { return .return }
            throw WasmException(tagID: UInt32(tag), types: [.i32], values: [.i32(UInt32(bitPattern: payload))])
        }
        let instance = try store.instantiate(Self.module(), imports: imports)
        return (store, instance)
    }

    @Test func wasmCatchesAnExceptionThrownByAHostFunction() throws {
        let plan = Plan()
        let (store, instance) = try setUp(plan)
        #expect(try store.call(instance, "catchFromHost") == [.i32(UInt32(bitPattern: -1))])
        plan.payload = 42
        #expect(try store.call(instance, "catchFromHost") == [.i32(42)])
    }

    @Test func catchesAcrossWasmCalls() throws {
        let (store, instance) = try setUp(Plan())
        #expect(try store.call(instance, "catchFromWasm", [.i32(7)]) == [.i32(8)])
    }

    @Test func uncaughtExceptionsAreTypedErrors() throws {
        let (store, instance) = try setUp(Plan())
        let trap = try #require(throws: Trap.self) { try store.call(instance, "throwIt", [.i32(9)]) }
        guard case .uncaughtException(let e) = trap.reason else { Issue.record("\(trap)"); return }
        #expect(e.values == [.i32(9)])
        #expect(e.types == [.i32])
        // The store is still usable.
        #expect(try store.call(instance, "catchFromWasm", [.i32(1)]) == [.i32(2)])
    }

    @Test func exceptionsPassThroughNestedHostInvocations() throws {
        // A host function that re-enters Wasm, which throws; the exception propagates out of
        // the nested call as a Swift error and back into the outer Wasm code, which catches it.
        var b = WasmBuilder()
        let host = b.importFunction("host", "reenter", [], [])
        b.tags = [b.type([.i32], [])]
        b.function([], [.i32], export: "outer",
                   [0x02, 0x7F, 0x1F, 0x40, 0x01, 0x00, 0x00, 0x00] + I.call(host) + I.end
                   + I.i32(-1) + [0x0F] + I.end)
        b.function([], [], export: "inner", I.i32(77) + I.throwTag(0))
        let store = Store()
        var imports = Imports()
        imports.define("host", "reenter", parameters: [], results: []) { call in
            do throws(Trap) {
                _ = try call.store.call(Instance(index: 0), "inner")
            } catch let trap {
                if case .uncaughtException(let e) = trap.reason { throw e }
                throw trap
            }
            return .return
        }
        let instance = try store.instantiate(CompiledModule(bytes: b.build()), imports: imports)
        #expect(try store.call(instance, "outer") == [.i32(77)])
    }
}
