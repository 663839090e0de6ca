// clock_res_get and clock_time_get.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-clock_time_getid-clockid-precision-timestamp---resulttimestamp-errno

import WasmInterpreter

extension WasiHost {
    /// `clock_res_get(id, resolution_out)`.
    func clockResGet(_ c: HostCall) throws {
        guard let id = WasiClockID(rawValue: c.u32(0)) else { throw WasiErrno.inval }
        try c.memory.store(clock.resolution(id), at: c.u32(1))
    }

    /// `clock_time_get(id, precision, time_out)`: the precision is a hint and is ignored.
    func clockTimeGet(_ c: HostCall) throws {
        guard let id = WasiClockID(rawValue: c.u32(0)) else { throw WasiErrno.inval }
        _ = try c.memory.withBytes(at: c.u32(2), count: 8) { _ in }
        try c.memory.store(clock.read(id), at: c.u32(2))
    }
}
