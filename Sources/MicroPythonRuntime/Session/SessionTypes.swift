// Configuration, replies and errors of resident sessions.

import Foundation
public import WasmInterpreter
public import WasiHost

/// How sessions are set up. Limits apply per request (fuel, timeout, output) and for the
/// session's life (heap, memory, call depth).
public struct SessionConfiguration: Sendable {
    /// Limits; `fuel`, `timeout` and `maxOutputBytes` apply to each request.
    public var limits = PythonLimits()
    /// Swift modules Python code can import.
    public var modules: [PythonModule] = []
    /// Folders the code may use, under one preopened root (`WasiConfiguration.singleRoot`), so
    /// sessions forked from one template or boot may mount different folders.
    public var mounts: [Mount] = []
    /// Environment variables.
    public var environment: [String: String] = [:]
    /// The clock.
    public var clock: ClockSource = .real
    /// Randomness.
    public var random: RandomSource = .system
    /// Receives every file access the guest makes (for audit logs).
    public var fileAccessObserver: (@Sendable (FileAccess) -> Void)?
    /// Python run after the modules are installed, in the session's globals (for embedders'
    /// own set-up, such as a module of decorators).
    public var setupCode: String?

    /// Defaults: safe limits, no modules, no files.
    public init() {}
}

/// A request's result with what it printed and what it cost.
public struct SessionReply<Value: Sendable>: Sendable {
    /// The value (`Void` for `exec`).
    public var value: Value
    /// What the request wrote to stdout.
    public var stdout: String
    /// What it wrote to stderr.
    public var stderr: String
    /// Fuel (Wasm instructions) it used.
    public var fuelUsed: Int64
    /// Wall time it took.
    public var duration: Duration
}

/// Why a session request failed.
public enum SessionError: Error, Sendable, CustomStringConvertible {
    /// The code raised; the session is still usable.
    case exception(PythonError, stdout: String, stderr: String)
    /// A limit stopped the request; the session has ended.
    case limitExceeded(PythonLimit, String)
    /// The guest trapped; the session has ended.
    case trapped(Trap)
    /// The session was closed (or ended earlier; `reason` says how).
    case closed(reason: String)
    /// The guest broke the session protocol; the session has ended.
    case protocolViolation(String)
    /// The request does not fit the guest's buffer.
    case requestTooLarge(bytes: Int, limit: Int)
    /// The session could not be created.
    case bootFailed(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .exception(let e, _, _): return e.description
        case .limitExceeded(let limit, let why): return "session stopped: \(limit) limit: \(why)"
        case .trapped(let t): return "session stopped: the guest trapped: \(t)"
        case .closed(let reason): return "session closed: \(reason)"
        case .protocolViolation(let why): return "session stopped: protocol violation: \(why)"
        case .requestTooLarge(let bytes, let limit): return "request of \(bytes) bytes exceeds the guest's \(limit)-byte buffer"
        case .bootFailed(let why): return "session could not start: \(why)"
        }
    }

    /// Whether the session can still be used after this error.
    public var sessionIsAlive: Bool {
        switch self {
        case .exception, .requestTooLarge: return true
        default: return false
        }
    }
}
