import Foundation
import Synchronization
import WasmInterpreter
@testable import WasiHost

/// Compiles the C programs in `Programs/` (`<name>.c.txt`, see `compile`) to wasm32-wasi at test time, with the Swift
/// toolchain's clang, Debian's `wasi-libc` sysroot and the `libclang-rt-*-dev-wasm32` builtins.
/// Binaries are cached in the temporary directory by a hash of their source, never committed.
/// Tests that need them are disabled (with `unavailableReason`) when a piece is missing.
enum WasmPrograms {
    /// The toolchain pieces, if all are present.
    struct Toolchain: Sendable {
        var clang: URL
        var sysroot: URL
        var builtins: URL
    }

    /// The toolchain, or why there is none.
    static let toolchain: Result<Toolchain, ToolchainMissing> = findToolchain()

    /// Why the C programs cannot be built.
    struct ToolchainMissing: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether programs can be built.
    static var isAvailable: Bool { if case .success = toolchain { return true } else { return false } }

    /// For `.enabled(if:)` messages.
    static var unavailableReason: String {
        if case .failure(let why) = toolchain { return why.description }
        return ""
    }

    private static let cache = Mutex<[String: CompiledModule]>([:])
    private static let compileLock = Mutex(())

    /// The compiled module for `Programs/<name>.c`.
    static func module(_ name: String) throws -> CompiledModule {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        let bytes = try compile(name)
        let module = try CompiledModule(bytes: bytes)
        cache.withLock { $0[name] = module }
        return module
    }

    /// Compiles (or finds in the on-disk cache) `Programs/<name>.c`.
    static func compile(_ name: String) throws -> [UInt8] {
        let tools = try toolchain.get()
        // `<name>.c.txt` while Package.swift does not exclude `Programs/` from the test target
        // (SwiftPM refuses `.c` files in a Swift target); `<name>.c` once it does.
        let source = ["\(name).c", "\(name).c.txt"].map { TestPaths.programs.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) } ?? TestPaths.programs.appendingPathComponent("\(name).c")
        let text = try Data(contentsOf: source)
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text + Data(tools.clang.path.utf8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandpiper-wasi-programs")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("\(name)-\(String(hash, radix: 16)).wasm")
        return try compileLock.withLock { _ in
            if let cached = try? Data(contentsOf: output) { return [UInt8](cached) }
            let staging = directory.appendingPathComponent(".\(name)-\(UUID().uuidString).wasm")
            let process = Process()
            process.executableURL = tools.clang
            process.arguments = ["--target=wasm32-wasi", "--sysroot=\(tools.sysroot.path)", "-O2", "-Wall", "-x", "c", source.path, "-x", "none",
                                 "-o", staging.path, "-nodefaultlibs", "-lc", tools.builtins.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                try? FileManager.default.removeItem(at: staging)
                throw ToolchainMissing(description: "clang failed on \(name).c:\n" + String(decoding: message.prefix(4000), as: UTF8.self))
            }
            _ = try? FileManager.default.removeItem(at: output)
            try FileManager.default.moveItem(at: staging, to: output)
            return [UInt8](try Data(contentsOf: output))
        }
    }

    private static func findToolchain() -> Result<Toolchain, ToolchainMissing> {
        let fm = FileManager.default
        // clang next to `swift` (the Swift toolchain's clang targets wasm32).
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["SANDPIPER_WASI_CLANG"] { candidates.append(explicit) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let swift = URL(fileURLWithPath: String(dir)).appendingPathComponent("swift")
            if fm.isExecutableFile(atPath: swift.path) {
                candidates.append(swift.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("clang").path)
            }
        }
        candidates.append("/opt/swift/usr/bin/clang")
        guard let clang = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) else {
            return .failure(ToolchainMissing(description: "no clang next to `swift` (looked at \(candidates.joined(separator: ", "))); C programs are skipped"))
        }
        // Debian's wasi-libc installs into /usr (lib/wasm32-wasi, include/wasm32-wasi);
        // SANDPIPER_WASI_SYSROOT and SANDPIPER_WASI_BUILTINS point elsewhere (e.g. a wasi-sdk).
        let environment = ProcessInfo.processInfo.environment
        let sysroot = URL(fileURLWithPath: environment["SANDPIPER_WASI_SYSROOT"] ?? "/usr")
        guard fm.fileExists(atPath: sysroot.appendingPathComponent("lib/wasm32-wasi/libc.a").path),
              fm.fileExists(atPath: sysroot.appendingPathComponent("include/wasm32-wasi/stdio.h").path) else {
            return .failure(ToolchainMissing(description: "no wasm32-wasi sysroot in \(sysroot.path) (install the `wasi-libc` package); C programs are skipped"))
        }
        // /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a, newest first.
        var builtins: [String] = []
        let llvmRoots = ((try? fm.contentsOfDirectory(atPath: "/usr/lib")) ?? []).filter { $0.hasPrefix("llvm-") }
        for llvm in llvmRoots {
            let clangDir = "/usr/lib/\(llvm)/lib/clang"
            for version in (try? fm.contentsOfDirectory(atPath: clangDir)) ?? [] {
                let path = "\(clangDir)/\(version)/lib/wasi/libclang_rt.builtins-wasm32.a"
                if fm.fileExists(atPath: path) { builtins.append(path) }
            }
        }
        builtins.sort { $0.compare($1, options: .numeric) == .orderedDescending }
        let preferred = environment["SANDPIPER_WASI_BUILTINS"].map { [$0] } ?? []
        guard let builtin = (preferred + builtins).first(where: { fm.fileExists(atPath: $0) }) else {
            return .failure(ToolchainMissing(description: "no /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a (install `libclang-rt-19-dev-wasm32` or similar); C programs are skipped"))
        }
        return .success(Toolchain(clang: URL(fileURLWithPath: clang), sysroot: sysroot, builtins: URL(fileURLWithPath: builtin)))
    }
}

/// The outcome of running a WASI command.
struct GuestRun {
    /// The exit status, if the guest exited (0 when `_start` returned).
    var exitCode: Int32?
    /// The trap, if the guest was stopped otherwise.
    var trap: Trap?
    /// The host it ran with (output, usage, memory trees).
    var host: WasiHost

    var stdout: String { host.outputText(.stdout) }
    var stderr: String { host.outputText(.stderr) }
    /// Standard output's lines.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}

extension WasmPrograms {
    /// Runs program `name` with `arguments` (argv[0] is added) under `configuration`.
    static func run(_ name: String, _ arguments: [String] = [], configuration: WasiConfiguration = WasiConfiguration(),
                    extraImports: Imports = Imports(), deadline: Duration? = nil) throws -> GuestRun {
        var configuration = configuration
        configuration.arguments = [name] + arguments
        return try runModule(try module(name), configuration: configuration, extraImports: extraImports, deadline: deadline)
    }

    /// Runs a command module under `configuration`.
    static func runModule(_ module: CompiledModule, configuration: WasiConfiguration, extraImports: Imports = Imports(),
                          deadline: Duration? = nil) throws -> GuestRun {
        let host = try WasiHost(configuration: configuration)
        let store = Store()
        if let deadline { store.deadline = .now + deadline }
        do {
            let code = try host.runCommand(module, in: store, imports: extraImports)
            return GuestRun(exitCode: code, trap: nil, host: host)
        } catch let trap as Trap {
            return GuestRun(exitCode: nil, trap: trap, host: host)
        }
    }
}
