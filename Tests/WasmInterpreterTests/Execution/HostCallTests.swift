import Testing
@testable import WasmInterpreter

/// What a host function sees of its call (`HostCall`), and how each way a call can end reaches
/// the Wasm code: through the interpreter loop (`slowCall`) and through a direct `invoke` of a
/// re-exported import.
@Suite("Host calls")
struct HostCallTests {
    static let mixType = FunctionType(parameters: [.i32, .i64, .f32, .f64], results: [.i64])

    /// `run(x)` calls the host `mix(x, 1 << 40, 1.5, -0.25)` and adds 1; `mix` is also exported.
    static func mixingModule() throws -> CompiledModule {
        var b = WasmBuilder()
        let mix = b.importFunction("host", "mix", mixType.parameters, mixType.results)
        let f32 = [UInt8(0x43)] + withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init)
        let f64 = [UInt8(0x44)] + withUnsafeBytes(of: Double(-0.25).bitPattern.littleEndian, Array.init)
        b.function([.i32], [.i64], export: "run",
                   I.get(0) + I.i64(1 << 40) + f32 + f64 + I.call(mix) + I.i64(1) + I.i64Add)
        b.exports.append(("mix", mix))
        return try CompiledModule(bytes: b.build())
    }

    @Test func argumentsAndTypeAreTheCallersAndTheImports() throws {
        let store = Store()
        var imports = Imports()
        var seen: [[Value]] = []
        imports.define("host", "mix", parameters: Self.mixType.parameters, results: Self.mixType.results) { call in
            #expect(call.type == Self.mixType)
            #expect(call.argument(2) == .f32(Float(1.5).bitPattern))
            seen.append(call.allArguments)
            call.setResult(0, i64: Int64(call.i32(0)) &* 1000 &+ call.i64(1))
            return .return
        }
        let instance = try store.instantiate(try Self.mixingModule(), imports: imports)
        for x: Int32 in [7, -3] {
            #expect(try store.call(instance, "run", [.i32(UInt32(bitPattern: x))])
                    == [.i64(UInt64(bitPattern: Int64(x) * 1000 + (1 << 40) + 1))])
        }
        #expect(seen.count == 2)
        #expect(seen.first == [.i32(7), .i64(1 << 40), .f32(Float(1.5).bitPattern), .f64(Double(-0.25).bitPattern)])
    }

    struct Refused: Error, Equatable { let x: Int32 }

    /// A trap's reason and a suspension's payload wait in the store between `callHost` and
    /// their reader: each must reach its own call and none may leak into a later one.
    @Test func eachEndReachesItsOwnCall() throws {
        let store = Store()
        var imports = Imports()
        imports.define("host", "mix", parameters: Self.mixType.parameters, results: Self.mixType.results) { call in
            switch call.i32(0) {
            case 0: throw Refused(x: 0)
            case 1: return .suspend("paused at 1")
            default:
                call.setResult(0, i64: Int64(call.i32(0)))
                return .return
            }
        }
        let instance = try store.instantiate(try Self.mixingModule(), imports: imports)
        for round in 0..<3 {
            // Through the loop: a trap, then a suspension resumed, then a plain return.
            let trap = try #require(throws: Trap.self) { try store.call(instance, "run", [.i32(0)]) }
            guard case .hostError(let error) = trap.reason else { Issue.record("round \(round): \(trap)"); return }
            #expect(error as? Refused == Refused(x: 0))
            guard case .suspended(let payload) = try store.invoke(instance, "run", [.i32(1)]) else {
                Issue.record("round \(round): no suspension"); return
            }
            #expect(payload as? String == "paused at 1")
            guard case .finished(let values) = try store.resume(with: [.i64(41)]) else { Issue.record("not finished"); return }
            #expect(values == [.i64(42)])
            #expect(try store.call(instance, "run", [.i32(9)]) == [.i64(10)])

            // Directly, as the re-exported import.
            let args: [Value] = [.i32(0), .i64(0), .f32(0), .f64(0)]
            let direct = try #require(throws: Trap.self) { try store.call(instance, "mix", args) }
            guard case .hostError(let e) = direct.reason else { Issue.record("direct: \(direct)"); return }
            #expect(e as? Refused == Refused(x: 0))
            let cannot = try #require(throws: Trap.self) { try store.call(instance, "mix", [.i32(1)] + args.dropFirst()) }
            guard case .invalidInvocation = cannot.reason else { Issue.record("direct suspension: \(cannot)"); return }
            #expect(try store.call(instance, "mix", [.i32(5)] + args.dropFirst()) == [.i64(5)])
        }
        #expect(store.hostTrap == nil)
        #expect(store.hostSuspension == nil)
    }
}
