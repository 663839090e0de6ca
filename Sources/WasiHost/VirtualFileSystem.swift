// The virtual filesystem's contract: what a directory and a file of any backend (memory tree,
// host mount, /dev) can do, and the one path resolver every path-taking call goes through.
//
// Confinement lives here. A path is resolved one component at a time from the directory a
// descriptor names, keeping the directories walked through on a stack: `..` pops it and can
// never pop the starting directory nor cross from one mount into another (`mountID`), absolute
// paths are refused, and a symbolic link is expanded by pushing its target's components
// (absolute targets refused), so it is held to the same rule.
// Backends look names up without following links (`O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`), so the
// host kernel never follows a link on the guest's behalf.

/// The type of a directory entry, seen without following symbolic links.
enum NodeKind: Sendable, Equatable {
    case directory
    case regularFile
    case symbolicLink
    case characterDevice
    case other

    /// The WASI file type.
    var fileType: WasiFileType {
        switch self {
        case .directory: return .directory
        case .regularFile: return .regularFile
        case .symbolicLink: return .symbolicLink
        case .characterDevice: return .characterDevice
        case .other: return .unknown
        }
    }
}

/// What `path_open` asks of the final component.
struct OpenRequest: Sendable {
    /// Create a regular file if the name is free.
    var create = false
    /// Fail with `EEXIST` if the name is taken (with `create`).
    var exclusive = false
    /// Truncate a regular file to zero bytes.
    var truncate = false
    /// The result must be a directory.
    var directory = false
    /// The descriptor will read.
    var read = false
    /// The descriptor will write (or change the size).
    var write = false
}

/// What opening a name produced.
enum OpenedNode {
    case file(any VirtualFile)
    case directory(any VirtualDirectory)
}

/// One entry of a directory listing (without `.` and `..`).
struct DirectoryListingEntry: Sendable, Equatable {
    var name: String
    var inode: UInt64
    var type: WasiFileType
}

/// A directory of some backend. Names passed in are single, validated components (never empty,
/// `.`, `..`, or containing `/` or NUL); no operation follows a symbolic link in `name`.
protocol VirtualDirectory: AnyObject {
    /// Identifies the mount this directory belongs to (renames and links across mounts are `EXDEV`).
    var mountID: Int { get }
    /// Whether the mount refuses changes (`EROFS`).
    var isReadOnly: Bool { get }
    /// The type of entry `name`, or nil if there is none.
    func kind(of name: String) throws(WasiErrno) -> NodeKind?
    /// The subdirectory `name` (`ENOTDIR` if it is not a directory; links are not followed).
    func subdirectory(_ name: String) throws(WasiErrno) -> any VirtualDirectory
    /// The target of the symbolic link `name` (`EINVAL` if it is not a link).
    func readLink(_ name: String) throws(WasiErrno) -> [UInt8]
    /// Opens or creates `name`.
    func open(_ name: String, _ request: OpenRequest) throws(WasiErrno) -> OpenedNode
    /// This directory's status.
    func stat() throws(WasiErrno) -> FileStat
    /// The status of entry `name`.
    func stat(_ name: String) throws(WasiErrno) -> FileStat
    /// The entries, sorted by name, without `.` and `..`.
    func list() throws(WasiErrno) -> [DirectoryListingEntry]
    /// Creates the subdirectory `name`.
    func createDirectory(_ name: String) throws(WasiErrno)
    /// Removes the empty subdirectory `name`.
    func removeDirectory(_ name: String) throws(WasiErrno)
    /// Removes the non-directory `name`.
    func unlinkFile(_ name: String) throws(WasiErrno)
    /// Moves entry `name` to `newName` in `target` (a directory of the same mount).
    func rename(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno)
    /// Makes `newName` in `target` a hard link to the file `name`.
    func link(_ name: String, to target: any VirtualDirectory, as newName: String) throws(WasiErrno)
    /// Changes the timestamps of entry `name`, or of this directory when `name` is nil.
    func setTimes(_ name: String?, access: TimeChange, modification: TimeChange) throws(WasiErrno)
    /// Flushes the directory to storage.
    func sync() throws(WasiErrno)
}

/// An open regular file or device. Closed when the last reference goes.
protocol VirtualFile: AnyObject {
    /// Whether the file refuses writes.
    var isReadOnly: Bool { get }
    /// Whether writes go to storage that the write quota should charge (devices are free).
    var chargesWrites: Bool { get }
    /// Reads up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: UInt64, count: Int) throws(WasiErrno) -> [UInt8]
    /// Writes `bytes` at `offset`, extending the file with zeros if `offset` is past the end.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(WasiErrno)
    /// The file's status (its `size` is used for appending and seeking from the end).
    func stat() throws(WasiErrno) -> FileStat
    /// Truncates or extends (with zeros) the file.
    func setSize(_ size: UInt64) throws(WasiErrno)
    /// Changes the timestamps.
    func setTimes(access: TimeChange, modification: TimeChange) throws(WasiErrno)
    /// Flushes the file to storage.
    func sync() throws(WasiErrno)
}

