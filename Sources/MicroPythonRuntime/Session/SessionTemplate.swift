// Fast session start: boot the guest once, keep it suspended and ready, fork it per session.

/// A booted, idle session to fork new sessions from: the guest has started, the prelude is
/// loaded and the modules are known (none granted). Forking copies memory instead of booting
/// MicroPython again.
public final class SessionTemplate: Sendable {
    let prototype: PythonSession
    /// The configuration every session from this template shares.
    public let configuration: SessionConfiguration

    init(prototype: PythonSession, configuration: SessionConfiguration) {
        self.prototype = prototype
        self.configuration = configuration
    }

    /// Boots the template: forks the guest's booted prelude for this configuration (booting it
    /// first if no template or session with the same boot settings has, see `PreludeCache`),
    /// then installs the modules and runs the setup code.
    public static func make(guest: MicroPythonGuest, configuration: SessionConfiguration = SessionConfiguration())
        async throws(SessionError) -> SessionTemplate {
        let prototype = try await guest.preludes.session(guest: guest, configuration: configuration, gate: nil, observer: nil)
        try await prototype.install(modules: configuration.modules, grant: [], deny: [:], setup: configuration.setupCode)
        // From here on the prototype only gets forked: freezing lets forks share its memory
        // copy-on-write instead of copying it.
        await prototype.freezeAsTemplate()
        return SessionTemplate(prototype: prototype, configuration: configuration)
    }

    /// A new session forked from the template. `mounts` replaces the template's mounts (any
    /// where none lies inside another, as sessions preopen one root; with nested mounts, the
    /// same guest paths); `grant` names the modules it may import (default: all); `deny` maps
    /// module names to the reason an import is refused; `gate` checks every Swift call.
    /// `maxBytesWritten` and `maxFileEntries`, when given, replace the template's file quotas
    /// (`PythonLimits.maxBytesWritten`, `PythonLimits.maxFileEntries`) for this session only:
    /// for instance to leave it just the room its folders have left after earlier sessions.
    public func makeSession(mounts: [Mount]? = nil, grant: [String]? = nil, deny: [String: String] = [:],
                            gate: CapabilityGate? = nil, observer: CapabilityObserver? = nil,
                            fileAccessObserver: (@Sendable (FileAccess) -> Void)? = nil,
                            maxBytesWritten: Int? = nil, maxFileEntries: Int? = nil) async throws(SessionError) -> PythonSession {
        let known = Set(configuration.modules.map(\.name))
        if let unknown = grant?.first(where: { !known.contains($0) }) {
            throw .bootFailed("cannot grant module '\(unknown)': the template has no such module (it has \(known.sorted()))")
        }
        let session = try await prototype.fork(mounts: mounts, gate: gate, observer: observer, fileAccessObserver: fileAccessObserver,
                                               maxBytesWritten: maxBytesWritten, maxFileEntries: maxFileEntries)
        let granted = grant ?? configuration.modules.map(\.name)
        if !granted.isEmpty || !deny.isEmpty {
            await session.installWithNextRequest(grant: granted, deny: deny)
        }
        return session
    }
}

public import WasiHost
