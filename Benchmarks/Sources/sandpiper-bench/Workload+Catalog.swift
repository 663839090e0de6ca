// The workloads `sandpiper-bench` runs, in report order. Kernel sizes are chosen so each takes
// roughly 0.1–1 s on WasmKit on a 2020s x86_64 core; change them and old baselines stop being
// comparable (the JSON records each workload's summary, which says its size). The MicroPython,
// start-up and fuel rows are in Workload+MicroPython.swift, +Startup and +Fuel.

extension Workload {
    /// Every workload, in report order: C kernels, MicroPython programs, start-up, fuel overhead.
    static let catalog: [Workload] = kernels + micropython + startup + fuel(bases: kernels + micropython)

    /// The C kernels.
    static let kernels: [Workload] = [
        Workload(
            name: "fib",
            summary: "fib(35), recursive, i32: calls and returns",
            body: .invocation(Invocation(module: .kernel("fib"), entry: "fib", arguments: [.i32(35)])),
            expected: .values([.i32(9_227_465)])),
        Workload(
            name: "sieve",
            summary: "sieve of Eratosthenes below 10,000,000: byte loads and stores",
            body: .invocation(Invocation(module: .kernel("sieve"), entry: "sieve",
                                         arguments: [.i32(10_000_000), .i32(1)])),
            expected: .values([.i32(664_579)])),
        Workload(
            name: "matmul",
            summary: "200x200 f64 matrix multiply, 3 repetitions: float arithmetic",
            body: .invocation(Invocation(module: .kernel("matmul"), entry: "matmul", arguments: [.i32(3)]))),
        Workload(
            name: "crc32",
            summary: "table-driven CRC-32 over 1 MiB, 16 passes: table lookups, shifts",
            body: .invocation(Invocation(module: .kernel("crc32"), entry: "crc32", arguments: [.i32(16)]))),
        Workload(
            name: "stackvm",
            summary: "bytecode stack VM (switch dispatch) running Collatz below 12,000",
            body: .invocation(Invocation(module: .kernel("stackvm"), entry: "stackvm", arguments: [.i32(12_000)]))),
        Workload(
            name: "lz",
            summary: "LZSS compress + decompress 256 KiB of text, 3 repetitions",
            body: .invocation(Invocation(module: .kernel("lz"), entry: "lz", arguments: [.i32(3)]))),
    ]
}
