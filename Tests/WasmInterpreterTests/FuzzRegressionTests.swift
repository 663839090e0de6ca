import Foundation
import Testing
@testable import WasmInterpreter

/// Every input a fuzz target or the wasmtime differential test found a bug with, kept under
/// `Fuzz/Regressions/` (see Fuzz/README.md), replayed deterministically.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// `fuzz-decode`: decoding, validating and lowering every function must not crash.
    @Test(.enabled(if: FuzzHarness.hasRegressions("decode"), "no Fuzz/Regressions/decode inputs in this checkout"))
    func decodeInputs() throws {
        for file in FuzzHarness.regressions("decode") {
            let bytes = [UInt8](try Data(contentsOf: file))
            guard let compiled = try? CompiledModule(bytes: bytes) else { continue }
            _ = ModuleSummary(compiled)
            let imported = compiled.module.importedFunctionCount
            for d in compiled.module.bodies.indices {
                for metering in [false, true] {
                    _ = try? Disassembler.listing(compiled, functionIndex: imported + d, metering: metering)
                }
            }
        }
    }

    /// `fuzz-run`: metered and unmetered runs of each module agree, within the harness limits.
    @Test(.enabled(if: FuzzHarness.hasRegressions("run"), "no Fuzz/Regressions/run inputs in this checkout"))
    func runInputs() throws {
        for file in FuzzHarness.regressions("run") {
            let bytes = [UInt8](try Data(contentsOf: file))
            let disagreement = FuzzHarness.runAndCompare(bytes)
            #expect(disagreement == nil, "\(file.lastPathComponent): \(disagreement ?? "")")
        }
    }

    /// Fuzz/Regressions/run/oversized-memory.wasm and oversized-table.wasm: a module whose own
    /// memory or table is larger at its minimum than the store allows used to be allocated anyway
    /// (1.9 GB for a 16 MiB store); now instantiation fails before allocating.
    @Test func memoryAndTableMinimumsRespectStoreLimits() throws {
        var configuration = StoreConfiguration()
        configuration.maxMemoryBytes = 16 << 20
        configuration.maxTableElements = 1000

        var memory = WasmBuilder()
        memory.memory = (min: 30_000, max: nil)
        let store = Store(configuration: configuration)
        #expect {
            _ = try store.instantiate(try CompiledModule(bytes: memory.build()))
        } throws: { error in
            guard case InstantiationError.limitExceeded = error else { return false }
            return true
        }

        var table = WasmBuilder()
        table.table = (min: 1001, elements: [])
        #expect {
            _ = try store.instantiate(try CompiledModule(bytes: table.build()))
        } throws: { error in
            guard case InstantiationError.limitExceeded = error else { return false }
            return true
        }

        // At the limit is fine.
        memory.memory = (min: 256, max: nil)
        table.table = (min: 1000, elements: [])
        _ = try store.instantiate(try CompiledModule(bytes: memory.build()))
        _ = try store.instantiate(try CompiledModule(bytes: table.build()))
    }

    /// `differential.py`: each kept module with its `.json` holds the calls and what wasmtime
    /// answered; Sandpiper must answer the same (results bit for bit, NaNs alike; trap kinds).
    @Test(.enabled(if: FuzzHarness.hasRegressions("differential"), "no Fuzz/Regressions/differential inputs in this checkout"))
    func differentialInputs() throws {
        for file in FuzzHarness.regressions("differential") where file.pathExtension == "wasm" {
            let expectationFile = file.deletingPathExtension().appendingPathExtension("json")
            guard let data = try? Data(contentsOf: expectationFile),
                  let spec = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                Issue.record("\(file.lastPathComponent) has no \(expectationFile.lastPathComponent) with its expected outcomes")
                continue
            }
            let compiled = try CompiledModule(bytes: [UInt8](try Data(contentsOf: file)))
            for group in spec["groups"] as? [[String: Any]] ?? [] {
                let (store, instance, failure) = FuzzHarness.instantiate(compiled, metering: true)
                store.fuel = 20_000_000
                let expectedInstantiation = group["instantiate"] as? String ?? "ok"
                #expect((failure == nil) == (expectedInstantiation == "ok"),
                        "\(file.lastPathComponent): instantiation \(failure ?? "ok"), wasmtime \(expectedInstantiation)")
                guard let instance else { continue }
                for call in group["calls"] as? [[String: Any]] ?? [] {
                    let name = call["name"] as? String ?? ""
                    let args = (call["args"] as? [[String: Any]] ?? []).map(DifferentialValue.decode)
                    store.fuel = 20_000_000
                    let outcome: String
                    do {
                        switch try store.invoke(instance, name, args) {
                        case .finished(let values): outcome = DifferentialValue.describe(values)
                        case .outOfFuel, .suspended: store.abandonSuspendedExecution(); outcome = "fuel"
                        }
                    } catch {
                        outcome = "trap:" + DifferentialValue.trapKind(error.reason)
                    }
                    let expected = call["expect"] as? String ?? ""
                    #expect(DifferentialValue.same(outcome, expected), "\(file.lastPathComponent): \(name)\(args) gave \(outcome), wasmtime \(expected)")
                }
            }
        }
    }
}

