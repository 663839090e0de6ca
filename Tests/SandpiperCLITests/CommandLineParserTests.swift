// The pure parser: `SandpiperCommandLine.parse` for every command and option, and its errors.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import SandpiperCLI

/// Parses, expecting a usage error, and returns it.
func usageError(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> UsageError? {
    do {
        let command = try SandpiperCommandLine.parse(arguments)
        Issue.record("\(arguments) parsed as \(command), expected a usage error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("Command-line parser")
struct CommandLineParserTests {
    // MARK: Top level

    @Test func noArgumentsIsAUsageError() throws {
        let error = try #require(usageError([]))
        #expect(error.message.hasPrefix("no command given"))
        #expect(error.message.contains("commands:"))
        #expect(error.command == nil)
    }

    @Test func unknownCommand() throws {
        let error = try #require(usageError(["frobnicate"]))
        #expect(error.message.hasPrefix("unknown command frobnicate"))
    }

    @Test func helpAndVersion() throws {
        #expect(try SandpiperCommandLine.parse(["help"]) == .help(nil))
        #expect(try SandpiperCommandLine.parse(["--help"]) == .help(nil))
        #expect(try SandpiperCommandLine.parse(["-h"]) == .help(nil))
        #expect(try SandpiperCommandLine.parse(["help", "run"]) == .help("run"))
        #expect(try SandpiperCommandLine.parse(["--help", "inspect"]) == .help("inspect"))
        #expect(try SandpiperCommandLine.parse(["--version"]) == .version)
        #expect(try SandpiperCommandLine.parse(["version"]) == .version)
    }

    @Test(arguments: ["run", "inspect", "spectest"])
    func helpAfterACommand(_ command: String) throws {
        #expect(try SandpiperCommandLine.parse([command, "--help"]) == .help(command))
        #expect(try SandpiperCommandLine.parse([command, "-h"]) == .help(command))
        #expect(try SandpiperCommandLine.parse([command, "--bogus", "--help"]) == .help(command))
    }

    @Test func helpInsideCodeOrScriptArgumentsIsPassedThrough() throws {
        guard case .run(let inline) = try SandpiperCommandLine.parse(["run", "-c", "print(1)", "--help"]) else {
            Issue.record("not a run command")
            return
        }
        #expect(inline.code == "print(1)")
        #expect(inline.arguments == ["--help"])
        guard case .run(let script) = try SandpiperCommandLine.parse(["run", "tool.py", "--help", "-h"]) else {
            Issue.record("not a run command")
            return
        }
        #expect(script.file == "tool.py")
        #expect(script.arguments == ["--help", "-h"])
        // An option left without its value before --help still asks for help.
        #expect(try SandpiperCommandLine.parse(["run", "--heap", "--help"]) == .help("run"))
    }

    // MARK: run

    static func run(_ arguments: [String]) throws -> RunCommand {
        guard case .run(let command) = try SandpiperCommandLine.parse(["run"] + arguments) else {
            throw UsageError("not a run command")
        }
        return command
    }

    @Test func runInlineCode() throws {
        let c = try Self.run(["-c", "print('hi')"])
        #expect(c.code == "print('hi')")
        #expect(c.file == nil)
        #expect(c.arguments.isEmpty)
        #expect(c.limits == PythonLimits())
        #expect(c.mounts.isEmpty)
        #expect(c.guestPath == nil)
    }

    @Test func runInlineCodeWithArguments() throws {
        // Like `python -c CODE ARGS`: everything after the code is sys.argv[1:], even a file name or -c.
        let c = try Self.run(["-c", "import sys; print(sys.argv)", "data.txt", "-c", "--heap"])
        #expect(c.code == "import sys; print(sys.argv)")
        #expect(c.file == nil)
        #expect(c.arguments == ["data.txt", "-c", "--heap"])
    }

    @Test func runFileWithArguments() throws {
        let c = try Self.run(["--heap", "2M", "script.py", "a", "--heap", "-c", "x"])
        #expect(c.file == "script.py")
        #expect(c.code == nil)
        #expect(c.arguments == ["a", "--heap", "-c", "x"])
        #expect(c.limits.heapBytes == 2 << 20)
    }

    @Test func runFileAfterDoubleDash() throws {
        let c = try Self.run(["--", "-odd-name.py", "x"])
        #expect(c.file == "-odd-name.py")
        #expect(c.arguments == ["x"])
    }

    @Test func runEveryOption() throws {
        let c = try Self.run([
            "--heap", "4M", "--memory", "32M", "--fuel", "123456", "--timeout", "2.5", "--max-output", "64K",
            "--allow-read", "/host/data", "--allow-read", "/host/in:/input", "--allow-write", "/host/out:/",
            "--allow-write", "relative/dir", "--guest", "/opt/guest.wasm", "-c", "pass",
        ])
        var limits = PythonLimits()
        limits.heapBytes = 4 << 20
        limits.memoryBytes = 32 << 20
        limits.fuel = 123_456
        limits.timeout = .milliseconds(2500)
        limits.maxOutputBytes = 64 << 10
        #expect(c.limits == limits)
        #expect(c.mounts == [
            MountOption(hostPath: "/host/data", guestPath: "/data", writable: false),
            MountOption(hostPath: "/host/in", guestPath: "/input", writable: false),
            MountOption(hostPath: "/host/out", guestPath: "/", writable: true),
            MountOption(hostPath: "relative/dir", guestPath: "/dir", writable: true),
        ])
        #expect(c.guestPath == "/opt/guest.wasm")
        #expect(c.code == "pass")
        // The mounts become WASI mounts.
        let mount = c.mounts[1].mount
        #expect(mount.guestPath == "/input")
        #expect(mount.readOnly)
        #expect(!c.mounts[2].mount.readOnly)
    }

    @Test func runMountWithEmptyGuestPathIsRoot() throws {
        let c = try Self.run(["--allow-write", "/tmp/x:", "-c", "pass"])
        #expect(c.mounts == [MountOption(hostPath: "/tmp/x", guestPath: "/", writable: true)])
    }

    @Test func runNeedsExactlyOneOfCodeOrFile() throws {
        for arguments in [[], ["--heap", "4M"], ["--"]] as [[String]] {
            let error = try #require(usageError(["run"] + arguments))
            #expect(error.message.contains("-c CODE"), "\(arguments): \(error.message)")
            #expect(error.command == "run")
        }
    }

    @Test(arguments: [
        (["--bogus", "-c", "x"], "unknown option --bogus"),
        (["-x"], "unknown option -x"),
        (["-c"], "-c needs a value"),
        (["-c", "x", "--heap"], nil),  // not an error: "--heap" is sys.argv[1]
        (["--heap"], "--heap needs a value"),
        (["--memory"], "--memory needs a value"),
        (["--fuel"], "--fuel needs a value"),
        (["--timeout"], "--timeout needs a value"),
        (["--max-output"], "--max-output needs a value"),
        (["--allow-read"], "--allow-read needs a value"),
        (["--allow-write"], "--allow-write needs a value"),
        (["--guest"], "--guest needs a value"),
        (["--heap", "lots", "-c", "x"], "--heap needs a size"),
        (["--memory", "-1M", "-c", "x"], "--memory needs a size"),
        (["--fuel", "abc", "-c", "x"], "--fuel needs a non-negative integer"),
        (["--fuel", "-5", "-c", "x"], "--fuel needs a non-negative integer"),
        (["--fuel", "0", "-c", "x"], "--fuel must be positive"),
        (["--timeout", "0", "-c", "x"], "--timeout needs a positive number of seconds"),
        (["--timeout", "soon", "-c", "x"], "--timeout needs a positive number of seconds"),
        (["--timeout", "inf", "-c", "x"], "--timeout needs a positive number of seconds"),
        (["--allow-read", "", "-c", "x"], "--allow-read needs HOST[:GUEST]"),
        (["--allow-write", ":/data", "-c", "x"], "--allow-write needs HOST[:GUEST]"),
        (["--allow-read", "/a:relative", "-c", "x"], "must start with /"),
    ] as [([String], String?)])
    func runOptionErrors(_ arguments: [String], _ message: String?) throws {
        guard let message else {
            #expect(throws: Never.self) { _ = try Self.run(arguments) }
            return
        }
        let error = try #require(usageError(["run"] + arguments))
        #expect(error.message.contains(message), "\(arguments): got \(error.message)")
        #expect(error.command == "run")
    }

    /// "12Q" is not a size: an unknown suffix is a usage error naming the option, never a byte count.
    @Test func runBadSizeSuffix() throws {
        let heap = try #require(usageError(["run", "--heap", "12Q", "-c", "x"]))
        #expect(heap.command == "run")
        #expect(heap.message.contains("--heap needs a size"), "\(heap.message)")
        let output = try #require(usageError(["run", "--max-output", "12Q", "-c", "x"]))
        #expect(output.message.contains("--max-output needs a size"), "\(output.message)")
    }

    /// Extreme values are usage errors or clamped, never a crash (these used to trap: the
    /// heap check overflowed, and so did converting a huge timeout to Int64 milliseconds).
    @Test func runExtremeValuesDoNotCrash() throws {
        let huge = try #require(usageError(["run", "--heap", "9223372036854775807", "-c", "x"]))
        #expect(huge.message.contains("does not fit a memory limit"), "\(huge.message)")
        _ = try #require(usageError(["run", "--heap", "8589934591G", "-c", "x"]))
        let long = try Self.run(["--timeout", "1e300", "-c", "x"])
        #expect(long.limits.timeout == .seconds(365 * 24 * 3600))
        let short = try Self.run(["--timeout", "0.0001", "-c", "x"])
        #expect(short.limits.timeout == .milliseconds(1))
        let fuel = try #require(usageError(["run", "--fuel", "99999999999999999999", "-c", "x"]))
        #expect(fuel.message.contains("--fuel needs a non-negative integer"))
    }

    @Test func runHeapLargerThanMemoryIsAUsageError() throws {
        let error = try #require(usageError(["run", "--heap", "64M", "-c", "x"]))
        #expect(error.message.contains("does not fit a memory limit"), "\(error.message)")
        #expect(error.command == "run")
        let explicit = try #require(usageError(["run", "--heap", "32M", "--memory", "32M", "-c", "x"]))
        #expect(explicit.message.contains("lower the heap or raise the memory limit"))
        // Exactly the overhead fits.
        let c = try Self.run(["--heap", "63M", "--memory", "64M", "-c", "x"])
        #expect(c.limits.heapBytes == 63 << 20)
        // A heap too small is also caught.
        let small = try #require(usageError(["run", "--heap", "1K", "-c", "x"]))
        #expect(small.message.contains("too small"))
    }

    // MARK: inspect

    @Test func inspectParsing() throws {
        #expect(try SandpiperCommandLine.parse(["inspect", "m.wasm"]) == .inspect(InspectCommand(file: "m.wasm")))
        #expect(try SandpiperCommandLine.parse(["inspect", "-"]) == .inspect(InspectCommand(file: "-")))
        #expect(try SandpiperCommandLine.parse(["inspect", "--lowered", "m.wasm", "12"])
                == .inspect(InspectCommand(file: "m.wasm", loweredFunction: "12")))
        #expect(try SandpiperCommandLine.parse(["inspect", "--fuel", "--lowered", "m.wasm", "_start"])
                == .inspect(InspectCommand(file: "m.wasm", loweredFunction: "_start", metered: true)))
    }

    @Test(arguments: [
        ([], "inspect needs exactly one FILE.wasm"),
        (["a.wasm", "b.wasm"], "inspect needs exactly one FILE.wasm"),
        (["--lowered", "a.wasm"], "inspect --lowered needs FILE.wasm and FUNC"),
        (["--lowered", "a.wasm", "1", "2"], "inspect --lowered needs FILE.wasm and FUNC"),
        (["--bogus", "a.wasm"], "unknown option --bogus"),
    ] as [([String], String)])
    func inspectErrors(_ arguments: [String], _ message: String) throws {
        let error = try #require(usageError(["inspect"] + arguments))
        #expect(error.message == message)
        #expect(error.command == "inspect")
    }

    // MARK: spectest

    @Test func spectestParsing() throws {
        #expect(try SandpiperCommandLine.parse(["spectest"]) == .spectest(SpecTestCommand()))
        var c = SpecTestCommand()
        c.directory = "/specs"
        c.files = ["i32", "exception-handling/try_table"]
        c.fuelModes = [true]
        c.verbose = true
        #expect(try SandpiperCommandLine.parse(["spectest", "/specs", "--file", "i32", "--file", "exception-handling/try_table", "--fuel", "-v"]) == .spectest(c))
        guard case .spectest(let noFuel) = try SandpiperCommandLine.parse(["spectest", "--no-fuel", "--verbose"]) else {
            Issue.record("not spectest")
            return
        }
        #expect(noFuel.fuelModes == [false])
        #expect(noFuel.verbose)
        #expect(noFuel.directory == "../shared/wasm-spec")
    }

    @Test(arguments: [
        (["a", "b"], "unexpected argument b"),
        (["--file"], "--file needs a value"),
        (["--bogus"], "unknown option --bogus"),
    ] as [([String], String)])
    func spectestErrors(_ arguments: [String], _ message: String) throws {
        let error = try #require(usageError(["spectest"] + arguments))
        #expect(error.message == message)
        #expect(error.command == "spectest")
    }

    // MARK: ArgumentCursor

    @Test func argumentCursor() throws {
        var c = ArgumentCursor(["--n", "5", "--s", "2K", "--t", "0.5", "rest1", "rest2"], command: "x")
        #expect(c.peek == "--n")
        #expect(c.next() == "--n")
        #expect(try c.integer(for: "--n") == 5)
        _ = c.next()
        #expect(try c.size(for: "--s") == 2048)
        _ = c.next()
        #expect(try c.seconds(for: "--t") == 0.5)
        #expect(c.rest() == ["rest1", "rest2"])
        #expect(c.isEmpty)
        #expect(c.next() == nil)
        #expect(throws: UsageError("--v needs a value", command: "x")) { try c.value(for: "--v") }
        #expect(c.unexpected("--zz").message == "unknown option --zz")
        #expect(c.unexpected("zz").message == "unexpected argument zz")
    }
}
