// WASI preview1 error codes.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-errno-variant

/// An error code a `wasi_snapshot_preview1` function returns to the guest. The raw values are the
/// ABI's; the names follow POSIX (`ENOENT` is `.noent`). Also the error type of the virtual
/// filesystem's operations.
public enum WasiErrno: UInt16, Error, Sendable, CaseIterable, CustomStringConvertible {
    /// No error occurred.
    case success = 0
    /// Argument list too long.
    case toobig = 1
    /// Permission denied.
    case acces = 2
    /// Address in use.
    case addrinuse = 3
    /// Address not available.
    case addrnotavail = 4
    /// Address family not supported.
    case afnosupport = 5
    /// Resource unavailable, or operation would block.
    case again = 6
    /// Connection already in progress.
    case already = 7
    /// Bad file descriptor.
    case badf = 8
    /// Bad message.
    case badmsg = 9
    /// Device or resource busy.
    case busy = 10
    /// Operation canceled.
    case canceled = 11
    /// No child processes.
    case child = 12
    /// Connection aborted.
    case connaborted = 13
    /// Connection refused.
    case connrefused = 14
    /// Connection reset.
    case connreset = 15
    /// Resource deadlock would occur.
    case deadlk = 16
    /// Destination address required.
    case destaddrreq = 17
    /// Mathematics argument out of domain of function.
    case dom = 18
    /// Disk quota exceeded.
    case dquot = 19
    /// File exists.
    case exist = 20
    /// Bad address.
    case fault = 21
    /// File too large.
    case fbig = 22
    /// Host is unreachable.
    case hostunreach = 23
    /// Identifier removed.
    case idrm = 24
    /// Illegal byte sequence.
    case ilseq = 25
    /// Operation in progress.
    case inprogress = 26
    /// Interrupted function.
    case intr = 27
    /// Invalid argument.
    case inval = 28
    /// I/O error.
    case io = 29
    /// Socket is connected.
    case isconn = 30
    /// Is a directory.
    case isdir = 31
    /// Too many levels of symbolic links.
    case loop = 32
    /// File descriptor value too large (too many open files).
    case mfile = 33
    /// Too many links.
    case mlink = 34
    /// Message too large.
    case msgsize = 35
    /// Multihop attempted.
    case multihop = 36
    /// Filename too long.
    case nametoolong = 37
    /// Network is down.
    case netdown = 38
    /// Connection aborted by network.
    case netreset = 39
    /// Network unreachable.
    case netunreach = 40
    /// Too many files open in system.
    case nfile = 41
    /// No buffer space available.
    case nobufs = 42
    /// No such device.
    case nodev = 43
    /// No such file or directory.
    case noent = 44
    /// Executable file format error.
    case noexec = 45
    /// No locks available.
    case nolck = 46
    /// Link has been severed.
    case nolink = 47
    /// Not enough space.
    case nomem = 48
    /// No message of the desired type.
    case nomsg = 49
    /// Protocol not available.
    case noprotoopt = 50
    /// No space left on device.
    case nospc = 51
    /// Function not supported.
    case nosys = 52
    /// The socket is not connected.
    case notconn = 53
    /// Not a directory or a symbolic link to a directory.
    case notdir = 54
    /// Directory not empty.
    case notempty = 55
    /// State not recoverable.
    case notrecoverable = 56
    /// Not a socket.
    case notsock = 57
    /// Not supported, or operation not supported on socket.
    case notsup = 58
    /// Inappropriate I/O control operation.
    case notty = 59
    /// No such device or address.
    case nxio = 60
    /// Value too large to be stored in data type.
    case overflow = 61
    /// Previous owner died.
    case ownerdead = 62
    /// Operation not permitted.
    case perm = 63
    /// Broken pipe.
    case pipe = 64
    /// Protocol error.
    case proto = 65
    /// Protocol not supported.
    case protonosupport = 66
    /// Protocol wrong type for socket.
    case prototype = 67
    /// Result too large.
    case range = 68
    /// Read-only file system.
    case rofs = 69
    /// Invalid seek.
    case spipe = 70
    /// No such process.
    case srch = 71
    /// Stale file handle.
    case stale = 72
    /// Connection timed out.
    case timedout = 73
    /// Text file busy.
    case txtbsy = 74
    /// Cross-device link.
    case xdev = 75
    /// Capabilities insufficient: the descriptor lacks a right, or a path leaves the directory
    /// it is resolved in.
    case notcapable = 76

    /// The POSIX-style name, such as `ENOENT`.
    public var name: String { Self.names[Int(rawValue)] }

    /// `ENOENT (44): no such file or directory`.
    public var description: String { "\(name) (\(rawValue)): \(message)" }

    /// Names by raw value (the ABI's order).
    private static let names = [
        "ESUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
        "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
        "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM",
        "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK",
        "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS",
        "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC",
        "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY",
        "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE",
        "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
    ]

    /// A short explanation, like `strerror`.
    public var message: String {
        switch self {
        case .success: return "success"
        case .toobig: return "argument list too long"
        case .acces: return "permission denied"
        case .badf: return "bad file descriptor"
        case .exist: return "file exists"
        case .fault: return "bad address (a pointer is outside the guest's memory)"
        case .fbig: return "file too large"
        case .ilseq: return "illegal byte sequence (a path is not valid UTF-8)"
        case .inval: return "invalid argument"
        case .io: return "I/O error"
        case .isdir: return "is a directory"
        case .loop: return "too many levels of symbolic links"
        case .mfile: return "too many open files"
        case .nametoolong: return "file name too long"
        case .noent: return "no such file or directory"
        case .nospc: return "no space left on device"
        case .dquot: return "disk quota exceeded"
        case .nosys: return "function not implemented"
        case .notdir: return "not a directory"
        case .notempty: return "directory not empty"
        case .notsock: return "not a socket"
        case .notsup: return "not supported"
        case .notty: return "not a terminal"
        case .overflow: return "value too large"
        case .perm: return "operation not permitted"
        case .rofs: return "read-only file system"
        case .spipe: return "invalid seek"
        case .xdev: return "cross-device link (source and destination are in different mounts)"
        case .notcapable: return "capabilities insufficient (the path leaves its directory, or the descriptor lacks a right)"
        default: return name.dropFirst().lowercased()
        }
    }
}
