// What a one-shot run produced and how it ended.

public import WasmInterpreter
public import WasiHost

/// A Python exception that escaped the code: its type, message and traceback.
public struct PythonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception type, such as `ValueError`.
    public var type: String
    /// The message (may be empty).
    public var message: String
    /// The traceback as MicroPython printed it.
    public var traceback: String

    /// Creates an error.
    public init(type: String, message: String, traceback: String) {
        self.type = type
        self.message = message
        self.traceback = traceback
    }

    /// `ValueError: bad`.
    public var description: String { message.isEmpty ? type : "\(type): \(message)" }

    /// Parses MicroPython's uncaught-exception report (the last one in `text`).
    public static func parse(_ text: String) -> PythonError? {
        guard let start = text.range(of: "Traceback (most recent call last):", options: .backwards) else {
            return parseBare(text)
        }
        let traceback = String(text[start.lowerBound...]).trimmingCharacters(in: .newlines)
        let lines = traceback.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last(where: { !$0.hasPrefix(" ") && !$0.isEmpty && !$0.hasPrefix("Traceback") }) else { return nil }
        let (type, message) = splitExceptionLine(String(last))
        return PythonError(type: type, message: message, traceback: traceback)
    }

    /// A report without a traceback (e.g. a SyntaxError at compile time prints one too; this
    /// handles a bare `Type: message` last line).
    static func parseBare(_ text: String) -> PythonError? {
        guard let last = text.split(separator: "\n").last.map(String.init),
              let colon = last.firstIndex(of: ":"),
              last[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              last[..<colon].first?.isUppercase == true else { return nil }
        let (type, message) = splitExceptionLine(last)
        return PythonError(type: type, message: message, traceback: last)
    }

    static func splitExceptionLine(_ line: String) -> (String, String) {
        guard let colon = line.range(of: ": ") else { return (line.trimmingCharacters(in: .whitespaces), "") }
        return (String(line[..<colon.lowerBound]), String(line[colon.upperBound...]))
    }
}

/// Which limit stopped a run.
public enum PythonLimit: String, Sendable, Equatable, CustomStringConvertible {
    /// Fuel (instructions) ran out.
    case fuel
    /// The time limit passed.
    case timeout
    /// Linear memory could not grow, or the call stack overflowed memory.
    case memory
    /// Too many nested calls.
    case callDepth = "call depth"
    /// stdout or stderr exceeded its cap.
    case output
    /// Too many bytes written to files.
    case fileWrites = "file writes"
    /// Too many files open.
    case openFiles = "open files"
    /// Too many files and directories created.
    case fileEntries = "file entries"
    /// The run was cancelled.
    case cancelled

    /// The limit's name.
    public var description: String { rawValue }
}

/// How a run ended.
public enum PythonOutcome: Sendable {
    /// The code finished (exit status 0, or `sys.exit(n)` with status n).
    case completed
    /// An uncaught Python exception.
    case exception(PythonError)
    /// A limit stopped it; the string explains which and how to raise it.
    case limitExceeded(PythonLimit, String)
    /// The guest trapped (a fault in the guest or the runtime).
    case trapped(Trap)
}

/// Everything a run produced.
public struct PythonRunResult: Sendable {
    /// Bytes written to stdout.
    public var stdout: [UInt8]
    /// Bytes written to stderr.
    public var stderr: [UInt8]
    /// The guest's exit status (0 success, 1 uncaught exception, or what `sys.exit` gave); nil when a limit or trap stopped it.
    public var exitStatus: Int32?
    /// How it ended.
    public var outcome: PythonOutcome
    /// Fuel (Wasm instructions) used.
    public var fuelUsed: Int64
    /// Wall time from instantiation to the end.
    public var wallTime: Duration
    /// What WASI counted (bytes written, files opened...).
    public var usage: WasiUsage
    /// Warnings about the run's safety (e.g. an unverified guest collector).
    public var warnings: [String]

    /// stdout as text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr as text.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

import Foundation
