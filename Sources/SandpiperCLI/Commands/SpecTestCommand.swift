// `sandpiper spectest [DIR] [--file NAME]... [--fuel | --no-fuel] [-v]`: the official spec tests.

import Foundation
import SpecTestRunner

/// Runs the spec suite and prints per-file and total counts.
public struct SpecTestCommand: Equatable, Sendable {
    /// The wasm-spec folder (default `../shared/wasm-spec`).
    public var directory = "../shared/wasm-spec"
    /// Only these scripts (stems like `i32` or JSON paths).
    public var files: [String] = []
    /// Fuel metering modes to run.
    public var fuelModes: [Bool] = [false, true]
    /// Print every failure, not just the first 20 per file.
    public var verbose = false

    static let usage = """
        usage: sandpiper spectest [DIR] [--file NAME]... [--fuel | --no-fuel] [-v]
          Runs the official WebAssembly spec tests in DIR (default ../shared/wasm-spec), with fuel
          metering off and then on, and prints "N passed, N failed, N skipped" per file and in total.
          --file NAME   run only this script (e.g. i32, exception-handling/try_table); repeatable
          --fuel        only with fuel metering on;  --no-fuel: only with it off
          -v            list every failure
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> SpecTestCommand {
        var command = SpecTestCommand()
        var sawDirectory = false
        while let a = c.next() {
            switch a {
            case "--file": command.files.append(try c.value(for: a))
            case "--fuel": command.fuelModes = [true]
            case "--no-fuel": command.fuelModes = [false]
            case "-v", "--verbose": command.verbose = true
            default:
                guard !a.hasPrefix("-"), !sawDirectory else { throw c.unexpected(a) }
                command.directory = a
                sawDirectory = true
            }
        }
        return command
    }

    func run(_ console: Console) -> Int32 {
        let dir = URL(fileURLWithPath: directory)
        var anyFailed = false
        for fuel in fuelModes {
            let runner = SpecTestRunner(directory: dir, fuelMetering: fuel)
            let list: [String]
            do {
                list = files.isEmpty ? try runner.files() : files.map { $0.hasSuffix(".json") ? $0 : "json/\($0).json" }
            } catch {
                console.error("sandpiper spectest: \(error)")
                return 2
            }
            console.print("== spec tests, fuel metering \(fuel ? "on" : "off") ==")
            var total = SpecTally()
            for file in list {
                let result = runner.run(file: file)
                console.print("\(file): \(result.tally.summary)")
                if verbose || result.tally.failed > 0 {
                    for f in result.tally.failures.prefix(verbose ? Int.max : 20) { console.print("  \(f)") }
                }
                total.add(result.tally)
            }
            console.print("total (fuel \(fuel ? "on" : "off")): \(total.summary)")
            if total.failed > 0 { anyFailed = true }
        }
        return anyFailed ? 1 : 0
    }
}
