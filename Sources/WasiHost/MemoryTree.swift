// The live in-memory filesystem backend: directories and files as classes (so open descriptors,
// hard links and renames share nodes), built from and read back as `MemoryDirectory` values.

/// State shared by every node of one memory mount.
final class MemoryMountContext {
    /// The mount's identity (see `VirtualDirectory.mountID`).
    let mountID: Int
    /// Whether the mount refuses changes.
    let isReadOnly: Bool
    /// The current time for timestamps, in nanoseconds since the Unix epoch.
    let now: () -> UInt64
    private var nextInode: UInt64 = 1

    /// The largest file the backend keeps (4 GiB); larger is `EFBIG`. The write quota is the
    /// real limit; this only guards the arithmetic.
    static let maxFileSize: UInt64 = 1 << 32

    /// The deepest a directory may lie below the mount's root (`ENAMETOOLONG` past it, as its
    /// path would be). Reading a tree back as a `MemoryDirectory` value, comparing and
    /// releasing such values all recurse once per level, on whatever thread the embedder
    /// uses: a guest nesting directories without end would overflow that thread's stack.
    static let maxDepth = 128

    init(mountID: Int, isReadOnly: Bool, now: @escaping () -> UInt64) {
        self.mountID = mountID
        self.isReadOnly = isReadOnly
        self.now = now
    }

    /// A fresh inode number.
    func makeInode() -> UInt64 {
        defer { nextInode += 1 }
        return nextInode
    }

    /// Throws `EROFS` on a read-only mount.
    func requireWritable() throws(WasiErrno) {
        if isReadOnly { throw .rofs }
    }
}

/// A node of the memory tree.
enum MemoryNode {
    case file(MemoryFileNode)
    case directory(MemoryDirectoryNode)

    var kind: NodeKind {
        switch self {
        case .file: return .regularFile
        case .directory: return .directory
        }
    }

    var inode: UInt64 {
        switch self {
        case .file(let f): return f.inode
        case .directory(let d): return d.inode
        }
    }
}

/// A regular file in memory. Also the open file: every descriptor of it shares the node.
final class MemoryFileNode: VirtualFile {
    let context: MemoryMountContext
    let inode: UInt64
    var bytes: [UInt8]
    var linkCount: UInt64 = 1
    var accessTime: UInt64
    var modificationTime: UInt64
    var changeTime: UInt64

    init(context: MemoryMountContext, bytes: [UInt8]) {
        self.context = context
        self.inode = context.makeInode()
        self.bytes = bytes
        let now = context.now()
        accessTime = now
        modificationTime = now
        changeTime = now
    }

    var isReadOnly: Bool { context.isReadOnly }
    var chargesWrites: Bool { true }

    func read(at offset: UInt64, count: Int) throws(WasiErrno) -> [UInt8] {
        guard offset < UInt64(bytes.count), count > 0 else { return [] }
        let start = Int(offset)
        return Array(bytes[start..<min(bytes.count, start + count)])
    }

    func write(_ data: [UInt8], at offset: UInt64) throws(WasiErrno) {
        try context.requireWritable()
        let (end, overflow) = offset.addingReportingOverflow(UInt64(data.count))
        guard !overflow, end <= MemoryMountContext.maxFileSize else { throw .fbig }
        if end > UInt64(bytes.count) { bytes.append(contentsOf: repeatElement(0, count: Int(end) - bytes.count)) }
        bytes.replaceSubrange(Int(offset)..<Int(end), with: data)
        touchModified()
    }

    func stat() throws(WasiErrno) -> FileStat {
        FileStat(device: UInt64(context.mountID + 1), inode: inode, fileType: .regularFile, linkCount: linkCount,
                 size: UInt64(bytes.count), accessTime: accessTime, modificationTime: modificationTime,
                 changeTime: changeTime)
    }

    func setSize(_ size: UInt64) throws(WasiErrno) {
        try context.requireWritable()
        guard size <= MemoryMountContext.maxFileSize else { throw .fbig }
        if size < UInt64(bytes.count) {
            bytes.removeSubrange(Int(size)...)
        } else {
            bytes.append(contentsOf: repeatElement(0, count: Int(size) - bytes.count))
        }
        touchModified()
    }

