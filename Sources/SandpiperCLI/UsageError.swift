// Command-line mistakes: exit status 2 with a message that names the fix.

/// A command line that cannot be run as given.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var message: String
    /// The command whose usage to show, if any.
    public var command: String?

    /// Creates a usage error.
    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    /// The message.
    public var description: String { message }
}
