// Finding and verifying the guest: clear errors for a missing or wrong file, the collector
// check, and Guest/gc-hook.json agreeing with PinnedGuest.swift.

import Foundation
import Testing
import WasmInterpreter
@testable import MicroPythonRuntime

@Suite("Guest locating and verification")
struct GuestLocatingTests {
    @Test func explicitMissingPathIsNotFoundWithTheFix() throws {
        let path = "/nonexistent/sandpiper/\(UUID().uuidString)/micropython-wasi.wasm"
        do {
            _ = try MicroPythonGuest.load(path: path)
            Issue.record("loading \(path) succeeded")
        } catch {
            guard case .notFound(let searched) = error else {
                Issue.record("expected notFound, got \(error)")
                return
            }
            #expect(searched == [path], "an explicit path is the only place looked at")
            #expect(error.description.contains(path))
            #expect(error.description.contains("make guest"), "\(error.description)")
            #expect(error.description.contains(PinnedGuest.fetchHint))
        }
        #expect(throws: GuestError.self) { _ = try MicroPython.load(path: path) }
    }

    @Test func candidatePathsPutTheExplicitOneFirst() {
        let paths = MicroPythonGuest.candidatePaths(explicit: "/x/y.wasm")
        #expect(paths.first == "/x/y.wasm")
        #expect(paths.contains(FileManager.default.currentDirectoryPath + "/Guest/" + PinnedGuest.fileName))
        #expect(Set(paths).count == paths.count, "no duplicates")
    }

    @Test func wrongBytesAreAHashMismatch() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("hash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(PinnedGuest.fileName)
        // A valid, empty module: decodes fine, but is not the pinned guest.
        let empty: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        try Data(empty).write(to: file)
        do {
            _ = try MicroPythonGuest.load(path: file.path)
            Issue.record("a wrong guest loaded")
        } catch {
            guard case .hashMismatch(let path, let expected, let actual) = error else {
                Issue.record("expected hashMismatch, got \(error)")
                return
            }
            #expect(path == file.path)
            #expect(expected == PinnedGuest.sha256)
            #expect(actual == SHA256.hash(empty).hex)
            #expect(error.description.contains("make guest"), "\(error.description)")
        }
        // Without hash verification it loads, but the collector check fails, so runs warn.
        let unverified = try MicroPythonGuest.load(path: file.path, verifyHash: false)
        #expect(!unverified.collectorVerified)
        #expect(!GuestVerifier.collectorMatches(unverified.module))
    }

