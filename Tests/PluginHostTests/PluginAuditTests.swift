// The audit log and the least-privilege report: an entry for every load, grant, call, denial,
// file access, limit hit and error, with the right fields; the JSON Lines file reads back.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

@Suite("Plugin audit and privilege report")
struct PluginAuditTests {
    @Test("every kind of event is audited with the right fields; the report is least-privilege",
          .enabled(if: PluginGuest.isAvailable, PluginGuest.missing))
    func auditAndReport() async throws {
        let sandbox = try PluginSandbox("audit")
        defer { sandbox.cleanUp() }
        try sandbox.probe("auditee", fields: ["version": "2.3.4", "permissions": ["notes.read", "notes.write", "ui.notify"],
                                              "files": ["write": ["out"]], "limits": ["fuel": 20_000_000]])
        try sandbox.plugin("broken", fields: ["hooks": ["no.such.hook"]])
        let prompts = PluginPromptRecorder { $0.permission != "notes.write" }
        let app = PluginTestApp(prompts: prompts)
        app.store.add(title: "searchable", body: "x")
        let audit = AuditLog(file: sandbox.auditFile)
        let host = try app.host(sandbox, audit: audit)
        _ = await host.load()

        #expect(await host.run("import notes\nresult = len(notes.search('search'))", in: "auditee") == 1)
        #expect(await host.run("import notes\nresult = notes.get(1)['title']", in: "auditee") == "searchable")
        #expect(await host.run("import notes\nresult = notes.add('denied')", in: "auditee")
                == "PermissionError: plugin 'auditee' lacks permission 'notes.write' needed by notes.add()")
        let missing = await host.run("import notes\nresult = notes.get(99)", in: "auditee")
        #expect(missing.map { "\($0)".contains("KeyError: ") && "\($0)".contains("no note 99") } == true, "\(String(describing: missing))")
        #expect(await host.run("open('/data/out/f.txt', 'w').write('abc')\nresult = 'ok'", in: "auditee") == "ok")
        // An uncaught exception (the probe catches Exception; BaseException subclasses escape it).
        let uncaught = await host.ping(.dict(["code": .string("raise KeyboardInterrupt('escaped')")]), plugin: "auditee")
        guard case .exception? = uncaught?.outcome else {
            Issue.record("expected an exception, got \(String(describing: uncaught?.outcome))")
            return
        }
        let looped = await host.ping(.dict(["code": .string("while True:\n    pass")]), plugin: "auditee")
        #expect(looped?.isStopped == true)

        let entries = audit.entries(plugin: "auditee")
        func first(_ kind: AuditEntry.Kind, where predicate: (AuditEntry) -> Bool = { _ in true }) -> AuditEntry? {
            entries.first { $0.kind == kind && predicate($0) }
        }
        #expect(entries.allSatisfy { $0.plugin == "auditee" && $0.version == "2.3.4" })
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(entries.allSatisfy { iso.date(from: $0.time) != nil }, "unparseable times")

        let load = first(.load)
        #expect(load?.outcome == "ok" && load?.function == "main.py" && load?.durationMs != nil)
        #expect(first(.grant) { $0.permission == "notes.read" }?.outcome == "granted")
        #expect(first(.grant) { $0.permission == "notes.write" }?.outcome == "refused")
        #expect(first(.grant) { $0.permission == "notes.write" }?.detail == "asked")
        let search = first(.call) { $0.function == "notes.search" }
        #expect(search?.permission == "notes.read")
        #expect(search?.arguments == "('search')")
        #expect(search?.outcome == "ok")
        #expect((search?.durationMs ?? -1) >= 0)
        let failedCall = first(.call) { $0.function == "notes.get" && $0.outcome == "failed" }
        #expect(failedCall?.detail == "KeyError: no note 99")
        let denial = first(.denial)
        #expect(denial?.function == "notes.add" && denial?.permission == "notes.write" && denial?.outcome == "denied")
        #expect(denial?.detail?.contains("lacks permission") == true)
        #expect(denial?.arguments == "('denied', '')")
        let file = first(.file) { $0.arguments == "/data/out/f.txt" }
        #expect(file?.function == "open" && file?.outcome == "ok" && file?.detail == "modifies")
        let event = first(.event)
        #expect(event?.function == "test.ping" && event?.outcome == "ok")
        let error = first(.error)
        #expect(error?.outcome == "exception" && error?.function == "test.ping")
        #expect(error?.detail?.contains("KeyboardInterrupt") == true)
        let limit = first(.limit)
        #expect(limit?.outcome == "fuel" && limit?.function == "test.ping")
        // The broken plugin's refusal is audited too.
        #expect(audit.entries(plugin: "broken").contains { $0.kind == .load && $0.outcome == "refused" && ($0.detail ?? "").contains("hooks[0]") })

