// The regression guard: reading and writing results as JSON, and comparing a run with a saved
// baseline. A change counts only beyond max(threshold, 3 × the measured noise).
import Foundation

/// What a baseline comparison compares.
enum BaselineMetric: String, Codable {
    /// Sandpiper's time over WasmKit's, per repetition (both ran back to back in the same
    /// process), then the median: WasmKit acts as a control, so this survives a different or
    /// busier machine.
    case ratio
    /// Sandpiper's median time: more direct, but only meaningful on the same quiet machine.
    case time
}

struct BaselineComparison {
    enum Verdict: String {
        case faster, unchanged, slower
        case incomparable = "not comparable"
    }

    struct Row {
        var name: String
        var baseline: Double?
        var current: Double?
        /// current / baseline − 1.
        var change: Double?
        /// The threshold this row was judged by (relative).
        var noise: Double
        var verdict: Verdict
        var note: String
        /// What this row compared: the run's metric, or time for a row with no ratio (Sandpiper only).
        var metric: BaselineMetric? = nil
    }

    var metric: BaselineMetric
    var baselineDate: String
    var baselineMachine: MachineInfo
    var currentMachine: MachineInfo
    var rows: [Row]

    var hasRegression: Bool { !regressions.isEmpty }
    var regressions: [String] { rows.filter { $0.verdict == .slower }.map(\.name) }

    func markdown() -> [String] {
        var lines = [
            "### Compared with baseline (\(metric == .ratio ? "paired ratio: Sandpiper / WasmKit, fuel on / off for fuel rows" : "Sandpiper time"), baseline of \(baselineDate))",
            "",
        ]
        if metric == .time && baselineMachine.cpu != currentMachine.cpu {
            lines += ["Note: the baseline was measured on \(baselineMachine.cpu); times from different CPUs are not comparable (use --baseline-metric ratio).", ""]
        }
        lines += ["| workload | baseline | now | change | threshold | verdict |", "|---|---:|---:|---:|---:|---|"]
        for r in rows {
            let rowMetric = r.metric ?? metric
            let format: (Double?) -> String = { v in
                guard let v else { return "—" }
                return rowMetric == .ratio ? String(format: "%.3f×", v) : Report.time(v)
            }
            let change = r.change.map { String(format: "%+.1f%%", $0 * 100) } ?? "—"
            let verdict = r.verdict == .slower ? "**SLOWER**" : r.verdict.rawValue
            lines.append("| \(r.name) | \(format(r.baseline)) | \(format(r.current)) | \(change) | ±\(String(format: "%.1f%%", r.noise * 100)) | \(verdict)\(r.note.isEmpty ? "" : " (\(r.note))") |")
        }
        return lines
    }
}

enum Baseline {
    static func load(_ path: String) throws -> BenchmarkResults {
        let results: BenchmarkResults
        do {
            results = try JSONDecoder().decode(BenchmarkResults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw Options.UsageError(description: "cannot read baseline \(path): \(error)\nRecord a new one with --json PATH.")
        }
        guard results.schema == BenchmarkResults.schemaVersion else {
            throw Options.UsageError(description: "baseline \(path) has schema \(results.schema), this build reads \(BenchmarkResults.schemaVersion); record a new one with --json")
        }
        return results
    }

    static func encode(_ results: BenchmarkResults) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(results)
    }

    /// Compares each workload of `current` with the same-named one of `baseline`.
    static func compare(current: BenchmarkResults, baseline: BenchmarkResults,
                        metric: BaselineMetric, threshold: Double) -> BaselineComparison {
        var rows: [BaselineComparison.Row] = []
        for now in current.workloads {
            guard current.fuelMetering == baseline.fuelMetering else {
                rows.append(.init(name: now.name, noise: threshold, verdict: .incomparable,
                                  note: "fuel metering \(current.fuelMetering ? "on" : "off") now, \(baseline.fuelMetering ? "on" : "off") in the baseline"))
                continue
            }
            guard let before = baseline.workloads.first(where: { $0.name == now.name }) else {
                rows.append(.init(name: now.name, noise: threshold, verdict: .incomparable, note: "not in the baseline"))
                continue
            }
            guard before.summary == now.summary else {
                rows.append(.init(name: now.name, noise: threshold, verdict: .incomparable, note: "workload changed size or kind"))
                continue
            }
            // A row without a ratio (Sandpiper only: sessions, calls into Swift) is judged on time.
            let rowMetric: BaselineMetric = now.denominatorKey == nil ? .time : metric
            let note = rowMetric != metric ? "Sandpiper only: time compared" : ""
            if rowMetric != metric && baseline.machine.cpu != current.machine.cpu {
                rows.append(.init(name: now.name, noise: threshold, verdict: .incomparable,
                                  note: "Sandpiper only, and the baseline ran on another CPU (\(baseline.machine.cpu))", metric: rowMetric))
                continue
            }
            let (b, bNoise) = value(before, rowMetric), (c, cNoise) = value(now, rowMetric)
            guard let b, let c, b > 0 else {
                rows.append(.init(name: now.name, baseline: b, current: c, noise: threshold, verdict: .incomparable,
                                  note: "missing measurement", metric: rowMetric))
                continue
            }
            let change = c / b - 1
            // Three standard errors of the difference of two noisy medians, or the threshold if larger.
            let noise = max(threshold, 3 * (bNoise * bNoise + cNoise * cNoise).squareRoot())
            let verdict: BaselineComparison.Verdict = change > noise ? .slower : change < -noise ? .faster : .unchanged
            rows.append(.init(name: now.name, baseline: b, current: c, change: change, noise: noise, verdict: verdict,
                              note: note, metric: rowMetric))
        }
        return BaselineComparison(metric: metric, baselineDate: baseline.date, baselineMachine: baseline.machine,
                                  currentMachine: current.machine, rows: rows)
    }

    /// The compared value and its relative noise (standard error of the median(s), from the MADs).
    /// Time is the numerator's (Sandpiper; fuel on for a fuel row); ratio is the paired ratio
    /// (Sandpiper / WasmKit, or fuel on / fuel off).
    static func value(_ w: WorkloadMeasurement, _ metric: BaselineMetric) -> (Double?, Double) {
        let s = w.measurement(w.numeratorKey)?.run
        switch metric {
        case .time:
            return (s?.median, s?.relativeStandardError ?? 0)
        case .ratio:
            return (w.pairedRatio?.median, w.pairedRatio?.relativeStandardError ?? 0)
        }
    }
}
