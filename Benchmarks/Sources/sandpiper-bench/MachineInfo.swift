// The machine and toolchain a report was measured on, for its header and the JSON.
import Foundation

struct MachineInfo: Codable, Equatable {
    /// CPU model (Linux: /proc/cpuinfo "model name").
    var cpu: String
    /// Logical cores available to the process.
    var cores: Int
    /// Operating system.
    var os: String
    /// First line of `swift --version`.
    var swift: String
    /// First line of `clang --version` (the kernels' compiler).
    var clang: String
    /// "release" or "debug": how sandpiper-bench itself was built.
    var build: String
    /// Sandpiper's store configuration as used.
    var sandpiperConfiguration: String
    /// WasmKit's engine configuration as used.
    var wasmKitConfiguration: String
    /// The MicroPython guest and how it is started, when MicroPython workloads ran.
    var guest: String?
    /// The Sandpiper commit measured, and whether `Sources/` had uncommitted changes at start.
    var revision: String?
    /// The 1-, 5- and 15-minute load averages when the run started (Linux), a hint at noise.
    var loadAverage: String?

    static func current(clang: String, sandpiper: SandpiperEngine, wasmKit: WasmKitEngine, guest: String?) -> MachineInfo {
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        return MachineInfo(cpu: cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
                           os: operatingSystem(), swift: swiftVersion(), clang: clang, build: build,
                           sandpiperConfiguration: sandpiper.configurationSummary,
                           wasmKitConfiguration: wasmKit.configurationSummary, guest: guest, revision: revision(),
                           loadAverage: loadAverage())
    }

    static func cpuModel() -> String {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        #elseif os(macOS)
        if let r = try? Subprocess.run("/usr/sbin/sysctl", ["-n", "machdep.cpu.brand_string"]), r.status == 0 {
            return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #endif
        return "unknown"
    }

    /// `git rev-parse --short HEAD` of the repository this benchmark was built in, plus a note
    /// when `Sources/` differs from it (the numbers then measure uncommitted code).
    static func revision() -> String? {
        let root = KernelCompiler.packageDirectory.deletingLastPathComponent().path
        guard let head = try? Subprocess.run("/usr/bin/env", ["git", "-C", root, "rev-parse", "--short", "HEAD"]),
              head.status == 0 else { return nil }
        let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let status = try? Subprocess.run("/usr/bin/env", ["git", "-C", root, "status", "--porcelain", "--", "Sources"]),
              status.status == 0 else { return commit }
        let changed = status.output.split(separator: "\n").count
        return changed == 0 ? commit : "\(commit) + uncommitted changes to \(changed) file(s) in Sources/"
    }

    static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func operatingSystem() -> String {
        if let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    static func swiftVersion() -> String {
        guard let r = try? Subprocess.run("/usr/bin/env", ["swift", "--version"]), r.status == 0,
              let line = r.output.split(separator: "\n").first(where: { $0.contains("Swift version") }) else {
            return "unknown"
        }
        return String(line)
    }
}
