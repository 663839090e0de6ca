// The table of every wasi_snapshot_preview1 function: its Wasm signature and implementation, and
// the one wrapper that turns Swift errors into the errno result.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/wasi_snapshot_preview1.witx

public import WasmInterpreter

extension WasiHost {
    /// The implementation of one function: returns normally for success (errno 0) and throws a
    /// `WasiErrno` for an error result. `GuestMemory.OutOfBounds` becomes `EFAULT`; any other
    /// error (`WasiExit`, `WasiStop`, `Trap`) stops the guest.
    typealias Syscall = @Sendable (WasiHost, HostCall) throws -> Void

    /// One row of `syscalls`. A struct rather than a tuple: a closure stored in a tuple inside an
    /// array is kept in its most general form and each call went through a reabstraction thunk.
    struct SyscallEntry: Sendable {
        let name: String
        let parameters: [ValueType]
        let body: Syscall

        init(_ name: String, _ parameters: [ValueType], _ body: @escaping Syscall) {
            self.name = name
            self.parameters = parameters
            self.body = body
        }
    }

    /// Every function but `proc_exit`: name, parameter types, implementation. All return one
    /// i32 errno (`proc_exit`, which returns nothing and never returns at all, is `procExit`).
    static let syscalls: [SyscallEntry] = {
        let i32 = ValueType.i32, i64 = ValueType.i64
        return [
            .init("args_get", [i32, i32], { try $0.argsGet($1) }),
            .init("args_sizes_get", [i32, i32], { try $0.argsSizesGet($1) }),
            .init("environ_get", [i32, i32], { try $0.environGet($1) }),
            .init("environ_sizes_get", [i32, i32], { try $0.environSizesGet($1) }),
            .init("clock_res_get", [i32, i32], { try $0.clockResGet($1) }),
            .init("clock_time_get", [i32, i64, i32], { try $0.clockTimeGet($1) }),
            .init("fd_advise", [i32, i64, i64, i32], { try $0.fdAdvise($1) }),
            .init("fd_allocate", [i32, i64, i64], { try $0.fdAllocate($1) }),
            .init("fd_close", [i32], { try $0.fdClose($1) }),
            .init("fd_datasync", [i32], { try $0.fdSync($1) }),
            .init("fd_fdstat_get", [i32, i32], { try $0.fdFdstatGet($1) }),
            .init("fd_fdstat_set_flags", [i32, i32], { try $0.fdFdstatSetFlags($1) }),
            .init("fd_fdstat_set_rights", [i32, i64, i64], { try $0.fdFdstatSetRights($1) }),
            .init("fd_filestat_get", [i32, i32], { try $0.fdFilestatGet($1) }),
            .init("fd_filestat_set_size", [i32, i64], { try $0.fdFilestatSetSize($1) }),
            .init("fd_filestat_set_times", [i32, i64, i64, i32], { try $0.fdFilestatSetTimes($1) }),
            .init("fd_pread", [i32, i32, i32, i64, i32], { try $0.fdPread($1) }),
            .init("fd_prestat_get", [i32, i32], { try $0.fdPrestatGet($1) }),
            .init("fd_prestat_dir_name", [i32, i32, i32], { try $0.fdPrestatDirName($1) }),
            .init("fd_pwrite", [i32, i32, i32, i64, i32], { try $0.fdPwrite($1) }),
            .init("fd_read", [i32, i32, i32, i32], { try $0.fdRead($1) }),
            .init("fd_readdir", [i32, i32, i32, i64, i32], { try $0.fdReaddir($1) }),
            .init("fd_renumber", [i32, i32], { try $0.fdRenumber($1) }),
            .init("fd_seek", [i32, i64, i32, i32], { try $0.fdSeek($1) }),
            .init("fd_sync", [i32], { try $0.fdSync($1) }),
            .init("fd_tell", [i32, i32], { try $0.fdTell($1) }),
            .init("fd_write", [i32, i32, i32, i32], { try $0.fdWrite($1) }),
            .init("path_create_directory", [i32, i32, i32], { try $0.pathCreateDirectory($1) }),
            .init("path_filestat_get", [i32, i32, i32, i32, i32], { try $0.pathFilestatGet($1) }),
            .init("path_filestat_set_times", [i32, i32, i32, i32, i64, i64, i32], { try $0.pathFilestatSetTimes($1) }),
            .init("path_link", [i32, i32, i32, i32, i32, i32, i32], { try $0.pathLink($1) }),
            .init("path_open", [i32, i32, i32, i32, i32, i64, i64, i32, i32], { try $0.pathOpen($1) }),
            .init("path_readlink", [i32, i32, i32, i32, i32, i32], { try $0.pathReadlink($1) }),
            .init("path_remove_directory", [i32, i32, i32], { try $0.pathRemoveDirectory($1) }),
            .init("path_rename", [i32, i32, i32, i32, i32, i32], { try $0.pathRename($1) }),
            .init("path_symlink", [i32, i32, i32, i32, i32], { try $0.pathSymlink($1) }),
            .init("path_unlink_file", [i32, i32, i32], { try $0.pathUnlinkFile($1) }),
            .init("poll_oneoff", [i32, i32, i32, i32], { try $0.pollOneoff($1) }),
            .init("proc_raise", [i32], { try $0.procRaise($1) }),
            .init("sched_yield", [], { try $0.schedYield($1) }),
            .init("random_get", [i32, i32], { try $0.randomGet($1) }),
            .init("sock_accept", [i32, i32, i32], { try $0.sockAccept($1) }),
            .init("sock_recv", [i32, i32, i32, i32, i32, i32], { try $0.sockRecv($1) }),
            .init("sock_send", [i32, i32, i32, i32, i32], { try $0.sockSend($1) }),
            .init("sock_shutdown", [i32, i32], { try $0.sockShutdown($1) }),
        ]
    }()

