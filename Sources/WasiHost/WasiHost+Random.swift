// random_get: bytes from the configured source (see RandomGenerator).
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-random_getbuf-pointeru8-buf_len-size---result-errno

import WasmInterpreter

extension WasiHost {
    /// `random_get(buf, buf_len)`.
    func randomGet(_ c: HostCall) throws {
        let count = Int(c.u32(1))
        _ = try c.memory.withBytes(at: c.u32(0), count: count) { _ in }
        try c.memory.write(random.bytes(count), at: c.u32(0))
    }
}
