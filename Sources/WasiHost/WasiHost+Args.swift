// args_get, args_sizes_get, environ_get, environ_sizes_get: the command line and environment.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-args_getargv-pointerpointeru8-argv_buf-pointeru8---result-errno

import WasmInterpreter

extension WasiHost {
    /// `args_get(argv, argv_buf)`.
    func argsGet(_ c: HostCall) throws {
        try writeStrings(argumentStrings, pointers: c.u32(0), buffer: c.u32(1), memory: c.memory)
    }

    /// `args_sizes_get(argc_out, argv_buf_size_out)`.
    func argsSizesGet(_ c: HostCall) throws {
        try writeSizes(argumentStrings, count: c.u32(0), size: c.u32(1), memory: c.memory)
    }

    /// `environ_get(environ, environ_buf)`.
    func environGet(_ c: HostCall) throws {
        try writeStrings(environmentStrings, pointers: c.u32(0), buffer: c.u32(1), memory: c.memory)
    }

    /// `environ_sizes_get(count_out, buf_size_out)`.
    func environSizesGet(_ c: HostCall) throws {
        try writeSizes(environmentStrings, count: c.u32(0), size: c.u32(1), memory: c.memory)
    }

    /// Writes NUL-terminated strings back to back at `buffer`, and a pointer to each at `pointers`.
    private func writeStrings(_ strings: [[UInt8]], pointers: UInt32, buffer: UInt32, memory: GuestMemory) throws {
        var offset = 0
        for (i, s) in strings.enumerated() {
            let at = try GuestMemory.address(buffer, plus: offset)
            try memory.store(at, at: try GuestMemory.address(pointers, plus: i * 4))
            try memory.write(s, at: at)
            offset += s.count
        }
    }

    /// Writes the string count and their total size (NULs included).
    private func writeSizes(_ strings: [[UInt8]], count: UInt32, size: UInt32, memory: GuestMemory) throws {
        try memory.store(UInt32(strings.count), at: count)
        try memory.store(UInt32(strings.reduce(0) { $0 + $1.count }), at: size)
    }
}
