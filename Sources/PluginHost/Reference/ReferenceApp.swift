// The reference app: a small notes app's capabilities (notes, ui, net) over a file-backed
// store. The `sandpiper plugins` commands and Examples/NotesApp both host plugins with it, so
// the sample plugins run the same way in both.

public import Foundation
public import MicroPythonRuntime
import Synchronization

/// A note.
public struct Note: Codable, Sendable, Equatable {
    /// Its id.
    public var id: Int
    /// Its title.
    public var title: String
    /// Its text.
    public var body: String
    /// Its tags.
    public var tags: [String]

    /// Creates a note.
    public init(id: Int, title: String, body: String, tags: [String] = []) {
        self.id = id
        self.title = title
        self.body = body
        self.tags = tags
    }
}

/// Why a notes call failed (raised in Python as the matching exception).
public struct NotesError: PythonMappableError, Sendable, CustomStringConvertible {
    /// The Python exception type.
    public var pythonExceptionType: String
    /// The message.
    public var pythonMessage: String
    /// `KeyError: no note 3`.
    public var description: String { "\(pythonExceptionType): \(pythonMessage)" }
}

/// Notes kept in a JSON file (or only in memory). Thread-safe.
public final class NotesStore: Sendable {
    /// The file, or nil for memory only.
    public let file: URL?
    private let state: Mutex<(notes: [Int: Note], next: Int)>

    /// Opens (or creates) the store.
    public init(file: URL?) {
        self.file = file
        var notes: [Int: Note] = [:]
        if let file, let data = try? Data(contentsOf: file), let list = try? JSONDecoder().decode([Note].self, from: data) {
            for n in list { notes[n.id] = n }
        }
        state = Mutex((notes, (notes.keys.max() ?? 0) + 1))
    }

    /// How many notes there are.
    public var count: Int { state.withLock { $0.notes.count } }

    /// All notes by id.
    public var all: [Note] { state.withLock { $0.notes.values.sorted { $0.id < $1.id } } }

    /// The note `id`.
    public func get(_ id: Int) throws -> Note {
        guard let n = state.withLock({ $0.notes[id] }) else {
            throw NotesError(pythonExceptionType: "KeyError", pythonMessage: "no note \(id)")
        }
        return n
    }

    /// Adds a note; returns its id.
    @discardableResult
    public func add(title: String, body: String, tags: [String] = []) -> Int {
        add(title: title, body: body, tags: tags, ifFewerThan: Int.max)!
    }

    /// Adds a note if there are fewer than `limit` (checked and added at once, so concurrent
    /// callers cannot pass it); returns its id, or nil when the store is full.
    public func add(title: String, body: String, tags: [String] = [], ifFewerThan limit: Int) -> Int? {
        let id = state.withLock { s -> Int? in
            guard s.notes.count < limit else { return nil }
            let id = s.next
            s.next += 1
            s.notes[id] = Note(id: id, title: title, body: body, tags: tags)
            return id
        }
        if id != nil { save() }
        return id
    }

    /// Replaces a note.
    public func update(_ note: Note) throws {
        try state.withLock { s throws in
            guard s.notes[note.id] != nil else { throw NotesError(pythonExceptionType: "KeyError", pythonMessage: "no note \(note.id)") }
            s.notes[note.id] = note
        }
        save()
    }

    /// Notes whose title or body contains `text` (case-insensitive).
    public func search(_ text: String) -> [Note] {
        let needle = text.lowercased()
        return all.filter { $0.title.lowercased().contains(needle) || $0.body.lowercased().contains(needle) }
    }

    private func save() {
        guard let file else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(all) {
            try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: file, options: .atomic)
        }
    }
}

/// Messages plugins showed with `ui.notify`.
public final class NotificationLog: Sendable {
    private let messages = Mutex<[(plugin: String, message: String)]>([])

    /// Creates an empty center.
    public init() {}

    /// Records a message.
    public func post(plugin: String, message: String) { messages.withLock { $0.append((plugin, message)) } }

    /// Takes the messages posted so far.
    public func take() -> [(plugin: String, message: String)] {
        messages.withLock { m in
            defer { m = [] }
            return m
        }
    }
}

/// The reference app's definition.
public enum ReferenceApp {
    /// The permissions it defines.
    public static let permissions = [
        PermissionDefinition("notes.read", "read your notes", policy: .allow),
        PermissionDefinition("notes.write", "create and change notes", policy: .ask),
        PermissionDefinition("ui.notify", "show notifications", policy: .allow),
        PermissionDefinition("net.fetch", "fetch web pages from the hosts it lists", policy: .ask),
    ]

    /// The events it offers.
    public static let hooks = [
        "note.saved": "a note was created or changed; payload: the note",
        "note.deleted": "a note was deleted; payload: {\"id\": id}",
        "daily": "once a day; payload: {\"date\": \"YYYY-MM-DD\"}",
    ]

