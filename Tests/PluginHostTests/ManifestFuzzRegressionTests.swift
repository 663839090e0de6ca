// Manifests `fuzz-manifest` found bugs with (Fuzz/Regressions/manifest/), replayed as the fuzz
// target does: written as plugin.json into a plugin folder named after their id (with their
// entry script and a data folder holding `escape`, a symlink to /tmp). Loading may fail, but
// must not crash, and an accepted manifest must keep the documented rules.
//
// symlink-new-folder.json, dot-symlink-new-folder.json: `files.read` through `escape` to a folder
// that does not exist yet was accepted (Foundation does not resolve a path whose last parts are
// missing). unicode-version-digits.json: a version of non-ASCII digits ("1.0.\u0663") was accepted.

import Foundation
import Testing
@testable import MicroPythonRuntime
@testable import PluginHost

@Suite("Manifest fuzz regressions")
struct ManifestFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions/manifest")
    static var inputs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(.enabled(if: !inputs.isEmpty, "no Fuzz/Regressions/manifest inputs in this checkout"))
    func replay() throws {
        let app = ReferenceApp.definition(store: NotesStore(file: nil), notifications: NotificationLog())
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sandpiper-manifest-regressions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for file in Self.inputs {
            let bytes = [UInt8](try Data(contentsOf: file))
            var id = "fuzz-plugin"
            var entry: String?
            if case .dict(let d)? = try? PythonValue(wire: bytes) {
                if case .string(let s)? = d["id"], PluginManifest.isValidID(s) { id = s }
                if case .string(let e)? = d["entry"], e.hasSuffix(".py"), e.count <= 40, !e.hasPrefix("."),
                   e.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." }) {
                    entry = e
                }
            }
            let dir = root.appendingPathComponent(file.lastPathComponent).appendingPathComponent(id)
            let data = dir.appendingPathComponent(PluginManifest.dataFolderName)
            try FileManager.default.createDirectory(at: data.appendingPathComponent("inbox"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("escape").path, withDestinationPath: "/tmp")
            if let entry { try Data().write(to: dir.appendingPathComponent(entry)) }
            try Data(bytes).write(to: dir.appendingPathComponent("plugin.json"))
            guard let manifest = try? PluginManifest.load(folder: dir, app: app) else { continue }
            let name = file.lastPathComponent
            #expect(manifest.id == id, "\(name)")
            for p in manifest.readPaths + manifest.writePaths + [manifest.entry] {
                #expect(!p.hasPrefix("/") && !p.split(separator: "/", omittingEmptySubsequences: false).contains(".."), "\(name): \(p)")
                #expect(p.split(separator: "/").filter { $0 != "." }.first != "escape", "\(name): \(p) leads outside through a symlink")
            }
            #expect(manifest.version.split(separator: ".", omittingEmptySubsequences: false).count == 3
                    && manifest.version.unicodeScalars.allSatisfy { $0 == "." || ("0"..."9").contains($0) },
                    "\(name): version \(manifest.version) accepted")
            let l = manifest.limits, m = app.maximumLimits
            #expect(l.fuel > 0 && l.fuel <= m.fuel, "\(name): fuel \(l.fuel)")
            #expect(l.memoryBytes > 0 && l.memoryBytes <= m.memoryBytes, "\(name): memory \(l.memoryBytes)")
            #expect(l.heapBytes > 0 && l.heapBytes <= m.heapBytes, "\(name): heap \(l.heapBytes)")
            #expect(l.outputBytes > 0 && l.outputBytes <= m.outputBytes, "\(name): output \(l.outputBytes)")
            #expect(l.timeoutSeconds > 0 && l.timeoutSeconds <= m.timeoutSeconds, "\(name): timeout \(l.timeoutSeconds)")
            #expect(l.dataBytes > 0 && l.dataBytes <= m.dataBytes, "\(name): data \(l.dataBytes)")
            #expect(l.dataEntries > 0 && l.dataEntries <= m.dataEntries, "\(name): dataEntries \(l.dataEntries)")
        }
    }
}
