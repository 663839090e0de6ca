// The audit log: one JSON line per load, grant, call, denial, file access, limit hit and error.

public import Foundation
import Synchronization

/// One audit entry.
public struct AuditEntry: Codable, Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// A plugin was loaded (or failed to load).
        case load
        /// A permission was granted or refused.
        case grant
        /// A capability was called.
        case call
        /// A capability call was refused for a missing permission.
        case denial
        /// A file was accessed.
        case file
        /// A limit stopped the plugin.
        case limit
        /// An error: a Python exception, a trap, a protocol violation.
        case error
        /// An event was delivered.
        case event
        /// A macro ran.
        case macro
    }

    /// When (ISO 8601).
    public var time: String
    /// The plugin id.
    public var plugin: String
    /// Its version.
    public var version: String
    /// What happened.
    public var kind: Kind
    /// The permission concerned, if any.
    public var permission: String?
    /// The function, event, macro or path concerned.
    public var function: String?
    /// A size-capped summary of the arguments.
    public var arguments: String?
    /// How long it took, in milliseconds.
    public var durationMs: Double?
    /// `ok`, `denied`, `failed`, `granted`, `refused`, or the limit's name.
    public var outcome: String
    /// More detail (a message), if any.
    public var detail: String?

    /// The current time in ISO 8601.
    static func now() -> String {
        timestamp(Date())
    }

    /// `date` in ISO 8601, UTC, to the millisecond (`2026-11-27T07:33:54.123Z`), as
    /// `ISO8601DateFormatter` writes it with `.withInternetDateTime` and `.withFractionalSeconds`.
    /// Computed from the day count rather than with a formatter: making one for each entry took
    /// about 70 µs, most of what recording an entry cost, and a shared one is not `Sendable`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let msPerDay: Int64 = 86_400_000
        let days = milliseconds >= 0 ? milliseconds / msPerDay : (milliseconds - msPerDay + 1) / msPerDay
        let ms = milliseconds - days * msPerDay
        // The proleptic Gregorian date of a day count from 1970-01-01, in 400-year eras of
        // 146,097 days that start on March 1 (so February's leap day comes last).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ count: Int) -> String {
            let text = String(value)
            return text.count >= count ? text : String(repeating: "0", count: count - text.count) + text
        }
        return digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
            + "T" + digits(ms / 3_600_000, 2) + ":" + digits(ms / 60_000 % 60, 2) + ":" + digits(ms / 1_000 % 60, 2)
            + "." + digits(ms % 1_000, 3) + "Z"
    }
}

/// Collects audit entries in memory and appends them to a JSON Lines file.
public final class AuditLog: Sendable {
    /// The file, or nil for memory only.
    public let file: URL?
    private let state: Mutex<State>
    /// Longest argument summary kept.
    public static let maxArgumentCharacters = 200
    /// The default for `entriesInMemory`.
    public static let maxEntriesInMemory = 20_000
    /// Most entries `entries(plugin:)` returns: the newest ones (the file keeps all). Up to an
    /// eighth more are held between trims, so trimming costs little per entry.
    public let entriesInMemory: Int
    /// The default for `maxFileBytes`.
    public static let defaultMaxFileBytes = 64 << 20
    /// The file's largest size: a line that would take it past this first moves the file to
    /// `rotatedFile` (replacing the one there), so the log takes at most twice this on disk
    /// however many file operations plugins make, each of which is audited.
    public let maxFileBytes: Int
    /// The default for `maxRepeatsPerMinute`.
    public static let defaultMaxRepeatsPerMinute = 200
    /// Most alike entries a plugin causes at will (capability calls, refusals, file operations
    /// with the same plugin, kind, function, permission and outcome) written one by one per
    /// minute; the rest are counted, and one entry says how many were left out. A plugin
    /// could otherwise flood the log until rotation erased what came before.
    public let maxRepeatsPerMinute: Int

    private struct State {
        var entries: [AuditEntry] = []
        var handle: FileHandle?
        var fileError: String?
        var linesWritten = 0
        var fileBytes = 0
        var repeats: AuditRepeatLimiter
    }

    /// Where the older lines go when the file reaches `maxFileBytes`: `audit.jsonl.1`.
    public var rotatedFile: URL? { file?.appendingPathExtension("1") }

