// The wire format between the session prelude and Swift: every value the bridge carries must
// come back exactly as it went in (including what plain JSON cannot say: tuples, bytes, special
// floats, big integers and dict keys that start with NUL).

import Foundation
import Testing
@testable import MicroPythonRuntime

@Suite("PythonValue wire format: round trips")
struct PythonValueWireRoundTripTests {
    /// Encodes, decodes, and returns the decoded value.
    func roundTrip(_ value: PythonValue) throws -> PythonValue {
        try PythonValue(wire: value.wireJSON)
    }

    @Test("None and bools")
    func scalars() throws {
        #expect(try roundTrip(.none) == .none)
        #expect(try roundTrip(.bool(true)) == .bool(true))
        #expect(try roundTrip(.bool(false)) == .bool(false))
        #expect(PythonValue.none.wireJSON == "null")
    }

    @Test("ints, including Int64.min and Int64.max", arguments: [Int64.min, Int64.min + 1, -1, 0, 1, 42, Int64.max - 1, Int64.max])
    func ints(_ i: Int64) throws {
        #expect(try roundTrip(.int(i)) == .int(i))
        #expect(PythonValue.int(i).wireJSON == String(i))
    }

    @Test("big ints of 100+ digits keep every digit")
    func bigInts() throws {
        let digits = String((0..<150).map { Character(String(($0 * 7 + 3) % 10)) })
        let positive = "9" + digits
        let negative = "-" + "1" + digits
        for text in [positive, negative, "9223372036854775808", "-9223372036854775809", "18446744073709551616"] {
            let value = PythonValue.bigInt(text)
            #expect(value.wireJSON == text)
            #expect(try roundTrip(value) == value, "big int \(text.prefix(20))... changed")
        }
        // One past the 64-bit range arrives as a big int, never truncated or rounded to a float.
        #expect(try PythonValue(wire: "9223372036854775808") == .bigInt("9223372036854775808"))
        #expect(try PythonValue(wire: "-9223372036854775809") == .bigInt("-9223372036854775809"))
        #expect(try PythonValue(wire: "9223372036854775807") == .int(.max))
    }

    @Test("floats: ordinary, -0.0, NaN, +inf, -inf")
    func floats() throws {
        for d in [0.0, 1.0, -1.5, 0.1, 1e-300, 1e300, 123456789.125, Double.pi, Double.leastNonzeroMagnitude,
                  Double.greatestFiniteMagnitude, 1e16, 2.5e-8] {
            guard case .float(let back) = try roundTrip(.float(d)) else {
                Issue.record("\(d) did not come back as a float")
                continue
            }
            #expect(back == d && back.sign == d.sign, "\(d) came back as \(back)")
        }
        // A whole float keeps its float-ness on the wire (so Python sees 1.0, not 1).
        #expect(PythonValue.float(1).wireJSON.contains("."))
        guard case .float(let negativeZero) = try roundTrip(.float(-0.0)) else {
            Issue.record("-0.0 did not come back as a float")
            return
        }
        #expect(negativeZero == 0 && negativeZero.sign == .minus, "-0.0 lost its sign")
        guard case .float(let nan) = try roundTrip(.float(.nan)) else {
            Issue.record("NaN did not come back as a float")
            return
        }
        #expect(nan.isNaN)
        #expect(try roundTrip(.float(.infinity)) == .float(.infinity))
        #expect(try roundTrip(.float(-.infinity)) == .float(-.infinity))
        // Plain JSON has no words for these: they travel tagged.
        #expect(PythonValue.float(.nan).wireJSON == #"{"\u0000f":"nan"}"#)
        #expect(PythonValue.float(-.infinity).wireJSON == #"{"\u0000f":"-inf"}"#)
    }

