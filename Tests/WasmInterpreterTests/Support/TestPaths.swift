import Foundation

/// Locations of test inputs outside the package's sources.
enum TestPaths {
    /// The package root (this file is Tests/WasmInterpreterTests/Support/TestPaths.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The official spec tests, if this checkout sits next to `shared/`.
    static let specSuite: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-spec")

    /// The fetched guest (`make guest`), if present.
    static let guest: URL = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"] { return URL(fileURLWithPath: env) }
        return packageRoot.appendingPathComponent("Guest/micropython-wasi.wasm")
    }()

    static var hasSpecSuite: Bool { FileManager.default.fileExists(atPath: specSuite.appendingPathComponent("manifest.json").path) }
    static var hasGuest: Bool { FileManager.default.fileExists(atPath: guest.path) }
}
