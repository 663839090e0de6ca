import Testing
@testable import WasmInterpreter

/// `CompiledModule.BodyValidation.onFirstUse`: structure now, each body when first lowered.
@Suite("Deferred body validation")
struct BodyValidationTests {
    /// `good()` returns 7; `bad()` adds an i64 to an i32 (invalid).
    static func module() -> [UInt8] {
        var b = WasmBuilder()
        b.function([], [.i32], export: "good", I.i32(7))
        b.function([], [.i32], export: "bad", I.i32(1) + I.i64(2) + I.i32Add)
        return b.build()
    }

    @Test func eagerValidationRejectsTheModule() {
        #expect(throws: ModuleError.self) { try CompiledModule(bytes: Self.module()) }
    }

    @Test func deferredValidationRunsValidBodiesAndTrapsOnTheInvalidOne() throws {
        let module = try CompiledModule(bytes: Self.module(), bodyValidation: .onFirstUse)
        let store = Store()
        let instance = try store.instantiate(module)
        #expect(try store.call(instance, "good") == [.i32(7)])
        do {
            _ = try store.call(instance, "bad")
            Issue.record("calling the invalid body did not trap")
        } catch {
            guard case .loweringFailed(let why) = error.reason else {
                Issue.record("expected a lowering failure, got \(error)")
                return
            }
            #expect(why.contains("type mismatch"), "\(why)")
        }
        // The store survives: the valid function still runs.
        #expect(try store.call(instance, "good") == [.i32(7)])
    }

    @Test func deferredValidationStillChecksTheStructure() {
        var b = WasmBuilder()
        b.function([], [], export: "f", [])
        b.exports.append(("f", 0))   // a duplicate export name is a structural error
        #expect(throws: ModuleError.self) { try CompiledModule(bytes: b.build(), bodyValidation: .onFirstUse) }
    }

    /// `good()` returns 7; `broken()` holds the undefined opcode 0xFF (malformed, not just invalid).
    static func malformedModule() -> [UInt8] {
        var b = WasmBuilder()
        b.function([], [.i32], export: "good", I.i32(7))
        b.function([], [.i32], export: "broken", I.i32(1) + [0xFF])
        return b.build()
    }

    @Test func deferredDecodingLeavesTheBodiesToTheirFirstLowering() throws {
        let bytes = Self.malformedModule()
        let scanned = try #require(throws: DecodingError.self) { try ModuleDecoder.decode(bytes) }
        let unscanned = try ModuleDecoder.decode(bytes, scanningBodies: false)
        #expect(!unscanned.bodiesScanned)
        #expect(unscanned.bodies.count == 2)

        // Eager validation of the unscanned module reports the same malformed body as decoding.
        let eager = try #require(throws: ModuleError.self) { try CompiledModule(module: unscanned) }
        guard case .malformed(let error) = eager else { Issue.record("expected malformed, got \(eager)"); return }
        #expect(error == scanned)

        // Deferred: the well-formed function runs, the malformed one traps on its first call.
        let module = try CompiledModule(bytes: bytes, bodyValidation: .onFirstUse)
        #expect(!module.module.bodiesScanned)
        let store = Store()
        let instance = try store.instantiate(module)
        #expect(try store.call(instance, "good") == [.i32(7)])
        let trap = try #require(throws: Trap.self) { try store.call(instance, "broken") }
        guard case .loweringFailed(let why) = trap.reason else { Issue.record("expected a lowering failure, got \(trap)"); return }
        #expect(why.contains("\(scanned)"), "\(why)")
        #expect(try store.call(instance, "good") == [.i32(7)])
    }
}
