// Load: 50 plugins with limits, 200 events each after 200 warm-up events, several events in
// flight at once. No failure, every plugin sees every event exactly once (no starvation), and
// resident memory stays flat after warm-up (by then each plugin's heap has filled and been
// collected, so its pages are all touched). Prints the figures (grep LOAD:).

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin load")
    struct PluginLoadTests {
        static let plugins = 50
        static let warmUp = 200
        static let events = 200 + warmUp
        /// Events in flight at once (each goes to every plugin concurrently).
        static let inFlight = 4

        static let workerSource = """
            import sandpiper

            seen = []

            @sandpiper.on("test.ping")
            def ping(payload):
                seen.append(payload["n"])
                words = payload["text"].split()
                return [len(seen), len(words), sum(len(w) for w in words)]
            """

        @Test("50 plugins x 200 events after warm-up, concurrently, with limits")
        func fiftyPlugins() async throws {
            let sandbox = try PluginSandbox("load")
            defer { sandbox.cleanUp() }
            let ids = (0..<Self.plugins).map { String(format: "worker-%02d", $0) }
            let limits: [String: Any] = ["fuel": 20_000_000, "heap": "512K", "memory": "4M", "timeout": 5, "output": "4K"]
            for id in ids { try sandbox.plugin(id, source: Self.workerSource, fields: ["limits": limits]) }
            // The audit log keeps 1,000 entries in memory, so what grows would be a leak.
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil, entriesInMemory: 1_000))
            let loadStarted = ContinuousClock.now
            let report = await host.load()
            let loadTime = ContinuousClock.now - loadStarted
            #expect(report.loaded.count == Self.plugins && report.failures.isEmpty, "\(report.failures)")

            let text = "the quick brown fox jumps over the lazy dog"
            let wordLengths = text.split(separator: " ").reduce(0) { $0 + $1.count }
            let warmUp = Self.warmUp
            var residentAfterWarmUp: Int?
            var failures: [String] = []
            var handled = [String: Int]()
            var latencies: [Double] = []
            let started = ContinuousClock.now
            var next = 1
            while next <= Self.events {
                let batch = next...min(Self.events, next + Self.inFlight - 1)
                let outcomes = await withTaskGroup(of: (Int, Double, [PluginRunResult]).self) { group in
                    for n in batch {
                        group.addTask {
                            let t0 = ContinuousClock.now
                            let r = await host.emit("test.ping", payload: .dict(["n": .int(Int64(n)), "text": .string(text)]))
                            return (n, pluginMilliseconds(ContinuousClock.now - t0), r)
                        }
                    }
                    var all: [(Int, Double, [PluginRunResult])] = []
                    for await item in group { all.append(item) }
                    return all
                }
                for (n, ms, results) in outcomes {
                    latencies.append(ms)
                    if results.count != Self.plugins { failures.append("event \(n): \(results.count) results") }
                    for r in results {
                        guard case .completed(let values) = r.outcome, case .list(let parts)? = values.first, parts.count == 3,
                              parts[1] == 9, parts[2] == .int(Int64(wordLengths)) else {
                            failures.append("event \(n) \(r.plugin): \(r.outcome)")
                            continue
                        }
                        handled[r.plugin, default: 0] += 1
                    }
                }
                next = batch.upperBound + 1
                if next > warmUp && residentAfterWarmUp == nil { residentAfterWarmUp = residentBytes() }
                if failures.count > 20 { break }
            }
            let total = ContinuousClock.now - started
            let residentAtEnd = residentBytes()
            #expect(failures.isEmpty, "\(failures.prefix(20))")
            // No starvation: every plugin handled every event, and its own count says so.
            #expect(handled.count == Self.plugins && handled.values.allSatisfy { $0 == Self.events }, "\(handled)")
            let counts = await host.emit("test.ping", payload: .dict(["n": .int(0), "text": ""]))
            #expect(counts.allSatisfy { r in
                if case .completed(let v) = r.outcome, case .list(let p)? = v.first { return p.first == .int(Int64(Self.events + 1)) }
                return false
            })
            let sorted = latencies.sorted()
            let runs = Double(Self.plugins * Self.events)
            print("LOAD: \(Self.plugins) plugins x \(Self.events) events (\(Self.inFlight) in flight) in \(String(format: "%.0f", pluginMilliseconds(total))) ms: \(String(format: "%.0f", runs / (pluginMilliseconds(total) / 1000))) handler runs/s; emit latency median \(String(format: "%.1f", sorted[sorted.count / 2])) ms, p99 \(String(format: "%.1f", sorted[Int(Double(sorted.count - 1) * 0.99)])) ms; loading took \(String(format: "%.0f", pluginMilliseconds(loadTime))) ms")
            if let before = residentAfterWarmUp, let after = residentAtEnd {
                print("LOAD: resident memory after \(warmUp) events \(before >> 20) MiB, after \(Self.events) events \(after >> 20) MiB")
                #expect(after <= before + (8 << 20), "resident memory grew from \(before >> 20) MiB to \(after >> 20) MiB")
            }
            let statuses = await host.statuses()
            #expect(statuses.allSatisfy { $0.running && $0.consecutiveFailures == 0 })
            await host.shutdown()
        }
    }
}
