// The guest's file descriptors: what each number refers to, its rights, flags and offset.

/// What a descriptor refers to.
enum DescriptorObject {
    /// Standard input (the configured bytes).
    case stdin
    /// Standard output or error (the configured sinks).
    case output(OutputChannel)
    /// An open regular file or device.
    case file(any VirtualFile)
    /// An open directory.
    case directory(any VirtualDirectory)
}

/// One open descriptor. A class, so `fd_renumber` moves it and operations update it in place.
final class Descriptor {
    var object: DescriptorObject
    var rights: WasiRights
    var inheriting: WasiRights
    var flags: WasiFdFlags
    /// The read/write offset of a file.
    var position: UInt64 = 0
    /// The guest path of a preopened directory (what `fd_prestat_dir_name` reports).
    let preopenPath: String?
    /// The guest path this descriptor was opened at, best effort (for file-access reports).
    let guestPath: String
    /// Whether it was opened by `path_open` (and counts toward `WasiQuotas.maxOpenFiles`).
    let countsTowardQuota: Bool
    /// The listing `fd_readdir` pages through; taken again when a read starts at cookie 0.
    var listing: [DirectoryListingEntry]?

    init(object: DescriptorObject, rights: WasiRights, inheriting: WasiRights, flags: WasiFdFlags = [],
         preopenPath: String? = nil, guestPath: String, countsTowardQuota: Bool = false) {
        self.object = object
        self.rights = rights
        self.inheriting = inheriting
        self.flags = flags
        self.preopenPath = preopenPath
        self.guestPath = guestPath
        self.countsTowardQuota = countsTowardQuota
    }

    /// Throws `ENOTCAPABLE` unless the descriptor has all of `needed`.
    func require(_ needed: WasiRights) throws(WasiErrno) {
        guard rights.isSuperset(of: needed) else { throw .notcapable }
    }
}

/// Descriptor numbers to descriptors. New descriptors take the lowest free number.
struct DescriptorTable {
    private var slots: [UInt32: Descriptor] = [:]
    /// Descriptors open that count toward the open-file quota.
    private(set) var quotaCount = 0

    /// The descriptor `fd` (`EBADF` if it is not open).
    func get(_ fd: UInt32) throws(WasiErrno) -> Descriptor {
        guard let d = slots[fd] else { throw .badf }
        return d
    }

    /// The open directory `fd` (`EBADF` if not open, `ENOTDIR` if not a directory).
    func directory(_ fd: UInt32) throws(WasiErrno) -> (Descriptor, any VirtualDirectory) {
        let d = try get(fd)
        guard case .directory(let dir) = d.object else { throw .notdir }
        return (d, dir)
    }

    /// Adds a descriptor at the lowest free number.
    mutating func insert(_ d: Descriptor) -> UInt32 {
        var fd: UInt32 = 0
        while slots[fd] != nil { fd += 1 }
        slots[fd] = d
        if d.countsTowardQuota { quotaCount += 1 }
        return fd
    }

    /// Closes `fd`.
    mutating func remove(_ fd: UInt32) throws(WasiErrno) {
        guard let d = slots.removeValue(forKey: fd) else { throw .badf }
        if d.countsTowardQuota { quotaCount -= 1 }
    }

    /// Moves `from` to `to`, closing what `to` held (both must be open).
    mutating func renumber(_ from: UInt32, to: UInt32) throws(WasiErrno) {
        let d = try get(from)
        _ = try get(to)
        guard from != to else { return }
        try remove(to)
        slots[from] = nil
        slots[to] = d
    }

    /// Every open descriptor number, ascending.
    var numbers: [UInt32] { slots.keys.sorted() }
}
