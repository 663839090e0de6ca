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

/// One repetition of a workload on one engine, instantiated and ready: `run` is what is timed.
/// Whatever the engine needs (store, instance, function) lives in the closure's captures.
struct PreparedRun {
    let run: () throws -> WorkloadResult
}

/// Sets a workload up on one engine: decode, validate, link imports and instantiate (timed as
/// the workload's start-up). Gets the module bytes, already loaded or compiled.
typealias CustomSetup = @Sendable (_ module: [UInt8]) throws -> PreparedRun

/// A named benchmark.
struct Workload: Sendable {
    /// Short name, used by `--filter` and as the key in JSON results and baselines. Keep stable.
    let name: String
    /// One line saying what it does, for `--list` and the report.
    let summary: String
    /// What to run.
    let body: Body
    /// The result every engine must produce, when known in advance.
    var expected: WorkloadResult? = nil

    enum Body: Sendable {
        /// Call `entry` of `module` with `arguments` on every engine the same way.
        case invocation(Invocation)
        /// EXTENSION POINT for workloads that need per-engine plumbing, such as MicroPython over
        /// WASI (Sandpiper's `WasiHost` on one side, `WasmKitWASI` on the other): the module
        /// is resolved once, then each engine's closure instantiates it (timed as start-up)
        /// and returns the run (timed). An engine missing from `setups` is reported as
        /// "not supported" for this workload rather than silently skipped. See README.md.
        case custom(module: ModuleSource, setups: [EngineID: CustomSetup])
    }

    /// The module the workload needs.
    var module: ModuleSource {
        switch body {
        case .invocation(let invocation): return invocation.module
        case .custom(let module, _): return module
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

    var description: String {
        switch self {
        case .missingExport(let name): return "the module exports no function named \"\(name)\""
        case .unsupportedValue(let v): return "result \(v) is not a number (only i32, i64, f32, f64 are compared)"
        case .mismatch(let workload, let detail): return "RESULT MISMATCH in \(workload): \(detail)"
        case .noSetup(let engine): return "no setup for \(engine.displayName) (add one to the workload's `setups`)"
        }
    }
}
