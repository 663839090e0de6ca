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

/// Why a change to remembered answers was not saved. The change holds in memory (for this
/// process) all the same; but the file keeps the answers it had, which the next process reads.
public enum GrantStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The grants file could not be written.
    case cannotSave(file: String, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .cannotSave(let file, let reason): return "cannot save the remembered permission answers to \(file): \(reason)"
        }
    }
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

    /// Remembers an answer. Throws when the file cannot be saved (the change holds in memory).
    public func remember(plugin: String, version: String, permission: String, granted: Bool) throws(GrantStoreError) {
        records.withLock { table in
            var r = table[plugin] ?? GrantRecord(version: version, answers: [:])
            r.version = version
            r.answers[permission] = granted
            table[plugin] = r
        }
        try save()
    }

    /// Revokes a permission (remembered as refused, so it is not asked again). Throws when the file cannot be saved (the change holds in memory).
    public func revoke(plugin: String, permission: String) throws(GrantStoreError) {
        records.withLock { table in
            var r = table[plugin] ?? GrantRecord(version: "", answers: [:])
            r.answers[permission] = false
            table[plugin] = r
        }
        try save()
    }

    /// Forgets every answer for `plugin` (it will be asked again). Throws when the file cannot be saved (the change holds in memory).
    public func forget(plugin: String) throws(GrantStoreError) {
        _ = records.withLock { $0.removeValue(forKey: plugin) }
        try save()
    }

    private func save() throws(GrantStoreError) {
        guard let file else { return }
        let snapshot = records.withLock { $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(snapshot)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        } catch {
            throw .cannotSave(file: file.path, reason: error.localizedDescription)
        }
    }
}
