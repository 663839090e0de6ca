// Everything a WasiHost is configured with: arguments, environment, stdio, mounts, clock,
// randomness and quotas.

public import Foundation

/// How to set up one guest's WASI world. A value: build it, then pass it to `WasiHost.init`.
///
/// ```swift
/// var config = WasiConfiguration(arguments: ["app", "-v"])
/// config.mounts = [Mount(guestPath: "/", source: .memory(MemoryDirectory()), readOnly: false),
///                  Mount(guestPath: "/assets", source: .host(assetsURL), readOnly: true)]
/// config.clock = .virtual(start: 1_700_000_000_000_000_000, step: 1_000_000)
/// config.random = .seeded(42)
/// ```
public struct WasiConfiguration: Sendable {
    /// The command line (`argv`), program name first. Entries may not contain NUL.
    public var arguments: [String]
    /// Environment variables (empty by default). The guest sees them sorted by name.
    /// Names may not contain `=` or NUL; values may not contain NUL.
    public var environment: [String: String]
    /// The bytes the guest reads from standard input; it sees end-of-file after them.
    public var stdin: [UInt8]
    /// Where standard output goes, and its cap.
    public var stdout: OutputConfiguration
    /// Where standard error goes, and its cap.
    public var stderr: OutputConfiguration
    /// The directories the guest can see, preopened as descriptors 3, 4, ... in this order.
    public var mounts: [Mount]
    /// Whether to add a read-only `/dev` (after the mounts) with `null`, `random` and `urandom`.
    /// On by default: MicroPython's `import random` opens `/dev/random` and `/dev/urandom`.
    public var providesDevices: Bool
    /// Whether to preopen one read-only directory `/` holding every mount (and `/dev`) at its
    /// guest path, instead of preopening each. A guest's C library lists its preopens when it
    /// first resolves a path; with one root that list does not depend on the mounts, so a
    /// booted guest can be forked into sessions with other mounts. Off by default; ignored
    /// (each mount preopened) when a mount is `/` or lies inside another.
    public var singleRoot = false

    /// The guest paths the guest sees preopened, in descriptor order from 3.
    public var preopenedGuestPaths: [String] {
        let paths = mounts.map(\.guestPath) + (providesDevices ? ["/dev"] : [])
        return singleRoot && !paths.isEmpty && MountPointDirectory.canHold(paths) ? ["/"] : paths
    }
    /// Whether the standard streams look like a terminal to the guest (`isatty`). Off by default,
    /// so a guest reads stdin as a script or data rather than starting an interactive prompt.
    public var standardStreamsAreTerminals: Bool
    /// The clocks the guest reads.
    public var clock: ClockSource
    /// Where `random_get` and `/dev/urandom` take their bytes from.
    public var random: RandomSource
    /// Limits on files.
    public var quotas: WasiQuotas
    /// Called after every path-based filesystem call (open, stat, mkdir, rename, ...), on the
    /// thread running the guest. Nil by default.
    public var fileAccessObserver: (@Sendable (FileAccess) -> Void)?

    /// Creates a configuration. Everything not given is empty, capped by default limits, on the
    /// real clock and system randomness, with `/dev` but no other mounts.
    public init(arguments: [String] = ["guest"], environment: [String: String] = [:], stdin: [UInt8] = [],
                stdout: OutputConfiguration = OutputConfiguration(), stderr: OutputConfiguration = OutputConfiguration(),
                mounts: [Mount] = [], providesDevices: Bool = true, standardStreamsAreTerminals: Bool = false,
                clock: ClockSource = .real, random: RandomSource = .system, quotas: WasiQuotas = WasiQuotas(),
                fileAccessObserver: (@Sendable (FileAccess) -> Void)? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.mounts = mounts
        self.providesDevices = providesDevices
        self.standardStreamsAreTerminals = standardStreamsAreTerminals
        self.clock = clock
        self.random = random
        self.quotas = quotas
        self.fileAccessObserver = fileAccessObserver
    }
}

/// A directory tree made visible to the guest at an absolute guest path.
public struct Mount: Sendable {
    /// Where the tree's contents come from.
    public enum Source: Sendable {
        /// An in-memory tree, seeded with this content. Read it back with
        /// `WasiHost.memoryDirectory(at:)`.
        case memory(MemoryDirectory)
        /// A directory of the host's filesystem. The guest is confined to it: `..`, absolute
        /// paths and symbolic links cannot leave it (see the README).
        case host(URL)
    }

