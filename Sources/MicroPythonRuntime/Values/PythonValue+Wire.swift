// The wire format between the session prelude and Swift: JSON, with tagged objects for what
// JSON lacks. A tuple is {"\u0000t": [...]}, bytes {"\u0000b": "<base64>"}, a NaN or infinite
// float {"\u0000f": "nan"|"inf"|"-inf"}, and a dict whose keys start with NUL
// {"\u0000d": [[key, value], ...]}. Integers keep every digit.

import Foundation

/// A malformed message from the guest (treated as hostile input).
public struct WireFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// Where, as a byte offset.
    public var offset: Int
    /// `what (at byte n)`.
    public var description: String { "\(message) (at byte \(offset))" }
}

extension PythonValue {
    /// Most nesting the decoder accepts (deeper input is rejected, not recursed into).
    public static let maxWireDepth = 200
    /// Most digits of an integer either decoder accepts.
    static let maxIntegerDigits = 100_000

    /// A number's text as a float, an int, or a big int; nil for a float Swift cannot read
    /// or an integer of more than `maxIntegerDigits` digits. (Shared by the wire format and the
    /// literal reader.)
    static func number(_ text: String, isFloat: Bool, digits: Int) -> PythonValue? {
        if isFloat { return Double(text).map(PythonValue.float) }
        if let i = Int64(text) { return .int(i) }
        return digits <= maxIntegerDigits ? .bigInt(text) : nil
    }

    /// The value of a hex digit, or nil.
    static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The value of the `count` (at most 8) hex digits at `bytes[start...]`, which the caller
    /// has checked are there, or nil if one is not a hex digit. Shared by the wire format's
    /// `\u` escapes and the literal reader's `\x`, `\u` and `\U`.
    static func hexValue(_ bytes: [UInt8], at start: Int, count: Int) -> UInt32? {
        var value: UInt32 = 0
        for c in bytes[start..<(start + count)] {
            guard let d = hexDigit(c) else { return nil }
            value = value << 4 | d
        }
        return value
    }

    /// Encodes to the wire format.
    public var wireJSON: String {
        var out = ""
        out.reserveCapacity(32)
        appendWire(to: &out)
        return out
    }

    func appendWire(to out: inout String) {
        switch self {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .bigInt(let s): out += s
        case .float(let d):
            if d.isNaN { out += #"{"\u0000f":"nan"}"# }
            else if d.isInfinite { out += d < 0 ? #"{"\u0000f":"-inf"}"# : #"{"\u0000f":"inf"}"# }
            else {
                var text = "\(d)"
                if !text.contains(".") && !text.contains("e") && !text.contains("E") { text += ".0" }
                out += text
            }
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .bytes(let b): out += #"{"\u0000b":""# + Data(b).base64EncodedString() + "\"}"
        case .list(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.appendWire(to: &out)
            }
            out += "]"
        case .tuple(let items):
            out += #"{"\u0000t":"#
            PythonValue.list(items).appendWire(to: &out)
            out += "}"
        case .dict(let d):
            if d.keys.contains(where: { $0.hasPrefix("\u{0}") }) {
                out += #"{"\u0000d":"#
                PythonValue.list(d.sorted { $0.key < $1.key }.map { .list([.string($0.key), $0.value]) }).appendWire(to: &out)
                out += "}"
                return
            }
            out += "{"
            var first = true
            for key in d.keys.sorted() {
                if !first { out += "," }
                first = false
                Self.appendQuoted(key, to: &out)
                out += ":"
                d[key]!.appendWire(to: &out)
            }
            out += "}"
        }
    }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// Decodes the wire format. Rejects malformed JSON, bad tags and nesting deeper than
    /// `maxWireDepth` with a `WireFormatError`. With `strictUTF8`, a string whose bytes are not
    /// valid UTF-8 is an error too; otherwise they become U+FFFD. MicroPython writes a lone
    /// surrogate (`"\ud800"`) as such bytes: arguments a Swift function gets are decoded
    /// strictly, so that text is refused (ValueError in Python) rather than silently changed.
    public init(wire bytes: [UInt8], strictUTF8: Bool = false) throws(WireFormatError) {
        var parser = WireParser(bytes: bytes, strictUTF8: strictUTF8)
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw WireFormatError(message: "trailing data", offset: parser.index) }
        self = value
    }

    /// Decodes the wire format from text.
    public init(wire text: String) throws(WireFormatError) {
        try self.init(wire: Array(text.utf8))
    }
}

/// A strict JSON parser producing `PythonValue`s, with the wire format's tags.
struct WireParser {
    let bytes: [UInt8]
    /// Whether invalid UTF-8 in a string is an error (else U+FFFD).
    var strictUTF8 = false
    var index = 0

