// The host-directory backend: a mount over a real directory, confined with descriptor-relative
// system calls. Every directory is an open descriptor; every name is looked up, opened, created,
// renamed or removed relative to its parent's descriptor (`openat`, `fstatat`, `mkdirat`,
// `renameat`, ...) with symbolic links never followed by the kernel (`O_NOFOLLOW`,
// `AT_SYMLINK_NOFOLLOW`). `PathResolver` expands links itself and keeps them inside the
// directory the walk started from, so neither `..`, nor a link, nor a directory swapped for a
// link during the walk can reach outside the mount.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A directory of a host mount, held open.
final class HostDirectory: VirtualDirectory {
    let descriptor: Int32
    let mountID: Int
    let isReadOnly: Bool
    /// Entries of this directory that do not exist for the guest (only a mount's root has any).
    let hiddenNames: Set<String>

    init(descriptor: Int32, mountID: Int, isReadOnly: Bool, hiddenNames: Set<String> = []) {
        self.descriptor = descriptor
        self.mountID = mountID
        self.isReadOnly = isReadOnly
        self.hiddenNames = hiddenNames
    }

    /// Opens the root of a mount (the one path the kernel resolves, given by the embedder).
    static func openRoot(path: String, mountID: Int, isReadOnly: Bool, hiddenNames: Set<String> = []) throws(WasiErrno) -> HostDirectory {
        let fd = HostCalls.openDirectory(path)
        guard fd >= 0 else { throw WasiErrno(hostErrno: errno) }
        return HostDirectory(descriptor: fd, mountID: mountID, isReadOnly: isReadOnly, hiddenNames: hiddenNames)
    }

    deinit { close(descriptor) }

    private func requireWritable() throws(WasiErrno) {
        if isReadOnly { throw .rofs }
    }

    /// A hidden entry does not exist: looking it up is `ENOENT`, creating it is `EACCES`.
    private func requireVisible(_ name: String, creating: Bool = false) throws(WasiErrno) {
        if !hiddenNames.isEmpty && hiddenNames.contains(name) { throw creating ? .acces : .noent }
    }

