// The data folders' limits (`PluginLimits.dataBytes`, `.dataEntries`) hold across sessions: a
// plugin stopped by a limit restarts with fresh WASI quotas, so each start measures its
// writable folders and the session may only fill what is left. Without that, a plugin writing
// on every event and alternating between completing and being stopped grows them without bound.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

/// What a folder tree holds, counted by the tests (without following symbolic links).
func folderUsage(_ folder: URL) -> (bytes: Int, entries: Int) {
    var bytes = 0, entries = 0
    let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .isSymbolicLinkKey]
    guard let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { return (0, 0) }
    for case let url as URL in walk {
        entries += 1
        let values = try? url.resourceValues(forKeys: Set(keys))
        if values?.isRegularFile == true && values?.isSymbolicLink != true { bytes += values?.fileSize ?? 0 }
    }
    return (bytes, entries)
}

extension PluginGuestSuites {
    @Suite("Plugin data folder limits")
    struct PluginDataLimitTests {
        /// Writes `payload["bytes"]` bytes to a new file in /data/out, then (with `stop`) spins
        /// until the fuel limit stops the plugin.
        static let writeCode = """
            import os
            n = len(os.listdir('/data/out'))
            with open('/data/out/' + NAME, 'wb') as f:
                f.write(b'x' * BYTES)
            result = n
            if STOP:
                while True:
                    pass
            """

        /// Creates two files and a folder holding one more (4 entries), then maybe spins.
        static let createCode = """
            import os
            n = len(os.listdir('/data/out'))
            for name in ('a%d' % n, 'b%d' % n):
                open('/data/out/' + name, 'w').close()
            os.mkdir('/data/out/d%d' % n)
            open('/data/out/d%d/c' % n, 'w').close()
            result = n
            if STOP:
                while True:
                    pass
            """

        static func code(_ template: String, bytes: Int = 0, name: String? = nil, stop: Bool) -> String {
            template.replacingOccurrences(of: "BYTES", with: "\(bytes)").replacingOccurrences(of: "STOP", with: stop ? "True" : "False")
                .replacingOccurrences(of: "NAME", with: name.map { "'\($0)'" } ?? "'f%d.bin' % n")
        }

        /// Sends `events` events, every second one ending in a fuel stop, and checks the folder
        /// after each; returns the outcomes.
        static func hammer(_ host: PluginHost, plugin: String, events: Int, check: () -> Void,
                           code: (Bool) -> String) async -> [PluginRunResult.Outcome] {
            var outcomes: [PluginRunResult.Outcome] = []
            for i in 0..<events {
                let r = await host.ping(.dict(["code": .string(code(i % 2 == 1)), "only": .string(plugin)]), plugin: plugin)
                if let r { outcomes.append(r.outcome) }
                check()
            }
            return outcomes
        }

        /// Loads probe plugin `id`, writing to its data folder `out`, with `limits` (and a fuel
        /// budget); returns the folder, the audit log and the host.
        static func load(_ id: String, in sandbox: PluginSandbox, limits: [String: Any]) async throws
            -> (out: URL, audit: AuditLog, host: PluginHost) {
            var all: [String: Any] = ["fuel": 100_000_000]
            for (key, value) in limits { all[key] = value }
            let folder = try sandbox.probe(id, fields: ["files": ["write": ["out"]], "limits": all])
            let audit = AuditLog(file: nil)
            let host = try PluginTestApp().host(sandbox, audit: audit)
            _ = await host.load()
            return (folder.appendingPathComponent("data/out"), audit, host)
        }

        /// The message of the first limit stop of kind `kind`, if any.
        static func stopMessage(_ outcomes: [PluginRunResult.Outcome], _ kind: PythonLimit) -> String? {
            for case .stopped(.limitExceeded(let limit, let why)) in outcomes where limit == kind { return why }
            return nil
        }

        @Test("bytes written on every event, across restarts, never take the data folders past limits.data")
        func bytesAcrossRestarts() async throws {
            let sandbox = try PluginSandbox("data-bytes")
            defer { sandbox.cleanUp() }
            let (out, audit, host) = try await Self.load("hoarder", in: sandbox, limits: ["data": "1M"])
            var largest = 0
            let outcomes = await Self.hammer(host, plugin: "hoarder", events: 12, check: {
                largest = max(largest, folderUsage(out).bytes)
            }, code: { Self.code(Self.writeCode, bytes: 300_000, stop: $0) })
            // 12 × 300,000 bytes without the limit; it fills the folder exactly (the last write is cut short).
            #expect(largest <= 1 << 20, "the data folder grew to \(largest) bytes")
            #expect(folderUsage(out).bytes == 1 << 20)
            let why = Self.stopMessage(outcomes, .fileWrites)
            #expect(why?.contains("data folders are full") == true, "\(outcomes)")
            #expect(why?.contains("limits.data") == true, "\(String(describing: why))")
            let limits = audit.entries(plugin: "hoarder").filter { $0.kind == .limit && $0.outcome == "file writes" }
            #expect(!limits.isEmpty && limits.allSatisfy { ($0.detail ?? "").contains("1048576 bytes its data limit allows") },
                    "\(limits.map(\.detail))")
            await host.shutdown()
        }

        @Test("files and folders created on every event, across restarts, stay within limits.dataEntries")
        func entriesAcrossRestarts() async throws {
            let sandbox = try PluginSandbox("data-entries")
            defer { sandbox.cleanUp() }
            let (out, audit, host) = try await Self.load("littering", in: sandbox, limits: ["dataEntries": 10])
            var largest = 0
            let outcomes = await Self.hammer(host, plugin: "littering", events: 12, check: {
                largest = max(largest, folderUsage(out).entries)
            }, code: { Self.code(Self.createCode, stop: $0) })
            // 48 entries without the limit.
            #expect(largest <= 10, "the data folder grew to \(largest) entries")
            let why = Self.stopMessage(outcomes, .fileEntries)
            #expect(why?.contains("data folders are full") == true, "\(outcomes)")
            #expect(why?.contains("limits.dataEntries") == true, "\(String(describing: why))")
            #expect(audit.entries(plugin: "littering").contains { $0.kind == .limit && $0.outcome == "file entries" })
            await host.shutdown()
        }

