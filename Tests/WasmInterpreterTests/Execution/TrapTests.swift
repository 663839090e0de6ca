import Testing
@testable import WasmInterpreter

@Suite("Traps name the reason, the function and the offset")
struct TrapTests {
    @Test func unreachableReportsFunctionAndOffset() throws {
        var b = WasmBuilder()
        b.function([], [], export: "ok", [])
        b.function([], [], export: "boom", [0x01, 0x01] + I.unreachable)   // nop nop unreachable
        let bytes = b.build()
        let module = try CompiledModule(bytes: bytes)
        let store = Store()
        let instance = try store.instantiate(module)
        let trap = try #require(throws: Trap.self) { try store.call(instance, "boom") }
        guard case .unreachable = trap.reason else { Issue.record("\(trap)"); return }
        #expect(trap.functionIndex == 1)
        let offset = try #require(trap.offset)
        #expect(bytes[offset] == 0x00)
        #expect(bytes[offset - 1] == 0x01 && bytes[offset - 2] == 0x01)
        #expect(trap.description.hasPrefix("unreachable (in function 1 at byte 0x"))
    }

    @Test func outOfBoundsMemoryAccess() throws {
        var b = WasmBuilder()
        b.memory = (1, nil)
        b.function([.i32], [.i32], export: "load", I.get(0) + I.i32Load())
        let store = Store()
        let instance = try store.instantiate(CompiledModule(bytes: b.build()))
        #expect(try store.call(instance, "load", [.i32(65532)]) == [.i32(0)])
        let trap = try #require(throws: Trap.self) { try store.call(instance, "load", [.i32(65533)]) }
        #expect(trap.reason.description == "out of bounds memory access")
    }

    @Test func wrongArgumentsAreRejected() throws {
        var b = WasmBuilder()
        b.function([.i32], [.i32], export: "id", I.get(0))
        let store = Store()
        let instance = try store.instantiate(CompiledModule(bytes: b.build()))
        #expect(throws: Trap.self) { try store.call(instance, "id", [.i64(1)]) }
        #expect(throws: Trap.self) { try store.call(instance, "id", []) }
        #expect(throws: Trap.self) { try store.call(instance, "missing", []) }
    }
}
