import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// What a guest can pile up in its mounts besides bytes: entries (`WasiQuotas.maxEntries`)
/// and nesting (`MemoryMountContext.maxDepth`), and that a deep tree never costs the host a
/// stack frame per level.
@Suite("File entry and depth limits")
struct FileEntryLimitTests {
    static func harness(maxEntries: Int, action: QuotaAction) throws -> SyscallHarness {
        var configuration = WasiConfiguration(mounts: [
            Mount(guestPath: "/", source: .memory(MemoryDirectory(files: ["old.txt": "x"])), readOnly: false),
        ])
        configuration.quotas = WasiQuotas(maxEntries: maxEntries, action: action)
        return try SyscallHarness(configuration)
    }

    @Test func entriesAreCountedNetOfRemovals() throws {
        let h = try Self.harness(maxEntries: 3, action: .fail)
        #expect(try h.pathCall("path_create_directory", "d1") == .success)
        #expect(try h.open("new.txt", oflags: 1).0 == .success)             // O_CREAT, a new file
        #expect(try h.open("new.txt", oflags: 1).0 == .success)             // exists: not counted
        #expect(try h.open("old.txt", oflags: 1).0 == .success)             // was there: not counted
        let oldLength = try h.put("new.txt", at: 1024)
        let newLength = try h.put("link.txt", at: 1536)
        #expect(try h.call("path_link", 3, 0, 1024, oldLength, 3, 1536, newLength) == .success)
        #expect(h.host.usage.entriesAdded == 3)
        #expect(try h.pathCall("path_create_directory", "d2") == .dquot)
        #expect(try h.open("other.txt", oflags: 1).0 == .dquot)
        #expect(try h.pathCall("path_create_directory", "d1") == .exist, "an existing name is not charged")
        #expect(try h.pathCall("path_unlink_file", "link.txt") == .success)
        #expect(try h.pathCall("path_remove_directory", "d1") == .success)
        #expect(h.host.usage.entriesAdded == 1)
        #expect(try h.pathCall("path_create_directory", "d2") == .success)
        #expect(try h.pathCall("path_unlink_file", "old.txt") == .success)
        #expect(try h.pathCall("path_unlink_file", "new.txt") == .success)
        #expect(try h.pathCall("path_remove_directory", "d2") == .success)
        #expect(h.host.usage.entriesAdded == 0, "never below zero, though old.txt was not the guest's")
    }

    @Test func theEntryQuotaCanStopTheGuest() throws {
        let h = try Self.harness(maxEntries: 1, action: .stop)
        #expect(try h.pathCall("path_create_directory", "d1") == .success)
        do {
            _ = try h.pathCall("path_create_directory", "d2")
            Issue.record("the second directory was created")
        } catch let trap as Trap {
            #expect(trap.wasiStop == .entryLimitExceeded(limit: 1))
        }
    }

    /// `O_CREAT | O_DIRECTORY` creates nothing in a host mount either (Linux 5.7 to 6.3 made an
    /// empty file and then failed, uncounted by the entry quota; newer kernels refuse it).
    @Test func createWithDirectoryMakesNothingOnTheHost() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sandpiper-creat-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("there"), withIntermediateDirectories: false)
        var configuration = WasiConfiguration(mounts: [Mount(guestPath: "/", source: .host(folder))])
        configuration.quotas = WasiQuotas(maxEntries: 100, action: .fail)
        let h = try SyscallHarness(configuration)
        #expect(try h.open("new", oflags: 1 | 2).0 == .inval)              // O_CREAT | O_DIRECTORY
        #expect(try h.open("new2/", oflags: 1).0 == .inval)                // a trailing slash asks for a directory
        #expect(try h.open("there", oflags: 1 | 2).0 == .success, "an existing directory opens")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["there"])
        #expect(h.host.usage.entriesAdded == 0)
    }

    /// Renaming a directory over an empty one, and into a deeper place, keeps each directory's
    /// parent right: the depth limit then measures from where it now is.
    @Test func renamesKeepParentsRight() throws {
        let h = try Self.harness(maxEntries: 1_000, action: .fail)
        var path = "p"
        #expect(try h.pathCall("path_create_directory", path) == .success)
        for _ in 2...(MemoryMountContext.maxDepth - 2) {
            path += "/p"
            #expect(try h.pathCall("path_create_directory", path) == .success)
        }
        // path is at depth limit - 2.
        #expect(try h.pathCall("path_create_directory", "x") == .success)
        #expect(try h.pathCall("path_create_directory", "x/y") == .success)
        #expect(try h.pathCall("path_create_directory", path + "/empty") == .success)
        #expect(try h.rename("x", path + "/empty") == .success, "over an empty directory")
        // x now lies at depth limit - 1, its child y at the limit: nothing more below y.
        #expect(try h.pathCall("path_create_directory", path + "/empty/y/z") == .nametoolong)
        #expect(try h.pathCall("path_create_directory", path + "/empty/w") == .success)
        #expect(try h.rename(path + "/empty", "x") == .success, "and back up")
        #expect(try h.pathCall("path_create_directory", "x/y/z") == .success)
    }

    @Test func nestingStopsAtTheMaximumDepth() throws {
        let h = try Self.harness(maxEntries: 1_000, action: .fail)
        let limit = MemoryMountContext.maxDepth
        var path = ""
        for level in 1...limit {
            path += level == 1 ? "a" : "/a"
            #expect(try h.pathCall("path_create_directory", path) == .success, "level \(level)")
        }
        #expect(try h.pathCall("path_create_directory", path + "/a") == .nametoolong)
        // A two-level tree fits one level above the bottom, not at it.
        #expect(try h.pathCall("path_create_directory", "b") == .success)
        #expect(try h.pathCall("path_create_directory", "b/c") == .success)
        let twoAbove = String(path.dropLast(4))                              // depth limit - 2
        #expect(try h.rename("b", path + "/b") == .nametoolong)
        #expect(try h.rename("b", twoAbove + "/b") == .success)
        #expect(try h.rename(twoAbove + "/b", "b") == .success, "and back")
        #expect(try h.rename("b", "b/c/x") == .inval, "not into itself")
        #expect(try h.rename("a", "b/c/a") == .nametoolong, "a deep tree does not fit lower down")
    }

    /// A chain of nested directories far deeper than any guest may build (made directly): the
    /// ancestry test and the release must not recurse per level, or the host's stack overflows.
    @Test func deepTreesAreWalkedAndReleasedWithoutRecursion() {
        let context = MemoryMountContext(mountID: 0, isReadOnly: false, now: { 0 })
        weak var bottomWatch: MemoryDirectoryNode?
        do {
            let root = MemoryDirectoryNode(context: context)
            var bottom = root
            for _ in 0..<200_000 {
                let child = MemoryDirectoryNode(context: context)
                child.parent = bottom
                bottom.entries["d"] = .directory(child)
                bottom = child
            }
            #expect(root.contains(bottom))
            #expect(!bottom.contains(root))
            #expect(bottom.depth == 200_000)
            #expect(root.height == 200_000)
            bottomWatch = bottom
        }
        #expect(bottomWatch == nil, "the whole chain was released")
    }
}
