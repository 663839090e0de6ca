import Foundation
import WasmInterpreter
@testable import WasiHost

/// Calls WASI functions one by one with exact arguments: a hand-assembled module imports every
/// `wasi_snapshot_preview1` function and exports a wrapper of the same name that forwards its
/// parameters, plus its memory (2 pages). Tests put strings and structures in memory, call, and
/// read results back.
final class SyscallHarness {
    let host: WasiHost
    let store: Store
    let instance: Instance
    let memory: GuestMemory
    /// Memory size in bytes.
    static let memoryBytes = 2 * 65536

    /// `oneByOne`: the imports are the host's functions made by name (`hostFunction(named:)`,
    /// as a session fork rebinds them) instead of its whole table (`define(into:)`).
    init(_ configuration: WasiConfiguration = WasiConfiguration(), store: Store = Store(), oneByOne: Bool = false) throws {
        host = try WasiHost(configuration: configuration)
        self.store = store
        var imports = Imports()
        if oneByOne {
            for name in WasiHost.functionNames {
                imports.define(WasiHost.moduleName, name, host.hostFunction(named: name)!)
            }
        } else {
            host.define(into: &imports)
        }
        let module = try CompiledModule(bytes: Self.moduleBytes(imports: imports))
        instance = try store.instantiate(module, imports: imports)
        guard case .memory(let index)? = store.export(instance, "memory") else { fatalError("no memory export") }
        memory = store.memory(index)
    }

    /// Calls `name` with integer arguments (converted to each parameter's type); returns the errno.
    @discardableResult
    func call(_ name: String, _ arguments: Int64...) throws(Trap) -> WasiErrno {
        let type = Self.signature(name)
        precondition(arguments.count == type.parameters.count, "\(name) takes \(type.parameters.count) arguments")
        let values: [Value] = zip(arguments, type.parameters).map { a, t in
            t == .i64 ? .i64(UInt64(bitPattern: a)) : .i32(UInt32(truncatingIfNeeded: a))
        }
        let results = try store.call(instance, name, values)
        guard case .i32(let raw)? = results.first else { return .success }
        return WasiErrno(rawValue: UInt16(raw)) ?? .io
    }

    // MARK: Memory

    /// Writes `text` (no NUL) at `address`; returns its length.
    @discardableResult
    func put(_ text: String, at address: UInt32) throws -> Int64 {
        try put(Array(text.utf8), at: address)
    }

    /// Writes bytes at `address`; returns their count.
    @discardableResult
    func put(_ bytes: [UInt8], at address: UInt32) throws -> Int64 {
        try memory.write(bytes, at: address)
        return Int64(bytes.count)
    }

    func u32(_ address: UInt32) throws -> UInt32 { try memory.load(UInt32.self, at: address) }
    func u64(_ address: UInt32) throws -> UInt64 { try memory.load(UInt64.self, at: address) }
    func u8(_ address: UInt32) throws -> UInt8 { try memory.load(UInt8.self, at: address) }
    func bytes(_ address: UInt32, _ count: Int) throws -> [UInt8] { try memory.read(at: address, count: count) }
    func text(_ address: UInt32, _ count: Int) throws -> String { String(decoding: try bytes(address, count), as: UTF8.self) }

    /// Opens `path` relative to `dirFD`; returns (errno, new fd).
    func open(_ path: String, dirFD: Int64 = 3, oflags: Int64 = 0, rights: UInt64 = WasiRights.all.rawValue,
              fdflags: Int64 = 0, follow: Bool = true) throws -> (WasiErrno, Int64) {
        let length = try put(path, at: 1024)
        let errno = try call("path_open", dirFD, follow ? 1 : 0, 1024, length, oflags, Int64(bitPattern: rights),
                             Int64(bitPattern: WasiRights.all.rawValue), fdflags, 512)
        return (errno, errno == .success ? Int64(try u32(512)) : -1)
    }

    /// Writes `bytes` to `fd` through one iovec; returns (errno, count written).
    func write(_ fd: Int64, _ bytes: [UInt8]) throws -> (WasiErrno, Int) {
        try put(bytes, at: 4096)
        try memory.store(UInt32(4096), at: 256)
        try memory.store(UInt32(bytes.count), at: 260)
        let errno = try call("fd_write", fd, 256, 1, 264)
        return (errno, Int(try u32(264)))
    }

    /// Reads up to `count` bytes from `fd`; returns (errno, bytes).
    func read(_ fd: Int64, _ count: Int) throws -> (WasiErrno, [UInt8]) {
        try memory.store(UInt32(4096), at: 256)
        try memory.store(UInt32(count), at: 260)
        let errno = try call("fd_read", fd, 256, 1, 264)
        return (errno, try bytes(4096, Int(try u32(264))))
    }

