// The public, value-typed description of an in-memory directory tree: what a memory mount
// starts with, and what `WasiHost.memoryDirectory(at:)` reads back.

/// An in-memory directory: names mapped to files (bytes) and subdirectories. A value type, so a
/// snapshot never changes under you; the live tree a guest works on is separate, inside the host.
///
/// ```swift
/// var root = MemoryDirectory()
/// root["config/settings.json"] = .file(Array(#"{"debug": true}"#.utf8))
/// root["empty"] = .directory(MemoryDirectory())
/// ```
public struct MemoryDirectory: Sendable, Equatable {
    /// One entry of a directory.
    public enum Entry: Sendable, Equatable {
        /// A regular file with these contents.
        case file([UInt8])
        /// A subdirectory.
        indirect case directory(MemoryDirectory)

        /// The file's contents, if this is a file.
        public var bytes: [UInt8]? { if case .file(let b) = self { return b } else { return nil } }
        /// The subdirectory, if this is a directory.
        public var directory: MemoryDirectory? { if case .directory(let d) = self { return d } else { return nil } }
    }

    /// The entries by name. Names are single path components: not empty, not `.` or `..`, and
    /// without `/` or NUL (`WasiHost.init` rejects trees that break this).
    public var entries: [String: Entry]

    /// Creates a directory with these entries.
    public init(_ entries: [String: Entry] = [:]) {
        self.entries = entries
    }

    /// Creates a directory of text files from `path: contents` pairs (paths may contain `/`;
    /// intermediate directories are created).
    public init(files: [String: String]) {
        self.init()
        for (path, text) in files { self[path] = .file(Array(text.utf8)) }
    }

    /// The entry at a `/`-separated relative path, or nil. Setting creates intermediate
    /// directories (replacing files in the way); setting nil removes the entry.
    public subscript(path: String) -> Entry? {
        get {
            let parts = Self.components(path)
            guard let first = parts.first else { return .directory(self) }
            var entry = entries[first]
            for part in parts.dropFirst() {
                guard case .directory(let d)? = entry else { return nil }
                entry = d.entries[part]
            }
            return entry
        }
        set {
            set(Self.components(path)[...], newValue)
        }
    }

    /// The contents of the file at `path`, if it is a file.
    public func file(_ path: String) -> [UInt8]? { self[path]?.bytes }

    /// The contents of the file at `path` as UTF-8 text, if it is a file.
    public func text(_ path: String) -> String? { file(path).map { String(decoding: $0, as: UTF8.self) } }

    /// Every path in the tree (directories end in `/`), sorted; handy in test failures.
    public var allPaths: [String] {
        var result: [String] = []
        func walk(_ d: MemoryDirectory, _ prefix: String) {
            for (name, entry) in d.entries.sorted(by: { $0.key < $1.key }) {
                switch entry {
                case .file: result.append(prefix + name)
                case .directory(let sub):
                    result.append(prefix + name + "/")
                    walk(sub, prefix + name + "/")
                }
            }
        }
        walk(self, "")
        return result
    }

    private mutating func set(_ parts: ArraySlice<String>, _ value: Entry?) {
        guard let first = parts.first else { return }
        if parts.count == 1 {
            entries[first] = value
            return
        }
        var sub = entries[first]?.directory ?? MemoryDirectory()
        sub.set(parts.dropFirst(), value)
        entries[first] = .directory(sub)
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// The first invalid name in the tree, if any (see `entries`).
    func firstInvalidName() -> String? {
        for (name, entry) in entries {
            if !Self.isValidName(name) { return name }
            if case .directory(let d) = entry, let bad = d.firstInvalidName() { return bad }
        }
        return nil
    }

    /// Whether `name` can be one path component.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.utf8.contains(0x2F) && !name.utf8.contains(0)
            && name.utf8.count <= WasiPathLimits.maxComponentBytes
    }
}
