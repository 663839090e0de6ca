// `sandpiper run [OPTIONS] (-c CODE | FILE [ARGS...])`: run Python in the sandbox.

import Foundation
public import MicroPythonRuntime
import WasmInterpreter
import WasiHost

/// Runs Python code or a script once, under limits, with the guest's output passed through.
public struct RunCommand: Equatable, Sendable {
    /// Inline code (`-c`), or nil to run `file`.
    public var code: String?
    /// The script to run.
    public var file: String?
    /// Arguments for the script (`sys.argv[1:]`).
    public var arguments: [String] = []
    /// Limits.
    public var limits = PythonLimits()
    /// Folders the code may use.
    public var mounts: [MountOption] = []
    /// An explicit guest file.
    public var guestPath: String?

    /// Exit statuses.
    public enum Status {
        /// The code ran to the end.
        public static let success: Int32 = 0
        /// The code raised an uncaught exception.
        public static let pythonError: Int32 = 1
        /// The command line was wrong.
        public static let usage: Int32 = 2
        /// A limit stopped the code.
        public static let limit: Int32 = 3
        /// The guest trapped or could not start.
        public static let trap: Int32 = 4
    }

    static let usage = """
        usage: sandpiper run [OPTIONS] (-c CODE | FILE [ARGS...])
          Runs Python code in a fresh MicroPython guest. Output passes through unchanged.
          A FILE's folder is mounted read-only at /app, so it can import modules beside it.
        options (sizes take K, M or G):
          --heap SIZE            MicroPython heap (default 8M)
          --memory SIZE          linear-memory limit (default 64M; must exceed the heap by 1M)
          --fuel N               instruction budget (default 10000000000)
          --timeout SECONDS      wall-clock limit (default 30)
          --max-output SIZE      cap on stdout and on stderr, each (default 1M)
          --allow-read HOST[:GUEST]   let the code read folder HOST, seen at GUEST (default /NAME)
          --allow-write HOST[:GUEST]  the same, writable
          --guest PATH           the guest .wasm (default: $SANDPIPER_GUEST or Guest/micropython-wasi.wasm)
        exit status: 0 success (or the code's sys.exit status), 1 the code raised (traceback on
        stderr), 2 usage error, 3 a limit stopped it (one line on stderr names it), 4 the guest
        trapped or could not start.
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> RunCommand {
        var command = RunCommand()
        while let a = c.next() {
            switch a {
            case "-c":
                command.code = try c.value(for: a)
                command.arguments = c.rest()
            case "--heap": command.limits.heapBytes = try c.size(for: a)
            case "--memory": command.limits.memoryBytes = try c.size(for: a)
            case "--fuel":
                let n = try c.integer(for: a)
                guard n > 0 else { throw UsageError("--fuel must be positive", command: "run") }
                command.limits.fuel = Int64(n)
            case "--timeout": command.limits.timeout = try c.timeout(for: a)
            case "--max-output": command.limits.maxOutputBytes = try c.size(for: a)
            case "--allow-read": command.mounts.append(try MountOption.parse(try c.value(for: a), writable: false, command: "run"))
            case "--allow-write": command.mounts.append(try MountOption.parse(try c.value(for: a), writable: true, command: "run"))
            case "--guest": command.guestPath = try c.value(for: a)
            case "--":
                guard let f = c.next() else { throw UsageError("run needs -c CODE or FILE", command: "run") }
                command.file = f
                command.arguments = c.rest()
            default:
                guard !a.hasPrefix("-") else { throw c.unexpected(a) }
                command.file = a
                command.arguments = c.rest()
            }
        }
        guard (command.code == nil) != (command.file == nil) else {
            throw UsageError("run needs exactly one of -c CODE or FILE", command: "run")
        }
        do { try command.limits.validate() } catch { throw UsageError(error.description, command: "run") }
        return command
    }

    func run(_ console: Console) -> Int32 {
        let python: MicroPython
        do {
            python = try MicroPython.load(path: guestPath)
        } catch {
            console.error("sandpiper run: \(error)")
            return Status.trap
        }
        var options = PythonRunOptions()
        options.limits = limits
        options.arguments = arguments
        options.mounts = mounts.map(\.mount)
        options.onStdout = { bytes in console.writeOut(bytes) }
        options.onStderr = { bytes in console.writeError(bytes) }
        let result: PythonRunResult
        do {
            if let code {
                result = try python.run(code: code, options: options)
            } else {
                let url = URL(fileURLWithPath: file!)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    console.error("sandpiper run: no such file \(file!)")
                    return Status.usage
                }
                result = try python.run(file: url, options: options)
            }
        } catch {
            console.error("sandpiper run: \(error)")
            return Status.usage
        }
        for w in result.warnings { console.error("sandpiper run: warning: \(w)") }
        #if SANDPIPER_OP_HISTOGRAM
        console.error(OpHistogram.functionReport(limit: 40))
        console.error(OpHistogram.report(limit: 30))
        #endif
        switch result.outcome {
        case .completed:
            return result.exitStatus ?? 0
        case .exception:
            return Status.pythonError
        case .limitExceeded(let limit, let why):
            console.error("sandpiper run: limit exceeded: \(limit): \(why)")
            return Status.limit
        case .trapped(let trap):
            console.error("sandpiper run: the guest trapped: \(trap)")
            return Status.trap
        }
    }
}
