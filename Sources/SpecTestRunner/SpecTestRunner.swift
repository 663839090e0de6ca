// Runs the official WebAssembly spec tests (converted to JSON) against WasmInterpreter.

public import Foundation
import WasmInterpreter

/// Pass/fail/skip counts with the failures' descriptions.
public struct SpecTally: Sendable {
    /// Commands that behaved as the script expects.
    public var passed = 0
    /// Commands that did not.
    public var failed = 0
    /// Commands not run (text-format modules).
    public var skipped = 0
    /// One line per failure: line number and what went wrong.
    public var failures: [String] = []

    /// An empty tally.
    public init() {}

    /// Adds another tally's counts and failures.
    public mutating func add(_ other: SpecTally) {
        passed += other.passed
        failed += other.failed
        skipped += other.skipped
        failures += other.failures
    }

    /// `N passed, N failed, N skipped`.
    public var summary: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

/// The result of one script.
public struct SpecFileResult: Sendable {
    /// The JSON file, relative to the spec folder.
    public var file: String
    /// Its counts.
    public var tally: SpecTally
}

/// Errors that stop a run before any command runs.
public enum SpecRunnerError: Error, CustomStringConvertible, Sendable {
    /// The folder has no manifest.json.
    case missingSuite(String)
    /// A JSON file could not be read or parsed.
    case unreadable(String, String)
    /// The profile is not in the manifest.
    case unknownProfile(String)

    /// A one-line explanation with the fix.
    public var description: String {
        switch self {
        case .missingSuite(let dir):
            return "no spec suite at \(dir) (expected manifest.json there; pass the wasm-spec folder, e.g. ../shared/wasm-spec)"
        case .unreadable(let file, let why): return "cannot read \(file): \(why)"
        case .unknownProfile(let p): return "unknown profile \(p) (the manifest lists wasm2 and wasm2+eh)"
        }
    }
}

/// Runs spec scripts from a `wasm-spec` folder.
public struct SpecTestRunner: Sendable {
    /// The folder holding manifest.json, json/ and core/.
    public var directory: URL
    /// Whether to run with fuel metering on.
    public var fuelMetering: Bool

    /// Creates a runner over `directory`.
    public init(directory: URL, fuelMetering: Bool = false) {
        self.directory = directory
        self.fuelMetering = fuelMetering
    }

    /// The default location of the suite relative to the project: `../shared/wasm-spec`.
    public static func defaultDirectory(from projectRoot: URL) -> URL {
        projectRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-spec")
    }

    /// The JSON files of a profile (`wasm2+eh` by default), relative to the folder.
    public func files(profile: String = "wasm2+eh") throws -> [String] {
        let manifestURL = directory.appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw SpecRunnerError.missingSuite(directory.path)
        }
        let data = try Data(contentsOf: manifestURL)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let profiles = object["profiles"] as? [String: Any] else {
            throw SpecRunnerError.unreadable(manifestURL.path, "no profiles")
        }
        guard let list = profiles[profile] as? [String] else { throw SpecRunnerError.unknownProfile(profile) }
        return list
    }

    /// Runs one script (path relative to the folder).
    public func run(file: String) -> SpecFileResult {
        let url = directory.appendingPathComponent(file)
        let script: SpecScript
        do {
            script = try JSONDecoder().decode(SpecScript.self, from: Data(contentsOf: url))
        } catch {
            var tally = SpecTally()
            tally.failed = 1
            tally.failures = ["\(file): cannot read: \(error)"]
            return SpecFileResult(file: file, tally: tally)
        }
        var session = SpecScriptSession(folder: url.deletingLastPathComponent(), fuelMetering: fuelMetering)
        var tally = SpecTally()
        for command in script.commands {
            switch session.run(command) {
            case .passed: tally.passed += 1
            case .skipped: tally.skipped += 1
            case .failed(let why):
                tally.failed += 1
                tally.failures.append("\(script.source_filename):\(command.line): \(command.type): \(why)")
            }
        }
        return SpecFileResult(file: file, tally: tally)
    }
}
