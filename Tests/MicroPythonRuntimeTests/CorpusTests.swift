// The program corpus (Corpus/, see its README): every program, run exactly as
// Scripts/regenerate-corpus-expected.py runs it (`micropython -X heapsize=8M -c CODE`), must print
// its `.expected` file byte for byte, with nothing on stderr.
//
// The regeneration script gives the guest a `/dev/random` of fixed bytes; here `/dev/random` comes
// from the seeded `RandomSource`, so the bytes differ. No program depends on them: the only one
// that imports `random` (047) seeds it itself, which `randomProgramsIgnoreTheDeviceBytes` checks.
// Its stubbed `host_result_cap` (65536) also differs from ours (256 KiB); no program calls `host`.

import Foundation
import Testing
@testable import MicroPythonRuntime

@Suite("Program corpus", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct CorpusTests {
    /// The corpus programs' file names, sorted.
    static let programs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RuntimePaths.corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".py") }.sorted()
    }()

    /// Runs one corpus program as the regeneration script does (heap 8M, code as `-c`).
    static func run(_ name: String, seed: UInt64? = nil) throws -> (PythonRunResult, expected: [UInt8]) {
        let source = try String(contentsOf: RuntimePaths.corpus.appendingPathComponent(name), encoding: .utf8)
        let expectedURL = RuntimePaths.corpus.appendingPathComponent(String(name.dropLast(3)) + ".expected")
        let expected = [UInt8](try Data(contentsOf: expectedURL))
        var options = PythonRunOptions.deterministic(heap: 8 << 20)
        if let seed { options.random = .seeded(seed) }
        return (try loadedPython().run(code: source, options: options), expected)
    }

    @Test("the corpus is complete: 93 programs, each with its .expected file")
    func corpusIsComplete() throws {
        #expect(Self.programs.count == 93)
        for name in Self.programs {
            let expected = RuntimePaths.corpus.appendingPathComponent(String(name.dropLast(3)) + ".expected")
            #expect(FileManager.default.fileExists(atPath: expected.path), "\(name) has no .expected file")
        }
    }

    @Test("corpus program prints exactly its .expected output", arguments: programs)
    func program(_ name: String) throws {
        let (result, expected) = try Self.run(name)
        #expect(result.outcome.isCompleted, "\(name): \(result.report)")
        #expect(result.exitStatus == 0, "\(name): \(result.report)")
        #expect(result.stderr.isEmpty, "\(name) wrote to stderr: \(result.stderrText)")
        #expect(result.warnings.isEmpty, "\(name): \(result.warnings)")
        if result.stdout != expected {
            let got = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
            let want = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(got.count, want.count)).first(where: { got[$0] != want[$0] }) ?? min(got.count, want.count)
            Issue.record("\(name): stdout differs from .expected at line \(line + 1): got \(line < got.count ? String(got[line]).debugDescription : "<end>"), expected \(line < want.count ? String(want[line]).debugDescription : "<end>")\n\(result.report)")
        }
    }

    /// Programs that import `random` must not depend on `/dev/random`'s bytes (the regeneration
    /// script's device holds fixed bytes; ours comes from the seeded source): another seed, same output.
    @Test func randomProgramsIgnoreTheDeviceBytes() throws {
        let users = try Self.programs.filter {
            try String(contentsOf: RuntimePaths.corpus.appendingPathComponent($0), encoding: .utf8).contains("import random")
        }
        #expect(!users.isEmpty)
        for name in users {
            let (result, expected) = try Self.run(name, seed: 0xDEAD_BEEF)
            #expect(result.stdout == expected, "\(name) with another /dev/random seed: \(result.report)")
        }
    }
}
