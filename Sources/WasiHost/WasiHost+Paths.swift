// The path_* functions: open, stat, create, remove, rename, link and read links, always
// relative to a directory descriptor and resolved by `PathResolver` (which confines them).
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-path_openfd-fd-dirflags-lookupflags-path-string-oflags-oflags-fs_rights_base-rights-fs_rights_inheriting-rights-fdflags-fdflags---resultfd-errno

import WasmInterpreter

extension WasiHost {
    /// Resolves a path argument relative to directory descriptor `fd`, which must have `rights`.
    func resolve(_ fd: UInt32, _ path: [UInt8], follow: Bool, needing rights: WasiRights) throws(WasiErrno) -> (Descriptor, ResolvedPath) {
        let (d, directory) = try descriptors.directory(fd)
        try d.require(rights)
        return (d, try PathResolver.resolve(try PathResolver.decode(path), from: directory, followFinal: follow))
    }

    /// Runs a path call and reports it to the file-access observer, if there is one.
    func audited<T>(_ operation: FileAccess.Operation, fd: UInt32, path: [UInt8], destination: (fd: UInt32, path: [UInt8])? = nil,
                    modifies: Bool, _ body: () throws -> T) throws -> T {
        guard let observer = configuration.fileAccessObserver else { return try body() }
        func guestPath(_ fd: UInt32, _ path: [UInt8]) -> String {
            let base = (try? descriptors.get(fd))?.guestPath ?? "<fd \(fd)>"
            return (base.hasSuffix("/") ? base : base + "/") + String(decoding: path, as: UTF8.self)
        }
        let source = guestPath(fd, path)
        let target = destination.map { guestPath($0.fd, $0.path) }
        func report(_ result: WasiErrno) {
            observer(FileAccess(operation: operation, path: source, destination: target, modifies: modifies, result: result))
        }
        do {
            let value = try body()
            report(.success)
            return value
        } catch let errno as WasiErrno {
            report(errno)
            throw errno
        } catch let fault as GuestMemory.OutOfBounds {
            report(.fault)
            throw fault
        }
    }

