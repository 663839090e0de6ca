// Remembered answers to permission questions, per plugin (with the version they were given
// for), in a JSON file. Revocations are answers too.

public import Foundation
import Synchronization

/// One plugin's remembered answers.
public struct GrantRecord: Codable, Sendable, Equatable {
    /// The plugin version the latest answer was given for.
    public var version: String
    /// Permission → granted.
    public var answers: [String: Bool]
}

/// Answers to permission prompts, kept in a file (or only in memory).
public final class GrantStore: Sendable {
    /// The file, or nil for memory only.
    public let file: URL?
    private let records: Mutex<[String: GrantRecord]>

    /// Opens (or starts) a grants file. A damaged file is set aside as `.damaged` and
    /// answers start empty, so every `.ask` permission is asked again.
    public init(file: URL?) {
        self.file = file
        var loaded: [String: GrantRecord] = [:]
        if let file, let data = try? Data(contentsOf: file) {
            if let decoded = try? JSONDecoder().decode([String: GrantRecord].self, from: data) {
                loaded = decoded
            } else {
                try? FileManager.default.moveItem(at: file, to: file.appendingPathExtension("damaged"))
            }
        }
        records = Mutex(loaded)
    }

    /// The remembered answer for `permission` of `plugin`, if any.
    public func answer(plugin: String, permission: String) -> Bool? {
        records.withLock { $0[plugin]?.answers[permission] }
    }

    /// Everything remembered for `plugin`.
    public func record(for plugin: String) -> GrantRecord? { records.withLock { $0[plugin] } }

    /// Remembers an answer.
    public func remember(plugin: String, version: String, permission: String, granted: Bool) {
        records.withLock { table in
            var r = table[plugin] ?? GrantRecord(version: version, answers: [:])
            r.version = version
            r.answers[permission] = granted
            table[plugin] = r
        }
        save()
    }

    /// Revokes a permission (remembered as refused, so it is not asked again).
    public func revoke(plugin: String, permission: String) {
        records.withLock { table in
            var r = table[plugin] ?? GrantRecord(version: "", answers: [:])
            r.answers[permission] = false
            table[plugin] = r
        }
        save()
    }

    /// Forgets every answer for `plugin` (it will be asked again).
    public func forget(plugin: String) {
        _ = records.withLock { $0.removeValue(forKey: plugin) }
        save()
    }

    private func save() {
        guard let file else { return }
        let snapshot = records.withLock { $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(snapshot) {
            try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: file, options: .atomic)
        }
    }
}
