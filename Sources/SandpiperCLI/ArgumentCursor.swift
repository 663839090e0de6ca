// A small reader over command-line arguments, shared by every command's parser.

import MicroPythonRuntime

/// Walks the arguments of one command.
public struct ArgumentCursor {
    private var arguments: ArraySlice<String>
    /// The command being parsed (for error messages).
    public let command: String

    /// Creates a cursor over `arguments` for `command`.
    public init(_ arguments: [String], command: String) {
        self.arguments = arguments[...]
        self.command = command
    }

    /// Whether arguments remain.
    public var isEmpty: Bool { arguments.isEmpty }

    /// The next argument without consuming it.
    public var peek: String? { arguments.first }

    /// Consumes and returns the next argument.
    public mutating func next() -> String? { arguments.popFirst() }

    /// Consumes everything left.
    public mutating func rest() -> [String] {
        let all = Array(arguments)
        arguments = []
        return all
    }

    /// The value of option `name` (the next argument).
    public mutating func value(for name: String) throws(UsageError) -> String {
        guard let v = next() else { throw UsageError("\(name) needs a value", command: command) }
        return v
    }

    /// An integer option value.
    public mutating func integer(for name: String) throws(UsageError) -> Int {
        let v = try value(for: name)
        guard let n = Int(v), n >= 0 else { throw UsageError("\(name) needs a non-negative integer, got \(v)", command: command) }
        return n
    }

    /// A size option value (K, M, G suffixes).
    public mutating func size(for name: String) throws(UsageError) -> Int {
        let v = try value(for: name)
        guard let n = ByteSize.parse(v) else {
            throw UsageError("\(name) needs a size such as 512K, 64M or 1G, got \(v)", command: command)
        }
        return n
    }

    /// A duration in seconds.
    public mutating func seconds(for name: String) throws(UsageError) -> Double {
        let v = try value(for: name)
        guard let s = Double(v), s > 0, s.isFinite else { throw UsageError("\(name) needs a positive number of seconds, got \(v)", command: command) }
        return s
    }

    /// A positive number of seconds as a duration: at least 1 ms, at most a year (so the
    /// milliseconds always fit an `Int64`).
    public mutating func timeout(for name: String) throws(UsageError) -> Duration {
        PythonLimits.timeout(seconds: try seconds(for: name))
    }

    /// An error for an unexpected argument.
    public func unexpected(_ argument: String) -> UsageError {
        UsageError(argument.hasPrefix("-") ? "unknown option \(argument)" : "unexpected argument \(argument)", command: command)
    }
}
