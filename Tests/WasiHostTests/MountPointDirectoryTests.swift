import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// `WasiConfiguration.singleRoot`: every mount under one preopened, read-only `/`, each mount
/// still confining its own paths.
@Suite("One preopened root for all mounts")
struct MountPointDirectoryTests {
    static let mounts: [Mount] = [
        Mount(guestPath: "/plugin", source: .memory(MemoryDirectory(files: ["main.py": "code"])), readOnly: true),
        Mount(guestPath: "/data/in", source: .memory(MemoryDirectory(files: ["hello.txt": "hi"])), readOnly: true),
        Mount(guestPath: "/data/out", source: .memory(MemoryDirectory(files: ["old.txt": "o"]))),
    ]

    static func harness(_ mounts: [Mount] = mounts) throws -> SyscallHarness {
        var configuration = WasiConfiguration(mounts: mounts)
        configuration.singleRoot = true
        return try SyscallHarness(configuration)
    }

    /// The names `fd_readdir` lists for `fd`, without `.` and `..`.
    static func names(_ h: SyscallHarness, _ fd: Int64) throws -> [String] {
        let (status, entries) = try h.directoryEntries(fd)
        #expect(status == .success)
        return entries.map(\.name).filter { $0 != "." && $0 != ".." }
    }

    @Test func onlyTheRootIsPreopened() throws {
        let h = try Self.harness()
        #expect(try h.call("fd_prestat_get", 3, 100) == .success)
        let length = Int(try h.u32(104))
        #expect(try h.call("fd_prestat_dir_name", 3, 200, Int64(length)) == .success)
        #expect(try h.text(200, length) == "/")
        #expect(try h.call("fd_prestat_get", 4, 100) == .badf)
        var configuration = WasiConfiguration(mounts: Self.mounts)
        configuration.singleRoot = true
        #expect(configuration.preopenedGuestPaths == ["/"])
        configuration.mounts.removeLast()
        #expect(configuration.preopenedGuestPaths == ["/"], "other mounts, the same preopen")
        configuration.singleRoot = false
        #expect(configuration.preopenedGuestPaths == ["/plugin", "/data/in", "/dev"])
    }

    @Test func mountsAreReachedAtTheirGuestPaths() throws {
        let h = try Self.harness()
        let (status, plugin) = try h.open("plugin/main.py", rights: WasiRights.fdRead.rawValue)
        #expect(status == .success)
        #expect(try h.read(plugin, 100).1 == Array("code".utf8))
        let (_, hello) = try h.open("data/in/hello.txt", rights: WasiRights.fdRead.rawValue)
        #expect(try h.read(hello, 100).1 == Array("hi".utf8))
        let (created, out) = try h.open("data/out/new.txt", oflags: 1)
        #expect(created == .success)
        #expect(try h.write(out, Array("new".utf8)).0 == .success)
        #expect(h.host.memoryDirectory(at: "/data/out")?.allPaths == ["new.txt", "old.txt"])
        #expect(try Self.names(h, 3) == ["data", "dev", "plugin"])
        let (_, data) = try h.open("data", oflags: 2, rights: WasiRights.fdReaddir.rawValue)
        #expect(try Self.names(h, data) == ["in", "out"])
        #expect(try h.stat("data").1?.fileType == .directory)
        #expect(try h.stat("data/in/hello.txt").1?.fileType == .regularFile)
        #expect(try h.open("dev/null", rights: WasiRights.fdRead.rawValue).0 == .success)
        // `..` moves between mount points, never out of a mount.
        #expect(try h.open("data/../plugin/main.py", rights: WasiRights.fdRead.rawValue).0 == .success)
        #expect(try h.open("data/out/../in/hello.txt", rights: WasiRights.fdRead.rawValue).0 == .notcapable)
        #expect(try h.open("plugin/../data/in/hello.txt", rights: WasiRights.fdRead.rawValue).0 == .notcapable)
        #expect(try h.open("../plugin/main.py", rights: WasiRights.fdRead.rawValue).0 == .notcapable)
        #expect(try h.open("data/out/../../plugin/main.py", rights: WasiRights.fdRead.rawValue).0 == .notcapable)
    }

    @Test func theMountPointsCannotChange() throws {
        let h = try Self.harness()
        #expect(try h.open("new.txt", oflags: 1).0 == .rofs)
        #expect(try h.open("data/new.txt", oflags: 1).0 == .rofs)
        #expect(try h.open("data/in/new.txt", oflags: 1).0 == .rofs, "a read-only mount stays read-only")
        #expect(try h.open("plugin", rights: WasiRights.all.rawValue).0 == .isdir)
        #expect(try h.pathCall("path_create_directory", "data/more") == .rofs)
        #expect(try h.pathCall("path_create_directory", "plugin") == .exist)
        #expect(try h.pathCall("path_remove_directory", "data") == .busy)
        #expect(try h.pathCall("path_remove_directory", "data/out") == .busy)
        #expect(try h.pathCall("path_unlink_file", "plugin") == .isdir)
        #expect(try h.pathCall("path_unlink_file", "nothing") == .noent)
        let old = try h.put("data/out/old.txt", at: 1024), new = try h.put("data/new.txt", at: 1536)
        #expect(try h.call("path_rename", 3, 1024, old, 3, 1536, new) == .xdev)
        let mount = try h.put("data/out", at: 1024), moved = try h.put("data/moved", at: 1536)
        #expect(try h.call("path_rename", 3, 1024, mount, 3, 1536, moved) == .busy)
        #expect(h.host.memoryDirectory(at: "/data/out")?.allPaths == ["old.txt"])
    }

    @Test func nestedMountsKeepTheirOwnPreopens() throws {
        let nested = [
            Mount(guestPath: "/data", source: .memory(MemoryDirectory(files: ["a.txt": "A"]))),
            Mount(guestPath: "/data/in", source: .memory(MemoryDirectory(files: ["b.txt": "B"]))),
        ]
        var configuration = WasiConfiguration(mounts: nested)
        configuration.singleRoot = true
        #expect(configuration.preopenedGuestPaths == ["/data", "/data/in", "/dev"])
        let h = try Self.harness(nested)
        #expect(try h.call("fd_prestat_get", 5, 100) == .success)
        #expect(try h.call("fd_prestat_get", 6, 100) == .badf)
        configuration.mounts = [Mount(guestPath: "/", source: .memory(MemoryDirectory(files: [:])))]
        #expect(configuration.preopenedGuestPaths == ["/", "/dev"])
        #expect(MountPointDirectory.canHold(["/a", "/b/c", "/bc"]))
        #expect(!MountPointDirectory.canHold(["/a", "/a/b"]))
        #expect(!MountPointDirectory.canHold(["/a/b", "/a"]))
    }
}