    /// The app definition over `store`, posting to `notifications`, asking through `prompt`.
    public static func definition(store: NotesStore, notifications: NotificationLog,
                                  prompt: (@Sendable (PermissionRequest) async -> Bool?)? = nil,
                                  limits: PluginLimits = .standard) -> AppDefinition {
        AppDefinition(permissions: permissions, modules: [notesModule(store), uiModule(notifications), netModule()],
                      hooks: hooks, defaultLimits: limits, prompt: prompt)
    }

    /// Most characters in a note's title that plugins may write.
    public static let maxTitleCharacters = 200
    /// Most characters in a note's body that plugins may write.
    public static let maxBodyCharacters = 10_000
    /// Most notes plugins may add to.
    public static let maxNotes = 1_000
    /// Most characters in a tag plugins may set.
    public static let maxTagCharacters = 64

    /// `notes`: read and write the app's notes.
    public static func notesModule(_ store: NotesStore) -> CapabilityModule {
        CapabilityModule("notes") { _ in
            var m = PythonModule("notes", doc: "The app's notes.")
            m.add("get", doc: "Returns the note with this id (KeyError if there is none).", requires: "notes.read",
                  Param<Int>("id"), returns: Note.self) { id in try store.get(id) }
            m.add("list", doc: "Returns every note, oldest first.", requires: "notes.read", returns: [Note].self) { store.all }
            m.add("search", doc: "Returns notes whose title or body contains the text.", requires: "notes.read",
                  Param<String>("text"), returns: [Note].self) { text in store.search(text) }
            m.add("add", doc: "Creates a note and returns its id (title up to 200 characters, body up to 10,000).",
                  requires: "notes.write",
                  Param<String>("title"), Param<String>("body", default: ""), returns: Int.self) { title, body in
                // Plugins share the app's store and its file, rewritten on every change: what
                // one plugin may add is bounded, or it could grow both without end.
                // Counted in Unicode scalars, as Python counts: a grapheme can hold any number.
                guard title.unicodeScalars.count <= maxTitleCharacters, body.unicodeScalars.count <= maxBodyCharacters else {
                    throw NotesError(pythonExceptionType: "ValueError", pythonMessage:
                        "a note's title may have \(maxTitleCharacters) characters and its body \(maxBodyCharacters)")
                }
                guard let id = store.add(title: title, body: body, ifFewerThan: maxNotes) else {
                    throw NotesError(pythonExceptionType: "ValueError", pythonMessage: "the app keeps at most \(maxNotes) notes")
                }
                return id
            }
            m.add("set_tags", doc: "Replaces a note's tags (up to 32, of up to 64 characters) and returns the note.",
                  requires: "notes.write",
                  Param<Int>("id"), Param<[String]>("tags"), returns: Note.self) { id, tags in
                guard tags.allSatisfy({ $0.unicodeScalars.count <= maxTagCharacters }) else {
                    throw NotesError(pythonExceptionType: "ValueError", pythonMessage: "a tag may have \(maxTagCharacters) characters")
                }
                var note = try store.get(id)
                note.tags = Array(tags.prefix(32))
                try store.update(note)
                return note
            }
            return m
        }
    }

    /// `ui`: talk to the user.
    public static func uiModule(_ notifications: NotificationLog) -> CapabilityModule {
        CapabilityModule("ui") { context in
            var m = PythonModule("ui", doc: "The app's user interface.")
            m.add("notify", doc: "Shows a notification (at most 500 characters).", requires: "ui.notify",
                  Param<String>("message"), returns: EmptyResult.self) { message in
                notifications.post(plugin: context.pluginID, message: String(message.prefix(500)))
                return EmptyResult()
            }
            return m
        }
    }

    /// `net`: fetch web pages from the hosts the plugin's manifest lists. A fetch follows a
    /// redirect only to a listed host (a redirect anywhere else raises `PermissionError`), reads
    /// at most 64 KiB of body, and takes at most 10 seconds; see `fetch(_:allowed:limits:)`.
    public static func netModule() -> CapabilityModule {
        netModule(limits: .standard)
    }

    /// `net` with `limits` (tests use shorter ones).
    static func netModule(limits: FetchLimits) -> CapabilityModule {
        CapabilityModule("net") { context in
            var m = PythonModule("net", doc: "HTTP fetches, limited to the hosts the plugin's manifest lists.")
            m.addAsync("fetch", doc: """
                Fetches an http:// or https:// URL; returns {'status': int, 'body': str} with at most the \
                first \(limits.maxBodyBytes >> 10) KiB of the body. The host must be in the manifest's \
                network.hosts (else PermissionError). Redirects are followed (at most \(limits.maxRedirects)) \
                only to hosts it lists: a redirect anywhere else raises PermissionError naming that host, and \
                more redirects raise OSError. The whole fetch takes at most \
                \(String(format: "%g", limits.totalTimeout)) s (else OSError); a failed connection is an OSError.
                """,
                       requires: "net.fetch", Param<String>("url"), returns: FetchResult.self) { url in
                try await fetch(url, allowed: context.networkHosts, limits: limits)
            }
            return m
        }
    }

    /// What `net.fetch` returns.
    public struct FetchResult: Codable, Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body as text.
        public var body: String
    }
}
