// Throughput: 1,000 events to 4 counter plugins with default limits, no failures. Prints events
// per second and the emit call's median and p99 latency (grep THROUGHPUT:).

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin throughput")
    struct PluginThroughputTests {
        static let counterSource = """
            import sandpiper

            count = 0

            @sandpiper.on("test.ping")
            def ping(payload):
                global count
                count += 1
                return [count, payload["n"]]
            """

        @Test("1,000 events to 4 plugins")
        func thousandEvents() async throws {
            let sandbox = try PluginSandbox("throughput")
            defer { sandbox.cleanUp() }
            let ids = ["counter-a", "counter-b", "counter-c", "counter-d"]
            for id in ids { try sandbox.plugin(id, source: Self.counterSource) }
            let host = try PluginTestApp().host(sandbox)   // file-backed audit, like an app
            let loadStarted = ContinuousClock.now
            let report = await host.load()
            let loadTime = ContinuousClock.now - loadStarted
            #expect(report.loaded.count == 4 && report.failures.isEmpty)

            let events = 1_000
            var latencies: [Double] = []
            latencies.reserveCapacity(events)
            var failures: [String] = []
            var fuel: Int64 = 0
            var handlerTime = Duration.zero
            let started = ContinuousClock.now
            for n in 1...events {
                let t0 = ContinuousClock.now
                let results = await host.emit("test.ping", payload: .dict(["n": .int(Int64(n)), "note": "payload text"]))
                latencies.append(pluginMilliseconds(ContinuousClock.now - t0))
                if results.count != 4 { failures.append("event \(n): \(results.count) results") }
                for r in results {
                    fuel += r.fuelUsed
                    handlerTime += r.duration
                    guard case .completed(let values) = r.outcome, values == [.list([.int(Int64(n)), .int(Int64(n))])] else {
                        failures.append("event \(n) \(r.plugin): \(r.outcome)")
                        continue
                    }
                }
                if failures.count > 10 { break }
            }
            let total = ContinuousClock.now - started
            #expect(failures.isEmpty, "\(failures.prefix(10))")
            let sorted = latencies.sorted()
            let median = sorted[sorted.count / 2]
            let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            let perSecond = Double(latencies.count) / (pluginMilliseconds(total) / 1000)
            print("THROUGHPUT: \(latencies.count) events x 4 plugins in \(String(format: "%.0f", pluginMilliseconds(total))) ms: \(String(format: "%.0f", perSecond)) events/s (\(String(format: "%.0f", perSecond * 4)) handler runs/s); emit latency median \(String(format: "%.3f", median)) ms, p99 \(String(format: "%.3f", p99)) ms, max \(String(format: "%.3f", sorted.last ?? 0)) ms; loading 4 plugins took \(String(format: "%.0f", pluginMilliseconds(loadTime))) ms")
            let runs = Double(max(1, latencies.count * 4))
            print("THROUGHPUT: per handler run: \(Int64(Double(fuel) / runs)) Wasm instructions, \(String(format: "%.3f", pluginMilliseconds(handlerTime) / runs)) ms inside the session call")

            // What one audit entry costs (each event writes one per plugin).
            let auditLog = AuditLog(file: sandbox.root.appendingPathComponent("bench-audit.jsonl"))
            let auditStarted = ContinuousClock.now
            for i in 0..<2_000 {
                auditLog.record(.event, plugin: "counter-a", version: "1.0.0", function: "test.ping", arguments: "('test.ping', {'n': \(i)})",
                                duration: .microseconds(250), outcome: "ok")
            }
            print("THROUGHPUT: one audit entry (file-backed) costs \(String(format: "%.1f", pluginMilliseconds(ContinuousClock.now - auditStarted) * 1000 / 2_000)) µs")

            let statuses = await host.statuses()
            #expect(statuses.allSatisfy { $0.running && $0.consecutiveFailures == 0 })
            #expect(host.audit.entries().filter { $0.kind == .event }.count == 4 * events)
            await host.shutdown()
        }
    }
}
