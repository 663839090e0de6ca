// What a one-shot run reports: output streams, exit status, parsed exceptions, fuel, time, usage,
// and the files it may see (its script's folder, read-only and writable mounts).

import Foundation
import Testing
import WasiHost
@testable import MicroPythonRuntime

@Suite("Run results", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct RunResultTests {
    static func run(_ code: String, _ configure: (inout PythonRunOptions) -> Void = { _ in }) throws -> PythonRunResult {
        var options = PythonRunOptions.deterministic(heap: 1 << 20, fuel: 2_000_000_000, timeout: .seconds(120))
        configure(&options)
        return try loadedPython().run(code: code, options: options)
    }

    @Test func stdoutAndStderrAreSeparate() throws {
        let result = try Self.run("import sys\nprint('to out')\nsys.stderr.write('to err\\n')\nprint('out again')")
        #expect(result.stdoutText == "to out\nout again\n")
        #expect(result.stderrText == "to err\n")
        #expect(result.outcome.isCompleted)
        #expect(result.exitStatus == 0)
        #expect(result.usage.stdoutBytes == result.stdout.count)
        #expect(result.usage.stderrBytes == result.stderr.count)
        #expect(result.warnings.isEmpty)
    }

    @Test func outputIsForwardedAsItIsWritten() throws {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var out: [UInt8] = []
            var err: [UInt8] = []
        }
        let sink = Sink()
        let result = try Self.run("import sys\nfor i in range(3):\n    print(i)\n    sys.stderr.write(str(i))") {
            $0.onStdout = { b in sink.lock.withLock { sink.out += b } }
            $0.onStderr = { b in sink.lock.withLock { sink.err += b } }
        }
        #expect(sink.out == result.stdout)
        #expect(sink.err == result.stderr)
        #expect(String(decoding: sink.out, as: UTF8.self) == "0\n1\n2\n")
        #expect(String(decoding: sink.err, as: UTF8.self) == "012")
    }

    @Test(arguments: [(0, "sys.exit()"), (0, "sys.exit(0)"), (3, "sys.exit(3)"), (5, "sys.exit(5)"), (1, "sys.exit('message')"), (7, "raise SystemExit(7)")])
    func exitStatus(_ status: Int32, _ statement: String) throws {
        let result = try Self.run("import sys\nprint('before')\n\(statement)\nprint('after')")
        #expect(result.outcome.isCompleted, "\(result.report)")
        #expect(result.exitStatus == status, "\(result.report)")
        #expect(result.stdoutText == "before\n")
    }

    /// `sys.exit('message')` exits with status 1 and no traceback. (Native MicroPython 1.29 also
    /// prints the message on stderr; the pinned guest, v1.27-preview, prints nothing.)
    @Test func exitWithMessageIsStatusOne() throws {
        let result = try Self.run("import sys\nsys.exit('bye now')")
        #expect(result.outcome.isCompleted, "\(result.report)")
        #expect(result.exitStatus == 1)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderrText.contains("Traceback"), "\(result.report)")
    }

    @Test func uncaughtExceptionIsParsed() throws {
        let code = """
            def inner(x):
                if x > 2:
                    raise ValueError('bad value: ' + str(x))
                return inner(x + 1)

            print('running')
            inner(0)
            """
        let result = try Self.run(code)
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == "ValueError")
        #expect(error.message == "bad value: 3")
        #expect(error.description == "ValueError: bad value: 3")
        #expect(error.traceback.hasPrefix("Traceback (most recent call last):"))
        #expect(error.traceback.contains("line 3, in inner"), "\(error.traceback)")
        #expect(error.traceback.contains("line 7, in <module>"), "\(error.traceback)")
        #expect(error.traceback.hasSuffix("ValueError: bad value: 3"))
        #expect(result.exitStatus == 1)
        #expect(result.stdoutText == "running\n")
        #expect(result.stderrText.contains("ValueError: bad value: 3"))
    }

    @Test(arguments: [
        ("raise KeyError('k')", "KeyError", "k"),
        ("1 / 0", "ZeroDivisionError", "divide by zero"),
        ("undefined_name", "NameError", "name 'undefined_name' isn't defined"),
        ("class Oops(Exception): pass\nraise Oops('custom')", "Oops", "custom"),
        ("raise RuntimeError", "RuntimeError", ""),
        ("import nosuchmodule", "ImportError", "no module named 'nosuchmodule'"),
        ("def f(:\n    pass", "SyntaxError", "invalid syntax"),
        ("try:\n    1/0\nexcept Exception as e:\n    raise ValueError('while handling') from e", "ValueError", "while handling"),
    ])
    func exceptionTypesAndMessages(_ code: String, _ type: String, _ message: String) throws {
        let result = try Self.run(code)
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == type, "\(result.report)")
        #expect(error.message == message, "\(result.report)")
        #expect(result.exitStatus == 1)
    }

    @Test func fuelGrowsWithWork() throws {
        let small = try Self.run("s = 0\nfor i in range(1000):\n    s += i\nprint(s)")
        let large = try Self.run("s = 0\nfor i in range(100000):\n    s += i\nprint(s)")
        #expect(small.stdoutText == "499500\n")
        #expect(large.stdoutText == "4999950000\n")
        #expect(small.fuelUsed > 0)
        #expect(large.fuelUsed > small.fuelUsed)
        // 99,000 more iterations cost at least 10 instructions each.
        #expect(large.fuelUsed - small.fuelUsed > 990_000, "\(small.fuelUsed) -> \(large.fuelUsed)")
        // Deterministic: the same run costs the same fuel.
        let again = try Self.run("s = 0\nfor i in range(1000):\n    s += i\nprint(s)")
        #expect(again.fuelUsed == small.fuelUsed)
        #expect(small.wallTime > .zero)
        #expect(large.wallTime >= small.wallTime / 4)
    }

    @Test func fuelIsZeroWithoutAFuelLimit() throws {
        let result = try Self.run("print(1)") { $0.limits.fuel = nil }
        #expect(result.fuelUsed == 0)
        #expect(result.wallTime > .zero)
    }

    @Test func argumentsEnvironmentAndStdin() throws {
        let result = try Self.run("import sys, os\nprint(sys.argv[1:])\nprint(os.getenv('GREETING'))\nprint(sys.stdin.read())") {
            $0.arguments = ["one", "two"]
            $0.environment = ["GREETING": "hi"]
            $0.stdin = Array("from stdin".utf8)
        }
        #expect(result.stdoutText == "['one', 'two']\nhi\nfrom stdin\n", "\(result.report)")
    }

    @Test func virtualClockAndSeededRandomAreDeterministic() throws {
        let code = "import time, random\nprint(time.time() > 1.6e9)\nprint(random.getrandbits(30), random.getrandbits(30))"
        let a = try Self.run(code)
        let b = try Self.run(code)
        #expect(a.outcome.isCompleted, "\(a.report)")
        #expect(a.stdout == b.stdout)
        let c = try Self.run(code) { $0.random = .seeded(99) }
        #expect(c.outcome.isCompleted)
    }

    // MARK: Files

    @Test func scriptImportsAModuleBesideIt() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("script")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "def greet(name):\n    return 'hello ' + name\nVALUE = 41\n".write(to: dir.appendingPathComponent("helper.py"), atomically: true, encoding: .utf8)
        try "import sys\nimport helper\nprint(helper.greet('plugin'), helper.VALUE + 1)\nprint(sys.argv[0], sys.argv[1:])\nprint(open('/app/helper.py').read().splitlines()[0])\n"
            .write(to: dir.appendingPathComponent("main.py"), atomically: true, encoding: .utf8)
        var options = PythonRunOptions.deterministic(heap: 1 << 20, fuel: 2_000_000_000)
        options.arguments = ["--flag"]
        let result = try loadedPython().run(file: dir.appendingPathComponent("main.py"), options: options)
        #expect(result.outcome.isCompleted, "\(result.report)")
        #expect(result.stdoutText == "hello plugin 42\n/app/main.py ['--flag']\ndef greet(name):\n", "\(result.report)")
        // The script's folder is read-only.
        try "open('/app/new.txt', 'w').write('x')\n".write(to: dir.appendingPathComponent("writer.py"), atomically: true, encoding: .utf8)
        let refused = try loadedPython().run(file: dir.appendingPathComponent("writer.py"), options: options)
        #expect(refused.outcome.exception?.type == "OSError", "\(refused.report)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.txt").path))
    }

    @Test func scriptErrorTracebackNamesTheFileAndLine() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("tb")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x = 1\ny = 2\nraise TypeError('line three')\n".write(to: dir.appendingPathComponent("boom.py"), atomically: true, encoding: .utf8)
        let result = try loadedPython().run(file: dir.appendingPathComponent("boom.py"), options: .deterministic(heap: 1 << 20))
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == "TypeError")
        #expect(error.traceback.contains("File \"/app/boom.py\", line 3"), "\(error.traceback)")
    }

    @Test func readsFromAReadOnlyMount() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("read")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "line one\nline two\n".write(to: dir.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 255]).write(to: dir.appendingPathComponent("sub/data.bin"))
        let code = """
            import os
            print(sorted(os.listdir('/input')))
            with open('/input/input.txt') as f:
                print(f.read().splitlines())
            print(list(open('/input/sub/data.bin', 'rb').read()))
            print(os.stat('/input/input.txt')[6])
            """
        let result = try Self.run(code) { $0.mounts = [Mount(guestPath: "/input", source: .host(dir), readOnly: true)] }
        #expect(result.stdoutText == "['input.txt', 'sub']\n['line one', 'line two']\n[0, 1, 2, 255]\n18\n", "\(result.report)")
        #expect(result.usage.filesOpened >= 2)
        #expect(result.usage.bytesWritten == 0)
    }

    @Test func writesIntoAWritableMount() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let code = """
            import os
            with open('/out/result.txt', 'w') as f:
                f.write('written by python\\n')
            os.mkdir('/out/nested')
            with open('/out/nested/data.bin', 'wb') as f:
                f.write(bytes(range(10)))
            with open('/out/result.txt', 'a') as f:
                f.write('appended\\n')
            print(sorted(os.listdir('/out')))
            """
        let result = try Self.run(code) { $0.mounts = [Mount(guestPath: "/out", source: .host(dir), readOnly: false)] }
        #expect(result.outcome.isCompleted, "\(result.report)")
        #expect(result.stdoutText == "['nested', 'result.txt']\n")
        #expect(try String(contentsOf: dir.appendingPathComponent("result.txt"), encoding: .utf8) == "written by python\nappended\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("nested/data.bin")) == Data(0..<10))
        #expect(result.usage.bytesWritten == 18 + 10 + 9)
        #expect(result.usage.filesOpened >= 3)
        #expect(result.usage.openFiles == 0)
        #expect(result.usage.peakOpenFiles >= 1)
    }

    @Test func fileWriteQuotaStopsTheRun() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("quota")
        defer { try? FileManager.default.removeItem(at: dir) }
        let code = "f = open('/out/big.bin', 'wb')\nwhile True:\n    f.write(b'x' * 4096)"
        let result = try Self.run(code) {
            $0.mounts = [Mount(guestPath: "/out", source: .host(dir), readOnly: false)]
            $0.limits.maxBytesWritten = 100_000
        }
        #expect(result.outcome.limit == .fileWrites, "\(result.report)")
        #expect(result.usage.bytesWritten <= 100_000)
    }

    @Test func openFileLimitStopsTheRun() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("files")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let result = try Self.run("fs = []\nwhile True:\n    fs.append(open('/in/a.txt'))") {
            $0.mounts = [Mount(guestPath: "/in", source: .host(dir), readOnly: true)]
            $0.limits.maxOpenFiles = 5
        }
        #expect(result.outcome.limit == .openFiles, "\(result.report)")
        #expect(result.usage.peakOpenFiles == 5)
    }
}

