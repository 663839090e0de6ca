// Everything the guest says is hostile input: malformed wire text must be refused with a
// `WireFormatError` (never a crash, a hang, or a deep recursion).

import Foundation
import Testing
@testable import MicroPythonRuntime

@Suite("PythonValue wire format: hostile input")
struct PythonValueWireHostileInputTests {
    /// The error for `text`, or nil if it decoded.
    func wireError(_ bytes: [UInt8]) -> WireFormatError? {
        do {
            _ = try PythonValue(wire: bytes)
            return nil
        } catch {
            return error
        }
    }

    func wireError(_ text: String) -> WireFormatError? { wireError(Array(text.utf8)) }

    @Test("truncated input", arguments: [
        "", " ", "[", "[1,", "[1, 2", "{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,", "\"abc", "\"abc\\",
        "tru", "fals", "nul", "-", "{\"\\u0000t\": [1,", "\"\\u12", "\"\\ud83e\\u",
    ])
    func truncated(_ text: String) {
        #expect(wireError(text) != nil, "accepted truncated input \(text.debugDescription)")
    }

    @Test("bad escapes", arguments: [#""\q""#, #""\x41""#, #""\u12G4""#, #""\u""#, #""\U0041""#, #""\'""#, #""\0""#])
    func badEscapes(_ text: String) {
        let error = wireError(text)
        #expect(error != nil, "accepted \(text)")
    }

    @Test("lone or broken surrogates", arguments: [
        #""\ud800""#, #""\udc00""#, #""\udfff""#, #""\ud800x""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""a\udc00b""#,
    ])
    func loneSurrogates(_ text: String) {
        guard let error = wireError(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.message.contains("surrogate"), "\(text): \(error)")
    }

    /// MicroPython writes a lone surrogate as its three-byte (invalid UTF-8) form. Strict
    /// decoding, used for arguments to Swift functions, refuses it; the default replaces it.
    @Test("invalid UTF-8 in a string: refused when strict, replaced otherwise")
    func invalidUTF8StrictOrReplaced() throws {
        let loneSurrogate: [UInt8] = [0x22, 0x61, 0xED, 0xA0, 0x80, 0x62, 0x22]
        #expect(throws: WireFormatError.self) { try PythonValue(wire: loneSurrogate, strictUTF8: true) }
        #expect(try PythonValue(wire: loneSurrogate) == .string("a\u{FFFD}\u{FFFD}\u{FFFD}b"))
        let escapedAfter: [UInt8] = Array(#"["A"#.utf8) + [0xFF] + Array(#"x"]"#.utf8)
        #expect(throws: WireFormatError.self) { try PythonValue(wire: escapedAfter, strictUTF8: true) }
        #expect(try PythonValue(wire: Array(#""éé✓""#.utf8), strictUTF8: true) == .string("éé✓"))
    }

    @Test("duplicate keys")
    func duplicateKeys() {
        #expect(wireError(#"{"a": 1, "a": 2}"#)?.message == "duplicate key")
        #expect(wireError(#"{"a": 1, "b": {"c": 1, "c": 1}}"#)?.message == "duplicate key")
        // Keys that differ only in their escaping are the same key.
        #expect(wireError(#"{"a": 1, "\u0061": 2}"#)?.message == "duplicate key")
    }

    @Test("nesting deeper than maxWireDepth is refused without recursing into it")
    func tooDeep() {
        let limit = PythonValue.maxWireDepth
        let justTooDeep = String(repeating: "[", count: limit + 2) + String(repeating: "]", count: limit + 2)
        #expect(wireError(justTooDeep)?.message.contains("nested deeper") == true)
        // Very deep input fails fast at the limit (a naive recursive parser would overflow the stack).
        for depth in [10_000, 1_000_000] {
            let lists = [UInt8](repeating: UInt8(ascii: "["), count: depth)
            #expect(wireError(lists)?.message.contains("nested deeper") == true)
            let dicts = Array(String(repeating: "{\"k\":", count: depth).utf8)
            #expect(wireError(dicts)?.message.contains("nested deeper") == true)
        }
        // Inside a tag too.
        let tagged = String(repeating: #"{"\u0000t":["#, count: limit + 5)
        #expect(wireError(tagged) != nil)
    }

    @Test("unknown or malformed tags", arguments: [
        #"{"\u0000x": 1}"#, #"{"\u0000": 1}"#, #"{"\u0000t": 5}"#, #"{"\u0000t": "abc"}"#, #"{"\u0000b": "!!!not base64"}"#,
        #"{"\u0000b": 5}"#, #"{"\u0000f": "1.5"}"#, #"{"\u0000f": "NaN"}"#, #"{"\u0000f": 1}"#, #"{"\u0000d": [[1, 2]]}"#,
        #"{"\u0000d": [["a"]]}"#, #"{"\u0000d": ["a", 1]}"#, #"{"\u0000d": 3}"#, #"{"\u0000e": ["ValueError", "x"]}"#,
    ])
    func unknownTags(_ text: String) {
        #expect(wireError(text) != nil, "accepted \(text)")
    }

    @Test("other malformed JSON", arguments: [
        "[1 2]", "[1,]", "[,1]", "{\"a\" 1}", "{1: 2}", "{\"a\": 1,}", "{'a': 1}", "'single'", "undefined", "NaN",
        "Infinity", "+1", ".5", "1e", "1.2.3", "0x10", "[1]]", "{}}", "\"raw\nnewline\"", "\"tab\there\"", "\u{0}",
        "true false", "nullx", "[\"a\"\u{0}]",
    ])
    func malformed(_ text: String) {
        #expect(wireError(text) != nil, "accepted \(text.debugDescription)")
    }

    @Test("errors say what and where")
    func errorDescriptions() {
        let error = wireError("[1, 2, x]")
        #expect(error?.offset == 7)
        #expect(error?.description.contains("at byte 7") == true)
    }

    @Test("an integer of a million digits is refused, not parsed")
    func hugeInteger() {
        let digits = [UInt8](repeating: UInt8(ascii: "7"), count: 1_000_000)
        #expect(wireError(digits)?.message == "integer too long")
    }

    @Test("1 MB of garbage never crashes", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func garbage(_ seed: UInt64) {
        var generator = SessionSplitMix(seed: seed)
        let alphabet = Array("[]{}\":,\\u0123456789abcdefnulltruefalse- .eE\u{0}\n\t".utf8)
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        for i in bytes.indices {
            // Half the seeds use raw random bytes, half JSON-ish characters (which get further).
            bytes[i] = seed % 2 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
        }
        // Start like JSON so the parser gets past the first byte.
        bytes[0] = seed % 4 < 2 ? UInt8(ascii: "[") : UInt8(ascii: "{")
        #expect(wireError(bytes) != nil)
    }

    @Test("invalid UTF-8 inside strings never crashes")
    func invalidUTF8() throws {
        // Decoding is lossy (U+FFFD), like Python's errors='replace'; what matters is no crash.
        let bytes: [UInt8] = [UInt8(ascii: "\"")] + [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80] + [UInt8(ascii: "\"")]
        if case .string(let s)? = try? PythonValue(wire: bytes) {
            #expect(!s.isEmpty)
        }
    }
}

/// A small deterministic generator for reproducible garbage.
struct SessionSplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
