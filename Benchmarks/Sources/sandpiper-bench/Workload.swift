// What a benchmark runs: engine-neutral values, workloads, and the one extension point
// (`Workload.Body.custom`) for workloads each engine must set up its own way.

/// The engines the benchmark compares.
enum EngineID: String, CaseIterable, Codable, Sendable, Comparable {
    case sandpiper
    case wasmKit = "wasmkit"

    /// The name used in tables.
    var displayName: String {
        switch self {
        case .sandpiper: return "Sandpiper"
        case .wasmKit: return "WasmKit 0.4.2"
        }
    }

    static func < (a: EngineID, b: EngineID) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A Wasm number, independent of either engine's `Value` type.
enum ScalarValue: Hashable, Sendable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)

    /// Rendering like `i32:9227465` or `f64:1.5` (signed integers; floats by value).
    var description: String {
        switch self {
        case .i32(let v): return "i32:\(Int32(bitPattern: v))"
        case .i64(let v): return "i64:\(Int64(bitPattern: v))"
        case .f32(let v): return "f32:\(Float(bitPattern: v))"
        case .f64(let v): return "f64:\(Double(bitPattern: v))"
        }
    }
}

/// What one run of a workload produced; both engines must produce equal results.
enum WorkloadResult: Equatable, Sendable, CustomStringConvertible {
    /// The entry function's results.
    case values([ScalarValue])
    /// Text the guest wrote (for command-style workloads such as a Python program).
    case output(String)

    var description: String {
        switch self {
        case .values(let v): return v.map(\.description).joined(separator: ", ")
        case .output(let text):
            let flat = String(text.map { $0 == "\n" ? "⏎" : $0 })
            return flat.count > 40 ? "\"\(flat.prefix(40))…\" (\(text.utf8.count) bytes)" : "\"\(flat)\""
        }
    }
}

/// Where a workload's Wasm module comes from. Resolved once, before any timing.
enum ModuleSource: Sendable, CustomStringConvertible {
    /// `Benchmarks/Kernels/<name>.c`, compiled to wasm32 by the toolchain's clang at start-up.
    case kernel(String)
    /// A `.wasm` file; a relative path is relative to the repository root (the parent of Benchmarks/).
    case file(String)

    var description: String {
        switch self {
        case .kernel(let name): return "Kernels/\(name).c"
        case .file(let path): return path
        }
    }
}

/// A workload that is one call of an exported function: the common case, run the same way on
/// every engine (see `BenchmarkEngine.prepare`).
struct Invocation: Sendable {
    /// The module.
    var module: ModuleSource
    /// The host functions offered to the module, built per engine.
    var imports: ImportSetup = .none
    /// The exported function to call.
    var entry: String
    /// Its arguments.
    var arguments: [ScalarValue]
}

/// One repetition of a workload on one engine, instantiated and ready: `body` is what is timed.
/// Whatever the engine needs (store, instance, function) lives in the closure's captures.
struct PreparedRun {
    /// The timed part: its result, and its own measurement when it times itself.
    let body: () throws -> (result: WorkloadResult, seconds: Double?)

    /// A run the runner times from outside (the common case).
    init(run: @escaping () throws -> WorkloadResult) {
        body = { (try run(), nil) }
    }

    /// A run that reads the clock itself and returns the seconds that count, for work the
    /// runner cannot time from outside without also timing something else: async session calls
    /// (the hop back to this synchronous runner is not theirs), or a time per call.
    init(selfTimed: @escaping () throws -> (WorkloadResult, Double)) {
        body = {
            let (result, seconds) = try selfTimed()
            return (result, seconds)
        }
    }
}

/// What a `CustomSetup` gets: everything resolved before any timing.
struct SetupInput: Sendable {
    /// The module's bytes, already loaded or compiled.
    var module: [UInt8]
    /// The module's file, for APIs that load by path (`MicroPythonGuest.load(path:)`); nil for kernels.
    var modulePath: String?
    /// The workload's Python program (`Workload.script`), if it has one.
    var script: String?
    /// Whether this repetition runs with fuel metering (the run's `--fuel`, or the variant of a
    /// fuel-overhead row).
    var fuelMetering: Bool
}

