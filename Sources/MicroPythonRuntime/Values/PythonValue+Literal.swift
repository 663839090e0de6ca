// Python literals as MicroPython's `repr` writes them: how a session's guest sends the
// arguments of a Swift function call. `repr` runs in C, so the guest spends no Python code on
// checking and converting plain arguments; anything this parser does not accept (a set, an
// object, a dict with non-str keys, a recursive list) is sent again in the tagged JSON wire
// format, whose encoder raises the right TypeError.

/// Why a Python literal could not be read.
public struct LiteralFormatError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// The byte offset where it was noticed.
    public var offset: Int

    /// `message at byte offset`.
    public var description: String { "\(message) at byte \(offset)" }
}

extension PythonValue {
    /// Reads a Python literal: `None`, `True`, `False`, ints of any size, floats (with `inf`
    /// and `nan`), str and bytes with Python's escapes, `bytearray(b'...')` (as bytes), and
    /// tuples, lists and dicts with str keys of those, nested at most `maxWireDepth` deep.
    public init(literal bytes: [UInt8]) throws(LiteralFormatError) {
        var parser = LiteralParser(bytes: bytes)
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.fail("trailing data") }
        self = value
    }
}

/// A strict reader of the literals MicroPython's `repr` writes.
struct LiteralParser {
    let bytes: [UInt8]
    var index = 0

    func fail(_ message: String) -> LiteralFormatError { LiteralFormatError(message: message, offset: index) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while current == UInt8(ascii: " ") { index += 1 }
    }

    /// Consumes `word` if the input continues with it.
    mutating func take(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[index + $0] == w[$0] } }
        if matches { index += count }
        return matches
    }

    mutating func parseValue(depth: Int) throws(LiteralFormatError) -> PythonValue {
        guard depth <= PythonValue.maxWireDepth else { throw fail("nested deeper than \(PythonValue.maxWireDepth) levels") }
        skipSpace()
        guard let c = current else { throw fail("unexpected end") }
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "b"):
            let array = take("bytearray(")
            guard take("b"), current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") else { throw fail("expected bytes") }
            let value = try parseBytes()
            if array { guard take(")") else { throw fail("expected )") } }
            return .bytes(value)
        case UInt8(ascii: "("):
            index += 1
            let items = try parseItems(until: UInt8(ascii: ")"), depth: depth)
            return .tuple(items)
        case UInt8(ascii: "["):
            index += 1
            return .list(try parseItems(until: UInt8(ascii: "]"), depth: depth))
        case UInt8(ascii: "{"):
            index += 1
            return .dict(try parseDict(depth: depth))
        default:
            if take("None") { return .none }
            if take("True") { return .bool(true) }
            if take("False") { return .bool(false) }
            return try parseNumber()
        }
    }

    /// Items separated by commas up to `close` (a trailing comma is allowed, as in `(1,)`).
    mutating func parseItems(until close: UInt8, depth: Int) throws(LiteralFormatError) -> [PythonValue] {
        var items: [PythonValue] = []
        while true {
            skipSpace()
            if current == close {
                index += 1
                return items
            }
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            if current == UInt8(ascii: ",") {
                index += 1
            } else if current != close {
                throw fail("expected , or \(Character(Unicode.Scalar(close)))")
            }
        }
    }

    mutating func parseDict(depth: Int) throws(LiteralFormatError) -> [String: PythonValue] {
        var dict: [String: PythonValue] = [:]
        while true {
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return dict
            }
            guard current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") else { throw fail("expected a str key") }
            let key = try parseString()
            skipSpace()
            guard take(":") else { throw fail("expected :") }
            let value = try parseValue(depth: depth + 1)
            guard dict.updateValue(value, forKey: key) == nil else { throw fail("duplicate key") }
            skipSpace()
            if current == UInt8(ascii: ",") {
                index += 1
            } else if current != UInt8(ascii: "}") {
                throw fail("expected , or }")
            }
        }
    }

    /// A quoted str: printable ASCII as itself, everything else escaped.
    mutating func parseString() throws(LiteralFormatError) -> String {
        let quote = bytes[index]
        index += 1
        var scalars = String.UnicodeScalarView()
        while let c = current {
            index += 1
            if c == quote { return String(scalars) }
            if c == UInt8(ascii: "\\") {
                guard let e = current else { break }
                index += 1
                let code: UInt32
                switch e {
                case UInt8(ascii: "x"): code = try hex(2)
                case UInt8(ascii: "u"): code = try hex(4)
                case UInt8(ascii: "U"): code = try hex(8)
                default: code = try UInt32(simpleEscape(e))
                }
                guard let scalar = Unicode.Scalar(code) else { throw fail("not a Unicode scalar") }
                scalars.append(scalar)
            } else {
                guard c >= 0x20 && c < 0x7F else { throw fail("unescaped character in str") }
                scalars.append(Unicode.Scalar(c))
            }
        }
        throw fail("unterminated str")
    }

    /// A quoted bytes body (after the `b`).
    mutating func parseBytes() throws(LiteralFormatError) -> [UInt8] {
        let quote = bytes[index]
        index += 1
        var out: [UInt8] = []
        while let c = current {
            index += 1
            if c == quote { return out }
            if c == UInt8(ascii: "\\") {
                guard let e = current else { break }
                index += 1
                out.append(e == UInt8(ascii: "x") ? UInt8(try hex(2)) : try simpleEscape(e))
            } else {
                guard c >= 0x20 && c < 0x7F else { throw fail("unescaped byte in bytes") }
                out.append(c)
            }
        }
        throw fail("unterminated bytes")
    }

    func simpleEscape(_ e: UInt8) throws(LiteralFormatError) -> UInt8 {
        switch e {
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): return e
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: throw fail("unknown escape")
        }
    }

    mutating func hex(_ digits: Int) throws(LiteralFormatError) -> UInt32 {
        guard index + digits <= bytes.count else { throw fail("short escape") }
        guard let value = PythonValue.hexValue(bytes, at: index, count: digits) else { throw fail("bad hex digit") }
        index += digits
        return value
    }

    /// An int (any size) or a float, including `inf`, `-inf` and `nan`.
    mutating func parseNumber() throws(LiteralFormatError) -> PythonValue {
        let start = index
        let negative = take("-")
        if take("inf") { return .float(negative ? -.infinity : .infinity) }
        if take("nan") { return .float(.nan) }
        func digits(_ p: inout LiteralParser) -> Int {
            let from = p.index
            while let c = p.current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { p.index += 1 }
            return p.index - from
        }
        let whole = digits(&self)
        guard whole > 0 else { throw fail("unexpected character") }
        var isFloat = false
        if take(".") {
            isFloat = true
            guard digits(&self) > 0 else { throw fail("bad float") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw fail("bad exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = PythonValue.number(text, isFloat: isFloat, digits: whole) else {
            throw fail(isFloat ? "bad float" : "integer too long")
        }
        return value
    }
}
