// poll_oneoff and sched_yield: waiting for time to pass or descriptors to be ready.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-poll_oneoffin-constpointersubscription-out-pointerevent-nsubscriptions-size---resultsize-errno
//
// Every descriptor is always ready (stdin is a buffer, files are in memory or local), so a poll
// with any descriptor subscription returns at once. A poll with only clock subscriptions sleeps
// until the earliest one: for real, in short slices that watch the store's cancellation, and
// never past the store's deadline (a sleep that would end after it stops the guest at once with
// `Trap(.deadlineExceeded)`); on a virtual clock, by advancing the clock.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
import WasmInterpreter

extension WasiHost {
    /// One event to report: userdata, errno, type, and for descriptor events the byte count.
    private struct Event {
        var userdata: UInt64
        var error: WasiErrno = .success
        var type: UInt8
        var bytes: UInt64 = 0

        var encoded: [UInt8] {
            var b = [UInt8](repeating: 0, count: 32)
            for i in 0..<8 {
                b[i] = UInt8(truncatingIfNeeded: userdata >> (8 * UInt64(i)))
                b[16 + i] = UInt8(truncatingIfNeeded: bytes >> (8 * UInt64(i)))
            }
            b[8] = UInt8(truncatingIfNeeded: error.rawValue)
            b[9] = UInt8(truncatingIfNeeded: error.rawValue >> 8)
            b[10] = type
            return b
        }
    }

    /// `poll_oneoff(in, out, nsubscriptions, nevents_out)`.
    func pollOneoff(_ c: HostCall) throws {
        let count = Int(c.u32(2))
        guard count > 0 else { throw WasiErrno.inval }
        let raw = try c.memory.read(at: c.u32(0), count: count * 48)
        _ = try c.memory.withBytes(at: c.u32(1), count: count * 32) { _ in }
        _ = try c.memory.withBytes(at: c.u32(3), count: 4) { _ in }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(raw[at + $1]) << (8 * UInt64($1)) } }
        func u32(_ at: Int) -> UInt32 { UInt32(truncatingIfNeeded: u64(at)) }

        var ready: [Event] = []
        var timers: [(userdata: UInt64, wait: UInt64)] = []
        for i in 0..<count {
            let s = i * 48
            let userdata = u64(s)
            switch raw[s + 8] {
            case 0:
                guard let id = WasiClockID(rawValue: u32(s + 16)) else {
                    ready.append(Event(userdata: userdata, error: .inval, type: 0))
                    continue
                }
                let timeout = u64(s + 24)
                let absolute = raw[s + 40] & 1 != 0
                let now = clock.peek(id)
                timers.append((userdata, absolute ? (timeout > now ? timeout - now : 0) : timeout))
            case let type where type == 1 || type == 2:
                ready.append(descriptorEvent(fd: u32(s + 16), userdata: userdata, type: type))
            default:
                throw WasiErrno.inval
            }
        }
        if ready.isEmpty, let shortest = timers.map(\.wait).min() {
            try sleep(nanoseconds: shortest, store: c.store)
            ready = timers.filter { $0.wait <= shortest }.map { Event(userdata: $0.userdata, type: 0) }
        } else {
            ready += timers.filter { $0.wait == 0 }.map { Event(userdata: $0.userdata, type: 0) }
        }
        try c.memory.write(ready.flatMap(\.encoded), at: c.u32(1))
        try c.memory.store(UInt32(ready.count), at: c.u32(3))
    }

    /// The event for an `fd_read` (type 1) or `fd_write` (type 2) subscription: always ready.
    private func descriptorEvent(fd: UInt32, userdata: UInt64, type: UInt8) -> Event {
        guard let d = try? descriptors.get(fd) else { return Event(userdata: userdata, error: .badf, type: type) }
        guard d.rights.contains(.pollFdReadwrite) || d.rights.contains(type == 1 ? .fdRead : .fdWrite) else {
            return Event(userdata: userdata, error: .notcapable, type: type)
        }
        switch (d.object, type) {
        case (.stdin, 1):
            return Event(userdata: userdata, type: type, bytes: UInt64(configuration.stdin.count - stdinOffset))
        case (.file(let f), 1):
            let size = (try? f.stat().size) ?? 0
            return Event(userdata: userdata, type: type, bytes: size > d.position ? size - d.position : 0)
        case (.output(let channel), 2):
            let limit = channel == .stdout ? configuration.stdout.limit : configuration.stderr.limit
            let used = channel == .stdout ? usage.stdoutBytes : usage.stderrBytes
            return Event(userdata: userdata, type: type, bytes: UInt64(max(0, limit - used)))
        case (.file, 2):
            return Event(userdata: userdata, type: type)
        case (.directory, _):
            return Event(userdata: userdata, error: .isdir, type: type)
        default:
            return Event(userdata: userdata, error: .badf, type: type)
        }
    }

    /// Waits `nanoseconds` on the configured clock, within the store's deadline and cancellation.
    func sleep(nanoseconds: UInt64, store: Store) throws {
        if store.interruptHandle.isCancelled { throw Trap(.cancelled) }
        let start = ContinuousClock.now
        if let deadline = store.deadline, start >= deadline { throw Trap(.deadlineExceeded) }
        guard !clock.isVirtual else {
            clock.advance(by: nanoseconds)
            return
        }
        let wake = start + .nanoseconds(nanoseconds)
        if let deadline = store.deadline, wake > deadline { throw Trap(.deadlineExceeded) }
        while true {
            let now = ContinuousClock.now
            guard now < wake else { return }
            if store.interruptHandle.isCancelled { throw Trap(.cancelled) }
            let slice = min(wake - now, .milliseconds(10)).components
            var request = timespec(tv_sec: Int(slice.seconds), tv_nsec: Int(slice.attoseconds / 1_000_000_000))
            var remaining = timespec()
            _ = nanosleep(&request, &remaining)
        }
    }

    /// `sched_yield()`: there is nothing to yield to; returns at once.
    func schedYield(_ c: HostCall) throws {}
}
