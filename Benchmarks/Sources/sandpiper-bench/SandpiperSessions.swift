// Resident sessions, which only Sandpiper has: how fast a forked session answers its first
// request, and what one call from Python into a Swift function costs. Public API only
// (SessionTemplate, PythonSession, PythonModule), as in Tests/MicroPythonRuntimeTests/Session.
import MicroPythonRuntime

enum SandpiperSessions {
    /// `SessionConfiguration()`'s defaults (8 MiB heap, 64 MiB memory, 30 s per request) with,
    /// like the rest of the run, fuel metering only with `--fuel` (then the default budget).
    static func configuration(fuelMetering: Bool, modules: [PythonModule] = []) -> SessionConfiguration {
        var configuration = SessionConfiguration()
        configuration.modules = modules
        if !fuelMetering { configuration.limits.fuel = nil }
        return configuration
    }

    /// Set-up (not timed): boot a `SessionTemplate`. Timed: `makeSession()` (fork the booted
    /// guest) and its first request, `eval("1+1")`. The session is closed after the clock stops.
    static let firstCallSetup: CustomSetup = { input in
        let guest = try MicroPythonGuest.load(path: input.modulePath)
        let configuration = configuration(fuelMetering: input.fuelMetering)
        let template = try waitFor { try await SessionTemplate.make(guest: guest, configuration: configuration) }
        return PreparedRun(selfTimed: {
            try waitFor {
                let clock = ContinuousClock()
                let start = clock.now
                let session = try await template.makeSession()
                let reply = try await session.eval("1+1")
                let elapsed = (clock.now - start).seconds
                await session.close()
                return (WorkloadResult.output(reply.value.description), elapsed)
            }
        })
    }

    /// Calls of `bench.mix` per timed request.
    static let calls = 10_000

    /// The Swift module Python calls: `bench.mix(a, b)`, a small arithmetic step.
    static let benchModule: PythonModule = {
        var module = PythonModule("bench", doc: "sandpiper-bench: a Swift function to call from Python.")
        module.add("mix", doc: "(a * 31 + b) % 1000003", Param<Int>("a"), Param<Int>("b"), returns: Int.self) { a, b in
            mix(a, b)
        }
        return module
    }()

    static func mix(_ a: Int, _ b: Int) -> Int { (a &* 31 &+ b) % 1_000_003 }

    /// What `loop(calls)` returns, computed natively.
    static var expectedLoop: Int {
        var acc = 1
        for i in 0..<calls { acc = mix(acc, i) }
        return acc
    }

    /// Defined in the session before timing.
    static let loopCode = """
        import bench

        def loop(n):
            mix = bench.mix
            acc = 1
            for i in range(n):
                acc = mix(acc, i)
            return acc
        """

    /// Set-up (not timed): boot a template with `bench`, fork a session, define `loop`. Timed:
    /// one request, `call("loop", [10000])`, whose 10,000 iterations each call Swift's `mix`
    /// and get its result back; the time is divided by 10,000 (so it also carries 1/10000 of one
    /// request's cost and one Python loop iteration).
    static let swiftCallSetup: CustomSetup = { input in
        let guest = try MicroPythonGuest.load(path: input.modulePath)
        let configuration = configuration(fuelMetering: input.fuelMetering, modules: [benchModule])
        let session = try waitFor {
            let template = try await SessionTemplate.make(guest: guest, configuration: configuration)
            let session = try await template.makeSession()
            _ = try await session.exec(loopCode)
            return session
        }
        return PreparedRun(selfTimed: {
            try waitFor {
                let clock = ContinuousClock()
                let start = clock.now
                let reply = try await session.call("loop", [.int(Int64(calls))])
                let elapsed = (clock.now - start).seconds
                return (WorkloadResult.output(reply.value.description), elapsed / Double(calls))
            }
        })
    }
}
