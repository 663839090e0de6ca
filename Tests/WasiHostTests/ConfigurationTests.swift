import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// Building hosts: mount validation, devices, reading memory trees back, errno descriptions.
@Suite("configuration and public types")
struct ConfigurationTests {
    @Test(arguments: ["", "data", "/data/", "//data", "/a/../b", "/a/./b", "/a//b", "/a\0b"])
    func invalidGuestPathsAreRejected(path: String) {
        #expect(throws: WasiConfigurationError.invalidGuestPath(path)) {
            try WasiHost(configuration: WasiConfiguration(mounts: [Mount(guestPath: path, source: .memory(MemoryDirectory()))]))
        }
    }

    @Test func duplicateAndDevicePathsAreRejected() throws {
        let memory = Mount.Source.memory(MemoryDirectory())
        #expect(throws: WasiConfigurationError.duplicateGuestPath("/a")) {
            try WasiHost(configuration: WasiConfiguration(mounts: [Mount(guestPath: "/a", source: memory), Mount(guestPath: "/a", source: memory)]))
        }
        #expect(throws: WasiConfigurationError.duplicateGuestPath("/dev")) {
            try WasiHost(configuration: WasiConfiguration(mounts: [Mount(guestPath: "/dev", source: memory)]))
        }
        _ = try WasiHost(configuration: WasiConfiguration(mounts: [Mount(guestPath: "/dev", source: memory)], providesDevices: false))
    }

    @Test func missingHostDirectoryAndBadNamesAreRejected() {
        #expect(throws: WasiConfigurationError.self) {
            try WasiHost(configuration: WasiConfiguration(mounts: [
                Mount(guestPath: "/x", source: .host(URL(fileURLWithPath: "/nonexistent/sandpiper-\(UUID())"))),
            ]))
        }
        var tree = MemoryDirectory()
        tree.entries["a/b"] = .file([])
        #expect(throws: WasiConfigurationError.invalidEntryName(mount: "/", name: "a/b")) {
            try WasiHost(configuration: WasiConfiguration(mounts: [Mount(guestPath: "/", source: .memory(tree))]))
        }
        #expect(WasiConfigurationError.invalidGuestPath("x").description.contains("absolute"))
    }

    @Test func devicesCanBeLeftOut() throws {
        let h = try SyscallHarness(WasiConfiguration(providesDevices: false))
        #expect(try h.call("fd_prestat_get", 3, 100) == .badf)
        let with = try SyscallHarness()
        #expect(try with.call("fd_prestat_get", 3, 100) == .success)
        let (errno, fd) = try with.open("urandom", rights: WasiRights.fdRead.rawValue)
        #expect(errno == .success)
        #expect(try with.read(fd, 64).1.count == 64)
        #expect(try with.open("zero").0 == .noent)
        #expect(try with.pathCall("path_unlink_file", "null") == .rofs)
        #expect(try with.stat("random").1?.fileType == .characterDevice)
    }

    @Test func memoryTreesReadBackAtAnyDirectory() throws {
        let h = try SyscallHarness(WasiConfiguration(mounts: [
            Mount(guestPath: "/", source: .memory(MemoryDirectory(files: ["top.txt": "t"]))),
            Mount(guestPath: "/data", source: .memory(MemoryDirectory(files: ["logs/1.txt": "one"]))),
        ]))
        #expect(h.host.memoryDirectory(at: "/")?.allPaths == ["top.txt"])
        #expect(h.host.memoryDirectory(at: "/data/logs") == MemoryDirectory(files: ["1.txt": "one"]))
        #expect(h.host.memoryDirectory(at: "/data/missing") == nil)
        #expect(h.host.memoryDirectory(at: "/dev") == nil)
        #expect(h.host.memoryDirectory(at: "/top.txt") == nil)
    }

    @Test func memoryDirectoryValueAPI() {
        var d = MemoryDirectory(files: ["a/b/c.txt": "C", "x.txt": "X"])
        #expect(d.allPaths == ["a/", "a/b/", "a/b/c.txt", "x.txt"])
        #expect(d.text("a/b/c.txt") == "C")
        #expect(d["a/b"]?.directory?.entries.count == 1)
        #expect(d["nope/x"] == nil)
        d["a/b/c.txt"] = nil
        d["x.txt/y"] = .file([1])      // replaces the file in the way with a directory
        #expect(d.allPaths == ["a/", "a/b/", "x.txt/", "x.txt/y"])
        #expect(d[""] == .directory(d))
    }

    @Test func errnoNamesAndDescriptions() {
        #expect(WasiErrno.allCases.count == 77)
        #expect(Set(WasiErrno.allCases.map(\.name)).count == 77)
        #expect(WasiErrno.noent.description == "ENOENT (44): no such file or directory")
        #expect(WasiErrno.notcapable.name == "ENOTCAPABLE")
        #expect(WasiErrno.toobig.name == "E2BIG")
        #expect(WasiErrno.connreset.message == "connreset")
        #expect(WasiStop.outputLimitExceeded(stream: .stderr, limit: 10).description.contains("stderr"))
        #expect(WasiExit(code: 2).description == "guest exited with status 2")
    }
}

