// fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell: moving bytes through descriptors.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_readfd-fd-iovs-iovec_array---resultsize-errno
//
// A descriptor without the access it needs (reading a write-only file, writing a read-only one)
// is `EBADF`, as in POSIX; streams cannot seek (`ESPIPE`); directories cannot be read as files
// (`EISDIR`).

import WasmInterpreter

extension WasiHost {
    /// `fd_read(fd, iovs, iovs_len, nread_out)`.
    func fdRead(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        if case .directory = d.object { throw WasiErrno.isdir }
        guard d.rights.contains(.fdRead) else { throw WasiErrno.badf }
        let vectors = try c.memory.ioVectors(at: c.u32(1), count: c.u32(2))
        let wanted = try c.memory.readableLength(of: vectors)
        try c.memory.store(UInt32(0), at: c.u32(3))
        let bytes: [UInt8]
        switch d.object {
        case .stdin:
            let end = min(configuration.stdin.count, stdinOffset + wanted)
            bytes = Array(configuration.stdin[stdinOffset..<end])
            stdinOffset = end
        case .file(let f):
            bytes = try f.read(at: d.position, count: wanted)
            d.position += UInt64(bytes.count)
        case .directory:
            throw WasiErrno.isdir
        case .output:
            throw WasiErrno.badf
        }
        try c.memory.scatter(bytes, into: vectors)
        try c.memory.store(UInt32(bytes.count), at: c.u32(3))
    }

    /// `fd_pread(fd, iovs, iovs_len, offset, nread_out)`: reads at an offset, leaving the position.
    func fdPread(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        let file = try seekableFile(d)
        guard d.rights.contains(.fdRead) else { throw WasiErrno.badf }
        let vectors = try c.memory.ioVectors(at: c.u32(1), count: c.u32(2))
        let wanted = try c.memory.readableLength(of: vectors)
        let bytes = try file.read(at: c.u64(3), count: wanted)
        try c.memory.scatter(bytes, into: vectors)
        try c.memory.store(UInt32(bytes.count), at: c.u32(4))
    }

    /// `fd_write(fd, iovs, iovs_len, nwritten_out)`.
    func fdWrite(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        guard d.rights.contains(.fdWrite) else { throw WasiErrno.badf }
        let bytes = try c.memory.gather(try c.memory.ioVectors(at: c.u32(1), count: c.u32(2)))
        try c.memory.store(UInt32(0), at: c.u32(3))
        let written: Int
        switch d.object {
        case .output(let channel):
            written = try emit(bytes, to: channel)
        case .file(let f):
            let offset = d.flags.contains(.append) ? try f.stat().size : d.position
            written = try writeCharged(bytes, to: f, at: offset)
            d.position = offset + UInt64(written)
        case .directory:
            throw WasiErrno.isdir
        case .stdin:
            throw WasiErrno.badf
        }
        try c.memory.store(UInt32(written), at: c.u32(3))
    }

    /// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten_out)`: writes at an offset, leaving the
    /// position (and ignoring append mode).
    func fdPwrite(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        let file = try seekableFile(d)
        guard d.rights.contains(.fdWrite) else { throw WasiErrno.badf }
        let bytes = try c.memory.gather(try c.memory.ioVectors(at: c.u32(1), count: c.u32(2)))
        try c.memory.store(UInt32(0), at: c.u32(4))
        let written = try writeCharged(bytes, to: file, at: c.u64(3))
        try c.memory.store(UInt32(written), at: c.u32(4))
    }

    /// `fd_seek(fd, offset, whence, newoffset_out)`.
    func fdSeek(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        let file = try seekableFile(d)
        let offset = c.i64(1)
        guard let whence = WasiWhence(rawValue: UInt8(truncatingIfNeeded: c.u32(2))), c.u32(2) <= 0xFF else {
            throw WasiErrno.inval
        }
        // Asking where we are needs only `fd_tell`.
        try d.require(offset == 0 && whence == .current ? .fdTell : .fdSeek)
        let base: UInt64
        switch whence {
        case .set: base = 0
        case .current: base = d.position
        case .end: base = try file.stat().size
        }
        guard base <= UInt64(Int64.max) else { throw WasiErrno.overflow }
        let (target, overflow) = Int64(base).addingReportingOverflow(offset)
        guard !overflow else { throw WasiErrno.overflow }
        guard target >= 0 else { throw WasiErrno.inval }
        try c.memory.store(UInt64(target), at: c.u32(3))
        d.position = UInt64(target)
    }

    /// `fd_tell(fd, offset_out)`.
    func fdTell(_ c: HostCall) throws {
        let d = try descriptors.get(c.u32(0))
        _ = try seekableFile(d)
        try d.require(.fdTell)
        try c.memory.store(d.position, at: c.u32(1))
    }

    /// The file behind a descriptor that has a position: `ESPIPE` for streams, `EISDIR` for
    /// directories.
    func seekableFile(_ d: Descriptor) throws(WasiErrno) -> any VirtualFile {
        switch d.object {
        case .file(let f): return f
        case .stdin, .output: throw .spipe
        case .directory: throw .isdir
        }
    }

    /// Writes what the write quota allows of `bytes` at `offset`; returns the count written.
    /// Past the quota: stops the guest (`QuotaAction.stop`) after writing what fits, or returns a
    /// short count (`EDQUOT` when nothing fits) for `QuotaAction.fail`.
    func writeCharged(_ bytes: [UInt8], to file: any VirtualFile, at offset: UInt64) throws -> Int {
        guard !bytes.isEmpty else { return 0 }
        guard file.chargesWrites else {
            try file.write(bytes, at: offset)
            return bytes.count
        }
        let size = try file.stat().size
        let gap = offset > size ? offset - size : 0
        let room = UInt64(max(0, configuration.quotas.maxBytesWritten - usage.bytesWritten))
        let allowed = room > gap ? Int(min(UInt64(bytes.count), room - gap)) : 0
        if allowed > 0 {
            try file.write(allowed == bytes.count ? bytes : Array(bytes.prefix(allowed)), at: offset)
            charge(Int(gap) + allowed)
        }
        if allowed < bytes.count { try quotaExceeded(partial: allowed > 0) }
        return allowed
    }

    /// Sets a file's size, charging the bytes it grows by to the write quota (all or nothing).
    func resizeCharged(_ file: any VirtualFile, to newSize: UInt64) throws {
        let size = try file.stat().size
        let growth = newSize > size && file.chargesWrites ? newSize - size : 0
        let room = UInt64(max(0, configuration.quotas.maxBytesWritten - usage.bytesWritten))
        guard growth <= room else { return try quotaExceeded(partial: false) }
        try file.setSize(newSize)
        charge(Int(growth))
    }

    /// Adds to the bytes-written count.
    private func charge(_ count: Int) {
        shared.withLock { $0.usage.bytesWritten += count }
    }

    /// Applies `QuotaAction` for the write quota. With `.fail`, a partial write returns normally.
    private func quotaExceeded(partial: Bool) throws {
        switch configuration.quotas.action {
        case .stop: throw WasiStop.writeQuotaExceeded(limit: configuration.quotas.maxBytesWritten)
        case .fail: if !partial { throw WasiErrno.dquot }
        }
    }
}
