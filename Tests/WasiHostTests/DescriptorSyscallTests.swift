import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// The fd_* functions called directly, with exact arguments and errnos.
@Suite("fd_* functions")
struct DescriptorSyscallTests {
    static func harness(readOnly: Bool = false, files: [String: String] = ["a.txt": "0123456789"]) throws -> SyscallHarness {
        try SyscallHarness(WasiConfiguration(mounts: [
            Mount(guestPath: "/", source: .memory(MemoryDirectory(files: files)), readOnly: readOnly),
            Mount(guestPath: "/second", source: .memory(MemoryDirectory())),
        ]))
    }

    static let readRights = WasiRights.all.subtracting(.writing).rawValue

    @Test func preopensAreNumberedFromThreeWithTheirGuestPaths() throws {
        let h = try Self.harness()
        var names: [String] = []
        for fd in Int64(3)...5 {
            #expect(try h.call("fd_prestat_get", fd, 100) == .success)
            #expect(try h.u8(100) == 0)
            let length = Int(try h.u32(104))
            #expect(try h.call("fd_prestat_dir_name", fd, 200, Int64(length)) == .success)
            names.append(try h.text(200, length))
        }
        #expect(names == ["/", "/second", "/dev"])
        #expect(try h.call("fd_prestat_get", 6, 100) == .badf)
        #expect(try h.call("fd_prestat_get", 1, 100) == .badf)
        #expect(try h.call("fd_prestat_dir_name", 4, 200, 3) == .nametoolong)
    }

    @Test func fdstatReportsTypesFlagsAndRights() throws {
        let h = try Self.harness()
        #expect(try h.call("fd_fdstat_get", 3, 100) == .success)
        #expect(try h.u8(100) == WasiFileType.directory.rawValue)
        #expect(try h.u64(108) == WasiRights.directory.rawValue)
        #expect(try h.u64(116) == WasiRights.all.rawValue)
        #expect(try h.call("fd_fdstat_get", 1, 100) == .success)
        #expect(try h.u8(100) == WasiFileType.unknown.rawValue)
        let (errno, fd) = try h.open("a.txt", rights: Self.readRights, fdflags: 1)
        #expect(errno == .success)
        #expect(try h.call("fd_fdstat_get", fd, 100) == .success)
        #expect(try h.u8(100) == WasiFileType.regularFile.rawValue)
        #expect(try h.u32(102) & 0xFFFF == 1)
        #expect(try h.u64(108) & WasiRights.fdWrite.rawValue == 0)
        #expect(try h.u64(108) & WasiRights.fdRead.rawValue != 0)
        #expect(try h.call("fd_fdstat_get", 42, 100) == .badf)
    }

    @Test func rightsCanOnlyBeDropped() throws {
        let h = try Self.harness()
        let (_, fd) = try h.open("a.txt", rights: Self.readRights)
        #expect(try h.call("fd_fdstat_set_rights", fd, Int64(WasiRights.fdSeek.rawValue), 0) == .success)
        #expect(try h.read(fd, 4).0 == .badf)
        #expect(try h.call("fd_fdstat_set_rights", fd, Int64(WasiRights.fdRead.rawValue), 0) == .notcapable)
        #expect(try h.call("fd_tell", fd, 100) == .notcapable)
    }

    @Test func readSeekTellAndPositionedIO() throws {
        let h = try Self.harness()
        let (_, fd) = try h.open("a.txt")
        #expect(try h.read(fd, 4) == (.success, Array("0123".utf8)))
        #expect(try h.call("fd_tell", fd, 100) == .success)
        #expect(try h.u64(100) == 4)
        #expect(try h.call("fd_seek", fd, -2, 2, 100) == .success)
        #expect(try h.u64(100) == 8)
        #expect(try h.read(fd, 10) == (.success, Array("89".utf8)))
        #expect(try h.read(fd, 10) == (.success, []))
        #expect(try h.call("fd_seek", fd, -1, 0, 100) == .inval)
        #expect(try h.call("fd_seek", fd, 0, 3, 100) == .inval)
        #expect(try h.call("fd_seek", fd, Int64.max, 1, 100) == .overflow)
        // pread/pwrite leave the position alone.
        try h.put("XY", at: 4096)
        try h.memory.store(UInt32(4096), at: 256)
        try h.memory.store(UInt32(2), at: 260)
        #expect(try h.call("fd_pwrite", fd, 256, 1, 1, 264) == .success)
        #expect(try h.call("fd_pread", fd, 256, 1, 0, 264) == .success)
        #expect(try h.text(4096, 2) == "0X")
        #expect(try h.call("fd_tell", fd, 100) == .success)
        #expect(try h.u64(100) == 10)
        #expect(h.host.memoryDirectory(at: "/")?.text("a.txt") == "0XY3456789")
    }

