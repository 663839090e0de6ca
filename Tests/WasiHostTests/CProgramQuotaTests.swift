import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// `Programs/quota.c`: the bytes-written and open-file quotas, with both quota actions.
@Suite("C program: quotas", .enabled(if: WasmPrograms.isAvailable, Comment(rawValue: WasmPrograms.unavailableReason)))
struct CProgramQuotaTests {
    static func config(bytes: Int = 64 << 20, files: Int = 64, action: QuotaAction, mount: Mount.Source = .memory(MemoryDirectory())) -> WasiConfiguration {
        WasiConfiguration(mounts: [Mount(guestPath: "/", source: mount)],
                          quotas: WasiQuotas(maxBytesWritten: bytes, maxOpenFiles: files, action: action))
    }

    @Test func writingPastTheQuotaStopsTheGuest() throws {
        let run = try WasmPrograms.run("quota", ["write", "big.bin", "50000", "1000"], configuration: Self.config(bytes: 10_500, action: .stop))
        #expect(run.trap?.wasiStop == .writeQuotaExceeded(limit: 10_500))
        #expect(run.host.usage.bytesWritten == 10_500)
        #expect(run.host.memoryDirectory(at: "/")?.file("big.bin")?.count == 10_500)
    }

    @Test func writingPastTheQuotaCanFailWithEDQUOT() throws {
        let run = try WasmPrograms.run("quota", ["write", "big.bin", "50000", "3000"], configuration: Self.config(bytes: 10_000, action: .fail))
        #expect(run.exitCode == 0)
        #expect(run.stdout == "wrote 10000 errno \(WasiErrno.dquot.rawValue)\n")
        #expect(run.host.usage.bytesWritten == 10_000)
        #expect(run.host.memoryDirectory(at: "/")?.file("big.bin")?.count == 10_000)
    }

    @Test func hostMountWritesCountToo() throws {
        let dir = try TestPaths.makeTemporaryDirectory("quota")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try WasmPrograms.run("quota", ["write", "big.bin", "50000", "1000"],
                                       configuration: Self.config(bytes: 4096, action: .fail, mount: .host(dir)))
        #expect(run.stdout == "wrote 4096 errno \(WasiErrno.dquot.rawValue)\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("big.bin").path)
        #expect(attributes[.size] as? Int == 4096)
    }

    @Test func growingAFileCountsTowardTheQuota() throws {
        let failing = try WasmPrograms.run("quota", ["grow", "sparse.bin", "1000000000"], configuration: Self.config(action: .fail))
        #expect(failing.stdout == "grow -1 errno \(WasiErrno.dquot.rawValue)\n")
        #expect(failing.host.memoryDirectory(at: "/")?.file("sparse.bin") == [])
        let stopped = try WasmPrograms.run("quota", ["grow", "sparse.bin", "1000000000"], configuration: Self.config(action: .stop))
        #expect(stopped.trap?.wasiStop == .writeQuotaExceeded(limit: 64 << 20))
        let fits = try WasmPrograms.run("quota", ["grow", "sparse.bin", "1000"], configuration: Self.config(action: .stop))
        #expect(fits.stdout == "grow 0 errno 0\n")
        #expect(fits.host.usage.bytesWritten == 1000)
    }

    @Test func openingTooManyFilesFailsWithEMFILE() throws {
        let run = try WasmPrograms.run("quota", ["open", "20"], configuration: Self.config(files: 5, action: .fail))
        #expect(run.stdout == "opened 5 errno \(WasiErrno.mfile.rawValue)\n")
        #expect(run.host.usage.filesOpened == 5)
        #expect(run.host.usage.peakOpenFiles == 5)
        // The refused file was not created.
        #expect(run.host.memoryDirectory(at: "/")?.entries.keys.sorted() == ["f0", "f1", "f2", "f3", "f4"])
    }

    @Test func openingTooManyFilesCanStopTheGuest() throws {
        let run = try WasmPrograms.run("quota", ["open", "20"], configuration: Self.config(files: 5, action: .stop))
        #expect(run.trap?.wasiStop == .openFileLimitExceeded(limit: 5))
        #expect(run.host.usage.openFiles == 5)
    }
}
