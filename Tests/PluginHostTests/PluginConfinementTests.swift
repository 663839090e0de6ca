// File confinement: a plugin sees its own folder read-only at /plugin and the data folders its
// manifest names at /data/<path>; nothing else, not through `..`, not through symlinks.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

extension PluginGuestSuites {
    @Suite("Plugin file confinement")
    struct PluginConfinementTests {
        /// Python that tries `action` and returns "ok:<value>" or "<Type>".
        static let attempt = """
            def attempt(action):
                try:
                    return "ok:" + str(action())
                except Exception as e:
                    return type(e).__name__
            def read(path):
                with open(path) as f:
                    return f.read()
            def write(path, text="pwned"):
                with open(path, "w") as f:
                    f.write(text)
                return "written"

            """

        @Test("reads and writes only the named data folders")
        func confinement() async throws {
            let sandbox = try PluginSandbox("files")
            defer { sandbox.cleanUp() }
            let folder = try sandbox.probe("filer", fields: ["files": ["read": ["in"], "write": ["out"]]])
            let data = folder.appendingPathComponent("data")
            let fm = FileManager.default
            for sub in ["in", "out", "private"] { try fm.createDirectory(at: data.appendingPathComponent(sub), withIntermediateDirectories: true) }
            try Data("hello from in".utf8).write(to: data.appendingPathComponent("in/hello.txt"))
            try Data("keep out".utf8).write(to: data.appendingPathComponent("private/secret.txt"))
            let outside = sandbox.root.appendingPathComponent("outside")
            try fm.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("outside secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
            try fm.createSymbolicLink(at: data.appendingPathComponent("in/link-file"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
            try fm.createSymbolicLink(at: data.appendingPathComponent("out/link-dir"), withDestinationURL: outside)
            try fm.createSymbolicLink(at: data.appendingPathComponent("in/passwd"), withDestinationURL: URL(fileURLWithPath: "/etc/passwd"))

            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            let checks: [(String, String)] = [
                ("read('/data/in/hello.txt')", "ok:hello from in"),
                ("write('/data/out/new.txt', 'fresh')", "ok:written"),
                ("read('/data/out/new.txt')", "ok:fresh"),
                ("len(read('/plugin/main.py')) > 0", "ok:True"),
                ("write('/data/in/new.txt')", "OSError"),              // read-only data folder
                ("write('/plugin/main.py')", "OSError"),               // the plugin's own code is read-only
                ("write('/plugin/evil.py')", "OSError"),
                ("write('/evil.txt')", "OSError"),
                ("write('/tmp/evil.txt')", "OSError"),
                ("read('/etc/passwd')", "OSError"),
                ("read('/data/in/link-file')", "OSError"),             // symlink to a file outside
                ("read('/data/in/passwd')", "OSError"),                // symlink to /etc/passwd
                ("write('/data/out/link-dir/pwn.txt')", "OSError"),    // symlink to a folder outside
                ("read('/data/out/link-dir/secret.txt')", "OSError"),
                ("read('/data/out/../in/hello.txt')", "OSError"),      // .. out of a mount
                ("read('/data/in/../../plugin/main.py')", "OSError"),
                ("read('/data/out/../../../etc/passwd')", "OSError"),
                ("read('/plugin/../etc/passwd')", "OSError"),
                ("__import__('os').mkdir('/data/in/newdir')", "OSError"),
                ("__import__('os').rename('/data/out/new.txt', '/data/in/moved.txt')", "OSError"),
                ("__import__('os').remove('/data/in/hello.txt')", "OSError"),
            ]
            var failures: [String] = []
            for (action, expected) in checks {
                let result = await host.run(Self.attempt + "result = attempt(lambda: \(action))", in: "filer")
                if result != .string(expected) { failures.append("\(action): expected \(expected), got \(String(describing: result))") }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")

            // Nothing leaked onto the host.
            #expect(try String(contentsOf: data.appendingPathComponent("out/new.txt"), encoding: .utf8) == "fresh")
            #expect(!fm.fileExists(atPath: outside.appendingPathComponent("pwn.txt").path))
            #expect(!fm.fileExists(atPath: data.appendingPathComponent("in/new.txt").path))
            #expect(!fm.fileExists(atPath: folder.appendingPathComponent("evil.py").path))
            #expect(try String(contentsOf: folder.appendingPathComponent("main.py"), encoding: .utf8) == PluginSandbox.probeSource)
            #expect(fm.fileExists(atPath: data.appendingPathComponent("in/hello.txt").path))

            // File accesses are audited with the path and outcome.
            let files = audit.entries(plugin: "filer").filter { $0.kind == .file }
            #expect(files.contains { $0.function == "open" && $0.arguments == "/data/out/new.txt" && $0.outcome == "ok" && $0.detail == "modifies" })
            #expect(files.contains { $0.arguments == "/data/in/new.txt" && $0.outcome != "ok" })
            await host.shutdown()
        }

        @Test("data folders the manifest does not name are not readable, not even through /plugin")
        func unnamedDataFolders() async throws {
            let sandbox = try PluginSandbox("unnamed")
            defer { sandbox.cleanUp() }
            let folder = try sandbox.probe("nosy", fields: ["files": ["read": ["public"]]])
            let data = folder.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data.appendingPathComponent("private"), withIntermediateDirectories: true)
            try Data("keep out".utf8).write(to: data.appendingPathComponent("private/secret.txt"))
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            #expect(await host.run(Self.attempt + "result = attempt(lambda: read('/data/private/secret.txt'))", in: "nosy") == "OSError")
            // The plugin folder is mounted at /plugin without its data folder.
            let viaPlugin = await host.run(Self.attempt + "result = attempt(lambda: read('/plugin/data/private/secret.txt'))", in: "nosy")
            #expect(viaPlugin == "OSError", "the unnamed data folder is readable through the /plugin mount: \(String(describing: viaPlugin))")
            let listing = await host.run("import os\nresult = ','.join(sorted(os.listdir('/plugin')))", in: "nosy")
            #expect(listing == "main.py,plugin.json", "\(String(describing: listing))")
            await host.shutdown()
        }

        @Test("a plugin without file access sees only its code")
        func noFiles() async throws {
            let sandbox = try PluginSandbox("nofiles")
            defer { sandbox.cleanUp() }
            try sandbox.probe("bare")
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            #expect(await host.run(Self.attempt + "result = attempt(lambda: write('/data/x.txt'))", in: "bare") == "OSError")
            #expect(await host.run(Self.attempt + "result = attempt(lambda: read('/etc/hostname'))", in: "bare") == "OSError")
            await host.shutdown()
        }

        @Test("plugins cannot see each other's folders")
        func isolationBetweenPlugins() async throws {
            let sandbox = try PluginSandbox("neighbours")
            defer { sandbox.cleanUp() }
            try sandbox.probe("left", fields: ["files": ["write": ["shared"]]])
            try sandbox.probe("right", fields: ["files": ["write": ["shared"]]])
            let host = try PluginTestApp().host(sandbox, audit: AuditLog(file: nil))
            _ = await host.load()
            #expect(await host.run(Self.attempt + "result = attempt(lambda: write('/data/shared/mine.txt', 'left'))", in: "left") == "ok:written")
            // Same guest path, different host folder: the neighbour's file is not there.
            let neighbour = await host.run(Self.attempt + "result = attempt(lambda: read('/data/shared/mine.txt'))", in: "right")
            #expect(neighbour == "OSError", "\(String(describing: neighbour))")
            #expect(FileManager.default.fileExists(atPath: sandbox.plugins.appendingPathComponent("left/data/shared/mine.txt").path))
            #expect(!FileManager.default.fileExists(atPath: sandbox.plugins.appendingPathComponent("right/data/shared/mine.txt").path))
            #expect(await host.run(Self.attempt + "result = attempt(lambda: read('/plugin/../left/main.py'))", in: "right") == "OSError")
            await host.shutdown()
        }
        /// The host runs the folder whose manifest it validated. A folder with the same name in
        /// an earlier plugin directory, whose manifest is refused, is never run in its place
        /// (with the other's grants and data folders).
        @Test("a refused folder never stands in for a valid one with the same name")
        func refusedFolderDoesNotShadow() async throws {
            let sandbox = try PluginSandbox("shadow")
            defer { sandbox.cleanUp() }
            let later = sandbox.root.appendingPathComponent("more-plugins")
            let refused = try sandbox.plugin("twin", source: PluginSandbox.probeSource, fields: ["unknown": 1])
            let valid = try sandbox.plugin("twin", source: PluginSandbox.probeSource, in: later)
            try Data("refused".utf8).write(to: refused.appendingPathComponent("which.txt"))
            try Data("valid".utf8).write(to: valid.appendingPathComponent("which.txt"))
            let host = try PluginTestApp().host(sandbox, directories: [sandbox.plugins, later], audit: AuditLog(file: nil))
            let report = await host.load()
            #expect(report.loaded.map(\.folder.path) == [valid.path])
            #expect(report.failures.map(\.folder) == [refused.path])
            #expect(await host.run(Self.attempt + "result = attempt(lambda: read('/plugin/which.txt'))", in: "twin") == "ok:valid")
            await host.shutdown()
        }
    }
}
