// `plugins/<id>/plugin.json`, schema 1, read strictly: unknown fields, bad values and paths
// that leave the plugin's folder are errors that name the field and the fix.

public import Foundation
import MicroPythonRuntime

/// A validated plugin manifest.
public struct PluginManifest: Sendable, Equatable {
    /// Always 1.
    public var schema: Int
    /// The plugin id (also its folder name).
    public var id: String
    /// Display name.
    public var name: String
    /// `MAJOR.MINOR.PATCH`.
    public var version: String
    /// What it does.
    public var description: String
    /// The entry script, relative to the plugin folder.
    public var entry: String
    /// Permissions it requests.
    public var permissions: [String]
    /// Folders (relative to its data folder) it may read.
    public var readPaths: [String]
    /// Folders (relative to its data folder) it may read and write.
    public var writePaths: [String]
    /// Network hosts (`host` or `host:port`) it may reach through `net.fetch`.
    public var networkHosts: [String]
    /// Events it subscribes to.
    public var hooks: [String]
    /// Its limits (the app's defaults where it sets none).
    public var limits: PluginLimits
    /// The folder the manifest was read from and validated against (its entry and file paths):
    /// the folder the host runs, whatever other folder has the same name.
    public var folder: URL

    /// Every field schema 1 defines.
    public static let fields = ["schema", "id", "name", "version", "description", "entry", "permissions",
                                "files", "network", "hooks", "limits"]
    /// Fields of `files`.
    public static let fileFields = ["read", "write"]
    /// Fields of `network`.
    public static let networkFields = ["hosts"]
    /// Fields of `limits`. `data` (bytes) and `dataEntries` (files and directories) cap what
    /// the writable data folders hold in total, across sessions (`PluginLimits.dataBytes`).
    public static let limitFields = ["fuel", "memory", "heap", "timeout", "output", "data", "dataEntries"]