/// Host mounts: listing, read-only mounts, and files a guest must not open.
@Suite("host mounts")
final class HostMountTests {
    let dir: URL

    init() throws {
        dir = try TestPaths.makeTemporaryDirectory("hostmount")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "abc".write(to: dir.appendingPathComponent("file.txt"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func harness(readOnly: Bool = false) throws -> SyscallHarness {
        try SyscallHarness(WasiConfiguration(mounts: [Mount(guestPath: "/", source: .host(dir), readOnly: readOnly)]))
    }

    @Test func readOnlyHostMountRefusesChanges() throws {
        let h = try harness(readOnly: true)
        #expect(try h.open("file.txt").0 == .rofs)
        #expect(try h.open("new.txt", oflags: 1, rights: WasiRights.fdRead.rawValue).0 == .rofs)
        #expect(try h.open("file.txt", oflags: 1, rights: WasiRights.fdRead.rawValue).0 == .success)
        let (errno, fd) = try h.open("file.txt", rights: WasiRights.fdRead.rawValue)
        #expect(errno == .success)
        #expect(try h.read(fd, 10).1 == Array("abc".utf8))
        #expect(try h.pathCall("path_create_directory", "x") == .rofs)
        #expect(try h.pathCall("path_unlink_file", "file.txt") == .rofs)
        #expect(try h.rename("file.txt", "moved.txt") == .rofs)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["file.txt", "sub"])
    }

    @Test func fifosAndSocketsAreNotOpened() throws {
        let fifo = dir.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let h = try harness()
        let began = ContinuousClock.now
        #expect(try h.open("pipe", rights: WasiRights.fdRead.rawValue).0 == .notsup)
        #expect(ContinuousClock.now - began < .seconds(5))
        #expect(try h.stat("pipe").1?.fileType == .unknown)
    }

    @Test func hostDirectoriesListSorted() throws {
        let h = try harness()
        let (_, fd) = try h.open(".", oflags: 2, rights: WasiRights.fdReaddir.rawValue)
        let (status, entries) = try h.directoryEntries(fd)
        #expect(status == .success)
        #expect(entries.map { "\($0.name)/\($0.type)" } == ["./3", "../3", "file.txt/4", "sub/3"])
    }

    @Test func writesAndTimesReachTheHostFile() throws {
        let h = try harness()
        let (_, fd) = try h.open("file.txt")
        #expect(try h.call("fd_seek", fd, 0, 2, 100) == .success)
        #expect(try h.write(fd, Array("def".utf8)) == (.success, 3))
        #expect(try h.call("fd_filestat_set_times", fd, 0, 1_000_000_000_000, 4) == .success)
        #expect(try String(contentsOf: dir.appendingPathComponent("file.txt"), encoding: .utf8) == "abcdef")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("file.txt").path)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1000)
        #expect(try h.stat("file.txt").1?.size == 6)
    }

    @Test func hiddenNamesDoNotExistForTheGuest() throws {
        try "secret".write(to: dir.appendingPathComponent("sub/secret.txt"), atomically: true, encoding: .utf8)
        #expect(symlink("sub", dir.appendingPathComponent("alias").path) == 0)
        let h = try SyscallHarness(WasiConfiguration(mounts: [Mount(guestPath: "/", source: .host(dir), hiddenNames: ["sub"])]))
        #expect(try h.open("sub/secret.txt", rights: WasiRights.fdRead.rawValue).0 == .noent)
        #expect(try h.open("sub", oflags: 2).0 == .noent)
        #expect(try h.open("alias/secret.txt", rights: WasiRights.fdRead.rawValue).0 == .noent)
        #expect(try h.open("file.txt/../sub/secret.txt").0 != .success)
        #expect(try h.stat("sub").0 == .noent)
        #expect(try h.pathCall("path_create_directory", "sub") == .acces)
        #expect(try h.pathCall("path_remove_directory", "sub") == .noent)
        #expect(try h.rename("file.txt", "sub") == .acces)
        #expect(try h.rename("sub", "open") == .noent)
        #expect(try h.open("sub", oflags: 1).0 == .acces)
        let (_, fd) = try h.open(".", oflags: 2, rights: WasiRights.fdReaddir.rawValue)
        #expect(try h.call("fd_readdir", fd, 8192, 4096, 0, 300) == .success)
        let listing = try h.text(8192, Int(try h.u32(300)))
        #expect(!listing.contains("sub") && listing.contains("file.txt"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sub/secret.txt").path))
    }
}
