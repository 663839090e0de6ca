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

/// Parses sizes such as `64M`, `512K`, `1G` or `4096`.
public enum SizeParser {
    /// The size in bytes, or nil if `text` is not a size.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard let last = trimmed.last else { return nil }
        var digits = trimmed
        var multiplier = 1
        switch last {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        case "B": multiplier = 1
        default: break
        }
        if !last.isNumber { digits.removeLast() }
        if digits.hasSuffix("I") { digits.removeLast() }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}

import Foundation
