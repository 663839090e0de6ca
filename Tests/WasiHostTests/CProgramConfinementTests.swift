import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// `Programs/hostile.c`: no path, link, rename or create may leave a mount. The guest sees
/// `/` (memory, fd 3), `/other` (memory, fd 4), `/ro` (memory, read-only, fd 5), `/host` (a host
/// directory with hostile symbolic links, fd 6) and `/dev` (fd 7). Next to the host directory,
/// outside the mount, lies `outside.txt`, which must survive everything.
@Suite("C program: confinement", .enabled(if: WasmPrograms.isAvailable, Comment(rawValue: WasmPrograms.unavailableReason)))
final class CProgramConfinementTests {
    let sandbox: URL
    let mountDir: URL
    let config: WasiConfiguration
    static let notcapable = WasiErrno.notcapable.rawValue

    init() throws {
        sandbox = try TestPaths.makeTemporaryDirectory("confinement")
        mountDir = sandbox.appendingPathComponent("mount")
        let fm = FileManager.default
        try fm.createDirectory(at: mountDir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "outside\n".write(to: sandbox.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
        try "inside\n".write(to: mountDir.appendingPathComponent("inside.txt"), atomically: true, encoding: .utf8)
        try "deep\n".write(to: mountDir.appendingPathComponent("sub/deep.txt"), atomically: true, encoding: .utf8)
        let links = [
            "escape_abs": "/etc/passwd",
            "escape_rel": "../outside.txt",
            "escape_dir": "..",
            "escape_abs_inside": mountDir.appendingPathComponent("inside.txt").path,
            "good_rel": "sub/deep.txt",
            "dirlink": "sub",
            "sub/up": "../inside.txt",
            "sub/escape_up": "../../outside.txt",
            "loop1": "loop2",
            "loop2": "loop1",
        ]
        for (name, target) in links {
            try fm.createSymbolicLink(atPath: mountDir.appendingPathComponent(name).path, withDestinationPath: target)
        }
        var root = MemoryDirectory(files: ["file.txt": "memory root\n", "a/b.txt": "b\n"])
        root["empty"] = .directory(MemoryDirectory())
        var config = WasiConfiguration()
        config.mounts = [
            Mount(guestPath: "/", source: .memory(root)),
            Mount(guestPath: "/other", source: .memory(MemoryDirectory())),
            Mount(guestPath: "/ro", source: .memory(MemoryDirectory(files: ["file.txt": "read only\n"])), readOnly: true),
            Mount(guestPath: "/host", source: .host(mountDir)),
        ]
        self.config = config
    }

    deinit { try? FileManager.default.removeItem(at: sandbox) }

    /// Runs hostile.c with `commands` and returns its output lines.
    func probe(_ commands: [String]) throws -> [String] {
        let run = try WasmPrograms.run("hostile", commands, configuration: config)
        #expect(run.exitCode == 0, "\(String(describing: run.trap)) \(run.stderr)")
        return run.lines
    }

    /// Checks that nothing outside the mount changed.
    func expectOutsideUntouched() throws {
        #expect(try String(contentsOf: sandbox.appendingPathComponent("outside.txt"), encoding: .utf8) == "outside\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.path).sorted() == ["mount", "outside.txt"])
    }

    @Test func dotDotAndAbsolutePathsAreRefusedInMemory() throws {
        let lines = try probe([
            "open", "3", "../../etc/passwd",
            "open", "3", "/etc/passwd",
            "open", "3", "a/../../x",
            "open", "3", "a/./../../..",
            "open", "3", "..",
            "open", "3", "a/../file.txt",
            "open", "3", ".",
            "open", "3", "a//b.txt",
            "create", "3", "../evil.txt",
            "create", "3", "/evil.txt",
            "mkdir", "3", "../evil",
            "mkdir", "3", "a/../../evil",
            "stat", "3", "../",
            "unlink", "3", "../file.txt",
            "rmdir", "3", "../a",
            "open", "4", "../file.txt",
        ])
        let n = Self.notcapable
        #expect(lines == [
            "open ../../etc/passwd = \(n)", "open /etc/passwd = \(n)", "open a/../../x = \(n)",
            "open a/./../../.. = \(n)", "open .. = \(n)", "open a/../file.txt = 0", "open . = 0", "open a//b.txt = 0",
            "create ../evil.txt = \(n)", "create /evil.txt = \(n)", "mkdir ../evil = \(n)", "mkdir a/../../evil = \(n)",
            "stat ../ = \(n)", "unlink ../file.txt = \(n)", "rmdir ../a = \(n)", "open ../file.txt = \(n)",
        ])
    }

