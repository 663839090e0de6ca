// WasiHost: WASI preview1 for one guest instance. See README.md in this folder for the design.

import Foundation
public import WasmInterpreter
internal import Synchronization

/// The WASI preview1 (`wasi_snapshot_preview1`) world of one guest instance: its descriptors,
/// virtual filesystem, standard streams, arguments, environment, clocks and randomness.
///
/// ```swift
/// let wasi = try WasiHost(configuration: config)
/// var imports = Imports()
/// wasi.define(into: &imports)               // all 46 preview1 functions
/// let instance = try store.instantiate(module, imports: imports)
/// do {
///     _ = try store.call(instance, "_start")
/// } catch let trap where trap.wasiExitCode != nil {
///     status = trap.wasiExitCode!            // the guest called proc_exit
/// }
/// print(wasi.outputText(.stdout), wasi.usage)
/// ```
/// (`runCommand(_:in:imports:)` does the above and returns the exit status.)
///
/// Use one host per instance. Its host functions run on the thread running the store, one at a
/// time, like the store itself. `usage`, `output(_:)` and `takeOutput(_:)` may be called from any
/// thread at any time (they lock); read `memoryDirectory(at:)` while the guest is not running.
public final class WasiHost: @unchecked Sendable {
    /// The configuration the host was made with.
    public let configuration: WasiConfiguration

    var descriptors = DescriptorTable()
    let clock: WasiClock
    let random: RandomGenerator
    /// How much of stdin the guest has read.
    var stdinOffset = 0
    /// The encoded `argv` and `environ` strings (NUL-terminated).
    let argumentStrings: [[UInt8]]
    let environmentStrings: [[UInt8]]
    /// Memory mounts by guest path, kept even if the guest closes their descriptors.
    let memoryMounts: [(guestPath: String, root: MemoryDirectoryNode)]
    /// What other threads may read.
    let shared = Mutex(SharedState())

    /// Usage and collected output, behind the lock.
    struct SharedState {
        var usage = WasiUsage()
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        /// Bytes written to each stream before the current output period (see `startOutputPeriod`).
        var periodStartStdout = 0
        var periodStartStderr = 0
    }

    /// The import module name of every function this host defines.
    public static let moduleName = "wasi_snapshot_preview1"