    /// Opens (appends to) `file`, or keeps entries only in memory; keeps the newest
    /// `entriesInMemory` entries in memory; rotates the file at `maxFileBytes`. A file that
    /// cannot be opened does not stop the log: entries are kept in memory and `fileError` says
    /// why the file has none.
    public init(file: URL?, entriesInMemory: Int = AuditLog.maxEntriesInMemory, maxFileBytes: Int = AuditLog.defaultMaxFileBytes,
                maxRepeatsPerMinute: Int = AuditLog.defaultMaxRepeatsPerMinute) {
        self.file = file
        self.entriesInMemory = max(1, entriesInMemory)
        self.maxFileBytes = max(1, maxFileBytes)
        self.maxRepeatsPerMinute = max(1, maxRepeatsPerMinute)
        var initial = State(repeats: AuditRepeatLimiter(perWindow: self.maxRepeatsPerMinute))
        if let file {
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                let handle = try Self.openForAppending(file)
                initial.fileBytes = Int(try handle.seekToEnd())
                initial.handle = handle
            } catch {
                initial.fileError = "cannot open the audit log \(file.path): \(error.localizedDescription)"
            }
        }
        state = Mutex(initial)
    }

    private static func openForAppending(_ file: URL) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: file.path),
           !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown)
        }
        return try FileHandle(forWritingTo: file)
    }

    deinit {
        flushRepeats()
        state.withLock { try? $0.handle?.close() }
    }

    /// Why the file lacks entries the log recorded, or nil while it has them all: it could not
    /// be opened, or a write failed (a full disk, an I/O error). After a failed write the file
    /// gets no more lines, so it never holds a partial line followed by others; the entries
    /// stay in memory.
    public var fileError: String? { state.withLock { $0.fileError } }

    /// Records an entry (unless it is one too many alike, see `maxRepeatsPerMinute`).
    public func record(_ entry: AuditEntry) {
        var e = entry
        if let a = e.arguments, a.count > Self.maxArgumentCharacters { e.arguments = String(a.prefix(Self.maxArgumentCharacters - 3)) + "..." }
        if let d = e.detail, d.count > 1000 { e.detail = String(d.prefix(997)) + "..." }
        let now = ContinuousClock.now
        state.withLock { s in
            let (admitted, summaries) = s.repeats.admit(e, at: now)
            for summary in summaries { append(summary, to: &s) }
            // Encoded only once admitted: a flood's left-out entries cost no encoding.
            if admitted { append(e, to: &s) }
        }
    }

    /// Writes the summaries of alike entries left out so far (also done when the log is
    /// released): call it when plugins stop, so the counts reach the file.
    public func flushRepeats() {
        state.withLock { s in
            for summary in s.repeats.flush(at: .now) { append(summary, to: &s) }
        }
    }

    private static func encode(_ entry: AuditEntry) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try? encoder.encode(entry)
    }

    /// Keeps `e` in memory and appends it to the file, rotating the file first if needed.
    private func append(_ e: AuditEntry, to s: inout State) {
        s.entries.append(e)
        if s.entries.count > entriesInMemory + entriesInMemory / 8 { s.entries.removeFirst(s.entries.count - entriesInMemory) }
        guard var handle = s.handle, let file, var line = Self.encode(e) else { return }
        line.append(UInt8(ascii: "\n"))
        do {
            if s.fileBytes > 0 && s.fileBytes + line.count > maxFileBytes, let rotated = rotatedFile {
                try handle.close()
                s.handle = nil
                if FileManager.default.fileExists(atPath: rotated.path) { try FileManager.default.removeItem(at: rotated) }
                try FileManager.default.moveItem(at: file, to: rotated)
                handle = try Self.openForAppending(file)
                s.handle = handle
                s.fileBytes = 0
            }
            // `write(contentsOf:)` throws on failure; the older `write(_:)` stops the process.
            try handle.write(contentsOf: line)
            s.linesWritten += 1
            s.fileBytes += line.count
        } catch {
            s.fileError = "writing the audit log \(file.path) failed after \(s.linesWritten) entries: "
                + error.localizedDescription
            try? s.handle?.close()
            s.handle = nil
        }
    }

    /// Records an entry built from its parts.
    public func record(_ kind: AuditEntry.Kind, plugin: String, version: String, permission: String? = nil,
                       function: String? = nil, arguments: String? = nil, duration: Duration? = nil,
                       outcome: String, detail: String? = nil) {
        record(AuditEntry(time: AuditEntry.now(), plugin: plugin, version: version, kind: kind, permission: permission,
                          function: function, arguments: arguments,
                          durationMs: duration.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1000 },
                          outcome: outcome, detail: detail))
    }

    /// Entries recorded by this log (optionally for one plugin).
    public func entries(plugin: String? = nil) -> [AuditEntry] {
        state.withLock { s in
            let newest = s.entries.suffix(entriesInMemory)
            return plugin.map { p in newest.filter { $0.plugin == p } } ?? Array(newest)
        }
    }

    /// Reads an audit log's files, the rotated one (`rotatedFile`, if there) first: the entries
    /// oldest first; lines that do not parse are skipped and counted.
    public static func readWithRotated(_ file: URL) throws -> (entries: [AuditEntry], skipped: Int) {
        let rotated = file.appendingPathExtension("1")
        var older: (entries: [AuditEntry], skipped: Int) = ([], 0)
        if FileManager.default.fileExists(atPath: rotated.path) { older = try read(rotated) }
        let newer = try read(file)
        return (older.entries + newer.entries, older.skipped + newer.skipped)
    }

    /// Reads a JSON Lines audit file; lines that do not parse are skipped and counted.
    public static func read(_ file: URL) throws -> (entries: [AuditEntry], skipped: Int) {
        let text = try String(contentsOf: file, encoding: .utf8)
        var entries: [AuditEntry] = []
        var skipped = 0
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") where !line.isEmpty {
            if let e = try? decoder.decode(AuditEntry.self, from: Data(line.utf8)) { entries.append(e) } else { skipped += 1 }
        }
        return (entries, skipped)
    }
}
