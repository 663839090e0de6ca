// `--allow-read HOST[:GUEST]` and `--allow-write HOST[:GUEST]`, shared by `run` and `wasm`.

import Foundation
import WasiHost

/// A host folder the guest may see, as given on the command line.
public struct MountOption: Equatable, Sendable {
    /// The host folder.
    public var hostPath: String
    /// Where the guest sees it (default: `/` + the folder's name).
    public var guestPath: String
    /// Whether the guest may write.
    public var writable: Bool

    /// Parses `HOST[:GUEST]`.
    static func parse(_ text: String, writable: Bool, command: String) throws(UsageError) -> MountOption {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let host = parts[0]
        guard !host.isEmpty else { throw UsageError("--allow-\(writable ? "write" : "read") needs HOST[:GUEST]", command: command) }
        var guest = parts.count > 1 ? parts[1] : "/" + URL(fileURLWithPath: host).standardizedFileURL.lastPathComponent
        if guest.isEmpty { guest = "/" }
        guard guest.hasPrefix("/") else { throw UsageError("the guest path in \(text) must start with /", command: command) }
        return MountOption(hostPath: host, guestPath: guest, writable: writable)
    }

    /// The WASI mount.
    var mount: Mount {
        Mount(guestPath: guestPath, source: .host(URL(fileURLWithPath: hostPath)), readOnly: !writable)
    }
}
