// Descriptor management and status: fd_close, fd_renumber, fd_fdstat_*, fd_prestat_*,
// fd_filestat_*, fd_advise, fd_allocate, fd_sync, fd_datasync.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_closefd-fd---result-errno

import WasmInterpreter

extension WasiHost {
    /// The file type the standard streams report: a character device when they are terminals
    /// (so `isatty` is true), otherwise unknown, like a pipe.
    var standardStreamType: WasiFileType {
        configuration.standardStreamsAreTerminals ? .characterDevice : .unknown
    }

    /// The WASI file type of a descriptor's object.
    func fileType(of d: Descriptor) throws(WasiErrno) -> WasiFileType {
        switch d.object {
        case .stdin, .output: return standardStreamType
        case .file(let f): return try f.stat().fileType
        case .directory: return .directory
        }
    }

    /// `fd_close(fd)`.
    func fdClose(_ c: HostCall) throws {
        try descriptors.remove(c.u32(0))
        updateOpenFileCount()
    }

    /// `fd_renumber(from, to)`: moves `from` onto `to`, closing what `to` held.
    func fdRenumber(_ c: HostCall) throws {
        try descriptors.renumber(c.u32(0), to: c.u32(1))
        updateOpenFileCount()
    }

    /// Copies the open-file count into the usage record.
    func updateOpenFileCount() {
        let open = descriptors.quotaCount
        shared.withLock {
            $0.usage.openFiles = open
            $0.usage.peakOpenFiles = max($0.usage.peakOpenFiles, open)
        }
    }

    /// `fd_fdstat_get(fd, fdstat_out)`: type, flags and rights (24 bytes).
    func fdFdstatGet(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        var bytes = [UInt8](repeating: 0, count: 24)
        bytes[0] = try fileType(of: d).rawValue
        bytes[2] = UInt8(truncatingIfNeeded: d.flags.rawValue)
        bytes[3] = UInt8(truncatingIfNeeded: d.flags.rawValue >> 8)
        for i in 0..<8 {
            bytes[8 + i] = UInt8(truncatingIfNeeded: d.rights.rawValue >> (8 * UInt64(i)))
            bytes[16 + i] = UInt8(truncatingIfNeeded: d.inheriting.rawValue >> (8 * UInt64(i)))
        }
        try c.memory.write(bytes, at: c.u32(1))
    }

    /// `fd_fdstat_set_flags(fd, flags)`: append and non-blocking mode; the sync flags are
    /// accepted (every write is already complete when the call returns).
    func fdFdstatSetFlags(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        try d.require(.fdFdstatSetFlags)
        guard c.u32(1) <= UInt32(WasiFdFlags.all.rawValue) else { throw WasiErrno.inval }
        d.flags = WasiFdFlags(rawValue: UInt16(c.u32(1)))
    }

    /// `fd_fdstat_set_rights(fd, base, inheriting)`: rights can only be dropped.
    func fdFdstatSetRights(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        let base = WasiRights(rawValue: c.u64(1)), inheriting = WasiRights(rawValue: c.u64(2))
        guard d.rights.isSuperset(of: base), d.inheriting.isSuperset(of: inheriting) else { throw WasiErrno.notcapable }
        d.rights = base
        d.inheriting = inheriting
    }

    /// `fd_prestat_get(fd, prestat_out)`: tag 0 (directory) and the guest path's length.
    func fdPrestatGet(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        guard let path = d.preopenPath else { throw WasiErrno.badf }
        try c.memory.write([0, 0, 0, 0], at: c.u32(1))
        try c.memory.store(UInt32(path.utf8.count), at: try GuestMemory.address(c.u32(1), plus: 4))
    }

    /// `fd_prestat_dir_name(fd, path, path_len)`: the preopen's guest path (no NUL).
    func fdPrestatDirName(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        guard let path = d.preopenPath else { throw WasiErrno.badf }
        guard c.u32(2) >= path.utf8.count else { throw WasiErrno.nametoolong }
        try c.memory.write(Array(path.utf8), at: c.u32(1))
    }