    /// Plugin ids: lower-case letters, digits and `-`, starting with a letter, up to 48 characters.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.count <= 48 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Parses and validates the manifest in `folder` (its `plugin.json`) against the app.
    public static func load(folder: URL, app: AppDefinition) throws(ManifestError) -> PluginManifest {
        let plugin = folder.lastPathComponent
        let file = folder.appendingPathComponent("plugin.json")
        func fail(_ kind: ManifestError.Kind, _ field: String, _ message: String) -> ManifestError {
            ManifestError(kind, plugin: plugin, field: field, message)
        }
        guard let data = try? Data(contentsOf: file) else {
            throw fail(.unreadable, "", "cannot read \(file.path); every plugin folder needs a plugin.json")
        }
        guard data.count <= 256 << 10 else { throw fail(.unreadable, "", "plugin.json is larger than 256 KiB") }
        let parsed: PythonValue
        do { parsed = try PythonValue(wire: [UInt8](data)) } catch {
            throw fail(.unreadable, "", "plugin.json is not valid JSON: \(error)")
        }
        guard case .dict(let json) = parsed else { throw fail(.unreadable, "", "plugin.json must be a JSON object") }
        for key in json.keys.sorted() where !fields.contains(key) {
            throw fail(.unknownField, key, "unknown field; schema 1 fields are \(fields.joined(separator: ", ")) (check the spelling)")
        }

        func string(_ key: String, required: Bool = true) throws(ManifestError) -> String? {
            guard let value = json[key] else {
                if required { throw fail(.missingField, key, "missing; add \"\(key)\": \"...\"") }
                return nil
            }
            guard case .string(let s) = value else { throw fail(.wrongType, key, "must be a string") }
            return s
        }
        func strings(_ value: PythonValue?, _ key: String) throws(ManifestError) -> [String] {
            guard let value else { return [] }
            guard case .list(let list) = value else { throw fail(.wrongType, key, "must be a list of strings") }
            var out: [String] = []
            for item in list {
                guard case .string(let s) = item else { throw fail(.wrongType, key, "must be a list of strings") }
                out.append(s)
            }
            return out
        }

        guard let schemaValue = json["schema"] else { throw fail(.missingField, "schema", "missing; add \"schema\": 1") }
        guard case .int(let schema64) = schemaValue else { throw fail(.wrongType, "schema", "must be the number 1") }
        let schema = Int(schema64)
        guard schema == 1 else { throw fail(.unsupportedSchema, "schema", "schema \(schema) is not supported; use 1") }

        let id = try string("id")!
        guard isValidID(id) else {
            throw fail(.badID, "id", "\"\(id)\" is not a valid id: use lower-case letters, digits and '-', starting with a letter (at most 48)")
        }
        guard id == plugin else { throw fail(.idMismatch, "id", "\"\(id)\" must match the folder name \"\(plugin)\"; rename one of them") }
        let name = try string("name")!
        guard !name.isEmpty, name.count <= 80 else { throw fail(.wrongType, "name", "must be 1 to 80 characters") }
        let version = try string("version")!
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy({ $0.isASCII && $0.isNumber }) }) else {
            throw fail(.badVersion, "version", "\"\(version)\" must be MAJOR.MINOR.PATCH, like 1.0.0")
        }
        let description = try string("description", required: false) ?? ""
        let entry = try string("entry")!
        guard entry.hasSuffix(".py") else { throw fail(.missingEntry, "entry", "\"\(entry)\" must be a .py file") }
        try checkPath(entry, field: "entry", base: folder, plugin: plugin)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).path) else {
            throw fail(.missingEntry, "entry", "\(entry) does not exist in the plugin folder; create it or fix the name")
        }

        let permissions = try strings(json["permissions"], "permissions")
        for (i, p) in permissions.enumerated() where app.permission(p) == nil {
            throw fail(.unknownPermission, "permissions[\(i)]", "the app defines no permission \"\(p)\"; known: \(app.permissions.map(\.name).joined(separator: ", "))")
        }

        var readPaths: [String] = []
        var writePaths: [String] = []
        if let files = json["files"] {
            guard case .dict(let f) = files else { throw fail(.wrongType, "files", "must be an object like {\"read\": [...], \"write\": [...]}") }
            for key in f.keys.sorted() where !fileFields.contains(key) {
                throw fail(.unknownField, "files.\(key)", "unknown field; use \"read\" or \"write\"")
            }
            readPaths = try strings(f["read"], "files.read")
            writePaths = try strings(f["write"], "files.write")
            let dataFolder = folder.appendingPathComponent(dataFolderName)
            for (i, p) in readPaths.enumerated() { try checkPath(p, field: "files.read[\(i)]", base: dataFolder, plugin: plugin) }
            for (i, p) in writePaths.enumerated() { try checkPath(p, field: "files.write[\(i)]", base: dataFolder, plugin: plugin) }
        }

        var hosts: [String] = []
        if let network = json["network"] {
            guard case .dict(let n) = network else { throw fail(.wrongType, "network", "must be an object like {\"hosts\": [\"example.com\"]}") }
            for key in n.keys.sorted() where !networkFields.contains(key) {
                throw fail(.unknownField, "network.\(key)", "unknown field; use \"hosts\"")
            }
            hosts = try strings(n["hosts"], "network.hosts")
            for (i, h) in hosts.enumerated() where !isValidHost(h) {
                throw fail(.badHost, "network.hosts[\(i)]", "\"\(h)\" must be a host name or address, optionally with :port (no scheme or path)")
            }
        }

        let hooks = try strings(json["hooks"], "hooks")
        for (i, h) in hooks.enumerated() where app.hooks[h] == nil {
            throw fail(.unknownHook, "hooks[\(i)]", "the app offers no hook \"\(h)\"; offered: \(app.hooks.keys.sorted().joined(separator: ", "))")
        }

        var limits = app.defaultLimits
        if let l = json["limits"] {
            guard case .dict(let object) = l else { throw fail(.wrongType, "limits", "must be an object") }
            limits = try parseLimits(object, app: app, plugin: plugin)
        }
        return PluginManifest(schema: schema, id: id, name: name, version: version, description: description, entry: entry,
                              permissions: permissions, readPaths: readPaths, writePaths: writePaths,
                              networkHosts: hosts, hooks: hooks, limits: limits, folder: folder)
    }

    /// The data folder's name inside a plugin folder.
    public static let dataFolderName = "data"

    /// Rejects absolute paths, `..`, and paths that resolve (through symlinks) outside `base`.
    static func checkPath(_ path: String, field: String, base: URL, plugin: String) throws(ManifestError) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\"),
              !components.contains(where: { $0 == ".." || $0.isEmpty && components.count > 1 }) else {
            throw ManifestError(.pathEscapes, plugin: plugin, field: field,
                                "\"\(path)\" must be a relative path inside the plugin's folder (no '/', '..' or empty parts at the start)")
        }
        let resolvedBase = base.resolvingSymlinksInPath().standardizedFileURL.path
        func escapes(_ resolved: String) -> Bool { resolved != resolvedBase && !resolved.hasPrefix(resolvedBase + "/") }
        // One component at a time: Foundation leaves a path unresolved when its last parts do not
        // exist, so resolving the whole path would miss "link/new" with `link` leading outside.
        var current = resolvedBase
        var escaped = false
        for component in components where !escaped && component != "." && !component.isEmpty {
            current += "/" + component
            if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) {
                let parent = URL(fileURLWithPath: current).deletingLastPathComponent()
                current = URL(fileURLWithPath: destination, relativeTo: parent).absoluteURL
                    .resolvingSymlinksInPath().standardizedFileURL.path
            }
            escaped = escapes(current)
        }
        guard !escaped else {
            throw ManifestError(.pathEscapes, plugin: plugin, field: field, "\"\(path)\" leads outside the plugin's folder (through a symlink); use a folder inside it")
        }
    }

    static func isValidHost(_ host: String) -> Bool {
        let parts = host.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 253 else { return false }
        guard parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return false }
        if parts.count == 2 { guard let port = Int(parts[1]), (1...65535).contains(port) else { return false } }
        return true
    }

    static func parseLimits(_ object: [String: PythonValue], app: AppDefinition, plugin: String) throws(ManifestError) -> PluginLimits {
        var limits = app.defaultLimits
        let max = app.maximumLimits
        func fail(_ kind: ManifestError.Kind, _ field: String, _ message: String) -> ManifestError {
            ManifestError(kind, plugin: plugin, field: "limits.\(field)", message)
        }
        for key in object.keys.sorted() where !limitFields.contains(key) {
            throw fail(.unknownField, key, "unknown limit; limits are \(limitFields.joined(separator: ", "))")
        }
        func size(_ key: String) throws(ManifestError) -> Int? {
            guard let v = object[key] else { return nil }
            var parsed: Int?
            if case .int(let n) = v { parsed = Int(n) }
            if case .string(let s) = v { parsed = ByteSize.parse(s) }
            guard let n = parsed else { throw fail(.badLimit, key, "must be a byte count or a size like \"512K\", \"32M\"") }
            guard n > 0 else { throw fail(.limitTooHigh, key, "must be a positive size, got \(n)") }
            return n
        }
        if let v = object["fuel"] {
            guard case .int(let n64) = v, n64 > 0 else { throw fail(.badLimit, "fuel", "must be a positive number of instructions") }
            let n = Int(n64)
            guard Int64(n) <= max.fuel else { throw fail(.limitTooHigh, "fuel", "\(n) is above the app's maximum of \(max.fuel); lower it") }
            limits.fuel = Int64(n)
        }
        if let n = try size("memory") {
            guard n > 0, n <= max.memoryBytes else { throw fail(.limitTooHigh, "memory", "\(n) bytes is above the app's maximum of \(max.memoryBytes); lower it") }
            limits.memoryBytes = n
        }
        if let n = try size("heap") {
            guard n > 0, n <= max.heapBytes else { throw fail(.limitTooHigh, "heap", "\(n) bytes is above the app's maximum of \(max.heapBytes); lower it") }
            limits.heapBytes = n
        }
        if let n = try size("output") {
            guard n > 0, n <= max.outputBytes else { throw fail(.limitTooHigh, "output", "\(n) bytes is above the app's maximum of \(max.outputBytes); lower it") }
            limits.outputBytes = n
        }
        if let n = try size("data") {
            guard n <= max.dataBytes else {
                throw fail(.limitTooHigh, "data", "\(n) bytes is above the app's maximum of \(max.dataBytes) for the data folders; lower it")
            }
            limits.dataBytes = n
        }
        if let v = object["dataEntries"] {
            guard case .int(let n) = v, n > 0 else {
                throw fail(.badLimit, "dataEntries", "must be a positive number of files and directories")
            }
            guard n <= Int64(max.dataEntries) else {
                throw fail(.limitTooHigh, "dataEntries", "\(n) files and directories is above the app's maximum of \(max.dataEntries); lower it")
            }
            limits.dataEntries = Int(n)
        }
        if let v = object["timeout"] {
            let seconds: Double?
            switch v {
            case .float(let d): seconds = d
            case .int(let i): seconds = Double(i)
            default: seconds = nil
            }
            guard let s = seconds, s > 0, s.isFinite else {
                throw fail(.badLimit, "timeout", "must be a positive number of seconds")
            }
            guard s <= max.timeoutSeconds else { throw fail(.limitTooHigh, "timeout", "\(s) s is above the app's maximum of \(max.timeoutSeconds) s; lower it") }
            limits.timeoutSeconds = s
        }
        guard limits.heapBytes <= limits.memoryBytes - (1 << 20) else {
            throw fail(.badLimit, "heap", "a heap of \(limits.heapBytes) bytes does not fit \(limits.memoryBytes) bytes of memory (the guest needs 1M more); lower the heap or raise memory")
        }
        return limits
    }
}
