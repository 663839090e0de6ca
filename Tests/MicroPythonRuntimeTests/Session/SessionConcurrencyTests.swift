// Sessions and Swift concurrency: a guest waiting for an async Swift function is suspended (just
// memory), so other sessions keep running; one session used from many tasks serves them one at
// a time.

import Foundation
import Synchronization
import Testing
@testable import MicroPythonRuntime

extension SessionSuites {
    @Suite("Session concurrency")
    struct SessionConcurrencyTests {
        @Test("async Swift functions interleave across 50 sessions")
        func fiftySessions() async throws {
            let count = 50
            let napMs = 100
            var sessions: [PythonSession] = []
            for _ in 0..<count {
                let s = try await SessionFixture.session()
                _ = try await s.exec("""
                    import notes
                    def work(i):
                        a = notes.nap(\(napMs), i)
                        b = notes.nap(\(napMs), i * 1000)
                        return [a, b, i]
                    """, file: "plugin.py")
                sessions.append(s)
            }
            let before = SessionFixture.naps.total
            let started = ContinuousClock.now
            let results = await withTaskGroup(of: (Int, Result<PythonValue, SessionError>).self) { group in
                for (i, s) in sessions.enumerated() {
                    group.addTask {
                        do throws(SessionError) {
                            return (i, .success(try await s.call("work", [.int(Int64(i))]).value))
                        } catch {
                            return (i, .failure(error))
                        }
                    }
                }
                var out: [(Int, Result<PythonValue, SessionError>)] = []
                for await r in group { out.append(r) }
                return out
            }
            let wall = ContinuousClock.now - started
            #expect(results.count == count)
            for (i, r) in results {
                switch r {
                case .success(let v): #expect(v == .list([.int(Int64(i)), .int(Int64(i * 1000)), .int(Int64(i))]), "session \(i): \(v)")
                case .failure(let e): Issue.record("session \(i) failed: \(e)")
                }
            }
            #expect(SessionFixture.naps.total - before >= 2 * count)
            let serial = Double(count * 2 * napMs)
            let ms = sessionMilliseconds(wall)
            print("SESSION-ASYNC: 50 sessions x 2 awaits of \(napMs) ms: wall \(String(format: "%.0f", ms)) ms (serial would be \(Int(serial)) ms); max naps in flight \(SessionFixture.naps.maxInFlight)")
            // Far below running them one after another (and below 50 x one sleep).
            #expect(ms < Double(count * napMs), "wall \(ms) ms")
            #expect(SessionFixture.naps.maxInFlight >= 10)
        }

        @Test("one session used from many tasks serves them one at a time")
        func serialized() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("""
                import notes
                n = 0
                def step(i):
                    global n
                    print('start', i)
                    mine = n + 1
                    notes.nap(1, i)          # suspend mid-request: nobody else may run in this session now
                    n = mine
                    print('end', i)
                    return [i, n]
                """)
            let tasks = 60
            let results = await withTaskGroup(of: (Int, SessionReply<PythonValue>?).self) { group in
                for i in 0..<tasks {
                    group.addTask { (i, try? await session.call("step", [.int(Int64(i))])) }
                }
                var out: [(Int, SessionReply<PythonValue>?)] = []
                for await r in group { out.append(r) }
                return out
            }
            var counters: [Int64] = []
            for (i, reply) in results {
                guard let reply else {
                    Issue.record("call \(i) failed")
                    continue
                }
                #expect(reply.stdout == "start \(i)\nend \(i)\n", "call \(i) saw another call's output: \(reply.stdout.debugDescription)")
                guard case .list(let parts) = reply.value, parts.count == 2, case .int(let n) = parts[1] else {
                    Issue.record("call \(i) returned \(reply.value)")
                    continue
                }
                #expect(parts[0] == .int(Int64(i)))
                counters.append(n)
            }
            // Lost updates would show as repeated counter values.
            #expect(counters.sorted() == (1...Int64(tasks)).map { $0 })
            #expect(try await session.value("n") == .int(Int64(tasks)))
        }

        @Test("concurrent mixed requests on one session: exec, eval, call")
        func mixedRequests() async throws {
            let session = try await SessionFixture.session()
            _ = try await session.exec("log = []")
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<30 {
                    group.addTask {
                        switch i % 3 {
                        case 0: _ = try? await session.exec("log.append(\(i))")
                        case 1: _ = try? await session.eval("len(log)")
                        default: _ = try? await session.call("log.append", [.int(Int64(i))])
                        }
                    }
                }
            }
            guard case .list(let items) = try await session.value("sorted(log)") else {
                Issue.record("log is not a list")
                return
            }
            #expect(items == (0..<30).filter { $0 % 3 != 1 }.map { .int(Int64($0)) })
        }
    }
}
