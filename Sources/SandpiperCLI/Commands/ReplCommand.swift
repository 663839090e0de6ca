// `sandpiper repl [--heap SIZE] [--fuel N]`: a resident session at the terminal.

import Foundation
public import MicroPythonRuntime

/// An interactive Python prompt on a resident session; state persists between inputs.
public struct ReplCommand: Equatable, Sendable {
    /// Limits (fuel and timeout apply to each input).
    public var limits = PythonLimits()
    /// An explicit guest file.
    public var guestPath: String?

    static let usage = """
        usage: sandpiper repl [--heap SIZE] [--fuel N] [--timeout SECONDS] [--guest PATH]
          An interactive MicroPython session in the sandbox. State persists between inputs;
          a line ending in ':' starts a block that ends with an empty line; an expression's
          value is echoed. Ctrl-D exits. Statements can also be piped in.
          --heap SIZE        MicroPython heap (default 8M)
          --fuel N           instruction budget per input (default 10000000000)
          --timeout SECONDS  time limit per input (default 30)
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> ReplCommand {
        var command = ReplCommand()
        while let a = c.next() {
            switch a {
            case "--heap": command.limits.heapBytes = try c.size(for: a)
            case "--fuel":
                let n = try c.integer(for: a)
                guard n > 0 else { throw UsageError("--fuel must be positive", command: "repl") }
                command.limits.fuel = Int64(n)
            case "--timeout": command.limits.timeout = try c.timeout(for: a)
            case "--guest": command.guestPath = try c.value(for: a)
            default: throw c.unexpected(a)
            }
        }
        // Memory follows a larger heap (an impossible one is refused when the session starts).
        let (needed, overflow) = command.limits.heapBytes.addingReportingOverflow(PythonLimits.guestOverheadBytes)
        if !overflow && needed > command.limits.memoryBytes { command.limits.memoryBytes = needed }
        return command
    }

    /// Groups input lines into complete inputs: a block (after a line ending in ':') runs
    /// until an empty line or a line back at column 0.
    struct InputReader {
        var pending: String?
        let readLine: () -> String?

        mutating func next(prompt: (String) -> Void) -> String? {
            var lines: [String] = []
            prompt(">>> ")
            while true {
                let line: String
                if let p = pending {
                    line = p
                    pending = nil
                } else if let l = readLine() {
                    line = l
                } else {
                    return lines.isEmpty ? nil : lines.joined(separator: "\n")
                }
                if lines.isEmpty {
                    if line.trimmingCharacters(in: .whitespaces).isEmpty { prompt(">>> "); continue }
                    lines.append(line)
                    if !line.trimmingCharacters(in: .whitespaces).hasSuffix(":") { return line }
                    prompt("... ")
                    continue
                }
                if line.trimmingCharacters(in: .whitespaces).isEmpty { return lines.joined(separator: "\n") }
                if !line.hasPrefix(" ") && !line.hasPrefix("\t") && !line.hasPrefix("else") && !line.hasPrefix("elif")
                    && !line.hasPrefix("except") && !line.hasPrefix("finally") {
                    pending = line
                    return lines.joined(separator: "\n")
                }
                lines.append(line)
                prompt("... ")
            }
        }
    }

    func run(_ console: Console) -> Int32 {
        let guest: MicroPythonGuest
        do { guest = try MicroPythonGuest.load(path: guestPath) } catch {
            console.error("sandpiper repl: \(error)")
            return RunCommand.Status.trap
        }
        var settings = SessionConfiguration()
        settings.limits = limits
        let configuration = settings
        let interactive = console.inputIsTerminal
        let status = BlockingTask.run { () async -> Int32 in
            let session: PythonSession
            do {
                session = try await PythonSession.start(guest: guest, configuration: configuration)
            } catch {
                console.error("sandpiper repl: \(error)")
                return RunCommand.Status.trap
            }
            if interactive { console.print("MicroPython (Sandpiper sandbox); Ctrl-D to exit") }
            var reader = InputReader(pending: nil, readLine: console.readLine)
            var failed = false
            while let input = reader.next(prompt: { if interactive { console.writeOut(Array($0.utf8)) } }) {
                do throws(SessionError) {
                    let reply = try await session.interact(input)
                    console.writeOut(Array(reply.stdout.utf8))
                    console.writeError(Array(reply.stderr.utf8))
                } catch {
                    switch error {
                    case .exception(let e, let out, let err):
                        console.writeOut(Array(out.utf8))
                        console.writeError(Array(err.utf8))
                        console.error(e.traceback)
                        failed = true
                    default:
                        console.error("sandpiper repl: \(error)")
                        if !error.sessionIsAlive { return RunCommand.Status.limit }
                    }
                }
            }
            if interactive { console.print("") }
            await session.close()
            return failed && !interactive ? RunCommand.Status.pythonError : RunCommand.Status.success
        }
        return status
    }
}

/// Runs async work from synchronous command code and waits for it.
enum BlockingTask {
    final class Box<T>: @unchecked Sendable { var value: T? }

    static func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}
