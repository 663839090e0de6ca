// Sandpiper's WasmInterpreter behind `BenchmarkEngine`, through its public API only.
import MicroPythonRuntime
import WasmInterpreter

struct SandpiperEngine: BenchmarkEngine {
    let id = EngineID.sandpiper
    /// The store configuration every repetition uses: the defaults with linear memories in
    /// mapped address space (`MappedMemoryBacking`, as plugins and `MicroPython.run` use, and
    /// as WasmKit reserves its memories), and fuel metering if asked. On the default Swift-heap
    /// backing, instantiation zeroes every byte of a memory up front: 2 MiB for lz, 10 MiB for
    /// sieve, where mapped pages are zeroed by the kernel when first touched.
    let configuration: StoreConfiguration

    init(fuelMetering: Bool) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = fuelMetering
        configuration.memoryBacking = MappedMemoryBacking()
        self.configuration = configuration
    }

    var configurationSummary: String {
        "default StoreConfiguration with MappedMemoryBacking (as plugins run), fuel metering \(configuration.fuelMetering ? "on (unlimited budget)" : "off")"
    }

    func prepare(_ invocation: Invocation, module bytes: [UInt8]) throws -> PreparedRun {
        let module = try CompiledModule(bytes: bytes)
        let store = Store(configuration: configuration)
        if configuration.fuelMetering { store.fuel = Int64.max }
        let instance = try store.instantiate(module, imports: invocation.imports.sandpiper(store))
        guard store.exportedFunction(instance, invocation.entry) != nil else {
            throw BenchmarkError.missingExport(invocation.entry)
        }
        let entry = invocation.entry
        let arguments = invocation.arguments.map(Self.value)
        return PreparedRun(run: {
            let results = try store.call(instance, entry, arguments)
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
        default: throw BenchmarkError.unsupportedValue(v.description)
        }
    }
}