    /// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base, fs_rights_inheriting, fdflags, fd_out)`.
    func pathOpen(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(2), length: c.u32(3))
        guard c.u32(4) <= UInt32(WasiOpenFlags.all.rawValue), c.u32(7) <= UInt32(WasiFdFlags.all.rawValue) else {
            throw WasiErrno.inval
        }
        let oflags = WasiOpenFlags(rawValue: UInt16(c.u32(4)))
        let base = WasiRights(rawValue: c.u64(5)), inheriting = WasiRights(rawValue: c.u64(6))
        let fdflags = WasiFdFlags(rawValue: UInt16(c.u32(7)))
        let follow = WasiLookupFlags(rawValue: c.u32(1)).contains(.symlinkFollow)
        // A directory is opened for listing; only a file is opened for writing.
        let writes = !oflags.contains(.directory) && (!base.isDisjoint(with: .writing) || fdflags.contains(.append))
        let modifies = writes || oflags.contains(.create) || oflags.contains(.truncate)
        _ = try c.memory.withBytes(at: c.u32(8), count: 4) { _ in }
        try audited(.open, fd: c.u32(0), path: path, modifies: modifies) {
            var needed: WasiRights = .pathOpen
            if oflags.contains(.create) { needed.insert(.pathCreateFile) }
            if oflags.contains(.truncate) { needed.insert(.pathFilestatSetSize) }
            let (d, target) = try resolve(c.u32(0), path, follow: follow, needing: needed)
            guard d.inheriting.isSuperset(of: base), d.inheriting.isSuperset(of: inheriting) else { throw WasiErrno.notcapable }
            try checkOpenFileQuota()
            let directory = oflags.contains(.directory) || target.mustBeDirectory
            var create = oflags.contains(.create)
            var createsEntry = false
            if create {
                // Looked up only for O_CREAT: whether the open adds an entry (the entry quota).
                let exists = target.name.map { (try? target.parent.kind(of: $0)) != nil } ?? true
                // O_CREAT with O_DIRECTORY creates nothing, in any mount: EINVAL for a new name
                // (Linux 5.7 to 6.3 made an empty regular file there, one the quota never counted).
                if directory {
                    guard exists else { throw WasiErrno.inval }
                    if oflags.contains(.exclusive) { throw WasiErrno.exist }
                    create = false
                }
                createsEntry = create && !exists
                try checkEntryQuota { createsEntry }
            }
            let request = OpenRequest(create: create, exclusive: oflags.contains(.exclusive), truncate: oflags.contains(.truncate),
                                      directory: directory, read: base.contains(.fdRead) || base.contains(.fdReaddir), write: writes)
            let opened: OpenedNode
            if let name = target.name {
                opened = try target.parent.open(name, request)
            } else {
                // The path names the directory itself (`.`, `a/..`).
                guard !request.write, !request.truncate else { throw WasiErrno.isdir }
                if request.create && request.exclusive { throw WasiErrno.exist }
                opened = .directory(target.parent)
            }
            let guestPath = (d.guestPath.hasSuffix("/") ? d.guestPath : d.guestPath + "/") + String(decoding: path, as: UTF8.self)
            let descriptor: Descriptor
            switch opened {
            case .file(let f):
                descriptor = Descriptor(object: .file(f), rights: base.intersection(.regularFile), inheriting: [],
                                        flags: fdflags, guestPath: guestPath, countsTowardQuota: true)
            case .directory(let dir):
                descriptor = Descriptor(object: .directory(dir), rights: base.intersection(.directory), inheriting: inheriting,
                                        flags: fdflags, guestPath: guestPath, countsTowardQuota: true)
            }
            if createsEntry { countEntries(1) }
            let fd = descriptors.insert(descriptor)
            try c.memory.store(fd, at: c.u32(8))
            shared.withLock { $0.usage.filesOpened += 1 }
            updateOpenFileCount()
        }
    }

    /// Applies `WasiQuotas.maxOpenFiles` before a new descriptor is opened.
    private func checkOpenFileQuota() throws {
        let limit = configuration.quotas.maxOpenFiles
        guard descriptors.quotaCount >= limit else { return }
        switch configuration.quotas.action {
        case .stop: throw WasiStop.openFileLimitExceeded(limit: limit)
        case .fail: throw WasiErrno.mfile
        }
    }

    /// Applies `WasiQuotas.maxEntries` before a call that may add a file or directory; `adds`
    /// says whether it would (asked only at the limit, so below it no lookup is made).
    private func checkEntryQuota(adds: () throws -> Bool) throws {
        let limit = configuration.quotas.maxEntries
        guard shared.withLock({ $0.usage.entriesAdded }) >= limit, try adds() else { return }
        switch configuration.quotas.action {
        case .stop: throw WasiStop.entryLimitExceeded(limit: limit)
        case .fail: throw WasiErrno.dquot
        }
    }

    /// Counts entries added (positive) or removed (negative) toward `WasiQuotas.maxEntries`.
    private func countEntries(_ change: Int) {
        shared.withLock { $0.usage.entriesAdded = max(0, $0.usage.entriesAdded + change) }
    }

    /// `path_create_directory(fd, path, path_len)`.
    func pathCreateDirectory(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(1), length: c.u32(2))
        try audited(.createDirectory, fd: c.u32(0), path: path, modifies: true) {
            let (_, target) = try resolve(c.u32(0), path, follow: false, needing: .pathCreateDirectory)
            guard let name = target.name else { throw WasiErrno.exist }
            try checkEntryQuota { try target.parent.kind(of: name) == nil }
            try target.parent.createDirectory(name)
            countEntries(1)
        }
    }

    /// `path_filestat_get(fd, flags, path, path_len, filestat_out)`.
    func pathFilestatGet(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(2), length: c.u32(3))
        let follow = WasiLookupFlags(rawValue: c.u32(1)).contains(.symlinkFollow)
        try audited(.stat, fd: c.u32(0), path: path, modifies: false) {
            let (_, target) = try resolve(c.u32(0), path, follow: follow, needing: .pathFilestatGet)
            let stat = try target.name.map { name throws(WasiErrno) in try target.parent.stat(name) } ?? target.parent.stat()
            if target.mustBeDirectory && stat.fileType != .directory { throw WasiErrno.notdir }
            try c.memory.write(stat.encoded, at: c.u32(4))
        }
    }

    /// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`.
    func pathFilestatSetTimes(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(2), length: c.u32(3))
        let follow = WasiLookupFlags(rawValue: c.u32(1)).contains(.symlinkFollow)
        try audited(.setTimes, fd: c.u32(0), path: path, modifies: true) {
            let (access, modification) = try timeChanges(atim: c.u64(4), mtim: c.u64(5), flags: c.u32(6))
            let (_, target) = try resolve(c.u32(0), path, follow: follow, needing: .pathFilestatSetTimes)
            try target.parent.setTimes(target.name, access: access, modification: modification)
        }
    }

    /// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`:
    /// a hard link, within one mount.
    func pathLink(_ c: HostCall) throws {
        let oldPath = try c.memory.pathBytes(at: c.u32(2), length: c.u32(3))
        let newPath = try c.memory.pathBytes(at: c.u32(5), length: c.u32(6))
        let follow = WasiLookupFlags(rawValue: c.u32(1)).contains(.symlinkFollow)
        try audited(.link, fd: c.u32(0), path: oldPath, destination: (c.u32(4), newPath), modifies: true) {
            let (_, source) = try resolve(c.u32(0), oldPath, follow: follow, needing: .pathLinkSource)
            let (_, target) = try resolve(c.u32(4), newPath, follow: false, needing: .pathLinkTarget)
            guard let oldName = source.name else { throw WasiErrno.perm }
            guard let newName = target.name else { throw WasiErrno.exist }
            guard source.parent.mountID == target.parent.mountID else { throw WasiErrno.xdev }
            try checkEntryQuota { try target.parent.kind(of: newName) == nil }
            try source.parent.link(oldName, to: target.parent, as: newName)
            countEntries(1)
        }
    }

    /// `path_readlink(fd, path, path_len, buf, buf_len, bufused_out)`: the link's target,
    /// truncated to the buffer like POSIX `readlink`.
    func pathReadlink(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(1), length: c.u32(2))
        try audited(.readlink, fd: c.u32(0), path: path, modifies: false) {
            let (_, target) = try resolve(c.u32(0), path, follow: false, needing: .pathReadlink)
            guard let name = target.name else { throw WasiErrno.inval }
            let link = try target.parent.readLink(name)
            let n = min(link.count, Int(c.u32(4)))
            try c.memory.write(link[..<n], at: c.u32(3))
            try c.memory.store(UInt32(n), at: c.u32(5))
        }
    }

    /// `path_remove_directory(fd, path, path_len)`.
    func pathRemoveDirectory(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(1), length: c.u32(2))
        try audited(.removeDirectory, fd: c.u32(0), path: path, modifies: true) {
            let (_, target) = try resolve(c.u32(0), path, follow: false, needing: .pathRemoveDirectory)
            guard let name = target.name else { throw WasiErrno.inval }
            try target.parent.removeDirectory(name)
            countEntries(-1)
        }
    }

    /// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`: within one mount.
    func pathRename(_ c: HostCall) throws {
        let oldPath = try c.memory.pathBytes(at: c.u32(1), length: c.u32(2))
        let newPath = try c.memory.pathBytes(at: c.u32(4), length: c.u32(5))
        try audited(.rename, fd: c.u32(0), path: oldPath, destination: (c.u32(3), newPath), modifies: true) {
            let (_, source) = try resolve(c.u32(0), oldPath, follow: false, needing: .pathRenameSource)
            let (_, target) = try resolve(c.u32(3), newPath, follow: false, needing: .pathRenameTarget)
            guard let oldName = source.name, let newName = target.name else { throw WasiErrno.busy }
            guard source.parent.mountID == target.parent.mountID else { throw WasiErrno.xdev }
            try source.parent.rename(oldName, to: target.parent, as: newName)
        }
    }

    /// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: the sandbox never
    /// creates symbolic links (`ENOTSUP`, or `EROFS` on a read-only mount), after checking the
    /// arguments like any other path call.
    func pathSymlink(_ c: HostCall) throws {
        _ = try c.memory.pathBytes(at: c.u32(0), length: c.u32(1))
        let newPath = try c.memory.pathBytes(at: c.u32(3), length: c.u32(4))
        try audited(.symlink, fd: c.u32(2), path: newPath, modifies: true) {
            let (_, target) = try resolve(c.u32(2), newPath, follow: false, needing: .pathSymlink)
            guard let name = target.name, try target.parent.kind(of: name) == nil else { throw WasiErrno.exist }
            throw target.parent.isReadOnly ? WasiErrno.rofs : WasiErrno.notsup
        }
    }

    /// `path_unlink_file(fd, path, path_len)`.
    func pathUnlinkFile(_ c: HostCall) throws {
        let path = try c.memory.pathBytes(at: c.u32(1), length: c.u32(2))
        try audited(.unlink, fd: c.u32(0), path: path, modifies: true) {
            let (_, target) = try resolve(c.u32(0), path, follow: false, needing: .pathUnlinkFile)
            guard let name = target.name else { throw WasiErrno.isdir }
            try target.parent.unlinkFile(name)
            countEntries(-1)
        }
    }
}