/// Sets a workload up on one engine: decode, validate, link imports and instantiate (timed as
/// the workload's start-up), or whatever else must happen before the timed part.
typealias CustomSetup = @Sendable (_ input: SetupInput) throws -> PreparedRun

/// A named benchmark.
struct Workload: Sendable {
    /// Short name, used by `--filter` and as the key in JSON results and baselines. Keep stable.
    let name: String
    /// One line saying what it does, for `--list` and the report.
    let summary: String
    /// The report table it belongs to.
    var group: Group = .kernel
    /// What the measured time includes, for the report (nil: the group's usual meaning).
    var timed: String? = nil
    /// What to run.
    let body: Body
    /// The result every engine must produce, when known in advance.
    var expected: WorkloadResult? = nil
    /// A Python program (relative to Benchmarks/), loaded before timing and handed to the
    /// setups as `SetupInput.script`.
    var script: String? = nil
    /// The engines the workload applies to. The others show "—": not a failure, there is
    /// nothing to compare (WasmKit has no sessions or Swift modules for Python).
    var engines: [EngineID] = EngineID.allCases

    /// The report's tables.
    enum Group: String, Codable, Sendable, CaseIterable {
        /// C kernels: one exported function call.
        case kernel
        /// Python programs run by the MicroPython guest.
        case micropython
        /// Start-up and per-call costs.
        case startup
        /// Sandpiper with fuel metering off against on.
        case fuel
    }

    enum Body: Sendable {
        /// Call `entry` of `module` with `arguments` on every engine the same way.
        case invocation(Invocation)
        /// EXTENSION POINT for workloads that need per-engine plumbing, such as MicroPython over
        /// WASI (Sandpiper's `WasiHost` on one side, `WasmKitWASI` on the other): the module
        /// is resolved once, then each engine's closure instantiates it (timed as start-up)
        /// and returns the run (timed). An engine of `Workload.engines` missing from `setups`
        /// is reported as failed ("no setup") rather than silently skipped. See README.md.
        case custom(module: ModuleSource, setups: [EngineID: CustomSetup])
        /// `base` on Sandpiper twice per repetition, fuel metering off and on (in alternating
        /// order): the cost of metering. See Workload+Fuel.swift.
        indirect case fuelOverhead(base: Workload)
    }

    /// The module the workload needs.
    var module: ModuleSource {
        switch body {
        case .invocation(let invocation): return invocation.module
        case .custom(let module, _): return module
        case .fuelOverhead(let base): return base.module
        }
    }
}

/// An engine under test. Each engine file implements this with its own API only.
protocol BenchmarkEngine: Sendable {
    /// Which engine this is.
    var id: EngineID { get }
    /// Decodes, validates and instantiates `module` for `invocation`, resolving its entry.
    func prepare(_ invocation: Invocation, module: [UInt8]) throws -> PreparedRun
}

/// Failures a run reports per workload (the run goes on with the next workload).
enum BenchmarkError: Error, CustomStringConvertible {
    case missingExport(String)
    case unsupportedValue(String)
    case mismatch(workload: String, detail: String)
    case noSetup(EngineID)
    case missingInput(String)
    case guestFailed(engine: EngineID, detail: String)

    var description: String {
        switch self {
        case .missingExport(let name): return "the module exports no function named \"\(name)\""
        case .unsupportedValue(let v): return "result \(v) is not a number (only i32, i64, f32, f64 are compared)"
        case .mismatch(let workload, let detail): return "RESULT MISMATCH in \(workload): \(detail)"
        case .noSetup(let engine): return "no setup for \(engine.displayName) (add one to the workload's `setups`)"
        case .missingInput(let why): return why
        case .guestFailed(let engine, let detail): return "the MicroPython guest failed on \(engine.displayName): \(detail)"
        }
    }
}