    /// `fd_filestat_get(fd, filestat_out)`.
    func fdFilestatGet(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        try d.require(.fdFilestatGet)
        let stat: FileStat
        switch d.object {
        case .stdin, .output: stat = FileStat(inode: UInt64(c.u32(0)) + 1, fileType: standardStreamType)
        case .file(let f): stat = try f.stat()
        case .directory(let dir): stat = try dir.stat()
        }
        try c.memory.write(stat.encoded, at: c.u32(1))
    }

    /// `fd_filestat_set_size(fd, size)`: truncates or extends (growth counts toward the write quota).
    func fdFilestatSetSize(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        switch d.object {
        case .file(let f):
            guard d.rights.contains(.fdFilestatSetSize) else { throw WasiErrno.badf }
            try resizeCharged(f, to: c.u64(1))
        case .directory: throw WasiErrno.isdir
        case .stdin, .output: throw WasiErrno.inval
        }
    }

    /// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`.
    func fdFilestatSetTimes(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        try d.require(.fdFilestatSetTimes)
        let (access, modification) = try timeChanges(atim: c.u64(1), mtim: c.u64(2), flags: c.u32(3))
        switch d.object {
        case .file(let f): try f.setTimes(access: access, modification: modification)
        case .directory(let dir): try dir.setTimes(nil, access: access, modification: modification)
        case .stdin, .output: throw WasiErrno.notsup
        }
    }

    /// Decodes `fstflags` and its two timestamps.
    func timeChanges(atim: UInt64, mtim: UInt64, flags: UInt32) throws(WasiErrno) -> (TimeChange, TimeChange) {
        guard flags <= 0xF else { throw .inval }
        let f = WasiTimeFlags(rawValue: UInt16(flags))
        let access = try TimeChange.decode(set: f.contains(.atim), now: f.contains(.atimNow), value: atim,
                                           currentTime: clock.peek(.realtime))
        let modification = try TimeChange.decode(set: f.contains(.mtim), now: f.contains(.mtimNow), value: mtim,
                                                 currentTime: clock.peek(.realtime))
        return (access, modification)
    }

    /// `fd_advise(fd, offset, len, advice)`: accepted and ignored for files (there is no cache
    /// to advise); `ESPIPE` for streams, `EBADF` for directories.
    func fdAdvise(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        guard c.u32(3) <= 5 else { throw WasiErrno.inval }
        switch d.object {
        case .file: try d.require(.fdAdvise)
        case .stdin, .output: throw WasiErrno.spipe
        case .directory: throw WasiErrno.badf
        }
    }

    /// `fd_allocate(fd, offset, len)`: makes the file at least `offset + len` bytes long.
    func fdAllocate(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        switch d.object {
        case .file(let f):
            guard d.rights.contains(.fdWrite) || d.rights.contains(.fdAllocate) else { throw WasiErrno.badf }
            guard c.u64(2) > 0 else { throw WasiErrno.inval }
            let (end, overflow) = c.u64(1).addingReportingOverflow(c.u64(2))
            guard !overflow, end <= UInt64(Int64.max) else { throw WasiErrno.fbig }
            if end > (try f.stat().size) { try resizeCharged(f, to: end) }
        case .stdin, .output: throw WasiErrno.spipe
        case .directory: throw WasiErrno.badf
        }
    }

    /// `fd_sync(fd)` and `fd_datasync(fd)` (both flush everything: `fsync` for host files, nothing
    /// to do in memory). Streams cannot be synced (`EINVAL`), like pipes.
    func fdSync(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        switch d.object {
        case .file(let f): try f.sync()
        case .directory(let dir): try dir.sync()
        case .stdin, .output: throw WasiErrno.inval
        }
    }
}