    func kind(of name: String) throws(WasiErrno) -> NodeKind? {
        if hiddenNames.contains(name) { return nil }
        var info = HostCalls.emptyStat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            let e = errno
            if e == ENOENT { return nil }
            throw WasiErrno(hostErrno: e)
        }
        return HostCalls.kind(info.st_mode)
    }

    func subdirectory(_ name: String) throws(WasiErrno) -> any VirtualDirectory {
        try requireVisible(name)
        let fd = HostCalls.retrying { openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else {
            // A symbolic link swapped in after the lookup fails here instead of being followed.
            let e = errno
            throw e == ELOOP ? .notcapable : WasiErrno(hostErrno: e)
        }
        return HostDirectory(descriptor: fd, mountID: mountID, isReadOnly: isReadOnly)
    }

    func readLink(_ name: String) throws(WasiErrno) -> [UInt8] {
        try requireVisible(name)
        var buffer = [UInt8](repeating: 0, count: WasiPathLimits.maxPathBytes + 1)
        let n = buffer.withUnsafeMutableBytes { readlinkat(descriptor, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        guard n >= 0 else { throw WasiErrno(hostErrno: errno) }
        guard n <= WasiPathLimits.maxPathBytes else { throw .nametoolong }
        return Array(buffer[..<n])
    }

    func open(_ name: String, _ request: OpenRequest) throws(WasiErrno) -> OpenedNode {
        try requireVisible(name, creating: request.create)
        var create = request.create
        if isReadOnly {
            if try kind(of: name) == nil {
                if create { throw .rofs }
            } else {
                if request.create && request.exclusive { throw .exist }
                if request.write || request.truncate { throw .rofs }
                // Never let O_CREAT make a file in a read-only mount, even if the name vanishes now.
                create = false
            }
        }
        var flags = O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
        if create { flags |= O_CREAT }
        if create && request.exclusive { flags |= O_EXCL }
        if request.truncate { flags |= O_TRUNC }
        if request.directory { flags |= O_DIRECTORY }
        flags |= request.write ? (request.read ? O_RDWR : O_WRONLY) : O_RDONLY
        let fd = HostCalls.retrying { openat(descriptor, name, flags, 0o644) }
        guard fd >= 0 else {
            let e = errno
            // ELOOP from O_NOFOLLOW: the name is a link the resolver was told not to follow.
            throw e == ELOOP ? .loop : WasiErrno(hostErrno: e)
        }
        var info = HostCalls.emptyStat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            close(fd)
            throw WasiErrno(hostErrno: e)
        }
        switch HostCalls.kind(info.st_mode) {
        case .directory:
            return .directory(HostDirectory(descriptor: fd, mountID: mountID, isReadOnly: isReadOnly))
        case .regularFile:
            return .file(HostFile(descriptor: fd, isReadOnly: isReadOnly))
        default:
            // FIFOs, sockets and device nodes in a host mount are not for guests.
            close(fd)
            throw .notsup
        }
    }

    func stat() throws(WasiErrno) -> FileStat {
        var info = HostCalls.emptyStat()
        guard fstat(descriptor, &info) == 0 else { throw WasiErrno(hostErrno: errno) }
        return HostCalls.fileStat(info)
    }

    func stat(_ name: String) throws(WasiErrno) -> FileStat {
        try requireVisible(name)
        var info = HostCalls.emptyStat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw WasiErrno(hostErrno: errno) }
        return HostCalls.fileStat(info)
    }

    func list() throws(WasiErrno) -> [DirectoryListingEntry] {
        let copy = dup(descriptor)
        guard copy >= 0 else { throw WasiErrno(hostErrno: errno) }
        guard let dir = fdopendir(copy) else {
            let e = errno
            close(copy)
            throw WasiErrno(hostErrno: e)
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var result: [DirectoryListingEntry] = []
        while let entry = readdir(dir) {
            // Names that are not UTF-8 cannot be named by the guest, so they are left out.
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                return String(validating: bytes, as: UTF8.self)
            }
            guard let name, name != ".", name != "..", !hiddenNames.contains(name) else { continue }
            let type = (try? kind(of: name))??.fileType ?? .unknown
            result.append(DirectoryListingEntry(name: name, inode: UInt64(entry.pointee.d_ino), type: type))
        }
        return result.sorted { $0.name < $1.name }
    }

    func createDirectory(_ name: String) throws(WasiErrno) {
        try requireWritable()
        try requireVisible(name, creating: true)
        guard mkdirat(descriptor, name, 0o755) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func removeDirectory(_ name: String) throws(WasiErrno) {
        try requireWritable()
        try requireVisible(name)
        guard unlinkat(descriptor, name, AT_REMOVEDIR) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func unlinkFile(_ name: String) throws(WasiErrno) {
        try requireWritable()
        try requireVisible(name)
        guard unlinkat(descriptor, name, 0) == 0 else {
            let e = errno
            // Linux says EISDIR, POSIX allows EPERM: report EISDIR for a directory either way.
            if e == EPERM, (try? kind(of: name)) == .directory { throw .isdir }
            throw WasiErrno(hostErrno: e)
        }
    }

    func rename(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard let destination = target as? HostDirectory, destination.mountID == mountID else { throw .xdev }
        try requireWritable()
        try requireVisible(name)
        try destination.requireVisible(newName, creating: true)
        guard renameat(descriptor, name, destination.descriptor, newName) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func link(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard let destination = target as? HostDirectory, destination.mountID == mountID else { throw .xdev }
        try requireWritable()
        try requireVisible(name)
        try destination.requireVisible(newName, creating: true)
        // Flags 0: a symbolic link is linked itself, never followed.
        guard linkat(descriptor, name, destination.descriptor, newName, 0) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func setTimes(_ name: String?, access: TimeChange, modification: TimeChange) throws(WasiErrno) {
        try requireWritable()
        if let name { try requireVisible(name) }
        var times = [HostCalls.utime(access), HostCalls.utime(modification)]
        let result = name.map { utimensat(descriptor, $0, &times, AT_SYMLINK_NOFOLLOW) } ?? futimens(descriptor, &times)
        guard result == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func sync() throws(WasiErrno) {
        guard fsync(descriptor) == 0 else { throw WasiErrno(hostErrno: errno) }
    }
}

/// An open regular file of a host mount. Reads and writes are positioned (`pread`, `pwrite`);
/// the descriptor table keeps the guest's offset.
final class HostFile: VirtualFile {
    let descriptor: Int32
    let isReadOnly: Bool

    init(descriptor: Int32, isReadOnly: Bool) {
        self.descriptor = descriptor
        self.isReadOnly = isReadOnly
    }

    deinit { close(descriptor) }

    var chargesWrites: Bool { true }

    func read(at offset: UInt64, count: Int) throws(WasiErrno) -> [UInt8] {
        guard count > 0 else { return [] }
        guard offset <= UInt64(Int64.max) else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WasiErrno(hostErrno: errno)
            }
            if n == 0 { break }
            done += n
        }
        buffer.removeSubrange(done...)
        return buffer
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(WasiErrno) {
        if isReadOnly { throw .rofs }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(bytes.count))
        guard !overflow, end <= UInt64(Int64.max) else { throw .fbig }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WasiErrno(hostErrno: errno)
            }
            done += n
        }
    }

    func stat() throws(WasiErrno) -> FileStat {
        var info = HostCalls.emptyStat()
        guard fstat(descriptor, &info) == 0 else { throw WasiErrno(hostErrno: errno) }
        return HostCalls.fileStat(info)
    }

    func setSize(_ size: UInt64) throws(WasiErrno) {
        if isReadOnly { throw .rofs }
        guard size <= UInt64(Int64.max) else { throw .fbig }
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func setTimes(access: TimeChange, modification: TimeChange) throws(WasiErrno) {
        if isReadOnly { throw .rofs }
        var times = [HostCalls.utime(access), HostCalls.utime(modification)]
        guard futimens(descriptor, &times) == 0 else { throw WasiErrno(hostErrno: errno) }
    }

    func sync() throws(WasiErrno) {
        guard fsync(descriptor) == 0 else { throw WasiErrno(hostErrno: errno) }
    }
}
