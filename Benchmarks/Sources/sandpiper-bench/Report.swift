// Renders results as Markdown (the report) and as one progress line per workload.
import Foundation

enum Report {
    static func markdown(_ results: BenchmarkResults, workloads: [Workload], comparison: BaselineComparison?) -> String {
        let m = results.machine
        let s = EngineID.sandpiper.displayName, w = EngineID.wasmKit.displayName
        var lines: [String] = []
        lines += [
            "## \(s) vs \(w)",
            "",
            "| | |",
            "|---|---|",
            "| date | \(results.date) |",
            "| CPU | \(m.cpu), \(m.cores) cores\(m.loadAverage.map { " (load average \($0) at start)" } ?? "") |",
            "| OS | \(m.os) |",
            "| Swift | \(m.swift) (\(m.build) build) |",
            "| kernels compiled by | \(m.clang) |",
            "| Sandpiper configuration | \(m.sandpiperConfiguration) |",
            "| WasmKit configuration | \(m.wasmKitConfiguration) |",
            "| repetitions | \(results.runs) timed per engine after \(results.warmup) warm-up, engines alternating, fresh instance each |",
            "",
            "### Run time (median wall time of the call; lower is better)",
            "",
            "| workload | \(s) | \(w) | \(s) / WasmKit | spread (MAD) S / W | result |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for r in results.workloads {
            let sm = r.measurement(.sandpiper), wm = r.measurement(.wasmKit)
            var result = r.result.map { "`\($0)`" } ?? ""
            if !r.failures.isEmpty {
                result = r.failures.sorted(by: { $0.key < $1.key })
                    .map { "**FAILED** (\($0.key)): \(oneLine($0.value))" }.joined(separator: "; ")
            }
            lines.append("| \(r.name) | \(cell(sm?.run.median)) | \(cell(wm?.run.median)) | \(ratioCell(r.ratio, bold: true)) | "
                + "\(spread(sm?.run)) / \(spread(wm?.run)) | \(result) |")
        }
        let ratios = results.workloads.compactMap(\.ratio)
        if ratios.count > 1, let mean = geometricMean(ratios) {
            lines.append("| *geometric mean of ratios* | | | \(ratioCell(mean, bold: true)) | | |")
        }
        // Start-up summed over all modules, as one row.
        let startupS = sum(results.workloads.map { $0.measurement(.sandpiper)?.startup.median })
        let startupW = sum(results.workloads.map { $0.measurement(.wasmKit)?.startup.median })
        let startupRatio = startupS.flatMap { s in startupW.map { s / $0 } }
        lines.append("| startup (decode + validate + instantiate, all \(results.workloads.count) modules) | \(cell(startupS)) | \(cell(startupW)) | \(ratioCell(startupRatio, bold: false)) | | |")

        lines += [
            "",
            "Ratio below 1.00×: Sandpiper is faster; above: slower (2.00× = takes twice as long). The spread is",
            "the median absolute deviation as a share of the median; a ratio change smaller than the spreads is noise.",
            "",
            "### Startup per module (median of decode + validate + instantiate)",
            "",
            "| workload | module | \(s) | \(w) | \(s) / WasmKit |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in results.workloads {
            lines.append("| \(r.name) | \(r.moduleBytes) B | \(cell(r.measurement(.sandpiper)?.startup.median)) | "
                + "\(cell(r.measurement(.wasmKit)?.startup.median)) | \(ratioCell(r.startupRatio, bold: false)) |")
        }
        lines += ["", "### Workloads", ""]
        for workload in workloads { lines.append("- **\(workload.name)**: \(workload.summary) (`\(workload.module)`)") }
        if let comparison { lines += [""] + comparison.markdown() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per workload while the benchmark runs.
    static func progressLine(_ r: WorkloadMeasurement) -> String {
        var parts = EngineID.allCases.compactMap { e in r.measurement(e).map { "\(e.displayName) \(time($0.run.median))" } }
        if let ratio = r.ratio { parts.append(String(format: "ratio %.2f×", ratio)) }
        for (engine, failure) in r.failures.sorted(by: { $0.key < $1.key }) { parts.append("\(engine) FAILED: \(oneLine(failure))") }
        return "  \(r.name): " + parts.joined(separator: ", ")
    }

    /// A time with a unit that keeps three or four significant digits.
    static func time(_ seconds: Double) -> String {
        switch seconds {
        case 1...: return String(format: "%.3f s", seconds)
        case 0.01...: return String(format: "%.1f ms", seconds * 1e3)
        case 0.001...: return String(format: "%.2f ms", seconds * 1e3)
        default: return String(format: "%.1f µs", seconds * 1e6)
        }
    }

    static func cell(_ seconds: Double?) -> String { seconds.map(time) ?? "—" }

    static func ratioCell(_ ratio: Double?, bold: Bool) -> String {
        guard let ratio else { return "—" }
        let text = String(format: "%.2f×", ratio)
        return bold ? "**\(text)**" : text
    }

    static func spread(_ summary: Summary?) -> String {
        guard let summary, summary.median > 0 else { return "—" }
        return String(format: "±%.1f%%", 100 * summary.mad / summary.median)
    }

    static func sum(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0, +)
    }

    /// Flattens an error message into one table cell.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "|" ? " " : $0 })
    }
}