    /// The names of every function `define(into:)` defines (all of preview1).
    public static var functionNames: [String] { syscalls.map(\.name) + ["proc_exit"] }

    /// Defines every `wasi_snapshot_preview1` function in `imports`, bound to this host.
    /// The functions keep the host alive; use one host per instance.
    public func define(into imports: inout Imports) {
        for index in Self.syscalls.indices {
            imports.define(Self.moduleName, Self.syscalls[index].name, syscallFunction(index))
        }
        imports.define(Self.moduleName, "proc_exit", Self.procExit)
    }

    /// The function `define(into:)` defines as `wasi_snapshot_preview1.name`, bound to this
    /// host, or nil for a name preview1 does not have. Made alone: a store fork rebinding its
    /// imports asks only for the ones the module imports, without building the whole table.
    public func hostFunction(named name: String) -> HostFunction? {
        if name == "proc_exit" { return Self.procExit }
        guard let index = Self.syscallIndex[name] else { return nil }
        return syscallFunction(index)
    }

    /// Each syscall's position in `syscalls`, by name.
    static let syscallIndex: [String: Int] = Dictionary(uniqueKeysWithValues: syscalls.indices.map { (syscalls[$0].name, $0) })

    /// `proc_exit`: returns nothing and never returns at all.
    static var procExit: HostFunction {
        HostFunction(parameters: [.i32], results: []) { call in
            throw WasiExit(code: call.i32(0))
        }
    }

    /// Syscall `index` of `syscalls` as a host function bound to this host: errors become its
    /// errno result.
    func syscallFunction(_ index: Int) -> HostFunction {
        let body = Self.syscalls[index].body
        return HostFunction(parameters: Self.syscalls[index].parameters, results: [.i32]) { [self] call in
            do {
                try body(self, call)
                call.setResult(0, i32: 0)
            } catch let errno as WasiErrno {
                call.setResult(0, i32: Int32(errno.rawValue))
            } catch is GuestMemory.OutOfBounds {
                call.setResult(0, i32: Int32(WasiErrno.fault.rawValue))
            }
            return .return
        }
    }
}
