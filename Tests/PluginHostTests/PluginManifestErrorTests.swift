// Manifest validation: every problem is a load error of the right kind that names the field
// (as a JSON path) and says how to fix it. No guest needed.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

@Suite("Plugin manifest errors")
struct PluginManifestErrorTests {
    let app = PluginTestApp().definition()

    /// Loads the manifest of `plugins/<folder>`; returns the error, or nil if it loaded.
    func loadError(_ sandbox: PluginSandbox, _ folder: String) -> ManifestError? {
        do {
            _ = try PluginManifest.load(folder: sandbox.plugins.appendingPathComponent(folder), app: app)
            return nil
        } catch {
            return error
        }
    }

    /// Writes a plugin with `fields` changed and returns its load error.
    func error(_ label: String, id: String = "sample", fields: [String: Any] = [:], remove: [String] = [],
               setUp: ((PluginSandbox, URL) throws -> Void)? = nil) throws -> ManifestError? {
        let sandbox = try PluginSandbox(label)
        defer { sandbox.cleanUp() }
        let folder = try sandbox.plugin(id, fields: fields, remove: remove)
        try setUp?(sandbox, folder)
        return loadError(sandbox, id)
    }

    func expectError(_ error: ManifestError?, _ kind: ManifestError.Kind, field: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("the manifest loaded; expected \(kind) at \(field)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains("field '\(field)'"), "\(error.description)", sourceLocation: sourceLocation)
        #expect(error.message.count > 10, sourceLocation: sourceLocation)
    }

    @Test("a valid manifest loads with the app's default limits")
    func valid() throws {
        let sandbox = try PluginSandbox("valid")
        defer { sandbox.cleanUp() }
        try sandbox.plugin("good-one", fields: ["permissions": ["notes.read", "ui.notify"],
                                                "files": ["read": ["in"], "write": ["out/sub"]],
                                                "network": ["hosts": ["example.com", "127.0.0.1:8080"]],
                                                "limits": ["fuel": 1000, "memory": "16M", "heap": 1 << 20, "timeout": 1.5, "output": "8K",
                                                           "data": "2M", "dataEntries": 500]])
        let m = try PluginManifest.load(folder: sandbox.plugins.appendingPathComponent("good-one"), app: app)
        #expect(m.id == "good-one")
        #expect(m.permissions == ["notes.read", "ui.notify"])
        #expect(m.readPaths == ["in"] && m.writePaths == ["out/sub"])
        #expect(m.networkHosts == ["example.com", "127.0.0.1:8080"])
        #expect(m.limits == PluginLimits(fuel: 1000, memoryBytes: 16 << 20, heapBytes: 1 << 20, timeoutSeconds: 1.5, outputBytes: 8 << 10,
                                         dataBytes: 2 << 20, dataEntries: 500))
        try sandbox.plugin("defaults")
        let d = try PluginManifest.load(folder: sandbox.plugins.appendingPathComponent("defaults"), app: app)
        #expect(d.limits == .standard)
        #expect(d.limits.dataBytes == 64 << 20 && d.limits.dataEntries == 10_000)
    }

    @Test("unknown fields, at every level")
    func unknownFields() throws {
        expectError(try error("unknown", fields: ["permisions": ["notes.read"]]), .unknownField, field: "permisions")
        expectError(try error("unknown-files", fields: ["files": ["exec": ["x"]]]), .unknownField, field: "files.exec")
        expectError(try error("unknown-net", fields: ["network": ["ports": [80]]]), .unknownField, field: "network.ports")
        let limit = try error("unknown-limit", fields: ["limits": ["cpu": 1]])
        expectError(limit, .unknownField, field: "limits.cpu")
        #expect(limit?.message.contains("fuel, memory, heap, timeout, output, data, dataEntries") == true, "\(String(describing: limit))")
    }

    @Test("missing required fields", arguments: ["id", "name", "version", "entry", "schema"])
    func missingFields(_ field: String) throws {
        expectError(try error("missing-\(field)", remove: [field]), .missingField, field: field)
    }

    @Test("schema must be 1")
    func schema() throws {
        expectError(try error("schema2", fields: ["schema": 2]), .unsupportedSchema, field: "schema")
        expectError(try error("schema-str", fields: ["schema": "1"]), .wrongType, field: "schema")
        expectError(try error("schema-float", fields: ["schema": 1.5]), .wrongType, field: "schema")
    }

    @Test("bad ids and id/folder mismatch")
    func ids() throws {
        for bad in ["Upper", "9starts-with-digit", "has space", "under_score", "-dash", String(repeating: "a", count: 49), "dot.ted", ""] {
            let sandbox = try PluginSandbox("badid")
            defer { sandbox.cleanUp() }
            try sandbox.plugin("folder", fields: ["id": bad])
            expectError(loadError(sandbox, "folder"), .badID, field: "id")
        }
        expectError(try error("mismatch", id: "mine", fields: ["id": "other"]), .idMismatch, field: "id")
    }

    @Test("bad versions")
    func versions() throws {
        for bad in ["1.0", "1.0.0.0", "v1.0.0", "1.x.0", "", "1..0"] {
            expectError(try error("version", fields: ["version": bad]), .badVersion, field: "version")
        }
    }

    @Test("a missing or non-.py entry script")
    func entry() throws {
        expectError(try error("entry-missing", setUp: { _, folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("main.py"))
        }), .missingEntry, field: "entry")
        expectError(try error("entry-txt", fields: ["entry": "main.txt"]), .missingEntry, field: "entry")
    }

    @Test("unknown permissions name the index")
    func unknownPermission() throws {
        let e = try error("perm", fields: ["permissions": ["notes.read", "notes.delete"]])
        expectError(e, .unknownPermission, field: "permissions[1]")
        #expect(e?.message.contains("notes.delete") == true)
    }

    @Test("paths that escape: .., absolute, empty parts, backslashes, symlinks")
    func pathEscapes() throws {
        expectError(try error("dotdot", fields: ["files": ["read": ["../other"]]]), .pathEscapes, field: "files.read[0]")
        expectError(try error("dotdot2", fields: ["files": ["write": ["ok", "a/../../b"]]]), .pathEscapes, field: "files.write[1]")
        expectError(try error("absolute", fields: ["files": ["read": ["/etc"]]]), .pathEscapes, field: "files.read[0]")
        expectError(try error("empty", fields: ["files": ["write": [""]]]), .pathEscapes, field: "files.write[0]")
        expectError(try error("doubleslash", fields: ["files": ["write": ["a//b"]]]), .pathEscapes, field: "files.write[0]")
        expectError(try error("backslash", fields: ["files": ["write": ["a\\..\\..\\b"]]]), .pathEscapes, field: "files.write[0]")
        expectError(try error("entry-escape", fields: ["entry": "../main.py"]), .pathEscapes, field: "entry")
        expectError(try error("entry-abs", fields: ["entry": "/tmp/main.py"]), .pathEscapes, field: "entry")
        // A symlink inside the data folder that leads outside it.
        expectError(try error("symlink", fields: ["files": ["write": ["link"]]], setUp: { sandbox, folder in
            let data = folder.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("link"), withDestinationURL: sandbox.root)
        }), .pathEscapes, field: "files.write[0]")
        // An entry script that is a symlink to a file outside the plugin folder.
        expectError(try error("entry-symlink", fields: ["entry": "linked.py"], setUp: { sandbox, folder in
            let outside = sandbox.root.appendingPathComponent("outside.py")
            try Data("print('outside')".utf8).write(to: outside)
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("linked.py"), withDestinationURL: outside)
        }), .pathEscapes, field: "entry")
    }

    @Test("limits above the app's maxima", arguments: [
        ("fuel", "10000000000"), ("memory", "\"1G\""), ("memory", "536870912"), ("heap", "\"128M\""), ("timeout", "31"),
        ("timeout", "30.5"), ("output", "\"8M\""), ("data", "\"2G\""), ("data", "1073741825"), ("dataEntries", "100001"),
    ])
    func limitsTooHigh(_ key: String, _ json: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        var limits: [String: Any] = [key: value]
        if key == "heap" { limits["memory"] = "200M" }
        expectError(try error("limit-\(key)", fields: ["limits": limits]), .limitTooHigh, field: "limits.\(key)")
    }

    @Test("limits that cannot be read")
    func badLimits() throws {
        expectError(try error("fuel-str", fields: ["limits": ["fuel": "lots"]]), .badLimit, field: "limits.fuel")
        expectError(try error("fuel-zero", fields: ["limits": ["fuel": 0]]), .badLimit, field: "limits.fuel")
        expectError(try error("fuel-neg", fields: ["limits": ["fuel": -5]]), .badLimit, field: "limits.fuel")
        expectError(try error("fuel-float", fields: ["limits": ["fuel": 1.5]]), .badLimit, field: "limits.fuel")
        expectError(try error("memory-unit", fields: ["limits": ["memory": "12Q"]]), .badLimit, field: "limits.memory")
        expectError(try error("memory-list", fields: ["limits": ["memory": [1]]]), .badLimit, field: "limits.memory")
        expectError(try error("timeout-str", fields: ["limits": ["timeout": "fast"]]), .badLimit, field: "limits.timeout")
        expectError(try error("timeout-zero", fields: ["limits": ["timeout": 0]]), .badLimit, field: "limits.timeout")
        expectError(try error("heap-fit", fields: ["limits": ["heap": "16M", "memory": "16M"]]), .badLimit, field: "limits.heap")
        expectError(try error("output-overflow", fields: ["limits": ["output": "99999999999999999G"]]), .badLimit, field: "limits.output")
        expectError(try error("data-str", fields: ["limits": ["data": "plenty"]]), .badLimit, field: "limits.data")
        expectError(try error("entries-str", fields: ["limits": ["dataEntries": "many"]]), .badLimit, field: "limits.dataEntries")
        expectError(try error("entries-zero", fields: ["limits": ["dataEntries": 0]]), .badLimit, field: "limits.dataEntries")
        expectError(try error("entries-float", fields: ["limits": ["dataEntries": 2.5]]), .badLimit, field: "limits.dataEntries")
    }

    @Test("non-positive sizes are refused and the message does not claim they are too high")
    func nonPositiveSizes() throws {
        for (key, value) in [("memory", -5), ("heap", 0), ("output", -1), ("data", 0)] {
            let e = try error("size-\(key)", fields: ["limits": [key: value]])
            #expect(e?.field == "limits.\(key)")
            #expect(e?.message.contains("above the app's maximum") == false, "\(String(describing: e))")
            #expect(e?.message.contains("positive") == true, "\(String(describing: e))")
        }
    }

    @Test("unknown hooks name the index")
    func unknownHook() throws {
        expectError(try error("hook", fields: ["hooks": ["test.ping", "note.exploded"]]), .unknownHook, field: "hooks[1]")
    }

    @Test("bad network hosts", arguments: ["http://example.com", "example.com/path", "host:0", "host:99999", "host:port",
                                           ":80", "a b", "host:80:90", "user@host"])
    func badHosts(_ host: String) throws {
        expectError(try error("host", fields: ["network": ["hosts": ["ok.example", host]]]), .badHost, field: "network.hosts[1]")
    }

    @Test("wrong JSON types name the field")
    func wrongTypes() throws {
        expectError(try error("name-int", fields: ["name": 5]), .wrongType, field: "name")
        expectError(try error("name-empty", fields: ["name": ""]), .wrongType, field: "name")
        expectError(try error("desc-list", fields: ["description": ["x"]]), .wrongType, field: "description")
        expectError(try error("perms-str", fields: ["permissions": "notes.read"]), .wrongType, field: "permissions")
        expectError(try error("perms-int", fields: ["permissions": [1]]), .wrongType, field: "permissions")
        expectError(try error("files-list", fields: ["files": ["a"]]), .wrongType, field: "files")
        expectError(try error("files-read-str", fields: ["files": ["read": "a"]]), .wrongType, field: "files.read")
        expectError(try error("network-str", fields: ["network": "example.com"]), .wrongType, field: "network")
        expectError(try error("hosts-str", fields: ["network": ["hosts": "example.com"]]), .wrongType, field: "network.hosts")
        expectError(try error("hooks-dict", fields: ["hooks": ["a": 1]]), .wrongType, field: "hooks")
        expectError(try error("limits-int", fields: ["limits": 5]), .wrongType, field: "limits")
        expectError(try error("id-int", fields: ["id": 5]), .wrongType, field: "id")
        expectError(try error("entry-null", fields: ["entry": NSNull()]), .wrongType, field: "entry")
    }

    @Test("unreadable manifests: missing, not JSON, not an object, too large")
    func unreadable() throws {
        let sandbox = try PluginSandbox("unreadable")
        defer { sandbox.cleanUp() }
        try FileManager.default.createDirectory(at: sandbox.plugins.appendingPathComponent("empty"), withIntermediateDirectories: true)
        #expect(loadError(sandbox, "empty")?.kind == .unreadable)
        for (folder, text) in [("notjson", "{schema: 1"), ("array", "[1, 2]"), ("dup", #"{"schema": 1, "schema": 1}"#),
                               ("huge", "{\"description\": \"" + String(repeating: "x", count: 300 << 10) + "\"}")] {
            try sandbox.write(folder: folder, manifest: text)
            let e = loadError(sandbox, folder)
            #expect(e?.kind == .unreadable, "\(folder): \(String(describing: e))")
            #expect(e?.plugin == folder)
        }
    }

    @Test("duplicate ids across two plugin directories")
    func duplicateIDs() throws {
        let sandbox = try PluginSandbox("dup")
        defer { sandbox.cleanUp() }
        let second = sandbox.root.appendingPathComponent("more-plugins")
        try sandbox.plugin("twin")
        try sandbox.plugin("twin", in: second)
        try sandbox.plugin("solo", in: second)
        let report = PluginHost.discover(directories: [sandbox.plugins, second], app: app)
        #expect(report.loaded.map(\.id).sorted() == ["solo", "twin"])
        #expect(report.failures.count == 1)
        let failure = report.failures.first
        #expect(failure?.folder == second.appendingPathComponent("twin").path)
        expectError(failure?.error, .duplicateID, field: "id")
        #expect(failure?.error.message.contains(sandbox.plugins.appendingPathComponent("twin").path) == true)
    }

    @Test("discover reports every broken plugin and loads the rest; hidden folders and files are ignored")
    func discoverMixed() throws {
        let sandbox = try PluginSandbox("mixed")
        defer { sandbox.cleanUp() }
        try sandbox.plugin("alpha")
        try sandbox.plugin("beta", fields: ["hooks": ["nope"]])
        try sandbox.plugin("gamma", fields: ["limits": ["fuel": -1]])
        try FileManager.default.createDirectory(at: sandbox.plugins.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: sandbox.plugins.appendingPathComponent("stray-file.txt"))
        let report = PluginHost.discover(directories: [sandbox.plugins], app: app)
        #expect(report.loaded.map(\.id) == ["alpha"])
        #expect(report.failures.map(\.error.field) == ["hooks[0]", "limits.fuel"])
    }

    @Test("the shipped sample plugins all validate against the reference app")
    func samplePlugins() {
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("plugins")
        let reference = ReferenceApp.definition(store: NotesStore(file: nil), notifications: NotificationLog())
        let report = PluginHost.discover(directories: [plugins], app: reference)
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.loaded.count >= 5)
    }
}
