// Small helpers over the C library for the host-mount backend: `stat` conversion, timestamps,
// EINTR retries, and host `errno` to WASI errno.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// C-library glue for `HostDirectory` and `HostFile`.
enum HostCalls {
    /// `UTIME_OMIT` (a C macro Swift does not import).
    #if canImport(Darwin)
    static let utimeOmit = -2
    #else
    static let utimeOmit = (1 << 30) - 2
    #endif

    /// Opens a directory by host path (only for mount roots, which the embedder chose).
    static func openDirectory(_ path: String) -> Int32 {
        retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    }

    /// A zeroed `struct stat`.
    static func emptyStat() -> stat { stat() }

    /// Calls `body` again while it fails with `EINTR`.
    static func retrying(_ body: () -> Int32) -> Int32 {
        while true {
            let result = body()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// The node kind of a `st_mode`.
    static func kind(_ mode: mode_t) -> NodeKind {
        switch mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .characterDevice
        default: return .other
        }
    }

    /// A WASI `filestat` from a host `stat`.
    static func fileStat(_ s: stat) -> FileStat {
        #if canImport(Darwin)
        let (a, m, c) = (s.st_atimespec, s.st_mtimespec, s.st_ctimespec)
        #else
        let (a, m, c) = (s.st_atim, s.st_mtim, s.st_ctim)
        #endif
        return FileStat(device: UInt64(truncatingIfNeeded: s.st_dev), inode: UInt64(truncatingIfNeeded: s.st_ino),
                        fileType: kind(s.st_mode).fileType, linkCount: UInt64(truncatingIfNeeded: s.st_nlink),
                        size: UInt64(clamping: Int64(s.st_size)), accessTime: nanoseconds(a),
                        modificationTime: nanoseconds(m), changeTime: nanoseconds(c))
    }

    /// Nanoseconds since the epoch (0 for times before it).
    static func nanoseconds(_ t: timespec) -> UInt64 {
        guard t.tv_sec >= 0 else { return 0 }
        let (seconds, overflow) = UInt64(t.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max : seconds &+ UInt64(max(0, t.tv_nsec))
    }

    /// The `timespec` for `utimensat`/`futimens` (`UTIME_OMIT` to keep).
    static func utime(_ change: TimeChange) -> timespec {
        switch change {
        case .keep:
            return timespec(tv_sec: 0, tv_nsec: utimeOmit)
        case .set(let ns):
            return timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        }
    }
}

extension WasiErrno {
    /// The WASI errno for a host `errno` (`EIO` for ones WASI has no name for).
    init(hostErrno e: Int32) {
        switch e {
        case EPERM: self = .perm
        case ENOENT: self = .noent
        case EINTR: self = .intr
        case EIO: self = .io
        case ENXIO: self = .nxio
        case E2BIG: self = .toobig
        case EBADF: self = .badf
        case EAGAIN: self = .again
        case ENOMEM: self = .nomem
        case EACCES: self = .acces
        case EFAULT: self = .fault
        case EBUSY: self = .busy
        case EEXIST: self = .exist
        case EXDEV: self = .xdev
        case ENODEV: self = .nodev
        case ENOTDIR: self = .notdir
        case EISDIR: self = .isdir
        case EINVAL: self = .inval
        case ENFILE: self = .nfile
        case EMFILE: self = .mfile
        case ENOTTY: self = .notty
        case ETXTBSY: self = .txtbsy
        case EFBIG: self = .fbig
        case ENOSPC: self = .nospc
        case ESPIPE: self = .spipe
        case EROFS: self = .rofs
        case EMLINK: self = .mlink
        case EPIPE: self = .pipe
        case ERANGE: self = .range
        case ENAMETOOLONG: self = .nametoolong
        case ENOTEMPTY: self = .notempty
        case ELOOP: self = .loop
        case EOVERFLOW: self = .overflow
        case EILSEQ: self = .ilseq
        case ENOTSUP: self = .notsup
        case EDQUOT: self = .dquot
        case ESTALE: self = .stale
        case ENOSYS: self = .nosys
        default: self = .io
        }
    }
}