/// `PythonError.parse` on MicroPython's reports, without the guest.
@Suite("PythonError parsing")
struct PythonErrorParsingTests {
    @Test func parsesATraceback() throws {
        let text = """
            some output
            Traceback (most recent call last):
              File "<stdin>", line 7, in <module>
              File "<stdin>", line 3, in inner
            ValueError: bad: value: 3

            """
        let error = try #require(PythonError.parse(text))
        #expect(error.type == "ValueError")
        #expect(error.message == "bad: value: 3")
        #expect(error.traceback.hasPrefix("Traceback"))
        #expect(error.traceback.hasSuffix("ValueError: bad: value: 3"))
        #expect(!error.traceback.contains("some output"))
    }

    @Test func takesTheLastTraceback() throws {
        let text = "Traceback (most recent call last):\n  File \"a\", line 1\nKeyError: 1\nTraceback (most recent call last):\n  File \"b\", line 2, in <module>\nOSError: [Errno 44] ENOENT\n"
        let error = try #require(PythonError.parse(text))
        #expect(error.type == "OSError")
        #expect(error.message == "[Errno 44] ENOENT")
        #expect(error.traceback.contains("line 2"))
    }

    @Test func exceptionWithoutMessage() throws {
        let error = try #require(PythonError.parse("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nRuntimeError\n"))
        #expect(error.type == "RuntimeError")
        #expect(error.message == "")
        #expect(error.description == "RuntimeError")
    }

    @Test func bareReport() throws {
        let error = try #require(PythonError.parse("MemoryError: memory allocation failed\n"))
        #expect(error.type == "MemoryError")
        #expect(error.message == "memory allocation failed")
        #expect(PythonError.parse("") == nil)
        #expect(PythonError.parse("just some text\n") == nil)
        #expect(PythonError.parse("lowercase: not an exception") == nil)
    }
}
