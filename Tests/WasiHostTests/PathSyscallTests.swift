import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// The path_* functions called directly: malformed names, flags, links and the memory tree.
@Suite("path_* functions")
struct PathSyscallTests {
    static func harness(_ files: [String: String] = ["a.txt": "A", "dir/b.txt": "B"], readOnly: Bool = false,
                        observer: (@Sendable (FileAccess) -> Void)? = nil) throws -> SyscallHarness {
        try SyscallHarness(WasiConfiguration(mounts: [
            Mount(guestPath: "/", source: .memory(MemoryDirectory(files: files)), readOnly: readOnly),
        ], fileAccessObserver: observer))
    }

    @Test func nulBytesAndInvalidUTF8AreRefused() throws {
        let h = try Self.harness()
        for (bytes, errno) in [(Array("a\0.txt".utf8), WasiErrno.inval), ([0x61, 0xFF, 0xFE], .ilseq), ([], .noent)] {
            let length = try h.put(bytes, at: 1024)
            #expect(try h.call("path_open", 3, 1, 1024, length, 0, 0, 0, 0, 512) == errno)
            #expect(try h.call("path_create_directory", 3, 1024, length) == errno)
            #expect(try h.call("path_unlink_file", 3, 1024, length) == errno)
        }
        #expect(h.host.memoryDirectory(at: "/")?.allPaths == ["a.txt", "dir/", "dir/b.txt"])
    }

    @Test func pathLengthIsCheckedBeforeMemory() throws {
        let h = try Self.harness()
        #expect(try h.call("path_open", 3, 1, 0, 5000, 0, 0, 0, 0, 512) == .nametoolong)
        #expect(try h.call("path_open", 3, 1, Int64(SyscallHarness.memoryBytes) - 2, 10, 0, 0, 0, 0, 512) == .fault)
        #expect(try h.call("path_open", 3, 1, 1024, 1, 0, 0, 0, 0, Int64(SyscallHarness.memoryBytes)) == .fault)
    }

    @Test func openFlags() throws {
        let h = try Self.harness()
        #expect(try h.open("a.txt", oflags: 2).0 == .notdir)                 // O_DIRECTORY on a file
        #expect(try h.open("new.txt", oflags: 1 | 2).0 == .inval)            // O_CREAT | O_DIRECTORY
        #expect(try h.open("a.txt", oflags: 1 | 4).0 == .exist)             // O_CREAT | O_EXCL
        #expect(try h.open("dir", rights: WasiRights.all.rawValue).0 == .isdir)
        #expect(try h.open("dir", oflags: 2).0 == .success)
        #expect(try h.open("dir/", rights: DescriptorSyscallTests.readRights).0 == .success)
        #expect(try h.open("dir/").0 == .isdir)
        #expect(try h.open("missing").0 == .noent)
        #expect(try h.open("missing/x", oflags: 1).0 == .noent)
        #expect(try h.open("a.txt", oflags: 0x10).0 == .inval)
        #expect(try h.open("a.txt", oflags: 8).0 == .success)                // O_TRUNC
        #expect(h.host.memoryDirectory(at: "/")?.file("a.txt") == [])
        let (errno, fd) = try h.open("new.txt", oflags: 1)
        #expect(errno == .success)
        #expect(try h.write(fd, Array("hi".utf8)).1 == 2)
        #expect(h.host.memoryDirectory(at: "/")?.text("new.txt") == "hi")
        // Opening through a file descriptor instead of a directory.
        #expect(try h.open("x", dirFD: fd).0 == .notdir)
    }

    @Test func openedDirectoriesConfineTheirOwnPaths() throws {
        let h = try Self.harness()
        let (_, dir) = try h.open("dir", oflags: 2)
        #expect(try h.open("b.txt", dirFD: dir).0 == .success)
        #expect(try h.open("../a.txt", dirFD: dir).0 == .notcapable)
        #expect(try h.open(".", dirFD: dir, oflags: 2).0 == .success)
        #expect(try h.open(".", dirFD: dir).0 == .isdir)
    }

    @Test func statCreateRemove() throws {
        let h = try Self.harness()
        let (errno, stat) = try h.stat("dir/b.txt")
        #expect(errno == .success)
        #expect(stat?.fileType == .regularFile)
        #expect(stat?.size == 1)
        #expect(try h.stat("dir").1?.fileType == .directory)
        #expect(try h.stat("a.txt/").0 == .notdir)
        #expect(try h.stat(".").1?.fileType == .directory)
        #expect(try h.pathCall("path_create_directory", "dir/sub") == .success)
        #expect(try h.pathCall("path_create_directory", "dir/sub") == .exist)
        #expect(try h.pathCall("path_create_directory", ".") == .exist)
        #expect(try h.pathCall("path_remove_directory", "dir") == .notempty)
        #expect(try h.pathCall("path_remove_directory", "a.txt") == .notdir)
        #expect(try h.pathCall("path_remove_directory", ".") == .inval)
        #expect(try h.pathCall("path_unlink_file", "dir") == .isdir)
        #expect(try h.pathCall("path_unlink_file", "nope") == .noent)
        #expect(try h.pathCall("path_remove_directory", "dir/sub/") == .success)
        #expect(try h.pathCall("path_unlink_file", "dir/b.txt") == .success)
        #expect(try h.pathCall("path_remove_directory", "dir") == .success)
        #expect(h.host.memoryDirectory(at: "/")?.allPaths == ["a.txt"])
    }

