// libFuzzer target (d): the Python value bridge's wire parser and its Codable mapping.
// Any parse error is fine. A crash is a bug, and so is a value that does not survive
// encode -> decode (the encoding of a decoded value must decode to the same encoding), and a
// Codable decode that succeeds with a value that encodes back differently.

import Foundation
import MicroPythonRuntime

struct Record: Codable, Equatable {
    var id: Int
    var title: String
    var tags: [String]
    var score: Double?
    var blob: Data?
    var flags: [String: Bool]?
    var small: Int8?
    var big: UInt64?
    var nested: [Record]?
}

/// Decodes `value` as `T`; when that works, encodes the result again and decodes that too.
func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ value: PythonValue) {
    guard let decoded = try? PythonValueDecoder.decode(T.self, from: value) else { return }
    let encoded: PythonValue
    do { encoded = try PythonValueEncoder.encode(decoded) } catch { fatalError("cannot encode a decoded \(T.self): \(error)") }
    do {
        let again = try PythonValueDecoder.decode(T.self, from: encoded)
        precondition(again == decoded || "\(again)" == "\(decoded)", "\(T.self) changed in a Codable round trip: \(decoded) vs \(again)")
    } catch {
        fatalError("a re-encoded \(T.self) does not decode: \(error); value \(encoded)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    let value: PythonValue
    do { value = try PythonValue(wire: bytes) } catch {
        _ = error.description
        return 0
    }
    _ = value.description
    _ = value.typeName
    // Wire round trip: one encode normalises; after that encoding is stable.
    let first = value.wireJSON
    let reparsed: PythonValue
    do { reparsed = try PythonValue(wire: first) } catch {
        fatalError("the encoding of a decoded value does not decode: \(error)\ninput value: \(value)\nencoding: \(first)")
    }
    let second = reparsed.wireJSON
    precondition(first == second, "wire encoding is not stable:\n\(first)\n\(second)")

    // Codable mapping.
    roundTrip(Record.self, value)
    roundTrip([Record].self, value)
    roundTrip([String: Int].self, value)
    roundTrip([Int8].self, value)
    roundTrip([UInt32?].self, value)
    roundTrip([String: [Double]].self, value)
    roundTrip(Int.self, value)
    roundTrip(UInt64.self, value)
    roundTrip(Double.self, value)
    roundTrip(String.self, value)
    roundTrip(Data.self, value)
    roundTrip(Bool.self, value)
    _ = try? PythonValueDecoder.decode(Float.self, from: value)
    _ = try? PythonValueDecoder.decode(EmptyResult.self, from: value)
    return 0
}