        @Test("what the folders already hold counts (the app's default limits apply), and deleting it makes room again")
        func existingFilesCount() async throws {
            let sandbox = try PluginSandbox("data-existing")
            defer { sandbox.cleanUp() }
            let folder = try sandbox.probe("filler", fields: ["files": ["write": ["out", "out/nested"], "read": ["in"]],
                                                              "limits": ["fuel": 100_000_000]])
            let data = folder.appendingPathComponent("data")
            let out = data.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out.appendingPathComponent("nested"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: data.appendingPathComponent("in"), withIntermediateDirectories: true)
            try Data(count: 600_000).write(to: out.appendingPathComponent("old.bin"))
            try Data(count: 300_000).write(to: out.appendingPathComponent("nested/old.bin"))
            // Read-only folders and links out of the folder do not count.
            try Data(count: 5_000_000).write(to: data.appendingPathComponent("in/big.bin"))
            try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("link"), withDestinationURL: data.appendingPathComponent("in"))
            var limits = PluginLimits.standard
            limits.dataBytes = 1 << 20
            let app = PluginTestApp().definition(limits: limits)
            let host = PluginHost(app: app, directories: [sandbox.plugins], guest: try PluginGuest.load(),
                                  grants: GrantStore(file: nil), audit: AuditLog(file: nil))
            _ = await host.load()
            func write(_ name: String) -> PythonValue {
                .dict(["code": .string(Self.code(Self.writeCode, bytes: 300_000, name: name, stop: false)), "only": "filler"])
            }
            let full = await host.ping(write("first.bin"), plugin: "filler")
            guard case .stopped(.limitExceeded(.fileWrites, let why))? = full?.outcome else {
                Issue.record("expected the data limit to stop the write, got \(String(describing: full?.outcome))")
                return
            }
            // old.bin, nested, nested/old.bin and the link.
            #expect(why.contains("held 900000 bytes in 4 files and directories"), "\(why)")
            #expect(folderUsage(out).bytes == 1 << 20)
            // Deleted on the host: the next start measures again and the write fits.
            try FileManager.default.removeItem(at: out.appendingPathComponent("old.bin"))
            #expect(await host.ping(write("second.bin"), plugin: "filler")?.value() != nil)
            #expect(folderUsage(out).bytes == 300_000 + 148_576 + 300_000)
            await host.shutdown()
        }
    }
}

@Suite("Data folder usage")
struct DataFolderUsageTests {
    @Test("counts files, folders and sizes without following links, once per folder, and stops at the bound")
    func measure() throws {
        let sandbox = try PluginSandbox("usage")
        defer { sandbox.cleanUp() }
        let fm = FileManager.default
        let root = sandbox.root.appendingPathComponent("data")
        let a = root.appendingPathComponent("a")
        try fm.createDirectory(at: a.appendingPathComponent("x/y"), withIntermediateDirectories: true)
        try Data(count: 10).write(to: a.appendingPathComponent("one"))
        try Data(count: 20).write(to: a.appendingPathComponent("x/y/two"))
        try Data(count: 1000).write(to: sandbox.root.appendingPathComponent("outside"))
        try fm.createSymbolicLink(at: a.appendingPathComponent("to-outside"), withDestinationURL: sandbox.root.appendingPathComponent("outside"))
        try fm.createSymbolicLink(at: a.appendingPathComponent("to-root"), withDestinationURL: sandbox.root)
        // one, x, x/y, x/y/two, two links.
        let usage = DataFolderUsage.measure([a], maxEntries: 100)
        #expect(usage == DataFolderUsage(bytes: 30, entries: 6, truncated: false))
        // A folder inside another, or the same one again (through a link), counts once.
        try fm.createSymbolicLink(at: root.appendingPathComponent("alias"), withDestinationURL: a)
        let twice = DataFolderUsage.measure([a, a.appendingPathComponent("x"), root.appendingPathComponent("alias"),
                                             root.appendingPathComponent("missing")], maxEntries: 100)
        #expect(twice == usage)
        let bounded = DataFolderUsage.measure([a], maxEntries: 3)
        #expect(bounded.truncated && bounded.entries == 4)
        let budget = DataFolderBudget(folders: [a], limits: { var l = PluginLimits.standard; l.dataEntries = 3; return l }(),
                                      session: PythonLimits())
        #expect(budget.maxBytesWritten == 0 && budget.maxEntries == 0)
    }

    @Test("a deep tree is walked with one directory open at a time, back up through '..'")
    func deepTree() throws {
        let sandbox = try PluginSandbox("deep")
        defer { sandbox.cleanUp() }
        let root = sandbox.root.appendingPathComponent("deep")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // 1,500 levels: more than the 1,024 descriptors a process may often hold open.
        var level = root
        for _ in 0..<1_500 {
            level = level.appendingPathComponent("d")
            try FileManager.default.createDirectory(at: level, withIntermediateDirectories: false)
        }
        try Data(count: 7).write(to: level.appendingPathComponent("leaf"))
        try Data(count: 5).write(to: root.appendingPathComponent("top"))
        let usage = DataFolderUsage.measure([root], maxEntries: 10_000)
        #expect(usage == DataFolderUsage(bytes: 12, entries: 1_502, truncated: false))
    }
}
