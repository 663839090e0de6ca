// Inputs `fuzz-wire` found bugs with (Fuzz/Regressions/wire/), replayed with the same checks:
// the wire parser may reject them, but must not crash; a decoded value's encoding decodes and
// re-encodes identically; Codable round trips keep the value.

import Foundation
import Testing
@testable import MicroPythonRuntime

@Suite("Wire format fuzz regressions")
struct WireFuzzRegressionTests {
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

    static let folder = RuntimePaths.packageRoot.appendingPathComponent("Fuzz/Regressions/wire")
    static var inputs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0) }
    }

    func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ value: PythonValue, _ file: String) {
        guard let decoded = try? PythonValueDecoder.decode(T.self, from: value) else { return }
        do {
            let again = try PythonValueDecoder.decode(T.self, from: try PythonValueEncoder.encode(decoded))
            #expect(again == decoded || "\(again)" == "\(decoded)", "\(file): \(T.self) changed in a Codable round trip")
        } catch {
            Issue.record("\(file): a re-encoded \(T.self) does not decode: \(error)")
        }
    }

    @Test(.enabled(if: !inputs.isEmpty, "no Fuzz/Regressions/wire inputs in this checkout"))
    func replay() throws {
        for file in Self.inputs {
            let name = file.lastPathComponent
            guard let value = try? PythonValue(wire: [UInt8](try Data(contentsOf: file))) else { continue }
            _ = value.description
            let first = value.wireJSON
            let reparsed: PythonValue
            do { reparsed = try PythonValue(wire: first) } catch {
                Issue.record("\(name): the encoding \(first) of a decoded value does not decode: \(error)")
                continue
            }
            #expect(reparsed.wireJSON == first, "\(name): wire encoding is not stable")
            roundTrip(Record.self, value, name)
            roundTrip([Record].self, value, name)
            roundTrip([String: Int].self, value, name)
            roundTrip([Int8].self, value, name)
            roundTrip([UInt32?].self, value, name)
            roundTrip([String: [Double]].self, value, name)
            roundTrip(Int.self, value, name)
            roundTrip(UInt64.self, value, name)
            roundTrip(Double.self, value, name)
            roundTrip(String.self, value, name)
            roundTrip(Data.self, value, name)
            roundTrip(Bool.self, value, name)
        }
    }
}
