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
        ]
        if let revision = m.revision { lines.append("| Sandpiper revision | \(revision) |") }
        lines += [
            "| kernels compiled by | \(m.clang) |",
        ]
        if let guest = m.guest { lines.append("| MicroPython guest | \(guest) |") }
        lines += [
            "| Sandpiper configuration | \(m.sandpiperConfiguration) |",
            "| WasmKit configuration | \(m.wasmKitConfiguration) |",
            "| repetitions | \(results.runs) timed per engine after \(results.warmup) warm-up, engines alternating, fresh instance each |",
        ]
        let byGroup = Dictionary(grouping: results.workloads, by: \.kind)
        let kernelMean = geometricMean((byGroup[.kernel] ?? []).compactMap(\.ratio))
        let pythonMean = geometricMean((byGroup[.micropython] ?? []).compactMap(\.ratio))
        let means = [pythonMean.map { "MicroPython programs \(ratioCell($0, bold: true))" },
                     kernelMean.map { "C kernels \(ratioCell($0, bold: true))" }].compactMap { $0 }
        if !means.isEmpty {
            lines += ["", "Geometric mean of \(s) / WasmKit ratios: \(means.joined(separator: ", ")) (below 1.00×: Sandpiper is faster)."]
        }

        if let kernels = byGroup[.kernel] {
            lines += [
                "",
                "### C kernels (median wall time of the call; lower is better)",
                "",
                "| workload | \(s) | \(w) | \(s) / WasmKit | spread (MAD) S / W | result |",
                "|---|---:|---:|---:|---:|---|",
            ]
            lines += kernels.map(engineRow)
            if kernels.count > 1, let kernelMean {
                lines.append("| *geometric mean of ratios* | | | \(ratioCell(kernelMean, bold: true)) | | |")
            }
            // Start-up summed over all kernel modules, as one row.
            let startupS = sum(kernels.map { $0.measurement(.sandpiper)?.startup.median })
            let startupW = sum(kernels.map { $0.measurement(.wasmKit)?.startup.median })
            let startupRatio = startupS.flatMap { s in startupW.map { s / $0 } }
            lines.append("| startup (decode + validate + instantiate, all \(kernels.count) modules) | \(cell(startupS)) | \(cell(startupW)) | \(ratioCell(startupRatio, bold: false)) | | |")
            lines += [
                "",
                "Time of the exported function's call only (the module is decoded and instantiated before the",
                "clock starts; both engines translate a function on its first call, so that is inside).",
            ]
        }

        if let programs = byGroup[.micropython] {
            lines += [
                "",
                "### MicroPython programs (median wall time of one run; lower is better)",
                "",
                "| program | \(s) | \(w) | \(s) / WasmKit | spread (MAD) S / W | output (checked) |",
                "|---|---:|---:|---:|---:|---|",
            ]
            lines += programs.map(engineRow)
            if programs.count > 1, let pythonMean {
                lines.append("| *geometric mean of ratios* | | | \(ratioCell(pythonMean, bold: true)) | | |")
            }
            lines += [
                "",
                "One run = instantiate the guest (decoded once beforehand: `MicroPythonGuest.load` / `parseWasm`),",
                "boot MicroPython with a 64 MiB heap, compile and run `Benchmarks/Python/<program>.py` given as",
                "`-c`, exit, drop the store. Sandpiper runs it with `MicroPython.run(code:options:)`, WasmKit with",
                "`WASIBridgeToHost` + `instantiate` + `start`. Sandpiper keeps each function's lowered code in the",
                "decoded module, so repeated runs reuse it; WasmKit translates lazily per instance, so every run",
                "pays its translation (`warm-start` below is this fixed part). Each program prints a checksum: both",
                "engines must print the line the program's `# expected output:` comment gives (checked with",
                "CPython and native MicroPython), else the row fails.",
            ]
        }

        if let startup = byGroup[.startup] {
            lines += [
                "",
                "### Start-up and calls (median; lower is better)",
                "",
                "| row | what the time includes | \(s) | \(w) | \(s) / WasmKit | spread (MAD) S / W | result |",
                "|---|---|---:|---:|---:|---:|---|",
            ]
            for r in startup {
                let sm = r.measurement(.sandpiper), wm = r.measurement(.wasmKit)
                let only = r.denominatorKey == nil
                lines.append("| \(r.name) | \(r.timed ?? "") | \(cell(sm?.run.median)) | \(only ? "—" : cell(wm?.run.median)) | "
                    + "\(ratioCell(r.ratio, bold: true)) | \(spread(sm?.run)) / \(only ? "—" : spread(wm?.run)) | \(resultCell(r)) |")
            }
            let setups = startup.filter { $0.denominatorKey == nil }.compactMap { r in
                r.measurement(.sandpiper).map { "\(r.name) \(time($0.startup.median))" }
            }
            if startup.contains(where: { $0.denominatorKey == nil }) {
                lines += ["", "—: WasmKit has no sessions or Swift modules for Python, so there is nothing to compare."]
            }
            if !setups.isEmpty {
                lines.append("Set-up before the clock starts (median, \(s)): \(setups.joined(separator: "; ")).")
            }
        }

        if let fuel = byGroup[.fuel] {
            lines += [
                "",
                "### Fuel metering overhead (\(s) only; median, lower is better)",
                "",
                "| workload | what the time includes | fuel off | fuel on | overhead | paired overhead | spread (MAD) off / on | result |",
                "|---|---|---:|---:|---:|---:|---:|---|",
            ]
            for r in fuel {
                let off = r.denominatorKey.flatMap(r.measurement), on = r.measurement(r.numeratorKey)
                let overhead = r.ratio.map { String(format: "**%+.1f%%**", ($0 - 1) * 100) } ?? "—"
                let paired = r.pairedRatio.map { String(format: "%+.1f%%", ($0.median - 1) * 100) } ?? "—"
                lines.append("| \(r.name) | \(r.timed ?? "") | \(cell(off?.run.median)) | \(cell(on?.run.median)) | \(overhead) | "
                    + "\(paired) | \(spread(off?.run)) / \(spread(on?.run)) | \(resultCell(r)) |")
            }
            lines += [
                "",
                "Both on \(s), alternating in each repetition: fuel metering off against on, with a budget that",
                "does not run out (kernels: `Int64.max`; MicroPython: the default `PythonLimits` budget of 10",
                "billion). Plugins and the default `PythonLimits` always meter fuel. The overhead is the ratio of",
                "the medians; the paired overhead is the median of each repetition's on / off ratio (the two ran",
                "back to back, under the same load), the steadier figure on a busy machine.",
            ]
        }

        lines += [
            "",
            "Ratio below 1.00×: Sandpiper is faster; above: slower (2.00× = takes twice as long). The spread is",
            "the median absolute deviation as a share of the median; a ratio change smaller than the spreads is noise.",
        ]
        if let kernels = byGroup[.kernel] {
            lines += [
                "",
                "### Startup per kernel module (median of decode + validate + instantiate)",
                "",
                "| workload | module | \(s) | \(w) | \(s) / WasmKit |",
                "|---|---:|---:|---:|---:|",
            ]
            for r in kernels {
                lines.append("| \(r.name) | \(r.moduleBytes) B | \(cell(r.measurement(.sandpiper)?.startup.median)) | "
                    + "\(cell(r.measurement(.wasmKit)?.startup.median)) | \(ratioCell(r.startupRatio, bold: false)) |")
            }
        }
        lines += ["", "### Workloads", ""]
        for workload in workloads {
            let source = workload.script.map { "`Benchmarks/\($0)` on `\(workload.module)`" } ?? "`\(workload.module)`"
            lines.append("- **\(workload.name)**: \(workload.summary) (\(source))")
        }
        if let comparison { lines += [""] + comparison.markdown() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A row of an engine-against-engine table.
    static func engineRow(_ r: WorkloadMeasurement) -> String {
        let sm = r.measurement(.sandpiper), wm = r.measurement(.wasmKit)
        return "| \(r.name) | \(cell(sm?.run.median)) | \(cell(wm?.run.median)) | \(ratioCell(r.ratio, bold: true)) | "
            + "\(spread(sm?.run)) / \(spread(wm?.run)) | \(resultCell(r)) |"
    }

    /// The result, or every failure, loudly.
    static func resultCell(_ r: WorkloadMeasurement) -> String {
        guard r.failures.isEmpty else {
            return r.failures.sorted(by: { $0.key < $1.key })
                .map { "**FAILED** (\(label($0.key))): \(oneLine($0.value))" }.joined(separator: "; ")
        }
        return r.result.map { "`\(oneLine($0))`" } ?? ""
    }

    /// A contestant's name: an engine, or Sandpiper with fuel metering off or on.
    static func label(_ key: String) -> String {
        switch key {
        case BenchmarkRunner.Contestant.fuelOff: return "Sandpiper, fuel off"
        case BenchmarkRunner.Contestant.fuelOn: return "Sandpiper, fuel on"
        default: return EngineID(rawValue: key)?.displayName ?? key
        }
    }

    /// One line per workload while the benchmark runs.
    static func progressLine(_ r: WorkloadMeasurement) -> String {
        let keys = [r.numeratorKey] + (r.denominatorKey.map { [$0] } ?? [])
        var parts = keys.compactMap { key in r.measurement(key).map { "\(label(key)) \(time($0.run.median))" } }
        if let ratio = r.ratio {
            parts.append(r.kind == .fuel ? String(format: "overhead %+.1f%%", (ratio - 1) * 100) : String(format: "ratio %.2f×", ratio))
        }
        for (key, failure) in r.failures.sorted(by: { $0.key < $1.key }) { parts.append("\(label(key)) FAILED: \(oneLine(failure))") }
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
