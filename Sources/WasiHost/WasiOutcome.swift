// How a guest's run ends when WASI ends it: `proc_exit`, or a limit the WASI layer enforces.
// Both are thrown from host functions, so they reach the embedder inside
// `Trap(reason: .hostError(error))`; the `Trap` helpers below recover them.

public import WasmInterpreter

/// The guest called `proc_exit(code)`. Thrown from the host function, so the interpreter stops the
/// guest and reports `Trap(reason: .hostError(WasiExit(code:)))`; the host process never exits.
/// Map it to an exit status with `Trap.wasiExitCode` (or use `WasiHost.runCommand`, which does).
public struct WasiExit: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit status the guest asked for (0 is success).
    public var code: Int32

    /// Creates an exit with this status.
    public init(code: Int32) { self.code = code }

    /// `guest exited with status 3`.
    public var description: String { "guest exited with status \(code)" }
}

/// The WASI layer stopped the guest because it hit a limit. Thrown from a host function, so it
/// arrives as `Trap(reason: .hostError(WasiStop...))`; see `Trap.wasiStop`.
///
/// The store's deadline and cancellation are the interpreter's own reasons: a sleep in
/// `poll_oneoff` that would pass the deadline, or is cancelled, throws
/// `Trap(.deadlineExceeded)` or `Trap(.cancelled)` exactly like the interpreter does.
public enum WasiStop: Error, Sendable, Equatable, CustomStringConvertible {
    /// The guest wrote more than `limit` bytes to the stream (the bytes up to the limit were delivered).
    case outputLimitExceeded(stream: OutputChannel, limit: Int)
    /// The guest wrote more than `limit` bytes to files (`WasiQuotas.maxBytesWritten`).
    case writeQuotaExceeded(limit: Int)
    /// The guest tried to have more than `limit` files open (`WasiQuotas.maxOpenFiles`).
    case openFileLimitExceeded(limit: Int)
    /// The guest tried to add more than `limit` files and directories (`WasiQuotas.maxEntries`).
    case entryLimitExceeded(limit: Int)

    /// What happened, and which setting raises the limit.
    public var description: String {
        switch self {
        case .outputLimitExceeded(let stream, let limit):
            return "the guest wrote more than \(limit) bytes to \(stream) (raise WasiConfiguration.\(stream).limit to allow more)"
        case .writeQuotaExceeded(let limit):
            return "the guest wrote more than \(limit) bytes to files (raise WasiQuotas.maxBytesWritten to allow more)"
        case .openFileLimitExceeded(let limit):
            return "the guest tried to open more than \(limit) files at once (raise WasiQuotas.maxOpenFiles to allow more)"
        case .entryLimitExceeded(let limit):
            return "the guest tried to create more than \(limit) files and directories (raise WasiQuotas.maxEntries to allow more)"
        }
    }
}

extension Trap {
    /// The exit status if this trap is the guest calling `proc_exit`, else nil.
    public var wasiExitCode: Int32? {
        if case .hostError(let error) = reason, let exit = error as? WasiExit { return exit.code }
        return nil
    }

    /// The WASI limit that stopped the guest, if that is what this trap is.
    public var wasiStop: WasiStop? {
        if case .hostError(let error) = reason, let stop = error as? WasiStop { return stop }
        return nil
    }
}

/// Why a `WasiConfiguration` cannot be used.
public enum WasiConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A mount's guest path is not absolute and normalized (like `/` or `/data/in`).
    case invalidGuestPath(String)
    /// Two mounts (or a mount and `/dev`) have the same guest path.
    case duplicateGuestPath(String)
    /// A host mount's directory cannot be opened.
    case hostDirectoryUnavailable(path: String, reason: String)
    /// A memory mount's tree has a name that cannot be a path component.
    case invalidEntryName(mount: String, name: String)
    /// An argument or environment entry contains a byte the guest cannot represent.
    case invalidString(String)

    /// What is wrong and how to fix it.
    public var description: String {
        switch self {
        case .invalidGuestPath(let p):
            return "mount guest path \"\(p)\" must be absolute and normalized, like \"/\" or \"/data\" (no \"..\", \".\", \"//\" or trailing \"/\")"
        case .duplicateGuestPath(let p):
            return "two mounts share the guest path \"\(p)\"; give each a different path (\"/dev\" is taken unless providesDevices is false)"
        case .hostDirectoryUnavailable(let path, let reason):
            return "cannot mount host directory \(path): \(reason); create it or fix its permissions"
        case .invalidEntryName(let mount, let name):
            return "the memory tree for \(mount) has an entry named \"\(name)\"; names must be non-empty, not \".\" or \"..\", and contain no \"/\" or NUL"
        case .invalidString(let s):
            return "argument or environment entry \"\(s)\" contains NUL (or \"=\" in a variable name), which a C string cannot carry"
        }
    }
}