    @Test func streamsCannotSeek() throws {
        let h = try Self.harness()
        for fd in Int64(0)...2 {
            #expect(try h.call("fd_seek", fd, 0, 1, 100) == .spipe)
            #expect(try h.call("fd_tell", fd, 100) == .spipe)
            #expect(try h.call("fd_pread", fd, 256, 0, 0, 264) == .spipe)
            #expect(try h.call("fd_advise", fd, 0, 0, 0) == .spipe)
            #expect(try h.call("fd_allocate", fd, 0, 10) == .spipe)
            #expect(try h.call("fd_sync", fd) == .inval)
        }
        #expect(try h.write(0, [1]).0 == .badf)
        #expect(try h.read(1, 1).0 == .badf)
        #expect(try h.read(3, 1).0 == .isdir)
        #expect(try h.call("fd_seek", 3, 0, 0, 100) == .isdir)
    }

    @Test func appendModeWritesAtTheEnd() throws {
        let h = try Self.harness()
        let (_, fd) = try h.open("a.txt")
        #expect(try h.call("fd_fdstat_set_flags", fd, 1) == .success)
        #expect(try h.write(fd, Array("!".utf8)) == (.success, 1))
        #expect(try h.call("fd_fdstat_set_flags", fd, 0x40) == .inval)
        #expect(h.host.memoryDirectory(at: "/")?.text("a.txt") == "0123456789!")
    }

    @Test func filestatSizeTimesAllocateAndSync() throws {
        let h = try Self.harness()
        let (_, fd) = try h.open("a.txt")
        #expect(try h.call("fd_filestat_get", fd, 2048) == .success)
        #expect(try h.u64(2048 + 32) == 10)
        #expect(try h.u8(2048 + 16) == WasiFileType.regularFile.rawValue)
        #expect(try h.call("fd_filestat_set_size", fd, 4) == .success)
        #expect(try h.call("fd_allocate", fd, 2, 6) == .success)
        #expect(try h.call("fd_allocate", fd, 0, 0) == .inval)
        #expect(h.host.memoryDirectory(at: "/")?.file("a.txt") == Array("0123".utf8) + [0, 0, 0, 0])
        #expect(h.host.usage.bytesWritten == 4)
        #expect(try h.call("fd_filestat_set_times", fd, 5_000_000_000, 7_000_000_000, 1 | 4) == .success)
        #expect(try h.call("fd_filestat_get", fd, 2048) == .success)
        #expect(try h.u64(2048 + 40) == 5_000_000_000)
        #expect(try h.u64(2048 + 48) == 7_000_000_000)
        #expect(try h.call("fd_filestat_set_times", fd, 0, 0, 1 | 2) == .inval)
        #expect(try h.call("fd_sync", fd) == .success)
        #expect(try h.call("fd_datasync", fd) == .success)
        #expect(try h.call("fd_advise", fd, 0, 100, 2) == .success)
        #expect(try h.call("fd_advise", fd, 0, 100, 9) == .inval)
        #expect(try h.call("fd_advise", 3, 0, 100, 0) == .badf)
        #expect(try h.call("fd_filestat_set_size", 3, 0) == .isdir)
        #expect(try h.call("fd_filestat_get", 0, 2048) == .success)
        #expect(try h.call("fd_filestat_set_size", 0, 0) == .inval)
        // A read-only descriptor cannot change the size.
        let (_, readOnly) = try h.open("a.txt", rights: Self.readRights)
        #expect(try h.call("fd_filestat_set_size", readOnly, 0) == .badf)
        #expect(try h.call("fd_allocate", readOnly, 0, 100) == .badf)
    }

