// libFuzzer target (c): the plugin manifest parser. The input is written as `plugin.json` into a
// scratch plugin folder named after the input's own `id` (when it is a valid id), holding the
// entry script it names (when that is a plain `name.py`) and a data folder with a symlink that
// leads outside, so inputs can get past the early checks. Errors are fine; a crash is a bug, and
// so is an accepted manifest that breaks the documented rules.

import Foundation
import MicroPythonRuntime
import PluginHost

let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("sandpiper-fuzz-manifest-\(ProcessInfo.processInfo.processIdentifier)")
let app = ReferenceApp.definition(store: NotesStore(file: nil), notifications: NotificationLog())
nonisolated(unsafe) var preparedFolders: Set<String> = []

/// The folder for plugin `id`, created with its data folder on first use.
func folder(for id: String) -> URL {
    let url = root.appendingPathComponent(id)
    if !preparedFolders.contains(id) {
        let data = url.appendingPathComponent(PluginManifest.dataFolderName)
        try? FileManager.default.createDirectory(at: data.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("escape").path, withDestinationPath: "/tmp")
        preparedFolders.insert(id)
    }
    return url
}

func isPlainScriptName(_ s: String) -> Bool {
    s.hasSuffix(".py") && s.count <= 40 && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "." }
        && !s.hasPrefix(".")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    var id = "fuzz-plugin"
    if case .dict(let d)? = try? PythonValue(wire: bytes) {
        if case .string(let s)? = d["id"], PluginManifest.isValidID(s) { id = s }
        if case .string(let entry)? = d["entry"], isPlainScriptName(entry) {
            FileManager.default.createFile(atPath: folder(for: id).appendingPathComponent(entry).path, contents: Data())
        }
    }
    let dir = folder(for: id)
    guard FileManager.default.createFile(atPath: dir.appendingPathComponent("plugin.json").path, contents: Data(bytes)) else {
        fatalError("cannot write the scratch manifest in \(dir.path)")
    }
    let manifest: PluginManifest
    do {
        manifest = try PluginManifest.load(folder: dir, app: app)
    } catch {
        _ = error.description
        return 0
    }
    // An accepted manifest keeps the documented rules.
    precondition(manifest.schema == 1)
    precondition(manifest.id == id && PluginManifest.isValidID(manifest.id))
    precondition(manifest.entry.hasSuffix(".py"))
    for p in manifest.permissions { precondition(app.permission(p) != nil, "unknown permission \(p) accepted") }
    for h in manifest.hooks { precondition(app.hooks[h] != nil, "unknown hook \(h) accepted") }
    for p in manifest.readPaths + manifest.writePaths + [manifest.entry] {
        precondition(!p.hasPrefix("/") && !p.split(separator: "/", omittingEmptySubsequences: false).contains(".."),
                     "escaping path \(p) accepted")
        let parts = p.split(separator: "/").filter { $0 != "." }
        precondition(parts.first != "escape", "path through a symlink leading outside accepted: \(p)")
    }
    precondition(manifest.version.split(separator: ".", omittingEmptySubsequences: false).count == 3
                 && manifest.version.unicodeScalars.allSatisfy { $0 == "." || ("0"..."9").contains($0) },
                 "version \(manifest.version) accepted")
    let l = manifest.limits, m = app.maximumLimits
    precondition(l.fuel > 0 && l.fuel <= m.fuel, "fuel \(l.fuel) accepted")
    precondition(l.memoryBytes > 0 && l.memoryBytes <= m.memoryBytes, "memory \(l.memoryBytes) accepted")
    precondition(l.heapBytes > 0 && l.heapBytes <= m.heapBytes, "heap \(l.heapBytes) accepted")
    precondition(l.outputBytes > 0 && l.outputBytes <= m.outputBytes, "output \(l.outputBytes) accepted")
    precondition(l.timeoutSeconds > 0 && l.timeoutSeconds <= m.timeoutSeconds, "timeout \(l.timeoutSeconds) accepted")
    precondition(l.dataBytes > 0 && l.dataBytes <= m.dataBytes, "data \(l.dataBytes) accepted")
    precondition(l.dataEntries > 0 && l.dataEntries <= m.dataEntries, "dataEntries \(l.dataEntries) accepted")
    precondition(l.heapBytes + (1 << 20) <= l.memoryBytes, "heap \(l.heapBytes) does not fit memory \(l.memoryBytes)")
    return 0
}
