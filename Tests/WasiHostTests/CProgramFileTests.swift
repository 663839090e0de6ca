import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// `Programs/files.c`: the ordinary file operations of wasi-libc, on a memory mount and on a host
/// mount, must behave like POSIX and the same on both.
@Suite("C program: file operations", .enabled(if: WasmPrograms.isAvailable, Comment(rawValue: WasmPrograms.unavailableReason)))
struct CProgramFileTests {
    static let expected = """
        mkdir dir: ok
        read dir/hello.txt: 12 [hello world
        ]
        end 12
        tell 12
        pread 5 [hello]
        read dir/hello.txt: 12 [Hello WASI!
        ]
        stat file: ok
        size 17 regular 1
        stat dir: ok
        directory 1
        truncate: ok
        read dir/hello.txt: 5 [Hello]
        read dir/sparse.bin: 5 [....x]
        rename: ok
        stat old name: errno 44
        mkdir dir/sub: ok
        list dir: . .. renamed.txt sparse.bin sub
        rename into sub: ok
        list dir/sub: . .. moved.txt
        open missing: errno 44
        create existing exclusively: errno 20
        mkdir existing: errno 20
        unlink directory: errno 31
        rmdir file: errno 54
        rmdir non-empty: errno 55
        open file as directory: errno 54
        write to read-only descriptor: errno 8
        unlink moved: ok
        unlink sparse: ok
        rmdir sub: ok
        rmdir dir: ok
        list .: . .. keep.txt

        """

    @Test func onAMemoryMount() throws {
        var config = WasiConfiguration()
        config.mounts = [Mount(guestPath: "/data", source: .memory(MemoryDirectory()))]
        let run = try WasmPrograms.run("files", ["/data"], configuration: config)
        #expect(run.exitCode == 0, "\(String(describing: run.trap))")
        #expect(run.stdout == Self.expected)
        #expect(run.host.memoryDirectory(at: "/data") == MemoryDirectory(files: ["keep.txt": "kept"]))
        #expect(run.host.usage.filesOpened > 5)
        #expect(run.host.usage.openFiles == 0)
    }

    @Test func onAHostMount() throws {
        let dir = try TestPaths.makeTemporaryDirectory("files")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = WasiConfiguration()
        config.mounts = [Mount(guestPath: "/", source: .host(dir))]
        let run = try WasmPrograms.run("files", [""], configuration: config)
        #expect(run.exitCode == 0, "\(String(describing: run.trap))")
        #expect(run.stdout == Self.expected)
        #expect(try String(contentsOf: dir.appendingPathComponent("keep.txt"), encoding: .utf8) == "kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.txt"])
    }
}
