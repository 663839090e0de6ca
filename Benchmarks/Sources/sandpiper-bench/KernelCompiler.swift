// Compiles Benchmarks/Kernels/*.c to wasm32 with the Swift toolchain's clang (which ships
// wasm-ld), before any timing. Binaries go to Benchmarks/.build/kernels and are never committed.
import Foundation

struct KernelCompiler {
    /// The folder with the kernels' C sources.
    let sourceDirectory: URL
    /// Where the `.wasm` files are written.
    let outputDirectory: URL
    /// The clang used.
    let clang: URL

    /// Flags for every kernel: freestanding wasm32, no libc, exports named by `export_name`.
    /// `-fno-builtin` keeps clang from turning runtime.c's loops into calls to themselves.
    static let flags = ["--target=wasm32", "-nostdlib", "-O2", "-fno-builtin", "-Wall", "-Werror",
                        "-Wl,--no-entry", "-Wl,--export-dynamic"]

    /// Compiled into every kernel: the libc functions the compiler may call.
    static let runtimeSource = "runtime.c"

    enum Failure: Error, CustomStringConvertible {
        case noClang(searched: [String])
        case missingSource(String)
        case compileFailed(kernel: String, command: String, output: String)

        var description: String {
            switch self {
            case .noClang(let searched):
                return "no clang with a wasm32 target found (looked at: \(searched.joined(separator: ", "))). "
                    + "Pass --clang PATH or set SANDPIPER_BENCH_CLANG; the Swift toolchain's clang (next to `swift`) works."
            case .missingSource(let path):
                return "kernel source \(path) does not exist (pass --kernels DIR if Benchmarks/Kernels moved)"
            case .compileFailed(let kernel, let command, let output):
                return "compiling kernel \(kernel) failed:\n  \(command)\n\(output)"
            }
        }
    }

    /// The Benchmarks/ folder this executable was built from.
    static var packageDirectory: URL {
        URL(fileURLWithPath: #filePath)      // Benchmarks/Sources/sandpiper-bench/KernelCompiler.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A compiler for `sourceDirectory` (default Benchmarks/Kernels) using `clang` (default: see
    /// `findClang`).
    init(sourceDirectory: URL? = nil, clang: String? = nil) throws {
        let package = Self.packageDirectory
        self.sourceDirectory = sourceDirectory ?? package.appendingPathComponent("Kernels")
        self.outputDirectory = package.appendingPathComponent(".build/kernels")
        self.clang = try Self.findClang(explicit: clang)
    }

    /// `explicit`, else `$SANDPIPER_BENCH_CLANG`, else the clang next to the `swift` on PATH
    /// (symlinks resolved), else the Swift toolchain at /opt/swift, else `clang` on PATH.
    static func findClang(explicit: String?) throws -> URL {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        let environment = ProcessInfo.processInfo.environment
        if let fromEnvironment = environment["SANDPIPER_BENCH_CLANG"] { candidates.append(fromEnvironment) }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path {
            let swift = URL(fileURLWithPath: directory).appendingPathComponent("swift")
            if FileManager.default.isExecutableFile(atPath: swift.path) {
                candidates.append(swift.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("clang").path)
            }
        }
        candidates.append("/opt/swift/usr/bin/clang")
        candidates += path.map { URL(fileURLWithPath: $0).appendingPathComponent("clang").path }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate)
        }
        throw Failure.noClang(searched: candidates)
    }

    /// The first line of `clang --version`, for the report header.
    var version: String {
        (try? Subprocess.run(clang.path, ["--version"]))?.output.split(separator: "\n").first.map(String.init) ?? "unknown"
    }

    /// Compiles `Kernels/<name>.c` (plus runtime.c) and returns the module's bytes.
    func compile(_ name: String) throws -> [UInt8] {
        let source = sourceDirectory.appendingPathComponent("\(name).c")
        guard FileManager.default.fileExists(atPath: source.path) else { throw Failure.missingSource(source.path) }
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let output = outputDirectory.appendingPathComponent("\(name).wasm")
        let arguments = Self.flags + ["-o", output.path, source.path,
                                      sourceDirectory.appendingPathComponent(Self.runtimeSource).path]
        let result = try Subprocess.run(clang.path, arguments)
        guard result.status == 0 else {
            throw Failure.compileFailed(kernel: name, command: ([clang.path] + arguments).joined(separator: " "),
                                        output: result.output)
        }
        return Array(try Data(contentsOf: output))
    }
}

/// Runs a program to completion and captures its combined output.
enum Subprocess {
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
