// Codable mapping: capabilities are typed Swift closures, so structs, arrays, optionals and Data
// must map to dicts, lists, None and bytes, and bad values must fail with Python-worded errors
// that name where in the value the problem is.

import Foundation
import Testing
@testable import MicroPythonRuntime

/// A nested Codable value like a capability would take or return.
struct SessionCodableNote: Codable, Equatable, Sendable {
    struct Author: Codable, Equatable, Sendable {
        var name: String
        var karma: Int
    }

    var id: Int
    var title: String
    var tags: [String]
    var score: Double?
    var attachment: Data
    var author: Author?
    var ratios: [String: Double]
    var flags: [Bool]
}

@Suite("PythonValue Codable mapping")
struct PythonValueCodableTests {
    let note = SessionCodableNote(
        id: 7, title: "Groceries \"weekly\"", tags: ["food", "todo"], score: 0.5, attachment: Data([0, 1, 0xFF]),
        author: .init(name: "Ana", karma: -3), ratios: ["a": 1.5], flags: [true, false])

    @Test("struct ↔ dict")
    func structRoundTrip() throws {
        let value = try PythonValueEncoder.encode(note)
        guard case .dict(let fields) = value else {
            Issue.record("a struct should encode as a dict, got \(value)")
            return
        }
        #expect(fields["id"] == .int(7))
        #expect(fields["title"] == .string("Groceries \"weekly\""))
        #expect(fields["tags"] == .list(["food", "todo"]))
        #expect(fields["score"] == .float(0.5))
        #expect(fields["attachment"] == .bytes([0, 1, 0xFF]))
        #expect(fields["author"] == .dict(["name": "Ana", "karma": -3]))
        #expect(fields["ratios"] == .dict(["a": 1.5]))
        #expect(fields["flags"] == .list([.bool(true), .bool(false)]))
        #expect(try PythonValueDecoder.decode(SessionCodableNote.self, from: value) == note)
        // Through the wire and back as well.
        let wired = try PythonValue(wire: value.wireJSON)
        #expect(try PythonValueDecoder.decode(SessionCodableNote.self, from: wired) == note)
    }

    @Test("optionals: nil is None, and None or a missing key decode as nil")
    func optionals() throws {
        var bare = note
        bare.score = nil
        bare.author = nil
        let value = try PythonValueEncoder.encode(bare)
        guard case .dict(var fields) = value else { return }
        #expect(fields["score"] == PythonValue.none)
        #expect(fields["author"] == PythonValue.none)
        #expect(try PythonValueDecoder.decode(SessionCodableNote.self, from: value) == bare)
        fields["score"] = nil
        fields["author"] = nil
        #expect(try PythonValueDecoder.decode(SessionCodableNote.self, from: .dict(fields)) == bare)
        #expect(try PythonValueEncoder.encode(Int?.none) == .none)
        #expect(try PythonValueDecoder.decode(Int?.self, from: .none) == nil)
        #expect(try PythonValueDecoder.decode(Int?.self, from: .int(3)) == 3)
        #expect(try PythonValueDecoder.decode([Int?].self, from: .list([1, .none, 3])) == [1, nil, 3])
    }

    @Test("arrays, nested arrays, tuples as arrays, dictionaries")
    func collections() throws {
        #expect(try PythonValueEncoder.encode([1, 2, 3]) == .list([1, 2, 3]))
        #expect(try PythonValueEncoder.encode([[1], [], [2, 3]]) == .list([.list([1]), .list([]), .list([2, 3])]))
        #expect(try PythonValueDecoder.decode([[Int]].self, from: .list([.list([1]), .list([])])) == [[1], []])
        #expect(try PythonValueDecoder.decode([String].self, from: .tuple(["a", "b"])) == ["a", "b"])
        #expect(try PythonValueEncoder.encode(["k": [1.5]]) == .dict(["k": .list([1.5])]))
        #expect(try PythonValueDecoder.decode([String: Int].self, from: .dict(["a": 1, "b": 2])) == ["a": 1, "b": 2])
        #expect(try PythonValueEncoder.encode([String]()) == .list([]))
    }

    @Test("Data ↔ bytes")
    func data() throws {
        let bytes = Data((0...255).map { UInt8($0) })
        #expect(try PythonValueEncoder.encode(bytes) == .bytes([UInt8](bytes)))
        #expect(try PythonValueDecoder.decode(Data.self, from: .bytes([1, 2])) == Data([1, 2]))
        #expect(try PythonValueDecoder.decode([Data].self, from: .list([.bytes([9])])) == [Data([9])])
        #expect(throws: PythonConversionError.self) { try PythonValueDecoder.decode(Data.self, from: "not bytes") }
    }

