// Command-line options of sandpiper-bench: a small hand-written parser (no packages).

/// What the user asked for.
struct Options: Equatable {
    var runs = 5
    var warmup = 1
    var filters: [String] = []
    var list = false
    var help = false
    var markdownPath: String?
    var jsonPath: String?
    var baselinePath: String?
    var failOnRegression = false
    /// Smallest relative change the baseline comparison flags (0.05 = 5%).
    var threshold = 0.05
    var baselineMetric = BaselineMetric.ratio
    var engines: [EngineID] = EngineID.allCases
    var fuelMetering = false
    var clang: String?
    var kernels: String?

    static let usage = """
        USAGE: sandpiper-bench [options]

        Runs each workload on Sandpiper and on WasmKit 0.4.2, alternating, and reports median
        wall times and the Sandpiper/WasmKit ratio (below 1: Sandpiper is faster): C kernels,
        MicroPython programs (py-*), start-up rows, and Sandpiper's fuel overhead (fuel-*).

        OPTIONS:
          --runs N               timed repetitions per engine and workload (default 5)
          --warmup N             untimed repetitions first (default 1)
          --filter NAME[,NAME]   only workloads whose name contains NAME (repeatable),
                                 e.g. py- (MicroPython), fuel- (fuel overhead)
          --list                 list the workloads and exit
          --engine ID[,ID]       only these engines: sandpiper, wasmkit (default both)
          --fuel                 turn fuel metering on in both engines (as plugins run)
          --markdown PATH        also write the Markdown report to PATH
          --json PATH            write the results as JSON to PATH (a later --baseline)
          --baseline PATH        compare with a JSON file an earlier --json wrote
          --baseline-metric M    ratio (Sandpiper/WasmKit, default; comparable across machines)
                                 or time (Sandpiper's median; same machine only)
          --threshold PCT        smallest change flagged, in percent (default 5); a noisier
                                 measurement widens it (see README.md)
          --fail-on-regression   exit 3 when the baseline comparison finds a regression
          --clang PATH           clang for the kernels (default: the one next to `swift`)
          --kernels DIR          folder of kernel C sources (default Benchmarks/Kernels)
          -h, --help             show this help

        EXIT STATUS: 0 success; 1 a workload failed or engines disagreed; 2 bad usage;
        3 regression (with --fail-on-regression).
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var rest = arguments[...]

        func value(_ flag: String) throws(UsageError) -> String {
            guard let v = rest.popFirst(), !v.hasPrefix("--") else { throw UsageError(description: "\(flag) needs a value") }
            return v
        }
        func count(_ flag: String, minimum: Int) throws(UsageError) -> Int {
            let text = try value(flag)
            guard let n = Int(text), n >= minimum else {
                throw UsageError(description: "\(flag) needs a whole number of at least \(minimum), got \"\(text)\"")
            }
            return n
        }
        func list(_ text: String) -> [String] { text.split(separator: ",").map { String($0) }.filter { !$0.isEmpty } }

        while let flag = rest.popFirst() {
            switch flag {
            case "--runs": options.runs = try count(flag, minimum: 1)
            case "--warmup": options.warmup = try count(flag, minimum: 0)
            case "--filter": options.filters += list(try value(flag))
            case "--list": options.list = true
            case "-h", "--help": options.help = true
            case "--markdown": options.markdownPath = try value(flag)
            case "--json": options.jsonPath = try value(flag)
            case "--baseline": options.baselinePath = try value(flag)
            case "--fail-on-regression": options.failOnRegression = true
            case "--threshold":
                let text = try value(flag)
                guard let percent = Double(text.hasSuffix("%") ? String(text.dropLast()) : text), percent >= 0 else {
                    throw UsageError(description: "--threshold needs a percentage such as 5, got \"\(text)\"")
                }
                options.threshold = percent / 100
            case "--baseline-metric":
                let text = try value(flag)
                guard let metric = BaselineMetric(rawValue: text) else {
                    throw UsageError(description: "--baseline-metric is ratio or time, got \"\(text)\"")
                }
                options.baselineMetric = metric
            case "--engine", "--engines":
                var engines: [EngineID] = []
                for name in list(try value(flag)) {
                    guard let id = EngineID(rawValue: name.lowercased()) else {
                        throw UsageError(description: "unknown engine \"\(name)\" (known: sandpiper, wasmkit)")
                    }
                    if !engines.contains(id) { engines.append(id) }
                }
                options.engines = engines.sorted()
            case "--fuel": options.fuelMetering = true
            case "--clang": options.clang = try value(flag)
            case "--kernels": options.kernels = try value(flag)
            default: throw UsageError(description: "unknown option \"\(flag)\"")
            }
        }
        if options.failOnRegression && options.baselinePath == nil {
            throw UsageError(description: "--fail-on-regression needs --baseline PATH")
        }
        return options
    }

    /// The workloads `filters` select, in catalog order; every filter must match something.
    func selectWorkloads(from catalog: [Workload]) throws(UsageError) -> [Workload] {
        guard !filters.isEmpty else { return catalog }
        for filter in filters where !catalog.contains(where: { $0.matches(filter) }) {
            throw UsageError(description: "--filter \(filter) matches no workload (known: \(catalog.map(\.name).joined(separator: ", ")))")
        }
        return catalog.filter { w in filters.contains(where: { w.matches($0) }) }
    }
}

extension Workload {
    /// Whether `--filter filter` selects this workload (case-insensitive substring of the name).
    func matches(_ filter: String) -> Bool { name.lowercased().contains(filter.lowercased()) }
}