    @Test func libcPathsOnlyReachMounts() throws {
        let lines = try probe([
            "libc-open", "/etc/passwd",
            "libc-open", "/file.txt",
            "libc-open", "/../../etc/passwd",
            "libc-open", "/other/../file.txt",
            "libc-open", "/ro/file.txt",
            "libc-create", "/ro/new.txt",
            "libc-create", "/ro/file.txt",
            "libc-open", "/host/inside.txt",
            "libc-open", "/host/../outside.txt",
        ])
        #expect(lines.contains("libc-open /etc/passwd = \(WasiErrno.noent.rawValue)"))
        #expect(lines.contains("libc-open /file.txt read [memory root]"))
        #expect(lines.contains("libc-open /ro/file.txt read [read only]"))
        #expect(lines.contains("libc-create /ro/new.txt = \(WasiErrno.rofs.rawValue)"))
        #expect(lines.contains("libc-create /ro/file.txt = \(WasiErrno.rofs.rawValue)"))
        #expect(lines.contains("libc-open /host/inside.txt read [inside]"))
        // wasi-libc passes `..` through to the preopen, which refuses to climb above it.
        #expect(lines.contains("libc-open /../../etc/passwd = \(Self.notcapable)"))
        #expect(!lines.contains { $0.contains("outside]") || $0.contains("root:") })
        try expectOutsideUntouched()
    }