/// Where a path leads: the directory holding its last component, and that component's name
/// (nil when the path names the directory itself, like `.` or `a/..`).
struct ResolvedPath {
    var parent: any VirtualDirectory
    var name: String?
    /// The path ended in `/`, so it must name a directory.
    var mustBeDirectory: Bool
}

/// Checks and splits guest paths and walks them through `VirtualDirectory` trees.
enum PathResolver {
    /// Decodes a guest path: `ENAMETOOLONG` past 4096 bytes, `EINVAL` with NUL, `EILSEQ` if not
    /// UTF-8, `ENOENT` if empty, `ENOTCAPABLE` if absolute.
    static func decode(_ bytes: [UInt8]) throws(WasiErrno) -> String {
        guard bytes.count <= WasiPathLimits.maxPathBytes else { throw .nametoolong }
        guard !bytes.contains(0) else { throw .inval }
        guard let path = String(validating: bytes, as: UTF8.self) else { throw .ilseq }
        guard !path.isEmpty else { throw .noent }
        guard bytes.first != UInt8(ascii: "/") else { throw .notcapable }
        return path
    }

    /// Resolves `path` (already decoded) starting at `base`. Symbolic links met on the way are
    /// followed; one in the last component only when `followFinal` is set (or the path ends in `/`).
    static func resolve(_ path: String, from base: any VirtualDirectory, followFinal: Bool) throws(WasiErrno) -> ResolvedPath {
        let mustBeDirectory = path.hasSuffix("/")
        var pending = components(path).reversed() as [Substring]
        var stack: [any VirtualDirectory] = [base]
        var expansions = 0
        while let component = pending.popLast() {
            let isLast = pending.isEmpty
            let current = stack[stack.count - 1]
            switch component {
            case ".":
                if isLast { return ResolvedPath(parent: current, name: nil, mustBeDirectory: mustBeDirectory) }
                continue
            case "..":
                // Never above the start, and never from one mount into another (from a mount's
                // root to the mount points of a single root above it): `..` at a mount's root is
                // refused, as it is when the mount is preopened itself.
                guard stack.count > 1, stack[stack.count - 1].mountID == stack[stack.count - 2].mountID else {
                    throw .notcapable
                }
                stack.removeLast()
                if isLast { return ResolvedPath(parent: stack[stack.count - 1], name: nil, mustBeDirectory: mustBeDirectory) }
                continue
            default:
                break
            }
            guard component.utf8.count <= WasiPathLimits.maxComponentBytes else { throw .nametoolong }
            let name = String(component)
            if isLast && !followFinal && !mustBeDirectory {
                return ResolvedPath(parent: current, name: name, mustBeDirectory: false)
            }
            switch try current.kind(of: name) {
            case nil:
                guard isLast else { throw .noent }
                return ResolvedPath(parent: current, name: name, mustBeDirectory: mustBeDirectory)
            case .directory?:
                if isLast { return ResolvedPath(parent: current, name: name, mustBeDirectory: mustBeDirectory) }
                stack.append(try current.subdirectory(name))
            case .symbolicLink?:
                expansions += 1
                guard expansions <= WasiPathLimits.maxSymlinkExpansions else { throw .loop }
                let target = try current.readLink(name)
                guard !target.isEmpty else { throw .noent }
                // An absolute target would be read against the host's root, never the mount's.
                guard target.first != UInt8(ascii: "/") else { throw .notcapable }
                guard !target.contains(0), let text = String(validating: target, as: UTF8.self) else { throw .ilseq }
                var expanded = components(text)
                // A target ending in `/` must be a directory: `dir/.` checks that.
                if text.hasSuffix("/") { expanded.append(".") }
                pending.append(contentsOf: expanded.reversed())
            case .regularFile?, .characterDevice?, .other?:
                guard isLast else { throw .notdir }
                guard !mustBeDirectory else { throw .notdir }
                return ResolvedPath(parent: current, name: name, mustBeDirectory: false)
            }
        }
        // Only separators (impossible: absolute paths are refused) or nothing left after links.
        return ResolvedPath(parent: stack[stack.count - 1], name: nil, mustBeDirectory: mustBeDirectory)
    }

    /// The non-empty components of a relative path.
    static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
