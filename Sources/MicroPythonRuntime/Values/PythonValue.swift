// Values that cross between Swift and Python.

/// A Python value as Swift sees it: None, bool, int, float, str, bytes, list, tuple, or dict
/// with str keys. Integers beyond 64 bits are carried losslessly as decimal text.
public enum PythonValue: Sendable, Hashable, CustomStringConvertible {
    /// `None`
    case none
    /// `bool`
    case bool(Bool)
    /// `int` within 64 bits.
    case int(Int64)
    /// `int` beyond 64 bits, as its decimal digits (with a leading `-` if negative).
    case bigInt(String)
    /// `float`
    case float(Double)
    /// `str`
    case string(String)
    /// `bytes` (bytearray arrives as bytes)
    case bytes([UInt8])
    /// `list`
    case list([PythonValue])
    /// `tuple`
    case tuple([PythonValue])
    /// `dict` with str keys
    case dict([String: PythonValue])

    /// The Python type name, for messages (`int`, `str`, `list`...).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        }
    }

    /// A Python-like rendering (`[1, 'a', None]`).
    public var description: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let s): return s
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            return d == d.rounded() && abs(d) < 1e16 ? String(format: "%.1f", d) : String(d)
        case .string(let s): return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .bytes(let b): return "b'" + b.map { $0 >= 32 && $0 < 127 && $0 != 39 && $0 != 92 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined() + "'"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .dict(let d): return "{" + d.keys.sorted().map { "'\($0)': \(d[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }
}

extension PythonValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// `nil` is `None`.
    public init(nilLiteral: ()) { self = .none }
    /// A bool.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An int.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A float.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// A str.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A list.
    public init(arrayLiteral elements: PythonValue...) { self = .list(elements) }
    /// A dict.
    public init(dictionaryLiteral elements: (String, PythonValue)...) {
        self = .dict(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

import Foundation
