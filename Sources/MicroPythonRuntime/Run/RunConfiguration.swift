// What a one-shot run may use, and what it may see.

import Foundation
public import WasiHost
public import WasmInterpreter

/// Resource limits for running Python code. The defaults are safe for untrusted code.
public struct PythonLimits: Sendable, Equatable {
    /// MicroPython's heap (`-X heapsize`), in bytes. Default 8 MiB.
    public var heapBytes = 8 << 20
    /// Largest linear memory, in bytes; must fit the heap plus the guest's own needs. Default 64 MiB.
    public var memoryBytes = 64 << 20
    /// Wasm instructions the code may execute, or nil for no fuel limit. Default 10 billion.
    public var fuel: Int64? = 10_000_000_000
    /// Wall-clock time limit, or nil for none. Default 30 seconds.
    public var timeout: Duration? = .seconds(30)
    /// Most bytes written to stdout, and separately to stderr. Default 1 MiB each.
    public var maxOutputBytes = 1 << 20
    /// Most bytes written to files. Default 16 MiB.
    public var maxBytesWritten = 16 << 20
    /// Most files open at once. Default 32.
    public var maxOpenFiles = 32
    /// Most files and directories the code may create, net of those it removes. Default 10,000.
    public var maxFileEntries = 10_000
    /// Most nested Wasm calls. Default 10,000.
    public var maxCallDepth = 10_000

    /// Bytes of linear memory the guest needs besides its heap: static data, its shadow stack,
    /// and headroom for the C library's own allocations.
    public static let guestOverheadBytes = 1 << 20

    /// The defaults.
    public init() {}

    /// Checks the heap fits the memory limit (the guest would trap at start-up otherwise).
    public func validate() throws(PythonConfigurationError) {
        guard heapBytes >= 16 << 10 else { throw .heapTooSmall(heapBytes) }
        let (needed, overflow) = heapBytes.addingReportingOverflow(Self.guestOverheadBytes)
        guard !overflow, needed <= memoryBytes else {
            throw .heapExceedsMemory(heap: heapBytes, memory: memoryBytes, overhead: Self.guestOverheadBytes)
        }
        if let fuel, fuel <= 0 { throw .invalidFuel(fuel) }
    }

    /// A time limit of `seconds`, clamped to between 1 ms and a year so its milliseconds always
    /// fit an `Int64` (NaN counts as the minimum).
    public static func timeout(seconds: Double) -> Duration {
        let clamped = seconds.isNaN ? 0.001 : min(max(seconds, 0.001), 365 * 24 * 3600)
        return .milliseconds(Int64((clamped * 1000).rounded(.up)))
    }

    /// The interpreter configuration these limits mean: fuel metering when there is a fuel
    /// limit, the memory and call-depth caps, and memories in mapped address space (reserved
    /// at their largest size, zero-filled lazily, shared copy-on-write with forks).
    public var storeConfiguration: StoreConfiguration {
        var c = StoreConfiguration()
        c.fuelMetering = fuel != nil
        c.maxMemoryBytes = memoryBytes
        c.maxCallDepth = maxCallDepth
        c.memoryBacking = MappedMemoryBacking()
        return c
    }
}

/// A configuration that cannot run.
public enum PythonConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The heap is below 16 KiB.
    case heapTooSmall(Int)
    /// Heap plus the guest's overhead exceed the memory limit.
    case heapExceedsMemory(heap: Int, memory: Int, overhead: Int)
    /// Fuel must be positive.
    case invalidFuel(Int64)
    /// The WASI layer rejected the setup (mounts, arguments).
    case wasi(String)

    /// What is wrong and the fix.
    public var description: String {
        switch self {
        case .heapTooSmall(let h): return "heap of \(h) bytes is too small (at least 16K)"
        case .heapExceedsMemory(let heap, let memory, let overhead):
            return "a heap of \(heap) bytes does not fit a memory limit of \(memory) bytes (the guest needs about \(overhead) bytes besides its heap); lower the heap or raise the memory limit"
        case .invalidFuel(let f): return "fuel must be positive, got \(f)"
        case .wasi(let why): return why
        }
    }
}

/// What a run sees: its code or script, arguments, files, input, clock and randomness.
public struct PythonRunOptions: Sendable {
    /// The limits.
    public var limits = PythonLimits()
    /// Arguments after the script (`sys.argv[1:]`).
    public var arguments: [String] = []
    /// Environment variables (empty by default).
    public var environment: [String: String] = [:]
    /// Standard input.
    public var stdin: [UInt8] = []
    /// Folders the code may read or write (WASI mounts).
    public var mounts: [Mount] = []
    /// Clock: real, or virtual for deterministic runs.
    public var clock: ClockSource = .real
    /// Randomness: system, or seeded for deterministic runs.
    public var random: RandomSource = .system
    /// Called with stdout bytes as the guest writes them (they are also collected).
    public var onStdout: (@Sendable ([UInt8]) -> Void)?
    /// Called with stderr bytes as the guest writes them (they are also collected).
    public var onStderr: (@Sendable ([UInt8]) -> Void)?
    /// Cancels the run from another thread.
    public var cancellation: PythonCancellation?

    /// Defaults: safe limits, no files, empty input.
    public init() {}
}

/// Lets another thread stop a run.
public final class PythonCancellation: Sendable {
    let requested = Mutex<(Bool, (@Sendable () -> Void)?)>((false, nil))

    /// Creates a handle.
    public init() {}

    /// Stops the run at its next check.
    public func cancel() {
        let action = requested.withLock { state -> (@Sendable () -> Void)? in
            state.0 = true
            return state.1
        }
        action?()
    }

    /// Whether cancellation was requested.
    public var isCancelled: Bool { requested.withLock { $0.0 } }

    func attach(_ action: @escaping @Sendable () -> Void) {
        let already = requested.withLock { state -> Bool in
            state.1 = action
            return state.0
        }
        if already { action() }
    }
}

import Synchronization