    @Test func symbolicLinksCannotLeaveAHostMount() throws {
        let lines = try probe([
            "open", "6", "escape_abs",
            "open", "6", "escape_rel",
            "open", "6", "escape_dir/outside.txt",
            "open", "6", "escape_abs_inside",
            "open", "6", "sub/escape_up",
            "open", "6", "dirlink/../../outside.txt",
            "open", "6", "loop1",
            "stat", "6", "escape_rel",
            "create", "6", "escape_rel",
            "create", "6", "escape_dir/new.txt",
            "mkdir", "6", "escape_dir/newdir",
            "libc-open", "/host/escape_rel",
            "libc-create", "/host/escape_rel",
            "libc-create", "/host/sub/escape_up",
            "open", "6", "good_rel",
            "open", "6", "dirlink/deep.txt",
            "open", "6", "sub/up",
            "libc-open", "/host/sub/up",
            "readlink", "6", "escape_rel",
        ])
        let n = Self.notcapable
        #expect(lines == [
            "open escape_abs = \(n)", "open escape_rel = \(n)", "open escape_dir/outside.txt = \(n)",
            "open escape_abs_inside = \(n)", "open sub/escape_up = \(n)", "open dirlink/../../outside.txt = \(n)",
            "open loop1 = \(WasiErrno.loop.rawValue)", "stat escape_rel = \(n)",
            // Without following, the link itself is the last component: O_NOFOLLOW refuses it.
            "create escape_rel = \(WasiErrno.loop.rawValue)",
            "create escape_dir/new.txt = \(n)", "mkdir escape_dir/newdir = \(n)",
            "libc-open /host/escape_rel = \(n)", "libc-create /host/escape_rel = \(n)", "libc-create /host/sub/escape_up = \(n)",
            "open good_rel = 0", "open dirlink/deep.txt = 0", "open sub/up = 0",
            "libc-open /host/sub/up read [inside]", "libc-open /host/sub/up = 0",
            "readlink escape_rel = 0",
        ])
        try expectOutsideUntouched()
    }

    @Test func renamesAndLinksStayInTheirMount() throws {
        let lines = try probe([
            "rename", "3", "file.txt", "3", "../file.txt",
            "rename", "3", "file.txt", "4", "moved.txt",
            "rename", "3", "file.txt", "5", "moved.txt",
            "rename", "6", "inside.txt", "6", "../stolen.txt",
            "rename", "6", "inside.txt", "6", "escape_dir/stolen.txt",
            "rename", "6", "inside.txt", "3", "stolen.txt",
            "rename", "3", "file.txt", "6", "planted.txt",
            "link", "6", "inside.txt", "6", "../hardlink.txt",
            "link", "6", "inside.txt", "3", "hardlink.txt",
            "link", "3", "file.txt", "4", "hardlink.txt",
            "rename", "5", "file.txt", "5", "renamed.txt",
            "rename", "7", "null", "7", "zero",
            "rename", "3", "file.txt", "3", "a/renamed.txt",
            "rename", "6", "sub/deep.txt", "6", "deep.txt",
            "symlink", "/etc/passwd", "3", "link",
            "symlink", "../outside.txt", "6", "link",
            "symlink", "x", "5", "link",
        ])
        let n = Self.notcapable, xdev = WasiErrno.xdev.rawValue
        #expect(lines == [
            "rename file.txt ../file.txt = \(n)", "rename file.txt moved.txt = \(xdev)", "rename file.txt moved.txt = \(xdev)",
            "rename inside.txt ../stolen.txt = \(n)", "rename inside.txt escape_dir/stolen.txt = \(n)",
            "rename inside.txt stolen.txt = \(xdev)", "rename file.txt planted.txt = \(xdev)",
            "link inside.txt ../hardlink.txt = \(n)", "link inside.txt hardlink.txt = \(xdev)",
            "link file.txt hardlink.txt = \(xdev)",
            "rename file.txt renamed.txt = \(WasiErrno.rofs.rawValue)", "rename null zero = \(WasiErrno.rofs.rawValue)",
            "rename file.txt a/renamed.txt = 0", "rename sub/deep.txt deep.txt = 0",
            "symlink link = \(WasiErrno.notsup.rawValue)", "symlink link = \(WasiErrno.notsup.rawValue)",
            "symlink link = \(WasiErrno.rofs.rawValue)",
        ])
        try expectOutsideUntouched()
        #expect(FileManager.default.fileExists(atPath: mountDir.appendingPathComponent("deep.txt").path))
        #expect(!FileManager.default.fileExists(atPath: mountDir.appendingPathComponent("link").path))
    }

    @Test func overlongAndMalformedPathsAreRefused() throws {
        let longComponent = String(repeating: "x", count: 300)
        let longPath = Array(repeating: "a", count: 2100).joined(separator: "/")
        let lines = try probe([
            "open", "3", longComponent,
            "create", "3", longComponent,
            "open", "3", longPath,
            "open", "3", "a/" + String(repeating: "../", count: 40) + "etc/passwd",
            "open", "99", "file.txt",
            "open", "0", "file.txt",
            "open", "3", "file.txt/",
            "open", "3", "",
        ])
        #expect(lines == [
            "open \(longComponent) = \(WasiErrno.nametoolong.rawValue)",
            "create \(longComponent) = \(WasiErrno.nametoolong.rawValue)",
            "open \(longPath) = \(WasiErrno.nametoolong.rawValue)",
            "open a/\(String(repeating: "../", count: 40))etc/passwd = \(Self.notcapable)",
            "open file.txt = \(WasiErrno.badf.rawValue)",
            "open file.txt = \(WasiErrno.notdir.rawValue)",
            "open file.txt/ = \(WasiErrno.notdir.rawValue)",
            "open  = \(WasiErrno.noent.rawValue)",
        ])
    }
}
