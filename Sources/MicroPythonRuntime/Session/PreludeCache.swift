// Booting the session prelude once per boot settings: MicroPython compiles and runs the 9 KB
// prelude in about 25 ms, every time. Sessions and templates with the same boot settings fork
// one booted copy instead, which takes a fraction of a millisecond.

import WasiHost
import Synchronization

/// What a booted prelude's guest state depends on. Two configurations that agree on these
/// boot the same state; the rest (modules, setup code, observers, output and file quotas,
/// fuel budget and timeout) is applied to each fork.
struct PreludeBootKey: Equatable {
    /// The heap (`-X heapsize`), the linear-memory limit and the call-depth limit: the guest's
    /// layout and the store's configuration, which forks keep.
    var heapBytes: Int
    var memoryBytes: Int
    var maxCallDepth: Int
    /// Whether code is fuel-metered: the store lowers code one way or the other.
    var metering: Bool
    /// Read by the guest's C library when it starts.
    var environment: [String: String]
    /// The preopened directories, which the guest's C library lists when it first resolves a
    /// path: `/` alone, unless a mount lies inside another (see `WasiConfiguration.singleRoot`).
    var preopenedPaths: [String]
    /// The time and randomness the guest saw while booting.
    var clock: ClockSource
    var random: RandomSource

    init(_ configuration: SessionConfiguration) {
        heapBytes = configuration.limits.heapBytes
        memoryBytes = configuration.limits.memoryBytes
        maxCallDepth = configuration.limits.maxCallDepth
        metering = configuration.limits.fuel != nil
        environment = configuration.environment
        preopenedPaths = PythonSession.preopenedPaths(configuration)
        clock = configuration.clock
        random = configuration.random
    }
}

/// One guest's booted preludes: frozen sessions, waiting for their first request with no
/// modules, that sessions fork. Holds the most recently booted few: each keeps a snapshot of
/// its linear memory's non-zero pages until it is pushed out. A plugin host needs one per
/// distinct heap size: sessions preopen one root, so their mounts do not matter.
final class PreludeCache: Sendable {
    /// Booted preludes kept at most.
    static let capacity = 8

    private let entries = Mutex<[(key: PreludeBootKey, prelude: PythonSession)]>([])

    /// A new session for `configuration`: a fork of the prelude booted with its boot settings,
    /// with its I/O, mounts and limits, reaching `configuration.modules` (not yet installed).
    func session(guest: MicroPythonGuest, configuration: SessionConfiguration, gate: CapabilityGate?,
                 observer: CapabilityObserver?) async throws(SessionError) -> PythonSession {
        // Booting checks the limits; a cached boot must not skip that for this configuration.
        do { try configuration.limits.validate() } catch { throw .bootFailed(error.description) }
        let key = PreludeBootKey(configuration)
        let prelude: PythonSession
        if let cached = entries.withLock({ list in list.first { $0.key == key }?.prelude }) {
            prelude = cached
        } else {
            var bare = configuration
            bare.modules = []
            bare.setupCode = nil
            bare.fileAccessObserver = nil
            // The boot sees empty folders at the mounts' guest paths: it preopens the same, keeps
            // no host folder open while cached, and no file in a mount can stand in for a module
            // the prelude imports.
            bare.mounts = configuration.mounts.map { Mount(guestPath: $0.guestPath, source: .memory(MemoryDirectory()), readOnly: true) }
            prelude = try PythonSession.boot(guest: guest, configuration: bare, gate: nil, observer: nil)
            await prelude.freezeAsTemplate()
            entries.withLock { list in
                guard !list.contains(where: { $0.key == key }) else { return }
                list.append((key, prelude))
                if list.count > Self.capacity { list.removeFirst() }
            }
        }
        return try await prelude.fork(configuration: configuration, modules: configuration.modules, gate: gate, observer: observer)
    }

    /// Booted preludes held (for tests).
    var count: Int { entries.withLock { $0.count } }
}