    @Test func renameFollowsPOSIX() throws {
        let h = try Self.harness(["a.txt": "A", "b.txt": "B", "dir/x": "X", "empty/.keep": ""])
        #expect(try h.pathCall("path_unlink_file", "empty/.keep") == .success)
        #expect(try h.rename("a.txt", "b.txt") == .success)                  // replaces a file
        #expect(try h.rename("b.txt", "dir") == .isdir)
        #expect(try h.rename("dir", "b.txt") == .notdir)
        #expect(try h.rename("dir", "dir/inner") == .inval)                // into itself
        #expect(try h.rename("empty", "dir") == .notempty)
        #expect(try h.rename("dir", "empty") == .success)                  // replaces an empty directory
        #expect(try h.rename("missing", "x") == .noent)
        #expect(try h.rename(".", "x") == .busy)
        #expect(try h.rename("b.txt", "b.txt") == .success)
        let tree = h.host.memoryDirectory(at: "/")
        #expect(tree?.allPaths == ["b.txt", "empty/", "empty/x"])
        #expect(tree?.text("b.txt") == "A")
    }

    @Test func hardLinksShareContents() throws {
        let h = try Self.harness()
        let old = try h.put("a.txt", at: 1024)
        let new = try h.put("link.txt", at: 1536)
        #expect(try h.call("path_link", 3, 0, 1024, old, 3, 1536, new) == .success)
        #expect(try h.call("path_link", 3, 0, 1024, old, 3, 1536, new) == .exist)
        #expect(try h.stat("link.txt").1?.linkCount == 2)
        let (_, fd) = try h.open("link.txt")
        _ = try h.write(fd, Array("Z".utf8))
        #expect(h.host.memoryDirectory(at: "/")?.text("a.txt") == "Z")
        let dir = try h.put("dir", at: 1024)
        #expect(try h.call("path_link", 3, 0, 1024, dir, 3, 1536, new) == .perm)
    }

    @Test func readlinkSymlinkAndTimes() throws {
        let h = try Self.harness()
        let path = try h.put("a.txt", at: 1024)
        #expect(try h.call("path_readlink", 3, 1024, path, 2048, 64, 300) == .inval)
        let target = try h.put("/etc/passwd", at: 1536)
        let link = try h.put("link", at: 1024)
        #expect(try h.call("path_symlink", 1536, target, 3, 1024, link) == .notsup)
        let name = try h.put("a.txt", at: 1024)
        #expect(try h.call("path_symlink", 1536, target, 3, 1024, name) == .exist)
        #expect(try h.call("path_filestat_set_times", 3, 0, 1024, name, 9_000_000_000, 0, 1) == .success)
        #expect(try h.stat("a.txt").1?.accessTime == 9_000_000_000)
        #expect(try h.call("path_filestat_set_times", 3, 0, 1024, name, 0, 0, 4 | 8) == .inval)
    }

    @Test func readOnlyMountRefusesEveryChange() throws {
        let h = try Self.harness(readOnly: true)
        #expect(try h.open("a.txt").0 == .rofs)
        #expect(try h.open("new.txt", oflags: 1, rights: WasiRights.fdRead.rawValue).0 == .rofs)
        #expect(try h.open("a.txt", oflags: 8, rights: WasiRights.fdRead.rawValue).0 == .rofs)
        #expect(try h.open("a.txt", rights: WasiRights.fdRead.rawValue).0 == .success)
        #expect(try h.pathCall("path_create_directory", "new") == .rofs)
        #expect(try h.pathCall("path_unlink_file", "a.txt") == .rofs)
        #expect(try h.pathCall("path_remove_directory", "dir") == .rofs)
        #expect(try h.rename("a.txt", "b.txt") == .rofs)
        let name = try h.put("a.txt", at: 1024)
        #expect(try h.call("path_filestat_set_times", 3, 0, 1024, name, 0, 0, 2) == .rofs)
        #expect(h.host.memoryDirectory(at: "/")?.allPaths == ["a.txt", "dir/", "dir/b.txt"])
    }

    @Test func fileAccessIsReported() throws {
        let log = AccessLog()
        let h = try Self.harness(observer: { log.append($0) })
        _ = try h.open("a.txt", rights: DescriptorSyscallTests.readRights)
        _ = try h.open("../escape")
        _ = try h.rename("a.txt", "dir/c.txt")
        _ = try h.pathCall("path_create_directory", "made")
        #expect(log.entries == [
            FileAccess(operation: .open, path: "/a.txt", modifies: false, result: .success),
            FileAccess(operation: .open, path: "/../escape", modifies: true, result: .notcapable),
            FileAccess(operation: .rename, path: "/a.txt", destination: "/dir/c.txt", modifies: true, result: .success),
            FileAccess(operation: .createDirectory, path: "/made", modifies: true, result: .success),
        ])
        #expect(log.entries[1].description == "open /../escape (write): ENOTCAPABLE")
    }
}

/// A thread-safe list of file-access reports.
final class AccessLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [FileAccess] = []
    func append(_ access: FileAccess) { lock.withLock { items.append(access) } }
    var entries: [FileAccess] { lock.withLock { items } }
}
