// The clocks the guest reads: the host's, or a virtual one that moves only when read or slept on.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Time for one guest, in nanoseconds.
final class WasiClock {
    let source: ClockSource
    /// Virtual time: nanoseconds since the Unix epoch.
    private var virtualNow: UInt64
    private let virtualStart: UInt64
    private let step: UInt64
    /// The real monotonic clock's zero.
    private let origin = ContinuousClock.now

    init(_ source: ClockSource) {
        self.source = source
        switch source {
        case .real:
            (virtualNow, virtualStart, step) = (0, 0, 0)
        case .virtual(let start, let step):
            (virtualNow, virtualStart, self.step) = (start, start, step)
        }
    }

    /// Whether time is virtual (sleeping advances it instead of waiting).
    var isVirtual: Bool { if case .virtual = source { return true } else { return false } }

    /// Reads a clock; a virtual clock then moves on by its step.
    func read(_ id: WasiClockID) -> UInt64 {
        let value = peek(id)
        if isVirtual { virtualNow = virtualNow.addingClamped(step) }
        return value
    }

    /// A clock's value without moving a virtual clock. The realtime clock counts from the Unix
    /// epoch; the monotonic clock (and the CPU-time clocks, which report it) from the host's
    /// creation for real time, or from the virtual start.
    func peek(_ id: WasiClockID) -> UInt64 {
        switch (source, id) {
        case (.real, .realtime):
            var t = timespec()
            clock_gettime(CLOCK_REALTIME, &t)
            return HostCalls.nanoseconds(t)
        case (.real, _):
            let elapsed = ContinuousClock.now - origin
            return UInt64(elapsed.components.seconds) &* 1_000_000_000 &+ UInt64(elapsed.components.attoseconds / 1_000_000_000)
        case (.virtual, .realtime):
            return virtualNow
        case (.virtual, _):
            return virtualNow - virtualStart
        }
    }

    /// The resolution of a clock: 1 ns for real clocks, the step (at least 1 ns) for virtual ones.
    func resolution(_ id: WasiClockID) -> UInt64 {
        isVirtual ? max(step, 1) : 1
    }

    /// Moves a virtual clock forward (a sleep).
    func advance(by nanoseconds: UInt64) {
        virtualNow = virtualNow.addingClamped(nanoseconds)
    }
}

extension UInt64 {
    /// `self + other`, stopping at `UInt64.max`.
    func addingClamped(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