/// Values and trap kinds as `differential.py` writes them.
enum DifferentialValue {
    static func decode(_ json: [String: Any]) -> Value {
        let bits = UInt64(json["bits"] as? String ?? "") ?? 0
        switch json["type"] as? String {
        case "i32": return .i32(UInt32(truncatingIfNeeded: bits))
        case "i64": return .i64(bits)
        case "f32": return .f32(UInt32(truncatingIfNeeded: bits))
        case "f64": return .f64(bits)
        case "externref": return .externref(nil)
        default: return .funcref(nil)
        }
    }

    /// `i32:7 f32:1069547520 funcref:null` (bits in decimal).
    static func describe(_ values: [Value]) -> String {
        values.map { v -> String in
            switch v {
            case .i32(let b): return "i32:\(b)"
            case .i64(let b): return "i64:\(b)"
            case .f32(let b): return "f32:\(b)"
            case .f64(let b): return "f64:\(b)"
            case .funcref(let r): return "funcref:\(r == nil ? "null" : "ref")"
            case .externref(let r): return "externref:\(r == nil ? "null" : "ref")"
            case .exnref(let r): return "exnref:\(r == nil ? "null" : "ref")"
            }
        }.joined(separator: " ")
    }

    /// Outcomes are equal, treating any two NaNs of a type as equal.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = a.split(separator: " "), y = b.split(separator: " ")
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { p, q in
            if p == q { return true }
            if p.hasPrefix("f32:"), q.hasPrefix("f32:"), let u = UInt32(p.dropFirst(4)), let v = UInt32(q.dropFirst(4)) {
                return Float(bitPattern: u).isNaN && Float(bitPattern: v).isNaN
            }
            if p.hasPrefix("f64:"), q.hasPrefix("f64:"), let u = UInt64(p.dropFirst(4)), let v = UInt64(q.dropFirst(4)) {
                return Double(bitPattern: u).isNaN && Double(bitPattern: v).isNaN
            }
            return false
        }
    }

    static func trapKind(_ reason: TrapReason) -> String {
        switch reason {
        case .unreachable: return "unreachable"
        case .memoryOutOfBounds: return "memory_oob"
        case .tableOutOfBounds, .undefinedElement: return "table_oob"
        case .uninitializedElement: return "null_call"
        case .indirectCallTypeMismatch: return "signature"
        case .integerDivideByZero: return "div_by_zero"
        case .integerOverflow: return "int_overflow"
        case .invalidConversionToInteger: return "bad_conversion"
        case .callStackExhausted: return "stack"
        case .nullReference: return "null_reference"
        case .outOfFuel: return "fuel"
        case .uncaughtException: return "exception"
        default: return "other"
        }
    }
}