    /// `fd_readdir` of `fd` into one 4 KiB buffer; returns (errno, entries with their type bytes).
    func directoryEntries(_ fd: Int64) throws -> (WasiErrno, [(name: String, type: UInt8)]) {
        let errno = try call("fd_readdir", fd, 8192, 4096, 0, 300)
        var entries: [(name: String, type: UInt8)] = []
        var offset = 0
        let used = errno == .success ? Int(try u32(300)) : 0
        while offset < used {
            let at = UInt32(8192 + offset)
            let length = Int(try u32(at + 16))
            entries.append((try text(at + 24, length), try u8(at + 20)))
            offset += 24 + length
        }
        return (errno, entries)
    }

    /// Runs a path call with `path` at 1024 (for `(fd, path, len)` functions).
    func pathCall(_ name: String, _ path: String, dirFD: Int64 = 3) throws -> WasiErrno {
        let length = try put(path, at: 1024)
        return try call(name, dirFD, 1024, length)
    }

    /// `path_filestat_get`; returns (errno, filestat).
    func stat(_ path: String, dirFD: Int64 = 3, follow: Bool = true) throws -> (WasiErrno, FileStat?) {
        let length = try put(path, at: 1024)
        let errno = try call("path_filestat_get", dirFD, follow ? 1 : 0, 1024, length, 2048)
        guard errno == .success else { return (errno, nil) }
        return (errno, FileStat(device: try u64(2048), inode: try u64(2056),
                                fileType: WasiFileType(rawValue: try u8(2064)) ?? .unknown, linkCount: try u64(2072),
                                size: try u64(2080), accessTime: try u64(2088), modificationTime: try u64(2096),
                                changeTime: try u64(2104)))
    }

    /// `path_rename` from (dirFD, old) to (newDirFD, new).
    func rename(_ old: String, _ new: String, dirFD: Int64 = 3, newDirFD: Int64 = 3) throws -> WasiErrno {
        let oldLength = try put(old, at: 1024)
        let newLength = try put(new, at: 1536)
        return try call("path_rename", dirFD, 1024, oldLength, newDirFD, 1536, newLength)
    }

    // MARK: The module

    /// The Wasm type of each function.
    static func signature(_ name: String) -> FunctionType {
        if name == "proc_exit" { return FunctionType(parameters: [.i32], results: []) }
        guard let entry = WasiHost.syscalls.first(where: { $0.name == name }) else { fatalError("unknown \(name)") }
        return FunctionType(parameters: entry.parameters, results: [.i32])
    }

    /// A module importing every WASI function and re-exporting a forwarding wrapper for each.
    static func moduleBytes(imports: Imports) -> [UInt8] {
        let names = WasiHost.functionNames
        let types = names.map(signature)
        func leb(_ value: Int) -> [UInt8] {
            var v = value, out: [UInt8] = []
            repeat {
                var byte = UInt8(v & 0x7F)
                v >>= 7
                if v != 0 { byte |= 0x80 }
                out.append(byte)
            } while v != 0
            return out
        }
        func name(_ s: String) -> [UInt8] { leb(s.utf8.count) + Array(s.utf8) }
        func vector(_ items: [[UInt8]]) -> [UInt8] { leb(items.count) + items.flatMap { $0 } }
        func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + leb(body.count) + body }
        func valueType(_ t: ValueType) -> UInt8 { t == .i64 ? 0x7E : 0x7F }

        let typeSection = section(1, vector(types.map { t in
            [0x60] + vector(t.parameters.map { [valueType($0)] }) + vector(t.results.map { [valueType($0)] })
        }))
        let importSection = section(2, vector(names.enumerated().map { i, n in
            name(WasiHost.moduleName) + name(n) + [0x00] + leb(i)
        }))
        let functionSection = section(3, vector(names.indices.map { leb($0) }))
        let memorySection = section(5, vector([[0x00] + leb(memoryBytes / 65536)]))
        let exportSection = section(7, vector([name("memory") + [0x02, 0x00]] + names.enumerated().map { i, n in
            name(n) + [0x00] + leb(names.count + i)
        }))
        let codeSection = section(10, vector(types.enumerated().map { i, t in
            var body: [UInt8] = [0x00]  // no locals
            for p in t.parameters.indices { body += [0x20] + leb(p) }
            body += [0x10] + leb(i) + [0x0B]
            return leb(body.count) + body
        }))
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
            + typeSection + importSection + functionSection + memorySection + exportSection + codeSection
    }
}
