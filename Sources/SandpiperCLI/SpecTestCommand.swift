// `sandpiper spectest [DIR]`: run the official spec tests.

import Foundation
import SpecTestRunner

/// Runs the spec suite and prints per-file and total counts.
enum SpecTestCommand {
    static func run(directory: String?, files: [String], fuelModes: [Bool], verbose: Bool, output: inout some TextOutputStream) -> Int32 {
        let dir = URL(fileURLWithPath: directory ?? "../shared/wasm-spec")
        var anyFailed = false
        for fuel in fuelModes {
            let runner = SpecTestRunner(directory: dir, fuelMetering: fuel)
            let list: [String]
            do { list = files.isEmpty ? try runner.files() : files.map { $0.hasSuffix(".json") ? $0 : "json/\($0).json" } } catch {
                print("sandpiper spectest: \(error)", to: &output)
                return 2
            }
            print("== spec tests, fuel metering \(fuel ? "on" : "off") ==", to: &output)
            var total = SpecTally()
            for file in list {
                let result = runner.run(file: file)
                print("\(file): \(result.tally.summary)", to: &output)
                if verbose || result.tally.failed > 0 {
                    for f in result.tally.failures.prefix(verbose ? 10_000 : 20) { print("  \(f)", to: &output) }
                }
                total.add(result.tally)
            }
            print("total (fuel \(fuel ? "on" : "off")): \(total.summary)", to: &output)
            if total.failed > 0 { anyFailed = true }
        }
        return anyFailed ? 1 : 0
    }
}
