// The built-in, read-only `/dev`: `null`, `random` and `urandom`. MicroPython's `random` module
// opens `/dev/random` and `/dev/urandom` for its seed, and C programs expect `/dev/null`.

/// One device file.
final class DeviceFile: VirtualFile {
    /// What the device does.
    enum Kind: String, CaseIterable {
        /// Reads end at once; writes vanish.
        case null
        /// Reads give random bytes; writes vanish.
        case random
        /// Same as `random` (WASI has one source of randomness).
        case urandom
    }

    let kind: Kind
    let inode: UInt64
    let mountID: Int
    private let generator: RandomGenerator

    init(kind: Kind, inode: UInt64, mountID: Int, generator: RandomGenerator) {
        self.kind = kind
        self.inode = inode
        self.mountID = mountID
        self.generator = generator
    }

    var isReadOnly: Bool { false }
    var chargesWrites: Bool { false }

    func read(at offset: UInt64, count: Int) throws(WasiErrno) -> [UInt8] {
        kind == .null ? [] : generator.bytes(count)
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(WasiErrno) {}

    func stat() throws(WasiErrno) -> FileStat {
        FileStat(device: UInt64(mountID + 1), inode: inode, fileType: .characterDevice)
    }

    func setSize(_ size: UInt64) throws(WasiErrno) { throw .inval }
    func setTimes(access: TimeChange, modification: TimeChange) throws(WasiErrno) { throw .rofs }
    func sync() throws(WasiErrno) { throw .inval }
}

/// The `/dev` directory: a fixed set of devices, no changes allowed.
final class DeviceDirectory: VirtualDirectory {
    let mountID: Int
    private let devices: [String: DeviceFile]

    init(mountID: Int, generator: RandomGenerator) {
        self.mountID = mountID
        var devices: [String: DeviceFile] = [:]
        for (i, kind) in DeviceFile.Kind.allCases.enumerated() {
            devices[kind.rawValue] = DeviceFile(kind: kind, inode: UInt64(i + 2), mountID: mountID, generator: generator)
        }
        self.devices = devices
    }

    var isReadOnly: Bool { true }

    func kind(of name: String) throws(WasiErrno) -> NodeKind? { devices[name] == nil ? nil : .characterDevice }

    func subdirectory(_ name: String) throws(WasiErrno) -> any VirtualDirectory {
        throw devices[name] == nil ? .noent : .notdir
    }

    func readLink(_ name: String) throws(WasiErrno) -> [UInt8] {
        throw devices[name] == nil ? .noent : .inval
    }

    func open(_ name: String, _ request: OpenRequest) throws(WasiErrno) -> OpenedNode {
        guard let device = devices[name] else { throw request.create ? .rofs : .noent }
        if request.create && request.exclusive { throw .exist }
        if request.directory { throw .notdir }
        return .file(device)
    }

    func stat() throws(WasiErrno) -> FileStat {
        FileStat(device: UInt64(mountID + 1), inode: 1, fileType: .directory, size: UInt64(devices.count))
    }

    func stat(_ name: String) throws(WasiErrno) -> FileStat {
        guard let device = devices[name] else { throw .noent }
        return try device.stat()
    }

    func list() throws(WasiErrno) -> [DirectoryListingEntry] {
        devices.values.sorted { $0.kind.rawValue < $1.kind.rawValue }.map {
            DirectoryListingEntry(name: $0.kind.rawValue, inode: $0.inode, type: .characterDevice)
        }
    }

    func createDirectory(_ name: String) throws(WasiErrno) { throw devices[name] == nil ? .rofs : .exist }
    func removeDirectory(_ name: String) throws(WasiErrno) { throw devices[name] == nil ? .noent : .notdir }
    func unlinkFile(_ name: String) throws(WasiErrno) { throw devices[name] == nil ? .noent : .rofs }

    func rename(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        throw target === self ? .rofs : .xdev
    }

    func link(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno) {
        throw target === self ? .rofs : .xdev
    }

    func setTimes(_ name: String?, access: TimeChange, modification: TimeChange) throws(WasiErrno) { throw .rofs }
    func sync() throws(WasiErrno) {}
}
