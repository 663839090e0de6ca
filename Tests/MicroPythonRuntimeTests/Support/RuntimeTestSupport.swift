// Shared helpers for the MicroPythonRuntime tests: where the guest and test inputs are, one
// loaded guest per process, deterministic run options, and outcome descriptions for messages.

import Foundation
import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

/// Locations of test inputs outside the package's sources.
enum RuntimePaths {
    /// The package root (this file is Tests/MicroPythonRuntimeTests/Support/RuntimeTestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The program corpus beside the tests.
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")

    /// The fetched guest (`make guest`), or `SANDPIPER_GUEST` if set.
    static let guest: URL = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent("Guest/" + PinnedGuest.fileName)
    }()

    /// Whether the guest has been fetched.
    static var hasGuest: Bool { FileManager.default.fileExists(atPath: guest.path) }

    /// The guest-GC reproductions shared between engineers (`../shared/guest-gc`).
    static let guestGC: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/guest-gc")

    /// Whether `../shared/guest-gc` is there.
    static var hasGuestGC: Bool {
        FileManager.default.fileExists(atPath: guestGC.appendingPathComponent("README.md").path)
    }

    /// A fresh, empty temporary directory (symlinks resolved). Remove it with `removeItem`.
    static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sandpiper-mpr-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }
}

/// The message every guest-dependent suite skips with.
let guestMissingMessage = "MicroPython guest not fetched: run `make guest` (Guest/micropython-wasi.wasm)"

/// The guest, loaded, verified and compiled once per process (`MicroPythonGuest.load` caches by path).
func loadedPython() throws -> MicroPython {
    try MicroPython.load(path: RuntimePaths.guest.path)
}

/// The guest, for code that can only throw `PythonConfigurationError` (a missing guest is then
/// reported as a configuration error; suites that call this are enabled only when it exists).
func loadedPythonOrFail() throws(PythonConfigurationError) -> MicroPython {
    do { return try loadedPython() } catch { throw .wasi("guest unavailable: \(error)") }
}

extension PythonRunOptions {
    /// Options for a reproducible run: a virtual clock, seeded randomness, the given heap, and
    /// a fuel and time budget generous enough for slow CI machines.
    static func deterministic(heap: Int = 8 << 20, memory: Int? = nil, fuel: Int64? = nil,
                              timeout: Duration? = .seconds(600)) -> PythonRunOptions {
        var options = PythonRunOptions()
        options.limits.heapBytes = heap
        options.limits.memoryBytes = memory ?? max(64 << 20, heap + (16 << 20))
        options.limits.fuel = fuel
        options.limits.timeout = timeout
        options.clock = .virtual(start: 1_700_000_000_000_000_000, step: 1_000)
        options.random = .seeded(0x5A4D_5049)
        return options
    }
}

extension PythonOutcome {
    /// A one-line description for test messages.
    var summary: String {
        switch self {
        case .completed: return "completed"
        case .exception(let e): return "exception \(e.description)"
        case .limitExceeded(let limit, let why): return "limit \(limit): \(why)"
        case .trapped(let trap): return "TRAP \(trap)"
        }
    }

    var isCompleted: Bool { if case .completed = self { return true } else { return false } }
    var isTrap: Bool { if case .trapped = self { return true } else { return false } }

    /// The Python exception, if the run ended with one.
    var exception: PythonError? { if case .exception(let e) = self { return e } else { return nil } }

    /// The limit, if a limit stopped the run.
    var limit: PythonLimit? { if case .limitExceeded(let l, _) = self { return l } else { return nil } }
}

extension PythonRunResult {
    /// Everything useful about a run, for failure messages (output abbreviated).
    var report: String {
        func cut(_ s: String) -> String { s.count > 1500 ? String(s.prefix(700)) + "\n...\n" + String(s.suffix(700)) : s }
        return "outcome: \(outcome.summary); exit status \(exitStatus.map(String.init) ?? "nil"); fuel \(fuelUsed); wall \(wallTime)\n--- stdout ---\n\(cut(stdoutText))\n--- stderr ---\n\(cut(stderrText))"
    }
}

/// Seconds in a `Duration`, as a Double.
func durationSeconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