    /// The text of `bytes[start..<end]` (a run without escapes inside a string).
    func text(_ start: Int, _ end: Int) throws(WireFormatError) -> String {
        guard strictUTF8 else { return String(decoding: bytes[start..<end], as: UTF8.self) }
        guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
            throw WireFormatError(message: "a string is not valid UTF-8: lone surrogates cannot cross to Swift", offset: start)
        }
        return text
    }

    func fail(_ message: String) -> WireFormatError { WireFormatError(message: message, offset: index) }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    mutating func expect(_ literal: String) throws(WireFormatError) {
        for b in literal.utf8 {
            guard index < bytes.count, bytes[index] == b else { throw fail("expected \(literal)") }
            index += 1
        }
    }

    mutating func parseValue(depth: Int) throws(WireFormatError) -> PythonValue {
        guard depth <= PythonValue.maxWireDepth else { throw fail("nested deeper than \(PythonValue.maxWireDepth) levels") }
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "n"): try expect("null"); return .none
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["):
            index += 1
            var items: [PythonValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw fail("unterminated list") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
                throw fail("expected , or ]")
            }
        case UInt8(ascii: "{"):
            index += 1
            var dict: [String: PythonValue] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .dict(dict) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try parseString()
                skipSpace()
                try expect(":")
                let value = try parseValue(depth: depth + 1)
                guard dict.updateValue(value, forKey: key) == nil else { throw fail("duplicate key") }
                skipSpace()
                guard index < bytes.count else { throw fail("unterminated dict") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                throw fail("expected , or }")
            }
            return try untag(dict)
        default:
            return try parseNumber()
        }
    }

    /// Turns tagged objects back into tuples, bytes, special floats and NUL-keyed dicts.
    func untag(_ dict: [String: PythonValue]) throws(WireFormatError) -> PythonValue {
        guard dict.count == 1, let (key, value) = dict.first, key.hasPrefix("\u{0}") else { return .dict(dict) }
        switch (key, value) {
        case ("\u{0}t", .list(let items)): return .tuple(items)
        case ("\u{0}b", .string(let text)):
            guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw fail("bad base64 in bytes") }
            return .bytes([UInt8](data))
        case ("\u{0}f", .string(let text)):
            switch text {
            case "nan", "-nan": return .float(.nan)
            case "inf": return .float(.infinity)
            case "-inf": return .float(-.infinity)
            default: throw fail("bad special float \(text)")
            }
        case ("\u{0}d", .list(let pairs)):
            var out: [String: PythonValue] = [:]
            for pair in pairs {
                guard case .list(let kv) = pair, kv.count == 2, case .string(let k) = kv[0] else { throw fail("bad dict pair") }
                out[k] = kv[1]
            }
            return .dict(out)
        default:
            throw fail("unknown tag")
        }
    }

    mutating func parseString() throws(WireFormatError) -> String {
        index += 1 // opening quote
        var scalars = String.UnicodeScalarView()
        var start = index
        var plainRun = true
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                if plainRun {
                    let s = try text(start, index)
                    index += 1
                    return s
                }
                scalars.append(contentsOf: try text(start, index).unicodeScalars)
                index += 1
                return String(scalars)
            }
            if b < 0x20 { throw fail("control character in string") }
            if b == UInt8(ascii: "\\") {
                scalars.append(contentsOf: try text(start, index).unicodeScalars)
                plainRun = false
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{c}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                       bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("bad surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("lone surrogate") }
                    scalars.append(scalar)
                default: throw fail("bad escape")
                }
                start = index
                continue
            }
            index += 1
        }
        throw fail("unterminated string")
    }

    mutating func hex4() throws(WireFormatError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        guard let v = PythonValue.hexValue(bytes, at: index, count: 4) else { throw fail("bad hex digit") }
        index += 4
        return v
    }

    mutating func parseNumber() throws(WireFormatError) -> PythonValue {
        let start = index
        var isFloat = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw fail("unexpected character") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = PythonValue.number(text, isFloat: isFloat, digits: index - digitsStart) else {
            throw fail(isFloat ? "bad number" : "integer too long")
        }
        return value
    }
}