    @Test func closeAndRenumber() throws {
        let h = try Self.harness()
        let (_, a) = try h.open("a.txt")
        let (_, b) = try h.open("a.txt", rights: Self.readRights)
        #expect(h.host.usage.openFiles == 2)
        #expect(try h.call("fd_renumber", a, b) == .success)
        #expect(h.host.usage.openFiles == 1)
        #expect(try h.call("fd_fdstat_get", a, 100) == .badf)
        #expect(try h.write(b, Array("w".utf8)).0 == .success)  // b is now a's writable descriptor
        #expect(try h.call("fd_renumber", b, 99) == .badf)
        #expect(try h.call("fd_close", b) == .success)
        #expect(try h.call("fd_close", b) == .badf)
        #expect(h.host.usage.openFiles == 0)
        #expect(h.host.usage.filesOpened == 2)
        #expect(h.host.usage.peakOpenFiles == 2)
        // Closing a preopen is allowed; the next open reuses the lowest free number.
        #expect(try h.call("fd_close", 4) == .success)
        #expect(try h.open("a.txt").1 == 4)
    }

    @Test func readdirPagesWithCookies() throws {
        let names = (0..<20).map { String(format: "file-%02d.txt", $0) }
        let h = try Self.harness(files: Dictionary(uniqueKeysWithValues: names.map { ($0, "x") }))
        let (_, dir) = try h.open(".", oflags: 2, rights: Self.readRights)
        var seen: [String] = []
        var cookie: UInt64 = 0
        var calls = 0
        while true {
            calls += 1
            #expect(try h.call("fd_readdir", dir, 8192, 100, Int64(cookie), 300) == .success)
            let used = Int(try h.u32(300))
            var offset = 0
            // Complete entries only; a cut entry is read again from its cookie.
            while offset + 24 <= used {
                let at = UInt32(8192 + offset)
                let length = Int(try h.u32(at + 16))
                guard offset + 24 + length <= used else { break }
                seen.append(try h.text(at + 24, length))
                cookie = try h.u64(at)
                offset += 24 + length
            }
            if used < 100 { break }
        }
        #expect(seen == [".", ".."] + names)
        #expect(calls > 5)
        #expect(try h.call("fd_readdir", 0, 8192, 100, 0, 300) == .notdir)
    }

    @Test func badPointersAreEFAULTAndConsumeNothing() throws {
        let h = try SyscallHarness(WasiConfiguration(stdin: Array("abc".utf8)))
        let end = Int64(SyscallHarness.memoryBytes)
        try h.memory.store(UInt32(end - 1), at: 256)
        try h.memory.store(UInt32(2), at: 260)
        #expect(try h.call("fd_read", 0, 256, 1, 264) == .fault)
        #expect(try h.read(0, 3) == (.success, Array("abc".utf8)))
        try h.memory.store(UInt32(end - 1), at: 256)
        #expect(try h.call("fd_write", 1, 256, 1, 264) == .fault)
        #expect(try h.call("fd_write", 1, 256, 0x2000_0000, 264) == .inval)
        #expect(try h.call("fd_write", 1, end - 16, 1000, 264) == .fault)
        #expect(try h.call("fd_write", 1, 256, 0, end) == .fault)
        #expect(h.host.output(.stdout).isEmpty)
        #expect(try h.call("fd_fdstat_get", 1, end - 8) == .fault)
        #expect(try h.call("fd_filestat_get", 1, end - 8) == .fault)
        #expect(try h.call("fd_prestat_dir_name", 3, end - 1, 10) == .fault)
        #expect(try h.call("random_get", end - 4, 8) == .fault)
        #expect(try h.call("clock_time_get", 0, 0, end - 4) == .fault)
    }

    @Test func oneCallMovesAtMost16MiB() throws {
        let h = try Self.harness()
        let (_, fd) = try h.open("big.bin", oflags: 1)
        // 1024 iovecs, each the whole 128 KiB memory: 128 MiB asked, 16 MiB written.
        for i in 0..<1024 {
            try h.memory.store(UInt32(0), at: UInt32(8192 + i * 8))
            try h.memory.store(UInt32(SyscallHarness.memoryBytes), at: UInt32(8192 + i * 8 + 4))
        }
        #expect(try h.call("fd_write", fd, 8192, 1024, 300) == .success)
        #expect(try h.u32(300) == 16 << 20)
        #expect(try h.call("fd_write", fd, 8192, 1025, 300) == .inval)
        #expect(try h.call("fd_pread", fd, 8192, 1024, 0, 300) == .success)
        #expect(try h.u32(300) == 16 << 20)
        #expect(h.host.usage.bytesWritten == 16 << 20)
    }
}
