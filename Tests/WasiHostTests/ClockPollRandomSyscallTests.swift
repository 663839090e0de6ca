import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// clock_*, poll_oneoff, random_get, sched_yield, proc_*, sock_*: called directly.
@Suite("clocks, poll, random, process and sockets")
struct ClockPollRandomSyscallTests {
    static let virtual = WasiConfiguration(clock: .virtual(start: 5_000_000_000, step: 10))

    /// Writes a clock subscription at `at` (48 bytes).
    static func clockSubscription(_ h: SyscallHarness, at: UInt32, userdata: UInt64, clock: UInt32 = 1,
                                  timeout: UInt64, absolute: Bool = false) throws {
        try h.put([UInt8](repeating: 0, count: 48), at: at)
        try h.memory.store(userdata, at: at)
        try h.memory.store(UInt8(0), at: at + 8)
        try h.memory.store(clock, at: at + 16)
        try h.memory.store(timeout, at: at + 24)
        try h.memory.store(UInt16(absolute ? 1 : 0), at: at + 40)
    }

    /// Writes an fd_read (1) or fd_write (2) subscription at `at`.
    static func fdSubscription(_ h: SyscallHarness, at: UInt32, userdata: UInt64, type: UInt8, fd: UInt32) throws {
        try h.put([UInt8](repeating: 0, count: 48), at: at)
        try h.memory.store(userdata, at: at)
        try h.memory.store(type, at: at + 8)
        try h.memory.store(fd, at: at + 16)
    }

    @Test func virtualClocksStepOnEveryRead() throws {
        let h = try SyscallHarness(Self.virtual)
        #expect(try h.call("clock_time_get", 0, 0, 100) == .success)
        #expect(try h.u64(100) == 5_000_000_000)
        #expect(try h.call("clock_time_get", 1, 0, 100) == .success)
        #expect(try h.u64(100) == 10)
        #expect(try h.call("clock_time_get", 2, 0, 100) == .success)
        #expect(try h.u64(100) == 20)
        #expect(try h.call("clock_res_get", 0, 100) == .success)
        #expect(try h.u64(100) == 10)
        #expect(try h.call("clock_time_get", 4, 0, 100) == .inval)
        #expect(try h.call("clock_res_get", 9, 100) == .inval)
    }

    @Test func pollSleepsOnTheVirtualClockAndReportsTheEarliestTimer() throws {
        let h = try SyscallHarness(Self.virtual)
        try Self.clockSubscription(h, at: 1000, userdata: 7, timeout: 3_000_000_000)
        try Self.clockSubscription(h, at: 1048, userdata: 8, timeout: 1_000_000_000)
        #expect(try h.call("poll_oneoff", 1000, 2000, 2, 300) == .success)
        #expect(try h.u32(300) == 1)
        #expect(try h.u64(2000) == 8)
        #expect(try h.u8(2010) == 0)
        #expect(try h.call("clock_time_get", 0, 0, 100) == .success)
        #expect(try h.u64(100) == 6_000_000_000)
        // An absolute deadline already passed fires at once.
        try Self.clockSubscription(h, at: 1000, userdata: 9, clock: 0, timeout: 1, absolute: true)
        #expect(try h.call("poll_oneoff", 1000, 2000, 1, 300) == .success)
        #expect(try h.u64(2000) == 9)
    }

    @Test func pollReportsDescriptorsReadyWithoutSleeping() throws {
        let h = try SyscallHarness(WasiConfiguration(stdin: Array("12345".utf8)))
        try Self.clockSubscription(h, at: 1000, userdata: 1, timeout: 60_000_000_000)
        try Self.fdSubscription(h, at: 1048, userdata: 2, type: 1, fd: 0)
        try Self.fdSubscription(h, at: 1096, userdata: 3, type: 2, fd: 1)
        try Self.fdSubscription(h, at: 1144, userdata: 4, type: 1, fd: 77)
        let began = ContinuousClock.now
        #expect(try h.call("poll_oneoff", 1000, 2000, 4, 300) == .success)
        #expect(ContinuousClock.now - began < .seconds(5))
        #expect(try h.u32(300) == 3)
        #expect(try h.u64(2000) == 2)
        #expect(try h.u64(2016) == 5)                      // bytes of stdin available
        #expect(try h.u64(2032) == 3)
        #expect(try h.u64(2064) == 4)
        #expect(try h.u16At(2072) == WasiErrno.badf.rawValue)
    }

    @Test func pollRejectsBadInput() throws {
        let h = try SyscallHarness()
        #expect(try h.call("poll_oneoff", 1000, 2000, 0, 300) == .inval)
        try Self.fdSubscription(h, at: 1000, userdata: 1, type: 9, fd: 0)
        #expect(try h.call("poll_oneoff", 1000, 2000, 1, 300) == .inval)
        #expect(try h.call("poll_oneoff", 1000, Int64(SyscallHarness.memoryBytes) - 8, 1, 300) == .fault)
        #expect(try h.call("poll_oneoff", 1000, 2000, 0x7FFF_FFFF, 300) == .fault)
    }