    func setTimes(access: TimeChange, modification: TimeChange) throws(WasiErrno) {
        try context.requireWritable()
        if case .set(let t) = access { accessTime = t }
        if case .set(let t) = modification { modificationTime = t }
        changeTime = context.now()
    }

    func sync() throws(WasiErrno) {}

    private func touchModified() {
        modificationTime = context.now()
        changeTime = modificationTime
    }
}

/// A directory in memory.
final class MemoryDirectoryNode: VirtualDirectory {
    let context: MemoryMountContext
    let inode: UInt64
    var entries: [String: MemoryNode] = [:]
    /// The directory holding this one (nil for a mount's root, or once removed). A directory
    /// has one parent: directories cannot be hard-linked.
    weak var parent: MemoryDirectoryNode?
    var accessTime: UInt64
    var modificationTime: UInt64
    var changeTime: UInt64

    init(context: MemoryMountContext) {
        self.context = context
        self.inode = context.makeInode()
        let now = context.now()
        accessTime = now
        modificationTime = now
        changeTime = now
    }

    /// Builds a live tree from a value (names must already be validated).
    convenience init(context: MemoryMountContext, contents: MemoryDirectory) {
        self.init(context: context)
        for (name, entry) in contents.entries {
            switch entry {
            case .file(let bytes): entries[name] = .file(MemoryFileNode(context: context, bytes: bytes))
            case .directory(let sub):
                let child = MemoryDirectoryNode(context: context, contents: sub)
                child.parent = self
                entries[name] = .directory(child)
            }
        }
    }

    /// Releases the subtree one directory at a time: released the usual way, each level's
    /// release would run inside its parent's, a stack frame per level. Directories something
    /// else still holds (an open descriptor) keep their entries.
    deinit {
        var pending: [MemoryDirectoryNode] = []
        for case .directory(let d) in entries.values { pending.append(d) }
        entries.removeAll()
        while var directory = pending.popLast() {
            guard isKnownUniquelyReferenced(&directory) else { continue }
            for case .directory(let d) in directory.entries.values { pending.append(d) }
            directory.entries.removeAll()
        }
    }

    /// How many directories lie above this one, up to the mount's root.
    var depth: Int {
        var count = 0
        var next = parent
        while let directory = next {
            count += 1
            next = directory.parent
        }
        return count
    }

    /// How many levels of directories lie below this one (0 with no subdirectory), counted
    /// without recursion.
    var height: Int {
        var tallest = 0
        var pending: [(MemoryDirectoryNode, Int)] = [(self, 0)]
        while let (directory, level) = pending.popLast() {
            tallest = max(tallest, level)
            for case .directory(let d) in directory.entries.values { pending.append((d, level + 1)) }
        }
        return tallest
    }

    /// The tree as a value.
    var snapshot: MemoryDirectory {
        MemoryDirectory(entries.mapValues { node in
            switch node {
            case .file(let f): return .file(f.bytes)
            case .directory(let d): return .directory(d.snapshot)
            }
        })
    }

    var mountID: Int { context.mountID }
    var isReadOnly: Bool { context.isReadOnly }

    func kind(of name: String) throws(WasiErrno) -> NodeKind? { entries[name]?.kind }

    func subdirectory(_ name: String) throws(WasiErrno) -> any VirtualDirectory {
        switch entries[name] {
        case .directory(let d)?: return d
        case .file?: throw .notdir
        case nil: throw .noent
        }
    }

    func readLink(_ name: String) throws(WasiErrno) -> [UInt8] {
        guard entries[name] != nil else { throw .noent }
        throw .inval
    }

    func open(_ name: String, _ request: OpenRequest) throws(WasiErrno) -> OpenedNode {
        guard let node = entries[name] else {
            guard request.create else { throw .noent }
            guard !request.directory else { throw .inval }
            try context.requireWritable()
            let file = MemoryFileNode(context: context, bytes: [])
            entries[name] = .file(file)
            touchModified()
            return .file(file)
        }
        if request.create && request.exclusive { throw .exist }
        switch node {
        case .directory(let d):
            guard !request.write, !request.truncate else { throw .isdir }
            return .directory(d)
        case .file(let f):
            guard !request.directory else { throw .notdir }
            if request.write || request.truncate { try context.requireWritable() }
            if request.truncate && !f.bytes.isEmpty { try f.setSize(0) }
            return .file(f)
        }
    }

