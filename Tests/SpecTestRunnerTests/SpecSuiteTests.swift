import Foundation
import Testing
@testable import SpecTestRunner

/// The official spec tests: every kept command passes, with fuel metering off and on.
@Suite("Official WebAssembly spec tests")
struct SpecSuiteTests {
    static let suite: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/wasm-spec")
    static var present: Bool { FileManager.default.fileExists(atPath: suite.appendingPathComponent("manifest.json").path) }

    @Test(.enabled(if: present, "spec suite absent: ../shared/wasm-spec is not next to this checkout"),
          arguments: [false, true])
    func wholeSuitePasses(fuelMetering: Bool) throws {
        let runner = SpecTestRunner(directory: Self.suite, fuelMetering: fuelMetering)
        var total = SpecTally()
        for file in try runner.files() {
            total.add(runner.run(file: file).tally)
        }
        print("spec tests (fuel \(fuelMetering ? "on" : "off")): \(total.summary)")
        #expect(total.failed == 0, "\(total.failures.prefix(20).joined(separator: "\n"))")
        #expect(total.passed > 27_000)
        // Only the text-format assert_malformed commands are skipped.
        #expect(total.skipped < 600)
    }

    @Test func missingSuiteIsAClearError() {
        let runner = SpecTestRunner(directory: URL(fileURLWithPath: "/nonexistent/wasm-spec"))
        #expect(throws: SpecRunnerError.self) { try runner.files() }
    }
}
