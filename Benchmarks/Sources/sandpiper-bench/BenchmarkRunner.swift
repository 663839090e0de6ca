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
            for w in workloads { print("\(w.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(w.summary)  [\(w.module)]") }
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

        // Resolve every module and program before timing anything.
        let needsCompiler = workloads.contains { if case .kernel = $0.module { true } else { false } }
        let compiler = needsCompiler ? try KernelCompiler(sourceDirectory: options.kernels.map { URL(fileURLWithPath: $0) },
                                                          clang: options.clang) : nil
        var inputs: [String: SetupInput] = [:]
        for w in workloads {
            inputs[w.name] = SetupInput(module: try load(w.module, compiler: compiler), modulePath: path(w.module),
                                        script: try w.script.map(loadScript), fuelMetering: options.fuelMetering)
        }

        let sandpiper = SandpiperEngine(fuelMetering: options.fuelMetering)
        let wasmKit = WasmKitEngine.shared(fuelMetering: options.fuelMetering)
        let guest = workloads.contains { $0.module.description == MicroPythonWorkloads.guestPath }
            ? MicroPythonWorkloads.guestSummary(fuelMetering: options.fuelMetering) : nil
        let machine = MachineInfo.current(clang: compiler?.version ?? "not used", sandpiper: sandpiper, wasmKit: wasmKit,
                                          guest: guest)
        printError("sandpiper-bench: \(workloads.count) workload(s), \(options.runs) run(s) + \(options.warmup) warm-up per engine, on \(machine.cpu) (\(machine.cores) cores)")

        var measurements: [WorkloadMeasurement] = []
        for w in workloads {
            let m = measure(w, input: inputs[w.name]!, contestants: contestants(for: w, options),
                            runs: options.runs, warmup: options.warmup)
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

    /// One side of a row: an engine, or Sandpiper with fuel metering off or on.
    struct Contestant {
        /// The key in `WorkloadMeasurement.engines` (`EngineID.rawValue`, or `Contestant.fuelOff`/`fuelOn`).
        let key: String
        /// Whether it runs with fuel metering.
        let fuelMetering: Bool
        /// How it sets a repetition up; throws when it has none.
        let setup: CustomSetup

        static let fuelOff = "sandpiper-fuel-off"
        static let fuelOn = "sandpiper-fuel-on"
    }

    /// Who runs `workload`: the engines selected by `--engine` that it applies to, each with the
    /// run's fuel setting; or, for a fuel-overhead row, Sandpiper with metering off and on.
    static func contestants(for workload: Workload, _ options: Options) -> [Contestant] {
        if case .fuelOverhead(let base) = workload.body {
            guard options.engines.contains(.sandpiper) else { return [] }
            let setup: CustomSetup = { input in try setupFor(base, .sandpiper)(input) }
            return [Contestant(key: Contestant.fuelOff, fuelMetering: false, setup: setup),
                    Contestant(key: Contestant.fuelOn, fuelMetering: true, setup: setup)]
        }
        return workload.engines.filter(options.engines.contains).map { engine in
            Contestant(key: engine.rawValue, fuelMetering: options.fuelMetering,
                       setup: { input in try setupFor(workload, engine)(input) })
        }
    }

    /// Times `workload` for each contestant: `warmup + runs` repetitions, the order reversed
    /// every other repetition; each repetition sets up afresh (timed as start-up) and then
    /// runs (timed). Results are checked against `workload.expected` and across contestants.
    static func measure(_ workload: Workload, input: SetupInput, contestants: [Contestant],
                        runs: Int, warmup: Int) -> WorkloadMeasurement {
        let clock = ContinuousClock()
        var runTimes: [String: [Double]] = [:]
        var startupTimes: [String: [Double]] = [:]
        var failures: [String: String] = [:]
        let expected = workload.expected ?? input.script.flatMap(MicroPythonWorkloads.expectedOutput)
        var reference: (source: String, result: WorkloadResult)? = expected.map { ("expected", $0) }
        var firstResult: WorkloadResult?

        for repetition in 0..<(warmup + runs) {
            let order = repetition.isMultiple(of: 2) ? contestants : contestants.reversed()
            for contestant in order where failures[contestant.key] == nil {
                do {
                    var input = input
                    input.fuelMetering = contestant.fuelMetering
                    let start = clock.now
                    let prepared = try contestant.setup(input)
                    let instantiated = clock.now
                    // Keep the store alive until the clock is read: its teardown is not timed.
                    let (result, ownTime, finished) = try withExtendedLifetime(prepared) {
                        let (result, seconds) = try prepared.body()
                        return (result, seconds, clock.now)
                    }
                    let name = Report.label(contestant.key)
                    if let reference, reference.result != result {
                        throw BenchmarkError.mismatch(workload: workload.name, detail:
                            "\(name) returned \(result), \(reference.source) is \(reference.result)")
                    }
                    if reference == nil { reference = ("\(name)'s result", result) }
                    firstResult = firstResult ?? result
                    if repetition >= warmup {
                        startupTimes[contestant.key, default: []].append((instantiated - start).seconds)
                        runTimes[contestant.key, default: []].append(ownTime ?? (finished - instantiated).seconds)
                    }
                } catch {
                    failures[contestant.key] = "\(error)"
                }
            }
        }

        var measured: [String: EngineMeasurement] = [:]
        for contestant in contestants where failures[contestant.key] == nil {
            guard let run = runTimes[contestant.key], let startup = startupTimes[contestant.key] else { continue }
            measured[contestant.key] = EngineMeasurement(run: Summary(run), startup: Summary(startup))
        }
        let keys: (numerator: String, denominator: String?)
        if case .fuelOverhead = workload.body {
            keys = (Contestant.fuelOn, Contestant.fuelOff)
        } else {
            keys = (EngineID.sandpiper.rawValue, workload.engines.contains(.wasmKit) ? EngineID.wasmKit.rawValue : nil)
        }
        return WorkloadMeasurement(
            name: workload.name, summary: workload.summary, group: workload.group, timed: workload.timed,
            moduleBytes: input.module.count, result: firstResult?.description, engines: measured,
            failures: failures, numerator: keys.numerator, denominator: keys.denominator)
    }

    /// How `engine` sets `workload` up.
    static func setupFor(_ workload: Workload, _ engine: EngineID) throws -> CustomSetup {
        switch workload.body {
        case .invocation(let invocation):
            return { input in
                switch engine {
                case .sandpiper: return try SandpiperEngine(fuelMetering: input.fuelMetering).prepare(invocation, module: input.module)
                case .wasmKit: return try WasmKitEngine.shared(fuelMetering: input.fuelMetering).prepare(invocation, module: input.module)
                }
            }
        case .custom(_, let setups):
            guard let setup = setups[engine] else { throw BenchmarkError.noSetup(engine) }
            return setup
        case .fuelOverhead(let base):
            return try setupFor(base, engine)
        }
    }

    /// A workload's Python program, relative to Benchmarks/ (or absolute).
    static func loadScript(_ path: String) throws -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : KernelCompiler.packageDirectory.appendingPathComponent(path)
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw BenchmarkError.missingInput("cannot read the Python program \(url.path): \(error.localizedDescription)")
        }
    }

    /// The file a module comes from (nil for a kernel, which is compiled).
    static func path(_ source: ModuleSource) -> String? {
        guard case .file(let path) = source else { return nil }
        return path.hasPrefix("/") ? path
            : KernelCompiler.packageDirectory.deletingLastPathComponent().appendingPathComponent(path).path
    }

    /// The module's bytes: a compiled kernel or a file (relative to the repository root).
    static func load(_ source: ModuleSource, compiler: KernelCompiler?) throws -> [UInt8] {
        switch source {
        case .kernel(let name):
            return try compiler!.compile(name)
        case .file:
            let path = path(source)!
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BenchmarkError.missingInput("cannot read \(path)"
                    + (path.hasSuffix("micropython-wasi.wasm") ? "; run `make guest` in the repository root to fetch the MicroPython guest" : ""))
            }
            return Array(data)
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
