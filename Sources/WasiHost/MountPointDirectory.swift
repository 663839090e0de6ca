// One preopened root for all mounts (`WasiConfiguration.singleRoot`): a read-only directory
// tree whose leaves are the mounts' own roots. A guest's C library lists its preopened
// directories when it first resolves a path; with one root `/`, that list is the same whatever
// is mounted, so a booted guest can be forked into sessions that mount different folders.

/// A directory of mount points: its entries are mounted directories, or more mount-point
/// directories leading to them. Nothing in it can be created, removed or renamed; what lies
/// under a mount belongs to that mount.
final class MountPointDirectory: VirtualDirectory {
    let mountID: Int
    let inode: UInt64
    private(set) var entries: [String: any VirtualDirectory] = [:]

    init(mountID: Int, inode: UInt64) {
        self.mountID = mountID
        self.inode = inode
    }

    /// Whether one tree can hold mounts at `paths` (valid guest paths): none is `/`, and none
    /// lies inside another (or repeats it).
    static func canHold(_ paths: [String]) -> Bool {
        let split = paths.map { $0.split(separator: "/") }
        for (i, a) in split.enumerated() {
            if a.isEmpty { return false }
            for b in split[(i + 1)...] where a.starts(with: b) || b.starts(with: a) { return false }
        }
        return true
    }

    /// The tree for `mounts` (guest path and root), or nil when `canHold` refuses their paths:
    /// separate preopens serve those.
    static func tree(_ mounts: [(String, any VirtualDirectory)], mountID: Int) -> MountPointDirectory? {
        guard canHold(mounts.map(\.0)) else { return nil }
        var nextInode: UInt64 = 1
        let root = MountPointDirectory(mountID: mountID, inode: nextInode)
        for (path, directory) in mounts {
            let parts = path.split(separator: "/").map(String.init)
            guard let last = parts.last else { return nil }
            var node = root
            for part in parts.dropLast() {
                // `canHold` ruled out a mount on the way, so an entry here is a mount point.
                if let existing = node.entries[part] {
                    guard let points = existing as? MountPointDirectory else { return nil }
                    node = points
                } else {
                    nextInode += 1
                    let points = MountPointDirectory(mountID: mountID, inode: nextInode)
                    node.entries[part] = points
                    node = points
                }
            }
            node.entries[last] = directory
        }
        return root
    }

    var isReadOnly: Bool { true }

    func kind(of name: String) throws(WasiErrno) -> NodeKind? { entries[name] == nil ? nil : .directory }

    func subdirectory(_ name: String) throws(WasiErrno) -> any VirtualDirectory {
        guard let entry = entries[name] else { throw .noent }
        return entry
    }

    func readLink(_ name: String) throws(WasiErrno) -> [UInt8] {
        throw entries[name] == nil ? .noent : .inval
    }

    func open(_ name: String, _ request: OpenRequest) throws(WasiErrno) -> OpenedNode {
        guard let entry = entries[name] else { throw request.create ? .rofs : .noent }
        if request.create && request.exclusive { throw .exist }
        if request.write || request.truncate { throw .isdir }
        return .directory(entry)
    }

    func stat() throws(WasiErrno) -> FileStat {
        FileStat(device: UInt64(mountID + 1), inode: inode, fileType: .directory, size: UInt64(entries.count))
    }

    func stat(_ name: String) throws(WasiErrno) -> FileStat {
        guard let entry = entries[name] else { throw .noent }
        return try entry.stat()
    }

    func list() throws(WasiErrno) -> [DirectoryListingEntry] {
        entries.keys.sorted().map { name in
            DirectoryListingEntry(name: name, inode: (try? entries[name]!.stat().inode) ?? 0, type: .directory)
        }
    }

    func createDirectory(_ name: String) throws(WasiErrno) { throw entries[name] == nil ? .rofs : .exist }
    func removeDirectory(_ name: String) throws(WasiErrno) { throw entries[name] == nil ? .noent : .busy }
    func unlinkFile(_ name: String) throws(WasiErrno) { throw entries[name] == nil ? .noent : .isdir }

    func rename(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard entries[name] != nil else { throw .noent }
        throw target === self ? .busy : .xdev
    }

    func link(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard entries[name] != nil else { throw .noent }
        throw target === self ? .perm : .xdev
    }

    func setTimes(_ name: String?, access: TimeChange, modification: TimeChange) throws(WasiErrno) { throw .rofs }
    func sync() throws(WasiErrno) {}
}