    @Test("strings with quotes, backslashes, newlines, NUL, control characters and emoji")
    func strings() throws {
        let samples = [
            "", "plain", "say \"hi\"", "it's", "back\\slash", "line\nbreak\r\ttab", "nul\u{0}inside", "\u{0}",
            "\u{1}\u{1f}\u{7f}", "emoji 🧪🐍 and 🇸🇪 flags", "é ü ñ 中文 العربية", "\u{FEFF}bom", "\u{10FFFF}",
            String(repeating: "long ", count: 10_000),
        ]
        for s in samples {
            #expect(try roundTrip(.string(s)) == .string(s), "string \(s.debugDescription.prefix(40)) changed")
        }
        // Control characters never appear raw on the wire.
        let wire = PythonValue.string("a\u{0}b\u{1}c\nd").wireJSON
        #expect(!wire.unicodeScalars.contains { $0.value < 0x20 })
        // JSON escapes the guest's json module may produce decode too, including surrogate pairs.
        #expect(try PythonValue(wire: #""\ud83e\uddea \u00e9 \/ \b\f""#) == .string("🧪 é / \u{8}\u{c}"))
    }

    @Test("bytes of every value")
    func bytes() throws {
        let all = (0...255).map { UInt8($0) }
        for b in [[], [0], [0xFF, 0x00, 0x7F], all, all + all.reversed()] as [[UInt8]] {
            #expect(try roundTrip(.bytes(b)) == .bytes(b))
        }
    }

    @Test("nested lists, tuples and dicts")
    func nested() throws {
        let value: PythonValue = .dict([
            "list": .list([1, 2.5, "three", .none, .bool(true), .list([]), .tuple([])]),
            "tuple": .tuple([.tuple([1]), .list([.tuple(["a", .bytes([1, 2])])]), .dict([:])]),
            "dict": .dict(["inner": .dict(["deeper": .list([.dict(["x": .bigInt("123456789012345678901234567890")])])])]),
            "empty": .dict([:]),
            "special": .list([.float(.infinity), .float(-.infinity)]),
            "": "empty key",
            "quote\"key\n": "odd key",
        ])
        #expect(try roundTrip(value) == value)
        // Tuples stay tuples and lists stay lists.
        #expect(try roundTrip(.tuple([1, 2])) == .tuple([1, 2]))
        #expect(try roundTrip(.list([1, 2])) == .list([1, 2]))
        #expect(try roundTrip(.tuple([1, 2])) != .list([1, 2]))
    }

    @Test("dict keys that start with NUL (the tag marker) survive")
    func nulKeys() throws {
        let samples: [PythonValue] = [
            .dict(["\u{0}t": .list([1, 2])]),           // would look like a tuple tag
            .dict(["\u{0}b": "AAAA"]),                  // would look like bytes
            .dict(["\u{0}f": "nan"]),                   // would look like a special float
            .dict(["\u{0}d": .list([])]),               // would look like a NUL-keyed dict
            .dict(["\u{0}e": .list(["ValueError", "x"])]), // would look like an exception
            .dict(["\u{0}": 1, "normal": 2, "\u{0}\u{0}": .dict(["\u{0}x": .tuple([])])]),
        ]
        for value in samples {
            #expect(try roundTrip(value) == value, "\(value) changed")
        }
    }

    @Test("nesting up to maxWireDepth is accepted")
    func deepButAllowed() throws {
        var value = PythonValue.list([])
        for _ in 0..<(PythonValue.maxWireDepth) { value = .list([value]) }
        #expect(try roundTrip(value) == value)
        var dict = PythonValue.dict([:])
        for _ in 0..<(PythonValue.maxWireDepth) { dict = .dict(["k": dict]) }
        #expect(try roundTrip(dict) == dict)
    }

    @Test("whitespace the guest's json.dumps adds is accepted")
    func whitespace() throws {
        #expect(try PythonValue(wire: " [1, 2, {\"a\": [true, null]}]\n") == .list([1, 2, .dict(["a": .list([.bool(true), .none])])]))
        #expect(try PythonValue(wire: "{\"a\" : 1 , \"b\":2}") == .dict(["a": 1, "b": 2]))
    }

    @Test("description renders like Python's repr")
    func descriptions() {
        #expect(PythonValue.list([1, "a", .none, .bool(true)]).description == "[1, 'a', None, True]")
        #expect(PythonValue.tuple([1]).description == "(1,)")
        #expect(PythonValue.bytes([0x61, 0x00]).description == "b'a\\x00'")
        #expect(PythonValue.dict(["b": 1, "a": 2]).description == "{'a': 2, 'b': 1}")
        #expect(PythonValue.bigInt("123456789012345678901234567890").typeName == "int")
    }
}
