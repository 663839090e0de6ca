// Keeping one plugin from flooding the audit log. A plugin decides how many capability calls,
// refusals and file operations it makes, and each is audited: 12,000 failing calls an event
// once rotated every earlier entry (another plugin's refusal included) out of both files. So
// entries a plugin causes at will are written individually up to a rate; past it, alike ones
// are counted, and one entry says how many were left out. Every use is still accounted for.

import Foundation

/// Admits or counts entries of the kinds a plugin produces at will (`limitedKinds`), per group
/// of alike entries: the same plugin, kind, function, permission and outcome.
struct AuditRepeatLimiter {
    /// Kinds a plugin produces as often as it likes within one run.
    static let limitedKinds: Set<AuditEntry.Kind> = [.call, .denial, .file]
    /// The span each group's count covers.
    static let window: Duration = .seconds(60)
    /// Most groups followed at once; past it, a plugin's new groups share one per kind (a
    /// plugin naming made-up functions must not grow this table without end).
    static let maxGroups = 4_096
    /// Longest text of a group's key fields kept.
    static let maxKeyCharacters = 100

    /// Entries of one group written in full per window.
    let perWindow: Int

    struct Group: Hashable {
        var plugin: String
        var kind: AuditEntry.Kind
        var function: String?
        var permission: String?
        var outcome: String

        init(plugin: String, kind: AuditEntry.Kind, function: String?, permission: String?, outcome: String) {
            let cut = AuditRepeatLimiter.maxKeyCharacters
            self.plugin = String(plugin.prefix(cut))
            self.kind = kind
            self.function = function.map { String($0.prefix(cut)) }
            self.permission = permission.map { String($0.prefix(cut)) }
            self.outcome = String(outcome.prefix(cut))
        }

        init(_ entry: AuditEntry) {
            self.init(plugin: entry.plugin, kind: entry.kind, function: entry.function, permission: entry.permission,
                      outcome: entry.outcome)
        }
    }

    struct Tally {
        var start: ContinuousClock.Instant
        var written = 0
        var leftOut = 0
        /// The group's first entry of the window, the pattern of its summary.
        var sample: AuditEntry
    }

    private(set) var tallies: [Group: Tally] = [:]

    /// Whether `entry` is written, and the summaries of windows it closes (to write first).
    mutating func admit(_ entry: AuditEntry, at now: ContinuousClock.Instant) -> (admitted: Bool, summaries: [AuditEntry]) {
        guard Self.limitedKinds.contains(entry.kind) else { return (true, []) }
        var summaries: [AuditEntry] = []
        var group = Group(entry)
        if tallies[group] == nil && tallies.count >= Self.maxGroups {
            summaries += close(where: { now - $0.start >= Self.window }, at: now)
            if tallies.count >= Self.maxGroups {
                group = Group(plugin: entry.plugin, kind: entry.kind, function: nil, permission: nil, outcome: "(various)")
            }
        }
        var tally = tallies[group] ?? Tally(start: now, sample: entry)
        if now - tally.start >= Self.window {
            if let summary = summary(of: tally, at: now) { summaries.append(summary) }
            tally = Tally(start: now, sample: entry)
        }
        let admitted = tally.written < perWindow
        if admitted { tally.written += 1 } else { tally.leftOut += 1 }
        tallies[group] = tally
        return (admitted, summaries)
    }

    /// Ends every window: the summaries of those that left entries out.
    mutating func flush(at now: ContinuousClock.Instant) -> [AuditEntry] {
        close(where: { _ in true }, at: now)
    }

    private mutating func close(where ended: (Tally) -> Bool, at now: ContinuousClock.Instant) -> [AuditEntry] {
        var summaries: [AuditEntry] = []
        for (group, tally) in tallies where ended(tally) {
            if let summary = summary(of: tally, at: now) { summaries.append(summary) }
            tallies[group] = nil
        }
        return summaries
    }

    /// The entry saying how many of a window's entries were left out, if any were.
    private func summary(of tally: Tally, at now: ContinuousClock.Instant) -> AuditEntry? {
        guard tally.leftOut > 0 else { return nil }
        var entry = tally.sample
        entry.time = AuditEntry.now()
        entry.arguments = nil
        entry.durationMs = nil
        let seconds = max(1, Int((now - tally.start).components.seconds))
        entry.detail = "\(tally.leftOut) more entries like this (same plugin, kind, function, permission and outcome) "
            + "in \(seconds) s were not written one by one: at most \(perWindow) a minute are"
        return entry
    }
}
