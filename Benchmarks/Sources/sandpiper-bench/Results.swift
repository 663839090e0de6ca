// The results of one benchmark run: what the report renders and `--json` writes (and what
// `--baseline` reads back). Times are in seconds. Bump `schemaVersion` on incompatible changes.

struct BenchmarkResults: Codable {
    static let schemaVersion = 1

    var schema = BenchmarkResults.schemaVersion
    /// When the run started (ISO 8601).
    var date: String
    var machine: MachineInfo
    /// Timed repetitions per engine and workload.
    var runs: Int
    /// Untimed repetitions before them.
    var warmup: Int
    /// Whether both engines charged fuel (`--fuel`); runs with and without are not comparable.
    var fuelMetering: Bool
    var workloads: [WorkloadMeasurement]
}

/// One workload's measurements on every engine.
struct WorkloadMeasurement: Codable {
    var name: String
    /// The workload's summary when measured (it states its size; a change makes baselines incomparable).
    var summary: String
    /// Size of the Wasm module in bytes.
    var moduleBytes: Int
    /// The result every engine produced (nil if none finished).
    var result: String?
    /// Per engine (keyed by `EngineID.rawValue`): call time and start-up time.
    var engines: [String: EngineMeasurement]
    /// Per engine, why it failed (trap, unsupported feature, result mismatch).
    var failures: [String: String]

    /// Sandpiper's median run time over WasmKit's (below 1: Sandpiper is faster); nil unless
    /// both engines finished.
    var ratio: Double?
    /// The same for start-up.
    var startupRatio: Double?
    /// Sandpiper's time over WasmKit's within each repetition (the two ran back to back, under
    /// the same machine load): steadier than `ratio` on a busy machine; the baseline guard uses it.
    var pairedRatio: Summary?

    init(name: String, summary: String, moduleBytes: Int, result: String?,
         engines: [String: EngineMeasurement], failures: [String: String]) {
        self.name = name
        self.summary = summary
        self.moduleBytes = moduleBytes
        self.result = result
        self.engines = engines
        self.failures = failures
        func medianRatio(_ key: KeyPath<EngineMeasurement, Summary>) -> Double? {
            guard let s = engines[EngineID.sandpiper.rawValue]?[keyPath: key].median,
                  let w = engines[EngineID.wasmKit.rawValue]?[keyPath: key].median, w > 0 else { return nil }
            return s / w
        }
        ratio = medianRatio(\.run)
        startupRatio = medianRatio(\.startup)
        if let s = engines[EngineID.sandpiper.rawValue]?.run.samples, let w = engines[EngineID.wasmKit.rawValue]?.run.samples,
           s.count == w.count, !s.isEmpty, w.allSatisfy({ $0 > 0 }) {
            pairedRatio = Summary(zip(s, w).map { $0 / $1 })
        }
    }

    func measurement(_ engine: EngineID) -> EngineMeasurement? { engines[engine.rawValue] }
}

/// Timings of one workload on one engine.
struct EngineMeasurement: Codable {
    /// The timed call (`PreparedRun.run`).
    var run: Summary
    /// Decode + validate + instantiate (the setup before the call).
    var startup: Summary
}
