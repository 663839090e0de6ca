// Runs the selected workloads on every engine, alternating, and turns the timings into a
// report, a JSON file and a baseline verdict.
import Foundation

enum BenchmarkRunner {
    /// Runs with command-line `arguments` and returns the exit status.
    static func main(arguments: [String]) -> Int32 {
        let options: Options
        let workloads: [Workload]
        do {
            options = try Options.parse(arguments)
            workloads = try options.selectWorkloads(from: Workload.catalog)
        } catch {
            printError("error: \(error)\n\n\(Options.usage)")
            return 2
        }
        if options.help {
            print(Options.usage)
            return 0
        }
        if options.list {
            for w in workloads { print("\(w.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(w.summary)  [\(w.module)]") }
            return 0
        }
        do {
            return try run(options, workloads)
        } catch {
            printError("error: \(error)")
            return 1
        }
    }

    static func run(_ options: Options, _ workloads: [Workload]) throws -> Int32 {
        #if DEBUG
        printError("warning: this is a debug build; its timings mean little. Use `make bench` (swift build -c release).")
        #endif
        let baseline = try options.baselinePath.map(Baseline.load)
        let date = Date.now.formatted(.iso8601)

        // Resolve every module before timing anything.
        let needsCompiler = workloads.contains { if case .kernel = $0.module { true } else { false } }
        let compiler = needsCompiler ? try KernelCompiler(sourceDirectory: options.kernels.map { URL(fileURLWithPath: $0) },
                                                          clang: options.clang) : nil
        var modules: [String: [UInt8]] = [:]
        for w in workloads { modules[w.name] = try load(w.module, compiler: compiler) }

        let sandpiper = SandpiperEngine(fuelMetering: options.fuelMetering)
        let wasmKit = WasmKitEngine(fuelMetering: options.fuelMetering)
        let machine = MachineInfo.current(clang: compiler?.version ?? "not used", sandpiper: sandpiper, wasmKit: wasmKit)
        printError("sandpiper-bench: \(workloads.count) workload(s), \(options.runs) run(s) + \(options.warmup) warm-up per engine, on \(machine.cpu) (\(machine.cores) cores)")

        let allEngines: [any BenchmarkEngine] = [sandpiper, wasmKit]
        let engines = allEngines.filter { options.engines.contains($0.id) }
        var measurements: [WorkloadMeasurement] = []
        for w in workloads {
            let m = measure(w, module: modules[w.name]!, engines: engines, runs: options.runs, warmup: options.warmup)
            printError(Report.progressLine(m))
            measurements.append(m)
        }

        let results = BenchmarkResults(date: date, machine: machine, runs: options.runs, warmup: options.warmup,
                                       fuelMetering: options.fuelMetering, workloads: measurements)
        let comparison = baseline.map {
            Baseline.compare(current: results, baseline: $0, metric: options.baselineMetric, threshold: options.threshold)
        }
        let markdown = Report.markdown(results, workloads: workloads, comparison: comparison)
        print(markdown)
        if let path = options.markdownPath { try write(Data(markdown.utf8), to: path) }
        if let path = options.jsonPath { try write(try Baseline.encode(results), to: path) }

        if measurements.contains(where: { !$0.failures.isEmpty }) {
            printError("error: some workloads failed or the engines disagreed (see the table)")
            return 1
        }
        if options.failOnRegression, let comparison, comparison.hasRegression {
            printError("error: regression beyond the noise threshold: \(comparison.regressions.joined(separator: ", "))")
            return 3
        }
        return 0
    }

    /// Times `workload` on each engine: `warmup + runs` repetitions, the engine order reversed
    /// every other repetition; each repetition instantiates afresh (timed as start-up) and then
    /// runs (timed). Results are checked against `workload.expected` and across engines.
    static func measure(_ workload: Workload, module: [UInt8], engines: [any BenchmarkEngine],
                        runs: Int, warmup: Int) -> WorkloadMeasurement {
        let clock = ContinuousClock()
        var runTimes: [EngineID: [Double]] = [:]
        var startupTimes: [EngineID: [Double]] = [:]
        var failures: [EngineID: String] = [:]
        var reference: (source: String, result: WorkloadResult)? = workload.expected.map { ("expected", $0) }
        var firstResult: WorkloadResult?

        for repetition in 0..<(warmup + runs) {
            let order = repetition.isMultiple(of: 2) ? engines : engines.reversed()
            for engine in order where failures[engine.id] == nil {
                do {
                    let setup = try setupFor(workload, engine)
                    let start = clock.now
                    let prepared = try setup(module)
                    let instantiated = clock.now
                    // Keep the store alive until the clock is read: its teardown is not timed.
                    let (result, finished) = try withExtendedLifetime(prepared) {
                        let result = try prepared.run()
                        return (result, clock.now)
                    }
                    if let reference, reference.result != result {
                        throw BenchmarkError.mismatch(workload: workload.name, detail:
                            "\(engine.id.displayName) returned \(result), \(reference.source) is \(reference.result)")
                    }
                    if reference == nil { reference = ("\(engine.id.displayName)'s result", result) }
                    firstResult = firstResult ?? result
                    if repetition >= warmup {
                        startupTimes[engine.id, default: []].append((instantiated - start).seconds)
                        runTimes[engine.id, default: []].append((finished - instantiated).seconds)
                    }
                } catch {
                    failures[engine.id] = "\(error)"
                }
            }
        }

        var measured: [String: EngineMeasurement] = [:]
        for engine in engines where failures[engine.id] == nil {
            guard let run = runTimes[engine.id], let startup = startupTimes[engine.id] else { continue }
            measured[engine.id.rawValue] = EngineMeasurement(run: Summary(run), startup: Summary(startup))
        }
        return WorkloadMeasurement(
            name: workload.name, summary: workload.summary, moduleBytes: module.count,
            result: firstResult?.description, engines: measured,
            failures: Dictionary(uniqueKeysWithValues: failures.map { ($0.key.rawValue, $0.value) }))
    }

    /// How `engine` sets `workload` up.
    static func setupFor(_ workload: Workload, _ engine: any BenchmarkEngine) throws -> CustomSetup {
        switch workload.body {
        case .invocation(let invocation):
            return { module in try engine.prepare(invocation, module: module) }
        case .custom(_, let setups):
            guard let setup = setups[engine.id] else { throw BenchmarkError.noSetup(engine.id) }
            return setup
        }
    }

    /// The module's bytes: a compiled kernel or a file (relative to the repository root).
    static func load(_ source: ModuleSource, compiler: KernelCompiler?) throws -> [UInt8] {
        switch source {
        case .kernel(let name):
            return try compiler!.compile(name)
        case .file(let path):
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
                : KernelCompiler.packageDirectory.deletingLastPathComponent().appendingPathComponent(path)
            return Array(try Data(contentsOf: url))
        }
    }

    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}

/// Writes a line to standard error (progress and diagnostics; the report goes to standard output).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
