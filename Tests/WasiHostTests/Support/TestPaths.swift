import Foundation

/// Locations of test inputs outside the package's sources.
enum TestPaths {
    /// The package root (this file is Tests/WasiHostTests/Support/TestPaths.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The C sources compiled by `WasmPrograms`.
    static let programs: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Programs")

    /// The fetched MicroPython guest (`make guest`), or `SANDPIPER_GUEST` if set.
    static let guest: URL = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"] { return URL(fileURLWithPath: env) }
        return packageRoot.appendingPathComponent("Guest/micropython-wasi.wasm")
    }()

    /// Whether the guest has been fetched.
    static var hasGuest: Bool { FileManager.default.fileExists(atPath: guest.path) }

    /// A fresh, empty temporary directory (removed by the caller with `removeItem`).
    static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sandpiper-wasi-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Resolve /tmp symlinks (macOS) so host-side comparisons see the real path.
        return url.resolvingSymlinksInPath()
    }
}
