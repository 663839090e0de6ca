// Limits in sessions: fuel, time and output are per request; hitting one ends the session with
// a typed reason, and every later request throws `.closed`.

import Foundation
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session limits")
    struct SessionLimitTests {
        func expectClosed(_ session: PythonSession, mentioning word: String, sourceLocation: SourceLocation = #_sourceLocation) async {
            let later = await sessionError { _ = try await session.eval("1") }
            guard case .closed(let reason)? = later else {
                Issue.record("expected .closed after the limit, got \(String(describing: later))", sourceLocation: sourceLocation)
                return
            }
            #expect(reason.contains(word), "\(reason)", sourceLocation: sourceLocation)
            #expect(later?.sessionIsAlive == false, sourceLocation: sourceLocation)
        }

        @Test("fuel is per request; running out ends the session")
        func fuel() async throws {
            var limits = PythonLimits()
            limits.fuel = 30_000_000
            let session = try await SessionFixture.session(limits: limits)
            _ = try await session.exec("def spin(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t")
            // Many requests that together use far more than one budget: the budget is per request.
            let probe = try await session.call("spin", [10_000]).fuelUsed
            #expect(probe > 0)
            // About a third of the budget per request.
            let n = Int64(max(1_000, min(5_000_000, 10_000 * 10_000_000 / max(probe, 1))))
            var total: Int64 = 0
            for _ in 0..<5 {
                let reply = try await session.call("spin", [.int(n)])
                #expect(reply.fuelUsed < 30_000_000)
                total += reply.fuelUsed
            }
            #expect(total > 30_000_000, "total \(total)")
            let error = await sessionError { _ = try await session.exec("while True:\n    pass", file: "plugin.py") }
            guard case .limitExceeded(let limit, let why)? = error else {
                Issue.record("expected a fuel limit, got \(String(describing: error))")
                return
            }
            #expect(limit == .fuel)
            #expect(why.contains("30000000"), "\(why)")
            #expect(error?.sessionIsAlive == false)
            #expect(await session.endReason != nil)
            await expectClosed(session, mentioning: "fuel")
        }

        @Test("a timeout ends the session")
        func timeout() async throws {
            var limits = PythonLimits()
            limits.fuel = nil
            limits.timeout = .milliseconds(300)
            let session = try await SessionFixture.session(limits: limits)
            // Work under the limit is fine, many times over.
            for _ in 0..<3 { _ = try await session.exec("import time\ntime.sleep_ms(100)") }
            let started = ContinuousClock.now
            let error = await sessionError { _ = try await session.exec("while True:\n    pass") }
            let elapsed = ContinuousClock.now - started
            guard case .limitExceeded(let limit, _)? = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                return
            }
            #expect(limit == .timeout)
            #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(5), "stopped after \(elapsed)")
            await expectClosed(session, mentioning: "time")
        }

        @Test("the deadline also covers time spent waiting for an async Swift function")
        func timeoutAcrossAsync() async throws {
            var limits = PythonLimits()
            limits.fuel = nil
            limits.timeout = .milliseconds(200)
            let session = try await SessionFixture.session(limits: limits)
            _ = try await session.exec("import notes")
            let error = await sessionError { _ = try await session.exec("notes.nap(500, 1)\nx = 0\nfor i in range(1000):\n    x += i") }
            guard case .limitExceeded(let limit, _)? = error else {
                Issue.record("a request that waited 500 ms with a 200 ms timeout was not stopped: \(String(describing: error))")
                return
            }
            #expect(limit == .timeout)
        }

        /// The time limit holds while a Swift function runs: the request ends at the deadline,
        /// the function's task is cancelled, and one that ignores that (blocking its thread) is
        /// not waited for.
        @Test("a Swift function still running at the deadline is cancelled and not waited for")
        func asyncFunctionsAreCutOff() async throws {
            var slow = PythonModule("slow", doc: "Slow functions.")
            slow.addAsync("stubborn", doc: "Blocks its thread for ms milliseconds.", Param<Int>("ms"), returns: Int.self) { ms in
                usleep(UInt32(ms) * 1000)
                return ms
            }
            for code in ["notes.nap(60000, 1)", "slow.stubborn(3000)"] {
                var c = SessionFixture.configuration
                c.modules.append(slow)
                c.limits.fuel = nil
                c.limits.timeout = .milliseconds(300)
                let session = try await PythonSession.start(guest: try SessionGuest.load(), configuration: c)
                _ = try await session.exec("import notes, slow")
                let started = ContinuousClock.now
                let error = await sessionError { _ = try await session.exec(code) }
                let elapsed = ContinuousClock.now - started
                guard case .limitExceeded(let limit, _)? = error else {
                    Issue.record("\(code): expected a timeout, got \(String(describing: error))")
                    continue
                }
                #expect(limit == .timeout)
                #expect(elapsed < .milliseconds(2_000), "\(code) ended after \(elapsed)")
                await expectClosed(session, mentioning: "time")
            }
        }

        @Test("the output cap is per request; exceeding it ends the session")
        func output() async throws {
            var limits = PythonLimits()
            limits.maxOutputBytes = 1000
            let session = try await SessionFixture.session(limits: limits)
            for _ in 0..<5 {
                #expect(try await session.exec("print('y' * 800)").stdout.count == 801)
            }
            let error = await sessionError { _ = try await session.exec("for i in range(100):\n    print('z' * 100)") }
            guard case .limitExceeded(let limit, _)? = error else {
                Issue.record("expected an output limit, got \(String(describing: error))")
                return
            }
            #expect(limit == .output)
            await expectClosed(session, mentioning: "output")
        }

        @Test("a limit in one forked session leaves the template and its siblings working")
        func forkedLimitIsolation() async throws {
            var configuration = SessionFixture.configuration
            configuration.limits.fuel = 20_000_000
            let template = try await SessionTemplate.make(guest: try SessionGuest.load(), configuration: configuration)
            let doomed = try await template.makeSession()
            let sibling = try await template.makeSession()
            _ = try await sibling.exec("kept = 41")
            let error = await sessionError { _ = try await doomed.exec("while True:\n    pass") }
            guard case .limitExceeded(.fuel, _)? = error else {
                Issue.record("expected a fuel limit, got \(String(describing: error))")
                return
            }
            #expect(try await sibling.value("kept + 1") == 42)
            let fresh = try await template.makeSession()
            #expect(try await fresh.value("'kept' in globals()") == .bool(false))
            #expect(try await fresh.exec("import notes\nprint(notes.add('a'))").stdout == "1000\n")
        }

        @Test("invalid limits are refused at start with a reason")
        func invalidLimits() async throws {
            var limits = PythonLimits()
            limits.heapBytes = 64 << 20
            limits.memoryBytes = 32 << 20
            let error = await sessionError { _ = try await SessionFixture.session(limits: limits) }
            guard case .bootFailed(let why)? = error else {
                Issue.record("expected bootFailed, got \(String(describing: error))")
                return
            }
            #expect(why.contains("heap"), "\(why)")
        }
    }
}
