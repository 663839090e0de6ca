// Reports of the guest's filesystem calls, for audit logs and debugging.

/// One filesystem call the guest made, reported to `WasiConfiguration.fileAccessObserver` after
/// it ran (successfully or not).
public struct FileAccess: Sendable, Equatable, CustomStringConvertible {
    /// The kind of call.
    public enum Operation: String, Sendable, Equatable {
        /// `path_open`.
        case open
        /// `path_filestat_get`.
        case stat
        /// `path_filestat_set_times`.
        case setTimes
        /// `path_create_directory`.
        case createDirectory
        /// `path_remove_directory`.
        case removeDirectory
        /// `path_unlink_file`.
        case unlink
        /// `path_rename` (`destination` is set).
        case rename
        /// `path_link` (`destination` is set).
        case link
        /// `path_symlink` (always refused).
        case symlink
        /// `path_readlink`.
        case readlink
    }

    /// The call.
    public var operation: Operation
    /// The guest path: the directory descriptor's path joined with the path argument, as given
    /// (not normalized, so a hostile `../..` shows as written).
    public var path: String
    /// The second path of a rename or link.
    public var destination: String?
    /// Whether the call could change files (an open for writing, creating or truncating; any
    /// create, remove, rename, link or time change).
    public var modifies: Bool
    /// `.success`, or the error the guest got.
    public var result: WasiErrno

    /// Creates a report.
    public init(operation: Operation, path: String, destination: String? = nil, modifies: Bool, result: WasiErrno) {
        self.operation = operation
        self.path = path
        self.destination = destination
        self.modifies = modifies
        self.result = result
    }

    /// `open /data/a.txt (write): ESUCCESS`.
    public var description: String {
        var s = "\(operation.rawValue) \(path)"
        if let destination { s += " -> \(destination)" }
        if modifies { s += " (write)" }
        return s + ": " + result.name
    }
}
