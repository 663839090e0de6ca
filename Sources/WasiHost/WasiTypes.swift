// WASI preview1 ABI types: rights, flags, file types and the layouts written to guest memory.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md

/// `filetype`: the type of a file descriptor or file.
enum WasiFileType: UInt8, Sendable {
    case unknown = 0
    case blockDevice = 1
    case characterDevice = 2
    case directory = 3
    case regularFile = 4
    case socketDgram = 5
    case socketStream = 6
    case symbolicLink = 7
}

/// `rights`: what a descriptor may be used for.
struct WasiRights: OptionSet, Sendable {
    let rawValue: UInt64

    static let fdDatasync = WasiRights(rawValue: 1 << 0)
    static let fdRead = WasiRights(rawValue: 1 << 1)
    static let fdSeek = WasiRights(rawValue: 1 << 2)
    static let fdFdstatSetFlags = WasiRights(rawValue: 1 << 3)
    static let fdSync = WasiRights(rawValue: 1 << 4)
    static let fdTell = WasiRights(rawValue: 1 << 5)
    static let fdWrite = WasiRights(rawValue: 1 << 6)
    static let fdAdvise = WasiRights(rawValue: 1 << 7)
    static let fdAllocate = WasiRights(rawValue: 1 << 8)
    static let pathCreateDirectory = WasiRights(rawValue: 1 << 9)
    static let pathCreateFile = WasiRights(rawValue: 1 << 10)
    static let pathLinkSource = WasiRights(rawValue: 1 << 11)
    static let pathLinkTarget = WasiRights(rawValue: 1 << 12)
    static let pathOpen = WasiRights(rawValue: 1 << 13)
    static let fdReaddir = WasiRights(rawValue: 1 << 14)
    static let pathReadlink = WasiRights(rawValue: 1 << 15)
    static let pathRenameSource = WasiRights(rawValue: 1 << 16)
    static let pathRenameTarget = WasiRights(rawValue: 1 << 17)
    static let pathFilestatGet = WasiRights(rawValue: 1 << 18)
    static let pathFilestatSetSize = WasiRights(rawValue: 1 << 19)
    static let pathFilestatSetTimes = WasiRights(rawValue: 1 << 20)
    static let fdFilestatGet = WasiRights(rawValue: 1 << 21)
    static let fdFilestatSetSize = WasiRights(rawValue: 1 << 22)
    static let fdFilestatSetTimes = WasiRights(rawValue: 1 << 23)
    static let pathSymlink = WasiRights(rawValue: 1 << 24)
    static let pathRemoveDirectory = WasiRights(rawValue: 1 << 25)
    static let pathUnlinkFile = WasiRights(rawValue: 1 << 26)
    static let pollFdReadwrite = WasiRights(rawValue: 1 << 27)
    static let sockShutdown = WasiRights(rawValue: 1 << 28)
    static let sockAccept = WasiRights(rawValue: 1 << 29)

    /// Every right the ABI defines.
    static let all = WasiRights(rawValue: (1 << 30) - 1)

    /// Rights that make sense on a regular file.
    static let regularFile: WasiRights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ]

    /// Rights that make sense on a directory.
    static let directory: WasiRights = [
        .fdFdstatSetFlags, .fdSync, .fdDatasync, .pathCreateDirectory, .pathCreateFile, .pathLinkSource,
        .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink, .pathRenameSource, .pathRenameTarget,
        .pathFilestatGet, .pathFilestatSetSize, .pathFilestatSetTimes, .fdFilestatGet,
        .fdFilestatSetTimes, .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile,
    ]

    /// Rights of a terminal-like stream (no seeking, so `isatty` is true when it is a character device).
    static let stream: WasiRights = [.fdRead, .fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite]

    /// Rights that modify file contents.
    static let writing: WasiRights = [.fdWrite, .fdAllocate, .fdFilestatSetSize, .fdDatasync]
}

/// `fdflags`: descriptor flags.
struct WasiFdFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let append = WasiFdFlags(rawValue: 1 << 0)
    static let dsync = WasiFdFlags(rawValue: 1 << 1)
    static let nonblock = WasiFdFlags(rawValue: 1 << 2)
    static let rsync = WasiFdFlags(rawValue: 1 << 3)
    static let sync = WasiFdFlags(rawValue: 1 << 4)
    static let all: WasiFdFlags = [.append, .dsync, .nonblock, .rsync, .sync]
}

/// `oflags`: how `path_open` opens or creates.
struct WasiOpenFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let create = WasiOpenFlags(rawValue: 1 << 0)
    static let directory = WasiOpenFlags(rawValue: 1 << 1)
    static let exclusive = WasiOpenFlags(rawValue: 1 << 2)
    static let truncate = WasiOpenFlags(rawValue: 1 << 3)
    static let all: WasiOpenFlags = [.create, .directory, .exclusive, .truncate]
}

/// `lookupflags`: bit 0 follows a symbolic link in the last path component.
struct WasiLookupFlags: OptionSet, Sendable {
    let rawValue: UInt32
    static let symlinkFollow = WasiLookupFlags(rawValue: 1 << 0)
}

/// `fstflags`: which timestamps `*_set_times` changes.
struct WasiTimeFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let atim = WasiTimeFlags(rawValue: 1 << 0)
    static let atimNow = WasiTimeFlags(rawValue: 1 << 1)
    static let mtim = WasiTimeFlags(rawValue: 1 << 2)
    static let mtimNow = WasiTimeFlags(rawValue: 1 << 3)
}

/// How one timestamp changes in a `*_set_times` call.
enum TimeChange: Sendable, Equatable {
    /// Left as it is.
    case keep
    /// Set to this time (nanoseconds since the Unix epoch).
    case set(UInt64)

    /// Decodes one half of `fstflags`; both "set" and "now" together are invalid.
    static func decode(set: Bool, now: Bool, value: UInt64, currentTime: @autoclosure () -> UInt64) throws(WasiErrno) -> TimeChange {
        if set && now { throw .inval }
        if now { return .set(currentTime()) }
        return set ? .set(value) : .keep
    }
}

/// `filestat`: what `*_filestat_get` reports (64 bytes in guest memory).
struct FileStat: Sendable, Equatable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var fileType: WasiFileType = .unknown
    var linkCount: UInt64 = 1
    var size: UInt64 = 0
    var accessTime: UInt64 = 0
    var modificationTime: UInt64 = 0
    var changeTime: UInt64 = 0

    /// The ABI layout: dev, ino, filetype (u8, padded), nlink, size, atim, mtim, ctim.
    var encoded: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        func put(_ v: UInt64, _ offset: Int) { for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
        put(device, 0)
        put(inode, 8)
        bytes[16] = fileType.rawValue
        put(linkCount, 24)
        put(size, 32)
        put(accessTime, 40)
        put(modificationTime, 48)
        put(changeTime, 56)
        return bytes
    }
}

/// `whence`: the base of `fd_seek`'s offset.
enum WasiWhence: UInt8 {
    case set = 0
    case current = 1
    case end = 2
}

/// `clockid`.
enum WasiClockID: UInt32 {
    case realtime = 0
    case monotonic = 1
    case processCPUTime = 2
    case threadCPUTime = 3
}

/// Sizes and limits of paths, like Linux's `PATH_MAX` and `NAME_MAX`.
enum WasiPathLimits {
    /// Longest path accepted, in bytes.
    static let maxPathBytes = 4096
    /// Longest single path component, in bytes.
    static let maxComponentBytes = 255
    /// Most symbolic links followed while resolving one path.
    static let maxSymlinkExpansions = 32
}