    /// Sets up the guest's world: standard streams as descriptors 0-2, then each mount (and
    /// `/dev`) preopened as 3, 4, ...
    public init(configuration: WasiConfiguration) throws(WasiConfigurationError) {
        self.configuration = configuration
        clock = WasiClock(configuration.clock)
        random = RandomGenerator(configuration.random)

        // Each argument's bytes are searched with `memchr`: a session's arguments carry its
        // whole prelude program, and scanning that through `String.UTF8View` is slow.
        var arguments: [[UInt8]] = []
        for a in configuration.arguments {
            var bytes = Array(a.utf8)
            let hasNUL = bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false }
            guard !hasNUL else { throw .invalidString(a) }
            bytes.append(0)
            arguments.append(bytes)
        }
        argumentStrings = arguments
        var environment: [[UInt8]] = []
        for (name, value) in configuration.environment.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, !name.utf8.contains(0), !name.utf8.contains(UInt8(ascii: "=")), !value.utf8.contains(0) else {
                throw .invalidString("\(name)=\(value)")
            }
            environment.append(Array("\(name)=\(value)".utf8) + [0])
        }
        environmentStrings = environment

        _ = descriptors.insert(Descriptor(object: .stdin, rights: WasiRights.stream.subtracting(.fdWrite), inheriting: [], guestPath: "<stdin>"))
        _ = descriptors.insert(Descriptor(object: .output(.stdout), rights: WasiRights.stream.subtracting(.fdRead), inheriting: [], guestPath: "<stdout>"))
        _ = descriptors.insert(Descriptor(object: .output(.stderr), rights: WasiRights.stream.subtracting(.fdRead), inheriting: [], guestPath: "<stderr>"))

        var seen = Set<String>()
        var memoryMounts: [(String, MemoryDirectoryNode)] = []
        var preopens: [(String, any VirtualDirectory)] = []
        let clock = self.clock
        for (index, mount) in configuration.mounts.enumerated() {
            guard Self.isValidGuestPath(mount.guestPath) else { throw .invalidGuestPath(mount.guestPath) }
            guard seen.insert(mount.guestPath).inserted else { throw .duplicateGuestPath(mount.guestPath) }
            switch mount.source {
            case .memory(let contents):
                if let bad = contents.firstInvalidName() { throw .invalidEntryName(mount: mount.guestPath, name: bad) }
                let context = MemoryMountContext(mountID: index, isReadOnly: mount.readOnly) { clock.peek(.realtime) }
                let root = MemoryDirectoryNode(context: context, contents: contents)
                memoryMounts.append((mount.guestPath, root))
                preopens.append((mount.guestPath, root))
            case .host(let url):
                do {
                    preopens.append((mount.guestPath, try HostDirectory.openRoot(path: url.path, mountID: index, isReadOnly: mount.readOnly, hiddenNames: mount.hiddenNames)))
                } catch {
                    throw .hostDirectoryUnavailable(path: url.path, reason: error.message)
                }
            }
        }
        if configuration.providesDevices {
            guard seen.insert("/dev").inserted else { throw .duplicateGuestPath("/dev") }
            preopens.append(("/dev", DeviceDirectory(mountID: configuration.mounts.count, generator: random)))
        }
        if configuration.singleRoot, !preopens.isEmpty,
           let root = MountPointDirectory.tree(preopens, mountID: configuration.mounts.count + 1) {
            preopens = [("/", root)]
        }
        for (path, directory) in preopens {
            _ = descriptors.insert(Descriptor(object: .directory(directory), rights: .directory, inheriting: .all,
                                              preopenPath: path, guestPath: path))
        }
        self.memoryMounts = memoryMounts
    }

    /// Whether `path` is absolute and normalized: `/`, or `/a/b` with no empty, `.` or `..` part.
    static func isValidGuestPath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
        if path == "/" { return true }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    // MARK: Reading results

    /// What the guest has used so far.
    public var usage: WasiUsage { shared.withLock { $0.usage } }

    /// Starts a new output period: the stdout and stderr caps apply afresh from now on (a
    /// resident session calls this before each request, so each has the full allowance).
    /// The usage counters keep counting.
    public func startOutputPeriod() {
        shared.withLock { state in
            state.periodStartStdout = state.usage.stdoutBytes
            state.periodStartStderr = state.usage.stderrBytes
        }
    }

    /// The bytes collected from a stream whose sink is `.collect` (empty otherwise).
    public func output(_ channel: OutputChannel) -> [UInt8] {
        shared.withLock { channel == .stdout ? $0.stdout : $0.stderr }
    }

    /// Returns the bytes collected from a stream so far and empties the collection (for resident
    /// guests whose output is taken request by request). The stream's cap still counts every byte
    /// written over the host's lifetime.
    public func takeOutput(_ channel: OutputChannel) -> [UInt8] {
        shared.withLock { state in
            defer { if channel == .stdout { state.stdout = [] } else { state.stderr = [] } }
            return channel == .stdout ? state.stdout : state.stderr
        }
    }

    /// `output(_:)` decoded as UTF-8 (invalid sequences replaced).
    public func outputText(_ channel: OutputChannel) -> String {
        String(decoding: output(channel), as: UTF8.self)
    }

    /// A snapshot of the memory tree at `guestPath`: a memory mount's path or a directory inside
    /// one (like `/data/logs`). Nil if the path is not a directory of a memory mount.
    /// Call it between runs or after one, on any thread, as long as the guest is not running.
    public func memoryDirectory(at guestPath: String) -> MemoryDirectory? {
        let candidates = memoryMounts.filter { m in
            guestPath == m.guestPath || guestPath.hasPrefix(m.guestPath == "/" ? "/" : m.guestPath + "/")
        }
        guard let mount = candidates.max(by: { $0.guestPath.count < $1.guestPath.count }) else { return nil }
        var node = mount.root
        for part in guestPath.dropFirst(mount.guestPath.count).split(separator: "/") {
            guard case .directory(let d)? = node.entries[String(part)] else { return nil }
            node = d
        }
        return node.snapshot
    }

    // MARK: Running

    /// Instantiates a WASI command module (with `imports` plus this host's functions), runs its
    /// `_start`, and returns the exit status: 0 if `_start` returns, the code of `proc_exit`
    /// otherwise. Other traps (limits, `WasiStop`, guest faults) are thrown as `Trap`;
    /// instantiation failures as `InstantiationError`.
    public func runCommand(_ module: CompiledModule, in store: Store, imports: Imports = Imports()) throws -> Int32 {
        var imports = imports
        define(into: &imports)
        let instance = try store.instantiate(module, imports: imports)
        do {
            _ = try store.call(instance, "_start")
            return 0
        } catch {
            if let code = error.wasiExitCode { return code }
            throw error
        }
    }
}