    @Test("scalars and numeric widening")
    func scalars() throws {
        #expect(try PythonValueEncoder.encode("s") == .string("s"))
        #expect(try PythonValueEncoder.encode(true) == .bool(true))
        #expect(try PythonValueEncoder.encode(Int64.min) == .int(.min))
        #expect(try PythonValueEncoder.encode(UInt64.max) == .bigInt("18446744073709551615"))
        #expect(try PythonValueDecoder.decode(UInt64.self, from: .bigInt("18446744073709551615")) == .max)
        #expect(try PythonValueDecoder.decode(Double.self, from: .int(3)) == 3.0)
        #expect(try PythonValueEncoder.encode(EmptyResult()) == .none)
    }

    @Test("an int out of range is a ValueError naming the range",
          arguments: [("Int8", PythonValue.int(300), "-128 to 127"), ("UInt8", .int(-1), "0 to 255"),
                      ("Int32", .int(1 << 40), "-2147483648 to 2147483647"),
                      ("Int64", .bigInt("99999999999999999999"), "-9223372036854775808 to 9223372036854775807"),
                      ("UInt64", .bigInt("-99999999999999999999"), "0 to 18446744073709551615"),
                      ("UInt", .int(-5), "0 to 18446744073709551615")])
    func outOfRange(_ type: String, _ value: PythonValue, _ range: String) throws {
        let error: PythonConversionError?
        do {
            switch type {
            case "Int8": _ = try PythonValueDecoder.decode(Int8.self, from: value)
            case "UInt8": _ = try PythonValueDecoder.decode(UInt8.self, from: value)
            case "Int32": _ = try PythonValueDecoder.decode(Int32.self, from: value)
            case "Int64": _ = try PythonValueDecoder.decode(Int64.self, from: value)
            case "UInt64": _ = try PythonValueDecoder.decode(UInt64.self, from: value)
            default: _ = try PythonValueDecoder.decode(UInt.self, from: value)
            }
            error = nil
        } catch let e as PythonConversionError {
            error = e
        }
        guard let error else {
            Issue.record("\(value) decoded as \(type)")
            return
        }
        #expect(error.pythonType == "ValueError")
        #expect(error.description.contains(range), "\(error.description)")
        #expect(error.description.contains("out of range for \(type)"), "\(error.description)")
    }

    @Test("a wrong type says 'must be str, not int' and where")
    func wrongTypes() throws {
        func failure<T: Decodable>(_ type: T.Type, _ value: PythonValue) -> PythonConversionError? {
            do {
                _ = try PythonValueDecoder.decode(type, from: value)
                return nil
            } catch {
                return error as? PythonConversionError
            }
        }
        #expect(failure(String.self, .int(1))?.description == "must be str, not int")
        #expect(failure(Int.self, "1")?.description == "must be int, not str")
        #expect(failure(Int.self, .float(1.0))?.description == "must be int, not float")
        #expect(failure(Bool.self, .none)?.description == "must be bool, not NoneType")
        #expect(failure([Int].self, .dict([:]))?.description == "must be list, not dict")
        #expect(failure(SessionCodableNote.self, .list([]))?.description == "must be dict, not list")
        #expect(failure(Double.self, .bytes([]))?.pythonType == "TypeError")

        guard case .dict(var fields) = try PythonValueEncoder.encode(note) else { return }
        fields["title"] = .int(5)
        let title = failure(SessionCodableNote.self, .dict(fields))
        #expect(title?.pythonType == "TypeError")
        #expect(title?.description == #"must be str, not int at ["title"]"#)

        guard case .dict(var fields2) = try PythonValueEncoder.encode(note) else { return }
        fields2["tags"] = .list(["ok", .bool(true)])
        #expect(failure(SessionCodableNote.self, .dict(fields2))?.description == #"must be str, not bool at ["tags"][1]"#)

        guard case .dict(var fields3) = try PythonValueEncoder.encode(note) else { return }
        fields3["author"] = .dict(["name": "Ana", "karma": "high"])
        #expect(failure(SessionCodableNote.self, .dict(fields3))?.description == #"must be int, not str at ["author"]["karma"]"#)

        guard case .dict(var fields4) = try PythonValueEncoder.encode(note) else { return }
        fields4["attachment"] = "text"
        #expect(failure(SessionCodableNote.self, .dict(fields4))?.description == #"must be bytes, not str at ["attachment"]"#)

        guard case .dict(var fields5) = try PythonValueEncoder.encode(note) else { return }
        fields5["id"] = nil
        let missing = failure(SessionCodableNote.self, .dict(fields5))
        #expect(missing?.pythonType == "TypeError")
        #expect(missing?.description.contains("'id'") == true, "\(String(describing: missing))")
    }

    @Test("Python type names for stubs")
    func typeNames() {
        #expect(pythonTypeDescription(of: Int.self) == "int")
        #expect(pythonTypeDescription(of: [String].self) == "list[str]")
        #expect(pythonTypeDescription(of: [String: Double].self) == "dict[str, float]")
        #expect(pythonTypeDescription(of: Int?.self) == "int | None")
        #expect(pythonTypeDescription(of: Data.self) == "bytes")
        #expect(pythonTypeDescription(of: SessionCodableNote.self) == "dict")
        #expect(pythonTypeDescription(of: EmptyResult.self) == "None")
    }
}
