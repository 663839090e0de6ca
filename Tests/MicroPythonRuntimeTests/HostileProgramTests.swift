// Hostile programs: each must end with the right typed outcome, and the host process must live
// on to run the next one (they all run in this one test process).

import Dispatch
import Foundation
import Synchronization
import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

/// A value shared between threads.
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ initial: Value) { value = Mutex(initial) }
    func set(_ new: Value) { value.withLock { $0 = new } }
    func get() -> Value { value.withLock { $0 } }
}

@Suite("Hostile programs", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct HostileProgramTests {
    static func run(_ code: String, _ configure: (inout PythonRunOptions) -> Void = { _ in }) throws -> PythonRunResult {
        var options = PythonRunOptions.deterministic(heap: 2 << 20, fuel: 2_000_000_000, timeout: .seconds(120))
        configure(&options)
        return try loadedPython().run(code: code, options: options)
    }

    // MARK: Endless loops

    @Test func endlessLoopRunsOutOfFuel() throws {
        let result = try Self.run("while True:\n    pass") { $0.limits.fuel = 200_000_000 }
        #expect(result.outcome.limit == .fuel, "\(result.report)")
        #expect(result.exitStatus == nil)
        #expect(result.fuelUsed >= 200_000_000 - 1_000, "\(result.fuelUsed)")
        if case .limitExceeded(_, let why) = result.outcome { #expect(why.contains("fuel")) }
    }

    @Test func endlessLoopHitsTheTimeout() throws {
        let result = try Self.run("while True:\n    pass") {
            $0.limits.fuel = nil
            $0.limits.timeout = .milliseconds(400)
        }
        #expect(result.outcome.limit == .timeout, "\(result.report)")
        #expect(result.exitStatus == nil)
        #expect(result.wallTime >= .milliseconds(400))
        #expect(result.wallTime < .seconds(30), "the deadline was not enforced promptly: \(result.wallTime)")
    }

    @Test func sleepingPastTheTimeoutIsStopped() throws {
        // With the real clock a sleep really waits, but never past the deadline.
        let result = try Self.run("import time\ntime.sleep(60)\nprint('woke')") {
            $0.clock = .real
            $0.limits.timeout = .milliseconds(300)
        }
        #expect(result.outcome.limit == .timeout, "\(result.report)")
        #expect(result.stdout.isEmpty)
        #expect(result.wallTime < .seconds(30))
    }

    /// Catching SystemExit, KeyboardInterrupt or BaseException does not let code outlive its
    /// limits: fuel and the deadline are not Python exceptions.
    @Test(arguments: ["SystemExit", "KeyboardInterrupt", "BaseException"])
    func catchingEverythingInAnEndlessLoopStillStops(_ caught: String) throws {
        let code = """
            import sys
            n = 0
            while True:
                try:
                    while True:
                        n += 1
                        if n % 1000 == 0:
                            sys.exit(1)
                        if n % 1001 == 0:
                            raise KeyboardInterrupt
                except \(caught):
                    pass
                except BaseException:
                    pass
            """
        let fuel = try Self.run(code) { $0.limits.fuel = 300_000_000 }
        #expect(fuel.outcome.limit == .fuel, "\(fuel.report)")
        let timeout = try Self.run(code) {
            $0.limits.fuel = nil
            $0.limits.timeout = .milliseconds(300)
        }
        #expect(timeout.outcome.limit == .timeout, "\(timeout.report)")
    }

    // MARK: Recursion and memory

    @Test func deepRecursionRaisesRuntimeError() throws {
        let result = try Self.run("def f(n):\n    return f(n + 1)\nf(0)")
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == "RuntimeError")
        #expect(error.message == "maximum recursion depth exceeded")
        #expect(result.exitStatus == 1)
    }

    @Test func deeplyNestedDataRaisesRuntimeError() throws {
        // repr of a 20,000-deep list recurses in C.
        let result = try Self.run("a = []\nfor i in range(20000):\n    a = [a]\nprint(len(repr(a)))")
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == "RuntimeError", "\(result.report)")
    }

    @Test(arguments: [
        "x = []\nwhile True:\n    x.append(bytearray(100000))",
        "x = 'a' * (10 ** 9)",
        "x = bytearray(2 ** 31 - 1)",
        "x = [0] * (2 ** 28)",
        "d = {}\ni = 0\nwhile True:\n    d[i] = str(i) * 10\n    i += 1",
        "x = 7 ** (10 ** 8)",
    ])
    func memoryBombRaisesMemoryError(_ code: String) throws {
        let result = try Self.run(code)
        #expect(!result.outcome.isTrap, "\(result.report)")
        switch result.outcome {
        case .exception(let error):
            #expect(error.type == "MemoryError" || error.type == "OverflowError", "\(result.report)")
        case .limitExceeded(let limit, _):
            // Building a huge bigint may rather run out of fuel; still a clean stop.
            #expect(limit == .memory || limit == .fuel, "\(result.report)")
        default:
            Issue.record("expected MemoryError or a limit: \(result.report)")
        }
    }

    @Test func heapLargerThanMemoryIsRejectedBeforeRunning() throws {
        var options = PythonRunOptions()
        options.limits.heapBytes = 64 << 20
        options.limits.memoryBytes = 64 << 20
        #expect(throws: PythonConfigurationError.heapExceedsMemory(heap: 64 << 20, memory: 64 << 20, overhead: PythonLimits.guestOverheadBytes)) {
            _ = try loadedPython().run(code: "print('never')", options: options)
        }
        options.limits.heapBytes = 8 << 10
        #expect(throws: PythonConfigurationError.heapTooSmall(8 << 10)) {
            _ = try loadedPython().run(code: "print('never')", options: options)
        }
        options.limits.heapBytes = 1 << 20
        options.limits.fuel = 0
        #expect(throws: PythonConfigurationError.invalidFuel(0)) {
            _ = try loadedPython().run(code: "print('never')", options: options)
        }
    }

    @Test func configurationErrorsNameTheFix() {
        let error = PythonConfigurationError.heapExceedsMemory(heap: 64 << 20, memory: 64 << 20, overhead: 1 << 20)
        #expect(error.description.contains("lower the heap or raise the memory limit"))
        var limits = PythonLimits()
        #expect(throws: Never.self) { try limits.validate() }
        limits.heapBytes = limits.memoryBytes - PythonLimits.guestOverheadBytes
        #expect(throws: Never.self) { try limits.validate() }
        limits.heapBytes += 1
        #expect(throws: PythonConfigurationError.self) { try limits.validate() }
        // Sizes near Int.max are rejected, not an arithmetic overflow (this used to trap).
        limits.heapBytes = Int.max
        #expect(throws: PythonConfigurationError.heapExceedsMemory(heap: Int.max, memory: limits.memoryBytes, overhead: PythonLimits.guestOverheadBytes)) {
            try limits.validate()
        }
        limits.heapBytes = Int.max - PythonLimits.guestOverheadBytes
        limits.memoryBytes = Int.max
        #expect(throws: Never.self) { try limits.validate() }
    }

    /// A timeout too far away to matter is no timeout, not an overflow.
    @Test func hugeTimeoutRunsNormally() throws {
        let result = try Self.run("print('ok')") { $0.limits.timeout = .seconds(Int64.max) }
        #expect(result.stdoutText == "ok\n", "\(result.report)")
    }

    // MARK: Output

    @Test func stdoutFloodIsCutAtTheCap() throws {
        let result = try Self.run("while True:\n    print('x' * 1000)") { $0.limits.maxOutputBytes = 64 << 10 }
        #expect(result.outcome.limit == .output, "\(result.report)")
        #expect(result.stdout.count == 64 << 10)
        #expect(result.usage.stdoutBytes == 64 << 10)
        #expect(result.exitStatus == nil)
        if case .limitExceeded(_, let why) = result.outcome { #expect(why.contains("stdout")) }
    }

    @Test func stderrFloodIsCutAtTheCap() throws {
        let result = try Self.run("import sys\nwhile True:\n    sys.stderr.write('e' * 999)") { $0.limits.maxOutputBytes = 10_000 }
        #expect(result.outcome.limit == .output, "\(result.report)")
        #expect(result.stderr.count == 10_000)
        #expect(result.stdout.isEmpty)
        if case .limitExceeded(_, let why) = result.outcome { #expect(why.contains("stderr")) }
    }

    // MARK: Files

    @Test func readingHostFilesIsNotPossible() throws {
        let code = """
            import errno
            for path in ['/etc/passwd', '/etc/hostname', '../etc/passwd', '/proc/self/environ', 'Package.swift']:
                try:
                    open(path).read()
                    print(path, 'READ')
                except OSError as e:
                    print(path, e.errno == errno.ENOENT)
            open('/etc/passwd')
            """
        let result = try Self.run(code)
        #expect(result.stdoutText == "/etc/passwd True\n/etc/hostname True\n../etc/passwd True\n/proc/self/environ True\nPackage.swift True\n", "\(result.report)")
        let error = try #require(result.outcome.exception, "\(result.report)")
        #expect(error.type == "OSError")
        #expect(error.message.contains("ENOENT"), "\(error)")
    }

    @Test func writingOutsideAMountOrIntoAReadOnlyMountFails() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("ro")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "keep\n".write(to: dir.appendingPathComponent("keep.txt"), atomically: true, encoding: .utf8)
        let code = """
            import os
            def attempt(label, fn):
                try:
                    fn()
                    print(label, 'ALLOWED')
                except OSError as e:
                    print(label, 'OSError', e.errno)
            attempt('outside', lambda: open('/tmp/sandpiper-escape.txt', 'w').write('x'))
            attempt('root', lambda: open('/escape.txt', 'w').write('x'))
            attempt('ro-create', lambda: open('/ro/new.txt', 'w').write('x'))
            attempt('ro-overwrite', lambda: open('/ro/keep.txt', 'w').write('x'))
            attempt('ro-append', lambda: open('/ro/keep.txt', 'a').write('x'))
            attempt('ro-remove', lambda: os.remove('/ro/keep.txt'))
            attempt('ro-mkdir', lambda: os.mkdir('/ro/sub'))
            attempt('ro-rename', lambda: os.rename('/ro/keep.txt', '/ro/moved.txt'))
            attempt('ro-escape', lambda: open('/ro/../escape.txt', 'w').write('x'))
            print(open('/ro/keep.txt').read().strip())
            """
        let result = try Self.run(code) {
            $0.mounts = [Mount(guestPath: "/ro", source: .host(dir), readOnly: true)]
        }
        #expect(result.outcome.isCompleted, "\(result.report)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(result.report)")
        for line in lines.dropLast() {
            #expect(line.contains("OSError"), "\(line)")
        }
        // EROFS is WASI errno 69 (the guest's errno module has no name for it).
        #expect(lines.contains("ro-create OSError 69"), "\(lines)")
        #expect(lines.last == "keep")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files == ["keep.txt"])
        #expect(try String(contentsOf: dir.appendingPathComponent("keep.txt"), encoding: .utf8) == "keep\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sandpiper-escape.txt"))
        #expect(!FileManager.default.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("escape.txt").path))
    }

    // MARK: Source size

    @Test func hugeSourceEndsCleanly() throws {
        // About 5 MB of code. Compiling it is slow in the guest; any clean outcome will do.
        let code = "x = 0\n" + String(repeating: "x += 1\n", count: 750_000) + "print(x)\n"
        #expect(code.utf8.count > 5_000_000)
        let result = try Self.run(code) { $0.limits.fuel = 1_000_000_000 }
        #expect(!result.outcome.isTrap, "\(result.report)")
        print("hostile: 5 MB source ended with \(result.outcome.summary) in \(result.wallTime)")
        // The host is fine afterwards.
        let after = try Self.run("print('still here')")
        #expect(after.stdoutText == "still here\n")
    }

    @Test func hugeStringLiteralEndsCleanly() throws {
        let code = "data = '" + String(repeating: "a", count: 5_000_000) + "'\nprint(len(data))\n"
        let result = try Self.run(code) { $0.limits.fuel = 1_000_000_000 }
        #expect(!result.outcome.isTrap, "\(result.report)")
    }

    // MARK: Device and network modules

    /// What the device and network modules do in a one-shot run today (recorded, see the
    /// report): `machine` imports (with raw memory access to the guest's own linear memory),
    /// `ssl`, `mip` and `requests` fail with ImportError (no `tls`, no `socket`).
    @Test(arguments: [
        ("machine", "completed"),
        ("ssl", "ImportError"),
        ("mip", "ImportError"),
        ("requests", "ImportError"),
        ("socket", "ImportError"),
        ("network", "ImportError"),
    ])
    func deviceAndNetworkModules(_ module: String, _ expected: String) throws {
        let result = try Self.run("import \(module)\nprint(sorted(dir(\(module))))")
        print("hostile: import \(module): \(result.outcome.summary)")
        #expect(!result.outcome.isTrap, "\(result.report)")
        if expected == "completed" {
            #expect(result.outcome.isCompleted, "\(result.report)")
        } else {
            #expect(result.outcome.exception?.type == expected, "\(result.report)")
        }
    }

    /// `machine.mem32` reads and writes the guest's own linear memory: out of range, that is a
    /// Wasm trap, which ends only that guest.
    @Test func machineMemoryAccessOutOfRangeEndsOnlyTheGuest() throws {
        let result = try Self.run("import machine\nprint(machine.mem32[0x7ffffff0])")
        guard case .trapped(let trap) = result.outcome else {
            Issue.record("expected a trap, got \(result.report)")
            return
        }
        #expect(trap.reason.description == "out of bounds memory access")
        let after = try Self.run("print(1 + 1)")
        #expect(after.stdoutText == "2\n")
    }

    // MARK: Cancellation

    @Test func cancellationFromAnotherThreadStopsTheRun() throws {
        // The run gets a thread of its own (not the test's cooperative pool, which other tests
        // may be keeping busy), and a third thread cancels it.
        let cancellation = PythonCancellation()
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<PythonRunResult, PythonConfigurationError>?>(nil)
        Thread.detachNewThread {
            let result = Result { () throws(PythonConfigurationError) -> PythonRunResult in
                var options = PythonRunOptions.deterministic(heap: 2 << 20, fuel: nil, timeout: .seconds(120))
                options.cancellation = cancellation
                options.onStdout = { _ in started.signal() }
                return try loadedPythonOrFail().run(code: "print('started')\nwhile True:\n    pass", options: options)
            }
            outcome.set(result)
            finished.signal()
        }
        #expect(started.wait(timeout: .now() + 60) == .success, "the guest never started")
        Thread.sleep(forTimeInterval: 0.1)
        let cancelledAt = ContinuousClock.now
        Thread.detachNewThread { cancellation.cancel() }
        #expect(finished.wait(timeout: .now() + 60) == .success, "cancellation did not stop the run")
        #expect(ContinuousClock.now - cancelledAt < .seconds(10))
        let result = try #require(try outcome.get()?.get())
        #expect(result.outcome.limit == .cancelled, "\(result.report)")
        #expect(cancellation.isCancelled)
        #expect(result.stdoutText == "started\n")
    }

    @Test func cancellationBeforeTheRunStopsItAtOnce() throws {
        let cancellation = PythonCancellation()
        cancellation.cancel()
        let result = try Self.run("while True:\n    pass") {
            $0.limits.fuel = nil
            $0.cancellation = cancellation
        }
        #expect(result.outcome.limit == .cancelled, "\(result.report)")
    }

    // MARK: Survival

    /// Several hostile programs in a row in one process, then an ordinary one.
    @Test func hostSurvivesASequenceOfHostilePrograms() throws {
        let hostile: [(String, (inout PythonRunOptions) -> Void)] = [
            ("while True: pass", { $0.limits.fuel = 50_000_000 }),
            ("def f(): f()\nf()", { _ in }),
            ("x = []\nwhile True: x.append('y' * 10000)", { _ in }),
            ("while True: print('z' * 100)", { $0.limits.maxOutputBytes = 4096 }),
            ("import machine\nmachine.mem32[0x7ffffff0] = 1", { _ in }),
            ("open('/etc/passwd')", { _ in }),
            ("raise SystemExit(7)", { _ in }),
        ]
        for (code, configure) in hostile {
            let result = try Self.run(code, configure)
            #expect(!result.outcome.isCompleted || result.exitStatus == 7, "\(code): \(result.report)")
        }
        let ok = try Self.run("print(sum(range(10)))")
        #expect(ok.outcome.isCompleted)
        #expect(ok.stdoutText == "45\n")
    }
}