        let report = await host.privilegeReport().first { $0.plugin == "auditee" }
        #expect(report?.version == "2.3.4")
        #expect(report?.requested == ["notes.read", "notes.write", "ui.notify"])
        #expect(report?.granted == ["notes.read", "ui.notify"])
        #expect(report?.used == ["notes.read"])
        #expect(report?.denied == ["notes.write"])
        #expect(report?.neverUsed == ["ui.notify"])
        #expect(report?.calls == 2, "successful capability calls: notes.search and notes.get(1)")

        // The JSON Lines file holds the same entries.
        let (fromFile, skipped) = try AuditLog.read(sandbox.auditFile)
        #expect(skipped == 0)
        #expect(fromFile == audit.entries())
        await host.shutdown()
    }

    @Test("AuditLog round-trips its JSON Lines file, caps sizes, and skips damaged lines")
    func auditFile() throws {
        let sandbox = try PluginSandbox("auditfile")
        defer { sandbox.cleanUp() }
        let file = sandbox.root.appendingPathComponent("logs/deep/audit.jsonl")
        let log = AuditLog(file: file)
        log.record(.load, plugin: "p", version: "1.0.0", function: "main.py", duration: .milliseconds(12), outcome: "ok")
        log.record(.call, plugin: "p", version: "1.0.0", permission: "notes.read", function: "notes.get",
                   arguments: String(repeating: "a", count: 5_000), duration: .microseconds(1500), outcome: "ok")
        log.record(.denial, plugin: "q", version: "0.1.0", permission: "net.fetch", function: "net.fetch",
                   outcome: "denied", detail: String(repeating: "d", count: 5_000) + "\n\"quoted\" ✓")
        log.record(AuditEntry(time: "2026-01-01T00:00:00.000Z", plugin: "weird \"id\"\n", version: "", kind: .error,
                              permission: nil, function: nil, arguments: nil, durationMs: nil, outcome: "stopped", detail: nil))
        let entries = log.entries()
        #expect(entries.count == 4)
        #expect(entries[1].arguments?.count == AuditLog.maxArgumentCharacters)
        #expect(entries[1].arguments?.hasSuffix("...") == true)
        #expect(entries[2].detail?.count == 1000)
        #expect(entries[0].durationMs == 12)
        #expect(entries[1].durationMs == 1.5)
        #expect(log.entries(plugin: "q").count == 1)

        let (read, skipped) = try AuditLog.read(file)
        #expect(skipped == 0)
        #expect(read == entries)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)

        // Appending after reopening, with a damaged line in between.
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{not json}\n".utf8))
        try handle.close()
        let reopened = AuditLog(file: file)
        reopened.record(.limit, plugin: "p", version: "1.0.0", function: "note.saved", outcome: "fuel", detail: "out of fuel")
        let (again, damaged) = try AuditLog.read(file)
        #expect(damaged == 1)
        #expect(again.count == 5)
        #expect(again.last?.kind == .limit)
    }

    /// The audit file failing (a full disk, a path that is a folder, a parent that is a file)
    /// must not stop the host: `FileHandle.write(_:)` ends the process on a failed write. The
    /// entries stay in memory and `fileError` says why the file lacks them.
    @Test("an audit file that cannot be opened or written keeps entries in memory and says why")
    func auditFileFailures() throws {
        let sandbox = try PluginSandbox("auditfail")
        defer { sandbox.cleanUp() }
        if FileManager.default.fileExists(atPath: "/dev/full") {
            let full = AuditLog(file: URL(fileURLWithPath: "/dev/full"))
            #expect(full.fileError == nil, "/dev/full opens; writing it fails")
            for i in 0..<3 { full.record(.call, plugin: "p", version: "1", function: "f\(i)", outcome: "ok") }
            #expect(full.entries().count == 3)
            #expect(full.fileError?.contains("failed after 0 entries") == true, "\(full.fileError ?? "no error")")
        }
        let blocker = sandbox.root.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        for file in [sandbox.root, blocker.appendingPathComponent("audit.jsonl")] {
            let log = AuditLog(file: file)
            #expect(log.fileError?.hasPrefix("cannot open the audit log \(file.path)") == true, "\(log.fileError ?? "no error")")
            log.record(.load, plugin: "p", version: "1", outcome: "ok")
            #expect(log.entries().count == 1)
        }
    }

    /// Every file operation of a plugin is audited, so the file must not grow without end: at
    /// `maxFileBytes` it moves to `audit.jsonl.1` (replacing an older one) and a new file starts.
    @Test("the audit file rotates at its size limit, keeping whole lines and the newest entries")
    func auditRotation() throws {
        let sandbox = try PluginSandbox("auditrotate")
        defer { sandbox.cleanUp() }
        let file = sandbox.root.appendingPathComponent("audit.jsonl")
        let log = AuditLog(file: file, maxFileBytes: 2_000)
        for i in 0..<60 { log.record(.call, plugin: "p", version: "1", function: "f\(i)", outcome: "ok") }
        #expect(log.fileError == nil)
        let rotated = try #require(log.rotatedFile)
        for url in [file, rotated] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            #expect(size > 0 && size <= 2_000, "\(url.lastPathComponent): \(size) bytes")
        }
        let (read, skipped) = try AuditLog.readWithRotated(file)
        #expect(skipped == 0)
        #expect(read.count < 60, "older lines were dropped")
        #expect(read.map(\.function) == (60 - read.count..<60).map { "f\($0)" }, "the newest, in order")
        // Reopening continues the file and keeps counting its size.
        let reopened = AuditLog(file: file, maxFileBytes: 2_000)
        for i in 60..<70 { reopened.record(.call, plugin: "p", version: "1", function: "f\(i)", outcome: "ok") }
        let again = try AuditLog.readWithRotated(file).entries
        for url in [file, rotated] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            #expect(size <= 2_000, "after reopening, \(url.lastPathComponent): \(size) bytes")
        }
        #expect(again.last?.function == "f69")
        #expect(again.map(\.function) == (70 - again.count..<70).map { "f\($0)" })
    }

    /// A plugin makes as many failing calls as it likes; each was a line, and 12,000 an event
    /// rotated every earlier entry out of both files. Alike entries past the rate are counted,
    /// not written; what other plugins and the host record is untouched.
    @Test("a plugin flooding the log is counted, not written, and cannot push out earlier entries")
    func floodIsCounted() throws {
        let sandbox = try PluginSandbox("auditflood")
        defer { sandbox.cleanUp() }
        let file = sandbox.root.appendingPathComponent("audit.jsonl")
        let log = AuditLog(file: file, maxFileBytes: 20_000, maxRepeatsPerMinute: 5)
        log.record(.denial, plugin: "q", version: "1", permission: "vault.open", function: "vault.open", outcome: "denied")
        for i in 0..<1_000 {
            log.record(.call, plugin: "p", version: "1", permission: "notes.write", function: "notes.add",
                       arguments: "(\(i))", outcome: "failed", detail: "TypeError: \(String(repeating: "k", count: 900)) \(i)")
        }
        for i in 0..<10 { log.record(.event, plugin: "p", version: "1", function: "e\(i)", outcome: "ok") }
        #expect(log.entries(plugin: "p").filter { $0.kind == .call }.count == 5)
        #expect(log.entries(plugin: "p").filter { $0.kind == .event }.count == 10, "host-driven kinds are not limited")
        log.flushRepeats()
        let calls = log.entries(plugin: "p").filter { $0.kind == .call }
        #expect(calls.count == 6)
        #expect(calls.last?.detail?.hasPrefix("995 more entries like this") == true, "\(calls.last?.detail ?? "")")
        let (read, skipped) = try AuditLog.readWithRotated(file)
        #expect(skipped == 0)
        #expect(read.contains { $0.kind == .denial && $0.plugin == "q" }, "the earlier refusal is still on disk")
        #expect(read.count == log.entries().count)
    }

    /// The limiter's own table stays bounded however many distinct names a plugin makes up,
    /// and a window's count is written when a later alike entry arrives after it.
    @Test("the repeat limiter's groups are bounded and its windows close with a count")
    func repeatLimiterBounds() {
        var limiter = AuditRepeatLimiter(perWindow: 2)
        let start = ContinuousClock.now
        func entry(_ function: String, plugin: String = "p") -> AuditEntry {
            AuditEntry(time: "", plugin: plugin, version: "1", kind: .file, permission: nil, function: function,
                       arguments: nil, durationMs: nil, outcome: "ok", detail: nil)
        }
        var admitted = 0
        for i in 0..<(AuditRepeatLimiter.maxGroups + 1_000) where limiter.admit(entry("made-up-\(i)"), at: start).admitted {
            admitted += 1
        }
        #expect(limiter.tallies.count <= AuditRepeatLimiter.maxGroups + 1)
        #expect(admitted == AuditRepeatLimiter.maxGroups + 2, "past the table, new names share one group")
        let closing = limiter.admit(entry("read"), at: start + .seconds(61))
        #expect(closing.summaries.count == 1, "the shared group's count, as the full table's windows close")
        #expect(limiter.tallies.count == 1)

        var fresh = AuditRepeatLimiter(perWindow: 2)
        for _ in 0..<5 { _ = fresh.admit(entry("read"), at: start) }
        let later = fresh.admit(entry("read"), at: start + .seconds(61))
        #expect(later.admitted, "a new window")
        #expect(later.summaries.map(\.function) == ["read"])
        #expect(later.summaries.first?.detail?.hasPrefix("3 more entries like this") == true)
        #expect(fresh.admit(AuditEntry(time: "", plugin: "p", version: "1", kind: .event, permission: nil, function: "x",
                                         arguments: nil, durationMs: nil, outcome: "ok", detail: nil), at: start).admitted)
    }

    @Test("audit timestamps are what ISO8601DateFormatter writes, without making one per entry")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // Leap days and century years, era and month boundaries, times just before midnight;
        // each a whole millisecond plus 0.3 ms, so rounding cannot make the two disagree.
        let seconds: [Double] = [0, 951_782_400, 951_868_799.999, 4_107_542_400, 1_709_164_800, 1_709_251_199.5,
                                 1_798_761_599.25, 1_796_083_200, 253_402_300_799.999, 1_795_772_034.123, 68_169_600]
        var checked = 0
        for s in seconds {
            let date = Date(timeIntervalSince1970: s + 0.0003)
            #expect(AuditEntry.timestamp(date) == formatter.string(from: date), "\(s)")
            checked += 1
        }
        // Every day of 1999–2001 and 2099–2101 at 23:59:59.999 and at 00:00:00.000.
        for start in [915_148_800.0, 4_070_908_800.0] {
            for day in 0..<(3 * 366) {
                for offset in [0.0003, 86_399.9993] {
                    let date = Date(timeIntervalSince1970: start + Double(day) * 86_400 + offset)
                    if AuditEntry.timestamp(date) != formatter.string(from: date) {
                        Issue.record("\(date): \(AuditEntry.timestamp(date)) against \(formatter.string(from: date))")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 4_000)
        #expect(AuditEntry.timestamp(Date(timeIntervalSince1970: 1_795_772_034.5)) == "2026-11-27T09:33:54.500Z")
    }
}
