// `sandpiper wasm FILE.wasm [--invoke NAME [ARGS...]] [-- WASI-ARGS]`: run any module.

import Foundation
import WasmInterpreter
import WasiHost

/// Runs a module's `_start` as a WASI command, or invokes one export with typed arguments.
public struct WasmCommand: Equatable, Sendable {
    /// The module file.
    public var file: String
    /// The export to invoke, if any.
    public var invoke: String?
    /// Its arguments, as written.
    public var invokeArguments: [String] = []
    /// Arguments for the WASI program (after `--`).
    public var wasiArguments: [String] = []
    /// Fuel, if limited.
    public var fuel: Int64?
    /// Memory limit in bytes.
    public var memoryBytes = 1 << 30
    /// Time limit.
    public var timeoutSeconds: Double?
    /// Folders the program may use.
    public var mounts: [MountOption] = []

    static let usage = """
        usage: sandpiper wasm [OPTIONS] FILE.wasm [--invoke NAME [ARGS...]] [-- WASI-ARGS...]
          Without --invoke, runs the module's _start as a WASI command (stdio passed through;
          exits with its status). With --invoke, calls export NAME with ARGS converted to its
          parameter types (integers, floats) and prints each result on its own line.
        options (before FILE):
          --fuel N              instruction budget
          --memory SIZE         linear-memory limit (default 1G)
          --timeout SECONDS     wall-clock limit
          --allow-read HOST[:GUEST], --allow-write HOST[:GUEST]   folders for WASI programs
        exit status: the program's, or 0; 2 usage error; 3 a limit stopped it; 4 a trap.
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> WasmCommand {
        var command = WasmCommand(file: "")
        while let a = c.next() {
            switch a {
            case "--fuel":
                let n = try c.integer(for: a)
                guard n > 0 else { throw UsageError("--fuel must be positive", command: "wasm") }
                command.fuel = Int64(n)
            case "--memory": command.memoryBytes = try c.size(for: a)
            case "--timeout": command.timeoutSeconds = try c.seconds(for: a)
            case "--allow-read": command.mounts.append(try MountOption.parse(try c.value(for: a), writable: false, command: "wasm"))
            case "--allow-write": command.mounts.append(try MountOption.parse(try c.value(for: a), writable: true, command: "wasm"))
            case "--invoke":
                guard !command.file.isEmpty else { throw UsageError("give FILE.wasm before --invoke", command: "wasm") }
                command.invoke = try c.value(for: a)
                while let arg = c.next() {
                    if arg == "--" { command.wasiArguments = c.rest(); break }
                    command.invokeArguments.append(arg)
                }
            case "--":
                command.wasiArguments = c.rest()
            default:
                guard command.file.isEmpty, !a.hasPrefix("-") else { throw c.unexpected(a) }
                command.file = a
            }
        }
        guard !command.file.isEmpty else { throw UsageError("wasm needs FILE.wasm", command: "wasm") }
        return command
    }

    /// Converts command-line text to a value of `type`.
    static func value(_ text: String, as type: ValueType) -> Value? {
        switch type {
        case .i32:
            if let v = Int32(text) { return Value(int32: v) }
            if let v = UInt32(text) { return .i32(v) }
            if text.hasPrefix("0x"), let v = UInt32(text.dropFirst(2), radix: 16) { return .i32(v) }
        case .i64:
            if let v = Int64(text) { return Value(int64: v) }
            if let v = UInt64(text) { return .i64(v) }
            if text.hasPrefix("0x"), let v = UInt64(text.dropFirst(2), radix: 16) { return .i64(v) }
        case .f32: if let v = Float(text) { return Value(float: v) }
        case .f64: if let v = Double(text) { return Value(double: v) }
        case .funcref: if text == "null" { return .funcref(nil) }
        case .externref: if text == "null" { return .externref(nil) }
        case .exnref: if text == "null" { return .exnref(nil) }
        }
        return nil
    }

    /// Prints a result like wasmtime does.
    static func render(_ v: Value) -> String {
        switch v {
        case .i32(let x): return String(Int32(bitPattern: x))
        case .i64(let x): return String(Int64(bitPattern: x))
        case .f32(let x): return String(Float(bitPattern: x))
        case .f64(let x): return String(Double(bitPattern: x))
        default: return v.description
        }
    }

    func run(_ console: Console) -> Int32 {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file))) } catch {
            console.error("sandpiper wasm: cannot read \(file): \(error.localizedDescription)")
            return 2
        }
        let module: CompiledModule
        do { module = try CompiledModule(bytes: bytes) } catch {
            console.error("sandpiper wasm: \(file): \(error)")
            return RunCommand.Status.trap
        }
        var configuration = StoreConfiguration()
        configuration.fuelMetering = fuel != nil
        configuration.maxMemoryBytes = memoryBytes
        let store = Store(configuration: configuration)
        store.fuel = fuel ?? Int64.max
        if let timeoutSeconds { store.deadline = .now + .milliseconds(Int64(timeoutSeconds * 1000)) }

        var wasi = WasiConfiguration(arguments: [URL(fileURLWithPath: file).lastPathComponent] + wasiArguments)
        wasi.stdout = OutputConfiguration(sink: .handler { console.writeOut($0) }, limit: Int.max)
        wasi.stderr = OutputConfiguration(sink: .handler { console.writeError($0) }, limit: Int.max)
        wasi.stdin = invoke == nil ? console.readAll() : []
        wasi.mounts = mounts.map(\.mount)
        let host: WasiHost
        do { host = try WasiHost(configuration: wasi) } catch {
            console.error("sandpiper wasm: \(error)")
            return 2
        }
        var imports = Imports()
        host.define(into: &imports)
        let instance: Instance
        do { instance = try store.instantiate(module, imports: imports) } catch {
            console.error("sandpiper wasm: \(error)")
            return RunCommand.Status.trap
        }
        do {
            if let invoke {
                guard let (owner, index) = store.exportedFunction(instance, invoke), let type = store.functionType(owner, index: index) else {
                    console.error("sandpiper wasm: no exported function \(invoke); exports: \(module.exportedFunctions.map(\.name).joined(separator: ", "))")
                    return 2
                }
                guard invokeArguments.count == type.parameters.count else {
                    console.error("sandpiper wasm: \(invoke) takes \(type.parameters.count) arguments \(type), got \(invokeArguments.count)")
                    return 2
                }
                var args: [Value] = []
                for (text, t) in zip(invokeArguments, type.parameters) {
                    guard let v = Self.value(text, as: t) else {
                        console.error("sandpiper wasm: \(text) is not a valid \(t)")
                        return 2
                    }
                    args.append(v)
                }
                for v in try store.call(owner, invoke, args).map(Self.render) { console.print(v) }
                #if SANDPIPER_OP_HISTOGRAM
                console.error(OpHistogram.functionReport(limit: 10))
                console.error(OpHistogram.report(limit: 40))
                #endif
                return 0
            }
            guard store.exportedFunction(instance, "_start") != nil else {
                console.error("sandpiper wasm: \(file) has no _start; use --invoke NAME (exports: \(module.exportedFunctions.map(\.name).joined(separator: ", ")))")
                return 2
            }
            _ = try store.call(instance, "_start")
            return 0
        } catch {
            if let code = error.wasiExitCode { return code }
            switch error.reason {
            case .outOfFuel, .deadlineExceeded, .cancelled, .callStackExhausted:
                console.error("sandpiper wasm: limit exceeded: \(error.reason)")
                return RunCommand.Status.limit
            default:
                console.error("sandpiper wasm: trap: \(error)")
                return RunCommand.Status.trap
            }
        }
    }
}