    /// The absolute, normalized path the guest sees, such as `/` or `/data`.
    public var guestPath: String
    /// The contents.
    public var source: Source
    /// Whether the guest is refused every change (`EROFS`).
    public var readOnly: Bool
    /// Names in the top folder of a `.host` mount that do not exist for the guest: not listed,
    /// not openable (`ENOENT`), not creatable (`EACCES`), not reachable through links or `..`.
    public var hiddenNames: Set<String>

    /// Creates a mount.
    public init(guestPath: String, source: Source, readOnly: Bool = false, hiddenNames: Set<String> = []) {
        self.guestPath = guestPath
        self.source = source
        self.readOnly = readOnly
        self.hiddenNames = hiddenNames
    }
}

/// Where one output stream goes and how much of it the guest may produce.
public struct OutputConfiguration: Sendable {
    /// The destination.
    public var sink: OutputSink
    /// The most bytes the guest may write. A write that would pass it delivers the bytes up to the
    /// limit and then stops the guest with `WasiStop.outputLimitExceeded`.
    public var limit: Int

    /// Creates an output configuration (by default: collected, capped at 1 MiB).
    public init(sink: OutputSink = .collect, limit: Int = 1 << 20) {
        self.sink = sink
        self.limit = limit
    }
}

/// The destination of standard output or standard error.
public enum OutputSink: Sendable {
    /// Kept in the host; read it with `WasiHost.output(_:)`.
    case collect
    /// Dropped (still counted and capped).
    case discard
    /// Handed to this closure, one call per write, on the thread running the guest.
    case handler(@Sendable ([UInt8]) -> Void)
}

/// One of the two output streams.
public enum OutputChannel: String, Sendable, Equatable, CustomStringConvertible {
    /// Standard output (descriptor 1).
    case stdout
    /// Standard error (descriptor 2).
    case stderr

    /// `stdout` or `stderr`.
    public var description: String { rawValue }
}

/// The clocks the guest sees.
public enum ClockSource: Sendable, Equatable {
    /// The host's real time. Sleeping (`poll_oneoff`) really sleeps, within the store's deadline.
    case real
    /// A deterministic clock: the realtime clock starts at `start` nanoseconds since the Unix epoch
    /// and the monotonic clock at zero; every read of a clock advances time by `step` nanoseconds,
    /// and a sleep advances it by the time slept, at once.
    case virtual(start: UInt64, step: UInt64)
}

/// The source of random bytes.
public enum RandomSource: Sendable, Equatable {
    /// The system's cryptographically secure generator (`SystemRandomNumberGenerator`).
    case system
    /// A deterministic generator (xoshiro256**) seeded with this value: the same seed gives the
    /// same bytes. Not for secrets.
    case seeded(UInt64)
}

/// Limits on what the guest does with files.
public struct WasiQuotas: Sendable, Equatable {
    /// The most bytes the guest may write to files over the host's lifetime (overwrites count,
    /// and so do bytes a file grows by through seeking past its end, `fd_allocate` or
    /// `fd_filestat_set_size`). Standard output and error have their own caps.
    public var maxBytesWritten: Int
    /// The most descriptors the guest may have open at once through `path_open` (the standard
    /// streams and preopened directories do not count).
    public var maxOpenFiles: Int
    /// The most files and directories the guest may add to its mounts, net of those it removes:
    /// `path_create_directory`, `path_open` creating a file and `path_link` add one each,
    /// `path_unlink_file` and `path_remove_directory` take one back. Entries cost the host
    /// memory (memory mounts) or inodes (host mounts) that the byte quota does not count.
    public var maxEntries: Int
    /// What happens when the guest hits a quota.
    public var action: QuotaAction

    /// Creates quotas (by default 64 MiB written, 64 open files, 10,000 new entries, and hitting
    /// any of them stops the guest).
    public init(maxBytesWritten: Int = 64 << 20, maxOpenFiles: Int = 64, maxEntries: Int = 10_000, action: QuotaAction = .stop) {
        self.maxBytesWritten = maxBytesWritten
        self.maxOpenFiles = maxOpenFiles
        self.maxEntries = maxEntries
        self.action = action
    }
}

/// What hitting a file quota does.
public enum QuotaAction: Sendable, Equatable {
    /// Stop the guest with `WasiStop.writeQuotaExceeded`, `WasiStop.openFileLimitExceeded` or
    /// `WasiStop.entryLimitExceeded`.
    case stop
    /// Fail the call with `EDQUOT` (bytes written, entries) or `EMFILE` (open files) and let the
    /// guest go on.
    case fail
}