    @Test func pollNeverSleepsPastTheDeadline() throws {
        let store = Store()
        let h = try SyscallHarness(WasiConfiguration(), store: store)
        try Self.clockSubscription(h, at: 1000, userdata: 1, timeout: 30_000_000_000)
        store.deadline = .now + .milliseconds(300)
        let began = ContinuousClock.now
        #expect {
            try h.call("poll_oneoff", 1000, 2000, 1, 300)
        } throws: { error in
            guard let trap = error as? Trap, case .deadlineExceeded = trap.reason else { return false }
            return true
        }
        #expect(ContinuousClock.now - began < .seconds(5))
        // A short sleep within the deadline really sleeps.
        store.deadline = .now + .seconds(30)
        try Self.clockSubscription(h, at: 1000, userdata: 1, timeout: 50_000_000)
        let again = ContinuousClock.now
        #expect(try h.call("poll_oneoff", 1000, 2000, 1, 300) == .success)
        #expect(ContinuousClock.now - again >= .milliseconds(50))
    }

    @Test func seededRandomIsRepeatable() throws {
        func draw(_ seed: UInt64) throws -> [UInt8] {
            let h = try SyscallHarness(WasiConfiguration(random: .seeded(seed)))
            #expect(try h.call("random_get", 100, 37) == .success)
            return try h.bytes(100, 37)
        }
        #expect(try draw(1) == draw(1))
        #expect(try draw(1) != draw(2))
        #expect(Set(try draw(3)).count > 10)
        let h = try SyscallHarness()
        #expect(try h.call("random_get", 100, 0) == .success)
    }

    @Test func refusedCalls() throws {
        let h = try SyscallHarness(WasiConfiguration(mounts: [Mount(guestPath: "/", source: .memory(MemoryDirectory()))]))
        #expect(try h.call("proc_raise", 6) == .notsup)
        #expect(try h.call("proc_raise", 99) == .inval)
        #expect(try h.call("sched_yield") == .success)
        for fd: Int64 in [0, 3] {
            #expect(try h.call("sock_accept", fd, 0, 100) == .notsock)
            #expect(try h.call("sock_recv", fd, 100, 1, 0, 200, 204) == .notsock)
            #expect(try h.call("sock_send", fd, 100, 1, 0, 200) == .notsock)
            #expect(try h.call("sock_shutdown", fd, 2) == .notsock)
        }
        #expect(try h.call("sock_accept", 50, 0, 100) == .badf)
        #expect(try h.call("sock_shutdown", 50, 2) == .badf)
    }

    @Test func procExitThrowsWasiExit() throws {
        let h = try SyscallHarness()
        #expect {
            try h.call("proc_exit", 3)
        } throws: { error in
            (error as? Trap)?.wasiExitCode == 3
        }
    }

    @Test func everyPreview1FunctionIsDefined() {
        let witx = [
            "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
            "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
            "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
            "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
            "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
            "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
            "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
            "sock_recv", "sock_send", "sock_shutdown",
        ]
        #expect(Set(WasiHost.functionNames) == Set(witx))
        #expect(WasiHost.functionNames.count == witx.count)
    }

    /// `hostFunction(named:)` makes, for each name, the function the whole table has, and
    /// nothing for a name preview1 lacks; made one by one, they run the same.
    @Test func functionsMadeByNameMatchTheTable() throws {
        let host = try WasiHost(configuration: WasiConfiguration())
        var imports = Imports()
        host.define(into: &imports)
        for name in WasiHost.functionNames {
            guard case .hostFunction(let defined)? = imports.lookup(WasiHost.moduleName, name) else {
                Issue.record("\(name) is not in the table")
                continue
            }
            #expect(host.hostFunction(named: name)?.type == defined.type, "\(name)")
        }
        #expect(host.hostFunction(named: "fd_frobnicate") == nil)
        #expect(host.hostFunction(named: "") == nil)
        #expect(host.hostFunction(named: "args_get\u{0}") == nil)

        let configuration = WasiConfiguration(arguments: ["prog", "two words"], environment: ["KEY": "value"])
        let table = try SyscallHarness(configuration)
        let byName = try SyscallHarness(configuration, oneByOne: true)
        for h in [table, byName] {
            #expect(try h.call("args_sizes_get", 0, 4) == .success)
            #expect(try h.call("environ_sizes_get", 8, 12) == .success)
            #expect(try h.call("fd_close", 99) == .badf)
        }
        for address: UInt32 in [0, 4, 8, 12] {
            #expect(try table.u32(address) == byName.u32(address))
        }
        #expect(try byName.u32(0) == 2)
        #expect {
            try byName.call("proc_exit", 7)
        } throws: { error in
            (error as? Trap)?.wasiExitCode == 7
        }
    }
}

extension SyscallHarness {
    func u16At(_ address: UInt32) throws -> UInt16 { try memory.load(UInt16.self, at: address) }
}
