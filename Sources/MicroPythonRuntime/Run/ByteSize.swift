// Parsing of human-written byte sizes, shared by the CLI options and plugin manifests.

import Foundation

/// Byte sizes written as `64M`, `512K`, `1G`, `2MiB`, `64MB` or a plain count of bytes.
public enum ByteSize {
    /// The number of bytes, or nil when `text` is not a size (unknown suffix, negative,
    /// fractional, or too large for an `Int`). Suffixes are case-insensitive; K, M and G
    /// are powers of 1024, optionally followed by `iB` or `B`; a lone `B` means bytes.
    public static func parse(_ text: String) -> Int? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        if rest.hasSuffix("IB") {
            rest = rest.dropLast(2)
            guard let last = rest.last, "KMG".contains(last) else { return nil }
        } else if rest.hasSuffix("B") {
            rest = rest.dropLast()
        }
        var multiplier = 1
        switch rest.last {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: break
        }
        if multiplier != 1 { rest = rest.dropLast() }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(rest) else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }
}
