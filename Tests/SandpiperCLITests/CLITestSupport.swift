// Shared helpers for the CLI tests: paths, and running `sandpiper` through `main` with a
// capturing console.

import Foundation
@testable import SandpiperCLI

enum CLIPaths {
    /// The package root (this file is Tests/SandpiperCLITests/CLITestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fetched guest (`make guest`), or `SANDPIPER_GUEST` if set.
    static let guest: URL = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent("Guest/micropython-wasi.wasm")
    }()

    static var hasGuest: Bool { FileManager.default.fileExists(atPath: guest.path) }

    /// The official spec tests (`../shared/wasm-spec`).
    static let wasmSpec: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/wasm-spec")

    static var hasWasmSpec: Bool {
        FileManager.default.fileExists(atPath: wasmSpec.appendingPathComponent("json/i32.json").path)
    }

    static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sandpiper-cli-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }
}

let cliGuestMissing = "MicroPython guest not fetched: run `make guest` (Guest/micropython-wasi.wasm)"

/// What one `sandpiper` invocation did.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var report: String { "status \(status)\n--- stdout ---\n\(stdout.prefix(2000))\n--- stderr ---\n\(stderr.prefix(2000))" }
}

/// Runs `sandpiper ARGUMENTS` in this process with captured output.
func sandpiper(_ arguments: [String]) -> CLIRun {
    let capture = CapturingConsole()
    let status = SandpiperCommandLine.main(arguments, console: capture.console)
    return CLIRun(status: status, stdout: capture.outputText, stderr: capture.errorText)
}

/// `sandpiper run --guest GUEST ARGUMENTS`, with the test guest given explicitly.
func sandpiperRun(_ arguments: [String]) -> CLIRun {
    sandpiper(["run", "--guest", CLIPaths.guest.path] + arguments)
}