    func stat() throws(WasiErrno) -> FileStat {
        FileStat(device: UInt64(context.mountID + 1), inode: inode, fileType: .directory, linkCount: 1,
                 size: UInt64(entries.count), accessTime: accessTime, modificationTime: modificationTime,
                 changeTime: changeTime)
    }

    func stat(_ name: String) throws(WasiErrno) -> FileStat {
        switch entries[name] {
        case .file(let f)?: return try f.stat()
        case .directory(let d)?: return try d.stat()
        case nil: throw .noent
        }
    }

    func list() throws(WasiErrno) -> [DirectoryListingEntry] {
        entries.sorted { $0.key < $1.key }.map {
            DirectoryListingEntry(name: $0.key, inode: $0.value.inode, type: $0.value.kind.fileType)
        }
    }

    func createDirectory(_ name: String) throws(WasiErrno) {
        guard entries[name] == nil else { throw .exist }
        try context.requireWritable()
        guard depth < MemoryMountContext.maxDepth else { throw .nametoolong }
        let child = MemoryDirectoryNode(context: context)
        child.parent = self
        entries[name] = .directory(child)
        touchModified()
    }

    func removeDirectory(_ name: String) throws(WasiErrno) {
        guard let node = entries[name] else { throw .noent }
        guard case .directory(let d) = node else { throw .notdir }
        try context.requireWritable()
        guard d.entries.isEmpty else { throw .notempty }
        entries[name] = nil
        d.parent = nil
        touchModified()
    }

    func unlinkFile(_ name: String) throws(WasiErrno) {
        guard let node = entries[name] else { throw .noent }
        guard case .file(let f) = node else { throw .isdir }
        try context.requireWritable()
        entries[name] = nil
        f.linkCount -= 1
        f.changeTime = context.now()
        touchModified()
    }

    func rename(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard let destination = target as? MemoryDirectoryNode, destination.context === context else { throw .xdev }
        guard let node = entries[name] else { throw .noent }
        try context.requireWritable()
        if let existing = destination.entries[newName] {
            switch (node, existing) {
            case (.file(let a), .file(let b)) where a === b:
                return  // Two links to one file: POSIX says do nothing.
            case (.directory(let a), .directory(let b)) where a === b:
                return
            case (.file, .directory):
                throw .isdir
            case (.directory, .file):
                throw .notdir
            case (.directory, .directory(let b)):
                guard b.entries.isEmpty else { throw .notempty }
            case (.file, .file(let b)):
                b.linkCount -= 1
            }
        }
        if case .directory(let moving) = node {
            if moving === destination || moving.contains(destination) { throw .inval }
            guard destination.depth + 1 + moving.height <= MemoryMountContext.maxDepth else { throw .nametoolong }
        }
        if case .directory(let replaced)? = destination.entries[newName] { replaced.parent = nil }
        entries[name] = nil
        destination.entries[newName] = node
        if case .directory(let moving) = node { moving.parent = destination }
        touchModified()
        destination.touchModified()
    }

    func link(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        guard let destination = target as? MemoryDirectoryNode, destination.context === context else { throw .xdev }
        guard let node = entries[name] else { throw .noent }
        guard case .file(let f) = node else { throw .perm }
        guard destination.entries[newName] == nil else { throw .exist }
        try context.requireWritable()
        destination.entries[newName] = .file(f)
        f.linkCount += 1
        f.changeTime = context.now()
        destination.touchModified()
    }

    func setTimes(_ name: String?, access: TimeChange, modification: TimeChange) throws(WasiErrno) {
        guard let name else {
            try context.requireWritable()
            if case .set(let t) = access { accessTime = t }
            if case .set(let t) = modification { modificationTime = t }
            changeTime = context.now()
            return
        }
        switch entries[name] {
        case .file(let f)?: try f.setTimes(access: access, modification: modification)
        case .directory(let d)?: try d.setTimes(nil, access: access, modification: modification)
        case nil: throw .noent
        }
    }

    func sync() throws(WasiErrno) {}

    /// Whether `other` is somewhere below this directory: whether this one is among its
    /// ancestors.
    func contains(_ other: MemoryDirectoryNode) -> Bool {
        var next = other.parent
        while let directory = next {
            if directory === self { return true }
            next = directory.parent
        }
        return false
    }

    private func touchModified() {
        modificationTime = context.now()
        changeTime = modificationTime
    }
}
