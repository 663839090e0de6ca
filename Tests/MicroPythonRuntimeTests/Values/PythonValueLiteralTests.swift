// Python literals as MicroPython's repr writes them (how a session's guest sends a Swift
// function's arguments): every value kind read exactly, and anything else refused with an
// error, never a crash or a wrong value.

import Testing
@testable import MicroPythonRuntime

@Suite("Python literal reader")
struct PythonValueLiteralTests {
    func read(_ text: String) throws -> PythonValue { try PythonValue(literal: Array(text.utf8)) }

    @Test("scalars, containers and nesting", arguments: [
        ("None", PythonValue.none),
        ("True", .bool(true)),
        ("False", .bool(false)),
        ("0", .int(0)),
        ("-42", .int(-42)),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .bigInt("9223372036854775808")),
        ("-1267650600228229401496703205376", .bigInt("-1267650600228229401496703205376")),
        ("1.5", .float(1.5)),
        ("-0.0", .float(-0.0)),
        ("1e+100", .float(1e100)),
        ("2.5e-07", .float(2.5e-07)),
        ("inf", .float(.infinity)),
        ("-inf", .float(-.infinity)),
        ("''", .string("")),
        ("'it\\'s'", .string("it's")),
        ("\"it's\"", .string("it's")),
        ("'tab\\tnl\\ncr\\r\\\\'", .string("tab\tnl\ncr\r\\")),
        ("'\\x00\\x7f\\xe9\\u20ac\\U0001f40d'", .string("\u{0}\u{7f}é€🐍")),
        ("b''", .bytes([])),
        ("b'a\\x00\\xff\\'\"'", .bytes([97, 0, 255, 39, 34])),
        ("bytearray(b'ab')", .bytes([97, 98])),
        ("()", .tuple([])),
        ("(1,)", .tuple([1])),
        ("(1, 'a', None)", .tuple([1, "a", .none])),
        ("[]", .list([])),
        ("[[1], (2,), {}]", .list([[1], .tuple([2]), .dict([:])])),
        ("{'a': 1, '\\x00t': [True]}", .dict(["a": 1, "\u{0}t": [true]])),
        ("((1, 2), {'body': 'x'})", .tuple([.tuple([1, 2]), .dict(["body": "x"])])),
    ])
    func reads(_ text: String, _ expected: PythonValue) throws {
        #expect(try read(text) == expected)
    }

    @Test func nanIsAFloat() throws {
        guard case .float(let d) = try read("nan") else { Issue.record("not a float"); return }
        #expect(d.isNaN)
    }

    /// What MicroPython's repr writes for values the host does not take, and malformed text.
    @Test("everything else is refused", arguments: [
        "", "(", "(1, 2", "[1 2]", "{1: 2}", "{'a' 1}", "{'a': 1, 'a': 2}", "{1, 2}", "set()", "<object>",
        "<Foo object at 7fff1230>", "[[...]]", "range(0, 3)", "memoryview(b'')", "'unterminated", "'\\q'",
        "'\\x4'", "'\\ud800'", "'\\U00110000'", "b'\\u0041'", "'é'", "'\u{1}'", "1.", "1e", "--1", "+1", "0x10",
        "Nonesuch", "(1,) trailing", "bytearray(b'a'", "bytearray('a')", "b", "1 2", "frozenset({1})",
    ])
    func refuses(_ text: String) {
        #expect(throws: LiteralFormatError.self) { try read(text) }
    }

    @Test func deepNestingIsRefusedWithoutRecursing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: LiteralFormatError.self) { try read(deep) }
        let ok = String(repeating: "(", count: 50) + "1," + String(repeating: ")", count: 50)
        #expect(throws: Never.self) { try read(ok) }
    }

    @Test func hugeIntegersAreRefused() {
        #expect(throws: LiteralFormatError.self) { try read(String(repeating: "9", count: 100_001)) }
        #expect(throws: Never.self) { try read(String(repeating: "9", count: 4_000)) }
    }
}
