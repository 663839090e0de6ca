// Start-up and per-call rows: how long until MicroPython has run `print(1)`, cold and with the
// guest already decoded, a loop of calls from Wasm into a Swift host function, and (Sandpiper
// only) a forked session's first answer and a call from Python into Swift.

extension Workload {
    /// The start-up rows, in report order.
    static let startup: [Workload] = [
        Workload(
            name: "cold-start",
            summary: "the guest from its bytes to `print(1)` done, with the 64 MiB heap",
            group: .startup,
            timed: "decode + validate + instantiate + boot MicroPython + `print(1)` + exit",
            body: .custom(module: .file(MicroPythonWorkloads.guestPath),
                          setups: [.sandpiper: SandpiperGuest.coldStartSetup, .wasmKit: WasmKitGuest.coldStartSetup]),
            expected: .output("1\n")),
        Workload(
            name: "warm-start",
            summary: "`print(1)` on the already decoded guest, with the 64 MiB heap: the fixed part of every py- row",
            group: .startup,
            timed: "instantiate the decoded guest + boot MicroPython + `print(1)` + exit (as in the py- rows)",
            body: .custom(module: .file(MicroPythonWorkloads.guestPath),
                          setups: [.sandpiper: SandpiperGuest.programSetup(code: "print(1)"),
                                   .wasmKit: WasmKitGuest.programSetup(code: "print(1)")]),
            expected: .output("1\n")),
        Workload(
            name: "hostcall",
            summary: "2,000,000 calls from Wasm of a Swift host function (env.mix)",
            group: .startup,
            timed: "the exported call: 2,000,000 round trips into `env.mix(i32, i32) -> i32` and back",
            body: .invocation(Invocation(module: .kernel("hostcall"), imports: .hostcallMix, entry: "hostcall",
                                         arguments: [.i32(2_000_000)])),
            expected: .values([.i32(hostcallExpected(2_000_000))])),
        Workload(
            name: "session-call",
            summary: "a session forked from a booted SessionTemplate answers eval(\"1+1\") (default SessionConfiguration, 8 MiB heap)",
            group: .startup,
            timed: "`template.makeSession()` + `eval(\"1+1\")`; set-up (not timed): `SessionTemplate.make`",
            body: .custom(module: .file(MicroPythonWorkloads.guestPath), setups: [.sandpiper: SandpiperSessions.firstCallSetup]),
            expected: .output("2"),
            engines: [.sandpiper]),
        Workload(
            name: "swift-call",
            summary: "one call from Python into a Swift PythonModule function and back (10,000-call loop in one session request)",
            group: .startup,
            timed: "per call: one `session.call` running 10,000 calls of `bench.mix`, ÷ 10,000; set-up (not timed): template, session, `def loop`",
            body: .custom(module: .file(MicroPythonWorkloads.guestPath), setups: [.sandpiper: SandpiperSessions.swiftCallSetup]),
            expected: .output(String(SandpiperSessions.expectedLoop)),
            engines: [.sandpiper]),
    ]

    /// What Kernels/hostcall.c returns for `n`, computed natively.
    static func hostcallExpected(_ n: Int) -> UInt32 {
        var acc: UInt32 = 1
        for i in 0..<n { acc = ImportSetup.mix(acc, UInt32(i)) }
        return acc
    }
}
