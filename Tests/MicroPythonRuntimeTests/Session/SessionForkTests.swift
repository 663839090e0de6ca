// Forking sessions from a booted template: independent state, fast, and what an idle session
// costs in memory.

import Foundation
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session templates and forks")
    struct SessionForkTests {
        @Test("sessions from one template are independent")
        func independence() async throws {
            let template = try await SessionFixture.sharedTemplate()
            let a = try await template.makeSession()
            let b = try await template.makeSession()
            _ = try await a.exec("secret = 'only in a'\nimport sys\nsys.modules['planted'] = 1\nimport notes\nnotes.extra = 5")
            let missing = await pythonException { _ = try await b.eval("secret") }
            #expect(missing?.type == "NameError")
            #expect(try await b.value("'planted' in __import__('sys').modules") == .bool(false))
            #expect(try await b.exec("import notes\nprint(hasattr(notes, 'extra'))").stdout == "False\n")
            #expect(try await a.value("secret") == "only in a")
            // Later forks start from the template, not from any session.
            let c = try await template.makeSession()
            #expect(try await c.value("'secret' in globals()") == .bool(false))
            // Output goes to each session's own reply.
            async let outA = a.exec("print('from a')")
            async let outB = b.exec("print('from b')")
            #expect(try await outA.stdout == "from a\n")
            #expect(try await outB.stdout == "from b\n")
        }

        @Test("forking is fast and an idle session's memory is reported")
        func forkCostAndMemory() async throws {
            let template = try await SessionFixture.sharedTemplate()
            _ = try await template.makeSession() // warm up
            let forks = 20
            var sessions: [PythonSession] = []
            let started = ContinuousClock.now
            for _ in 0..<forks { sessions.append(try await template.makeSession()) }
            let perFork = sessionMilliseconds(ContinuousClock.now - started) / Double(forks)
            // The fork alone (no modules granted, so no install request runs in the new session).
            let bareStarted = ContinuousClock.now
            var bare: [PythonSession] = []
            for _ in 0..<forks { bare.append(try await template.makeSession(grant: [])) }
            let perBareFork = sessionMilliseconds(ContinuousClock.now - bareStarted) / Double(forks)
            #expect(try await bare[0].value("3") == 3)
            bare.removeAll()
            for s in sessions { #expect(try await s.value("1 + 1") == 2) }
            let memory = await sessions[0].memoryBytes
            #expect(memory > 0)

            // Starting a session forks the guest's booted prelude (`PreludeCache`); booting one
            // runs MicroPython's start and the prelude. (A guest of its own: other suites'
            // sessions cannot push its boot out of the cache.)
            let guest = try SessionPreludeCacheTests.freshGuest()
            _ = try await PythonSession.start(guest: guest, configuration: SessionFixture.configuration)
            let startStarted = ContinuousClock.now
            let started2 = try await PythonSession.start(guest: guest, configuration: SessionFixture.configuration)
            let start = sessionMilliseconds(ContinuousClock.now - startStarted)
            #expect(try await started2.value("2") == 2)
            let bootStarted = ContinuousClock.now
            let booted = try PythonSession.boot(guest: guest, configuration: SessionFixture.configuration, gate: nil, observer: nil)
            let boot = sessionMilliseconds(ContinuousClock.now - bootStarted)
            #expect(try await booted.value("2") == 2)

            // The plugin host's standard limits use a 2 MiB heap.
            var small = SessionFixture.configuration
            small.limits.heapBytes = 2 << 20
            small.limits.memoryBytes = 32 << 20
            let smallSession = try await PythonSession.start(guest: try SessionGuest.load(), configuration: small)
            let smallMemory = await smallSession.memoryBytes
            print("MEMORY: idle session linear memory \(memory) bytes (\(memory >> 20) MiB) with the default 8 MiB heap; \(smallMemory) bytes (\(smallMemory >> 20) MiB) with a 2 MiB heap")
            print("SESSION-FORK: \(String(format: "%.2f", perFork)) ms per fork with modules granted, \(String(format: "%.2f", perBareFork)) ms for the bare fork; \(String(format: "%.1f", start)) ms to start a session (its boot cached), \(String(format: "%.1f", boot)) ms to boot one")
            #expect(memory >= 8 << 20)
            #expect(smallMemory < memory)
            #expect(perFork < boot, "forking (\(perFork) ms) should beat booting (\(boot) ms)")
            #expect(start < boot, "starting from the cached boot (\(start) ms) should beat booting (\(boot) ms)")
        }

        @Test("a session's memory does not grow over many requests")
        func noGrowth() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("def churn(i):\n    return [str(j) * 3 for j in range(50)][i % 50]")
            for i in 0..<200 { _ = try await session.call("churn", [.int(Int64(i))]) }
            let after200 = await session.memoryBytes
            for i in 0..<2_000 { _ = try await session.call("churn", [.int(Int64(i))]) }
            let after2200 = await session.memoryBytes
            #expect(after2200 == after200, "memory grew from \(after200) to \(after2200)")
        }
    }
}