    @Test func garbageIsInvalidWithoutHashCheck() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("garbage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("garbage.wasm")
        try Data("this is not wasm".utf8).write(to: file)
        #expect {
            _ = try MicroPythonGuest.load(path: file.path)
        } throws: { error in
            if case GuestError.hashMismatch = error { return true } else { return false }
        }
        #expect {
            _ = try MicroPythonGuest.load(path: file.path, verifyHash: false)
        } throws: { error in
            if case GuestError.invalid = error { return true } else { return false }
        }
    }

    @Test("the real guest: hash, collector and caching", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
    func realGuest() throws {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        #expect(guest.collectorVerified)
        #expect(GuestVerifier.collectorMatches(guest.module))
        #expect(guest.module.module.importedFunctionCount == 26)
        let bytes = [UInt8](try Data(contentsOf: RuntimePaths.guest))
        #expect(bytes.count == PinnedGuest.size)
        #expect(SHA256.hash(bytes).hex == PinnedGuest.sha256)
        // Loaded once per process.
        #expect(try MicroPythonGuest.load(path: RuntimePaths.guest.path) === guest)
        #expect(try MicroPython.load(path: RuntimePaths.guest.path).guest === guest)
        // Each collector function's body hash, one by one.
        for (index, hash) in [PinnedGuest.Collector.collect, PinnedGuest.Collector.scanStack, PinnedGuest.Collector.markRoots].map({ ($0.index, $0.bodySHA256) }) {
            #expect(GuestVerifier.bodyHash(guest.module.module, index - 26) == hash, "function \(index)")
        }
    }

    @Test("a modified but valid guest loads only without hash verification", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
    func modifiedGuest() throws {
        let dir = try RuntimePaths.makeTemporaryDirectory("modified")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Append a custom section: still a valid module with the same code, different hash.
        var bytes = [UInt8](try Data(contentsOf: RuntimePaths.guest))
        let name = Array("sandpiper-test".utf8)
        bytes += [0x00, UInt8(1 + name.count + 3), UInt8(name.count)] + name + [1, 2, 3]
        let file = dir.appendingPathComponent(PinnedGuest.fileName)
        try Data(bytes).write(to: file)
        #expect {
            _ = try MicroPythonGuest.load(path: file.path)
        } throws: { error in
            if case GuestError.hashMismatch = error { return true } else { return false }
        }
        let guest = try MicroPythonGuest.load(path: file.path, verifyHash: false)
        #expect(guest.collectorVerified, "same code, so the collector still matches")
        let result = try MicroPython(guest: guest).run(code: "print('modified ok')", options: .deterministic(heap: 1 << 20))
        #expect(result.stdoutText == "modified ok\n")
    }

    @Test("a guest whose collector differs runs with a warning", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
    func unverifiedCollectorWarns() throws {
        let real = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        let unverified = MicroPythonGuest(path: real.path, module: real.module, collectorVerified: false)
        let result = try MicroPython(guest: unverified).run(code: "print('hi')", options: .deterministic(heap: 1 << 20))
        #expect(result.stdoutText == "hi\n")
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("GC root spilling is off") == true)
    }

    // MARK: Guest/gc-hook.json and Guest/guest.json

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: RuntimePaths.packageRoot.appendingPathComponent("Guest/" + name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func gcHookJSONMatchesPinnedGuest() throws {
        let json = try Self.json("gc-hook.json")
        #expect(json["wasmSha256"] as? String == PinnedGuest.sha256)
        let functions = try #require(json["functions"] as? [String: [String: Any]])
        let pairs: [(String, (index: Int, bodySHA256: String))] = [
            ("gc_collect", PinnedGuest.Collector.collect),
            ("gc_collect_regs_and_stack", PinnedGuest.Collector.scanStack),
            ("gc_collect_root", PinnedGuest.Collector.markRoots),
        ]
        #expect(functions.count == pairs.count)
        for (name, pinned) in pairs {
            let entry = try #require(functions[name], "gc-hook.json has no \(name)")
            #expect(entry["index"] as? Int == pinned.index, "\(name) index")
            #expect(entry["bodySha256"] as? String == pinned.bodySHA256, "\(name) body hash")
        }
        let memory = try #require(json["memory"] as? [String: Int])
        #expect(memory["stackPointerGlobal"] == PinnedGuest.Layout.stackPointerGlobal)
        #expect(memory["stackTopAddress"] == Int(PinnedGuest.Layout.stackTopAddress))
        #expect(memory["stateBase"] == Int(PinnedGuest.Layout.stackTopAddress))
        #expect(memory["atbAddress"] == Int(PinnedGuest.Layout.allocationTableAddress))
        #expect(memory["poolStartAddress"] == Int(PinnedGuest.Layout.poolStartAddress))
        #expect(memory["poolEndAddress"] == Int(PinnedGuest.Layout.poolEndAddress))
        #expect(memory["initialStackPointer"] == Int(PinnedGuest.Layout.initialStackPointer))
        #expect(memory["stackSize"] == Int(PinnedGuest.Layout.stackSize))
    }

    @Test func guestJSONMatchesPinnedGuest() throws {
        let json = try Self.json("guest.json")
        let wasm = try #require(json["wasm"] as? [String: Any])
        #expect(wasm["sha256"] as? String == PinnedGuest.sha256)
        #expect(wasm["size"] as? Int == PinnedGuest.size)
        #expect((wasm["destination"] as? String)?.hasSuffix(PinnedGuest.fileName) == true)
        #expect(json["version"] as? String == "0.1a2")
    }
}
