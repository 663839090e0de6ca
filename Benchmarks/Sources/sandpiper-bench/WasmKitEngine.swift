// WasmKit 0.4.2 behind `BenchmarkEngine`, with its default engine configuration (lazy
// translation, the platform's default threading model and bounds checking).
import WasmKit

struct WasmKitEngine: BenchmarkEngine {
    let id = EngineID.wasmKit
    /// Shared by every repetition, as an embedder would share it.
    let engine: Engine

    init(fuelMetering: Bool) {
        engine = Engine(configuration: EngineConfiguration(fuelMetering: fuelMetering))
    }

    /// One engine per fuel setting for the whole process, as an embedder would share it.
    static func shared(fuelMetering: Bool) -> WasmKitEngine { fuelMetering ? metered : unmetered }
    private static let unmetered = WasmKitEngine(fuelMetering: false)
    private static let metered = WasmKitEngine(fuelMetering: true)

    /// The fuel budget given to a metered store: charged, never exhausted.
    static let fuelBudget: UInt64 = 1 << 62

    func prepare(_ invocation: Invocation, module bytes: [UInt8]) throws -> PreparedRun {
        let module = try parseWasm(bytes: bytes)
        let store = Store(engine: engine)
        if engine.configuration.fuelMetering { store.fuel = Fuel(remaining: Self.fuelBudget) }
        let instance = try module.instantiate(store: store, imports: invocation.imports.wasmKit(store))
        guard let function = instance.exports[function: invocation.entry] else {
            throw BenchmarkError.missingExport(invocation.entry)
        }
        let arguments = invocation.arguments.map(Self.value)
        return PreparedRun(run: {
            let results = try function.invoke(arguments)
            return .values(try results.map(Self.scalar))
        })
    }

    static func value(_ v: ScalarValue) -> Value {
        switch v {
        case .i32(let x): return .i32(x)
        case .i64(let x): return .i64(x)
        case .f32(let x): return .f32(x)
        case .f64(let x): return .f64(x)
        }
    }

    static func scalar(_ v: Value) throws -> ScalarValue {
        switch v {
        case .i32(let x): return .i32(x)
        case .i64(let x): return .i64(x)
        case .f32(let x): return .f32(x)
        case .f64(let x): return .f64(x)
        default: throw BenchmarkError.unsupportedValue("\(v)")
        }
    }
}

extension WasmKitEngine {
    /// The configuration as used, for the report header.
    var configurationSummary: String {
        let c = engine.configuration
        return "threading \(c.threadingModel), \(c.compilationMode) compilation, bounds checking \(c.memoryBoundsChecking), "
            + "stack \(c.stackSize / 1024) KiB, fuel metering \(c.fuelMetering ? "on (budget 2^62)" : "off")"
    }
}
