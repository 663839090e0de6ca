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

/// One workload's measurements on every engine (or, for a fuel-overhead row, on Sandpiper with
/// fuel metering off and on).
struct WorkloadMeasurement: Codable {
    var name: String
    /// The workload's summary when measured (it states its size; a change makes baselines incomparable).
    var summary: String
    /// The report table it belongs to (absent in files from before the groups: kernels).
    var group: Workload.Group?
    /// What the time includes, when the group's usual meaning does not say it.
    var timed: String?
    /// Size of the Wasm module in bytes.
    var moduleBytes: Int
    /// The result every engine produced (nil if none finished).
    var result: String?
    /// Per contestant (keyed by `EngineID.rawValue`, or `sandpiper-fuel-off`/`-on`): run and start-up time.
    var engines: [String: EngineMeasurement]
    /// Per contestant, why it failed (trap, unsupported feature, result mismatch).
    var failures: [String: String]
    /// The contestant whose time is the ratio's numerator and the one `--baseline-metric time`
    /// compares (Sandpiper; fuel on for a fuel row). Absent in older files: Sandpiper.
    var numerator: String?
    /// The ratio's denominator (WasmKit; fuel off for a fuel row); nil for a Sandpiper-only row.
    var denominator: String?

    /// numerator's median run time over denominator's (for engines: below 1, Sandpiper is
    /// faster; for a fuel row, 1 + the overhead); nil unless both finished.
    var ratio: Double?
    /// The same for start-up.
    var startupRatio: Double?
    /// The numerator's time over the denominator's within each repetition (the two ran back to
    /// back, under the same machine load): steadier than `ratio` on a busy machine; the baseline
    /// guard uses it.
    var pairedRatio: Summary?

    init(name: String, summary: String, group: Workload.Group, timed: String?, moduleBytes: Int, result: String?,
         engines: [String: EngineMeasurement], failures: [String: String], numerator: String, denominator: String?) {
        self.name = name
        self.summary = summary
        self.group = group
        self.timed = timed
        self.moduleBytes = moduleBytes
        self.result = result
        self.engines = engines
        self.failures = failures
        self.numerator = numerator
        self.denominator = denominator
        func medianRatio(_ key: KeyPath<EngineMeasurement, Summary>) -> Double? {
            guard let denominator, let s = engines[numerator]?[keyPath: key].median,
                  let w = engines[denominator]?[keyPath: key].median, w > 0 else { return nil }
            return s / w
        }
        ratio = medianRatio(\.run)
        startupRatio = medianRatio(\.startup)
        if let denominator, let s = engines[numerator]?.run.samples, let w = engines[denominator]?.run.samples,
           s.count == w.count, !s.isEmpty, w.allSatisfy({ $0 > 0 }) {
            pairedRatio = Summary(zip(s, w).map { $0 / $1 })
        }
    }

    /// The table it belongs to.
    var kind: Workload.Group { group ?? .kernel }
    /// The numerator's key.
    var numeratorKey: String { numerator ?? EngineID.sandpiper.rawValue }
    /// The denominator's key (files from before fuel rows and Sandpiper-only rows: WasmKit).
    var denominatorKey: String? { numerator == nil ? EngineID.wasmKit.rawValue : denominator }

    func measurement(_ engine: EngineID) -> EngineMeasurement? { engines[engine.rawValue] }
    func measurement(_ key: String) -> EngineMeasurement? { engines[key] }
}

/// Timings of one workload on one engine.
struct EngineMeasurement: Codable {
    /// The timed call (`PreparedRun.run`).
    var run: Summary
    /// Decode + validate + instantiate (the setup before the call).
    var startup: Summary
}
