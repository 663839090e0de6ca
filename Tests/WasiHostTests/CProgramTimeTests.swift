import Foundation
import Testing
import WasmInterpreter
@testable import WasiHost

/// `Programs/time.c`: clocks, sleeping through `poll_oneoff`, polling stdin, randomness and `/dev`.
@Suite("C program: clocks, poll, random", .enabled(if: WasmPrograms.isAvailable, Comment(rawValue: WasmPrograms.unavailableReason)))
struct CProgramTimeTests {
    static let start: UInt64 = 1_700_000_000_123_456_789

    @Test func virtualClockIsDeterministic() throws {
        let config = WasiConfiguration(clock: .virtual(start: Self.start, step: 1000))
        let run = try WasmPrograms.run("time", ["clock"], configuration: config)
        #expect(run.lines == [
            "realtime \(Self.start) \(Self.start + 1000)",
            "monotonic 2000 3000",
            "resolution 1000",
            "time \((Self.start + 4000) / 1_000_000_000)",
        ])
        #expect(try WasmPrograms.run("time", ["clock"], configuration: config).stdout == run.stdout)
    }

    @Test func realClockIsCloseToTheHostsClock() throws {
        let run = try WasmPrograms.run("time", ["clock"])
        let parts = run.lines[0].split(separator: " ")
        let guestSeconds = Double(parts[1])! / 1e9
        #expect(abs(guestSeconds - Date().timeIntervalSince1970) < 5)
        let monotonic = run.lines[1].split(separator: " ").dropFirst().map { Int64($0)! }
        #expect(monotonic[1] >= monotonic[0])
    }

    @Test func sleepOnAVirtualClockAdvancesItAtOnce() throws {
        let config = WasiConfiguration(clock: .virtual(start: Self.start, step: 1))
        let began = ContinuousClock.now
        let run = try WasmPrograms.run("time", ["sleep", "60000"], configuration: config)
        #expect(run.stdout == "slept 0 60000\n")
        #expect(ContinuousClock.now - began < .seconds(10))
    }

    @Test func sleepOnTheRealClockReallySleeps() throws {
        let began = ContinuousClock.now
        let run = try WasmPrograms.run("time", ["sleep", "120"])
        #expect(ContinuousClock.now - began >= .milliseconds(120))
        let elapsed = Int(run.stdout.split(separator: " ")[2].dropLast())!
        #expect(run.stdout.hasPrefix("slept 0 "))
        #expect(elapsed >= 120 && elapsed < 5000)
    }

    @Test func sleepPastTheDeadlineStopsTheGuestWithoutWaiting() throws {
        let began = ContinuousClock.now
        let run = try WasmPrograms.run("time", ["sleep", "60000"], deadline: .milliseconds(500))
        #expect(ContinuousClock.now - began < .seconds(5))
        guard case .deadlineExceeded? = run.trap?.reason else {
            Issue.record("expected deadline exceeded, got \(String(describing: run.trap))")
            return
        }
    }

    @Test func sleepingGuestCanBeCancelled() throws {
        let host = try WasiHost(configuration: WasiConfiguration(arguments: ["time", "sleep", "60000"]))
        let store = Store()
        let handle = store.interruptHandle
        let canceller = Thread { Thread.sleep(forTimeInterval: 0.2); handle.cancel() }
        canceller.start()
        let began = ContinuousClock.now
        #expect {
            _ = try host.runCommand(try WasmPrograms.module("time"), in: store)
        } throws: { error in
            guard let trap = error as? Trap, case .cancelled = trap.reason else { return false }
            return true
        }
        #expect(ContinuousClock.now - began < .seconds(10))
    }

    @Test func pollReportsStdinReady() throws {
        let run = try WasmPrograms.run("time", ["poll"], configuration: WasiConfiguration(stdin: Array("x".utf8)))
        #expect(run.stdout == "poll 1 revents 1\n")
    }

    @Test func seededRandomnessRepeatsAndDevicesWork() throws {
        let seeded = WasiConfiguration(random: .seeded(7))
        let a = try WasmPrograms.run("time", ["random"], configuration: seeded)
        let b = try WasmPrograms.run("time", ["random"], configuration: seeded)
        let c = try WasmPrograms.run("time", ["random"], configuration: WasiConfiguration(random: .seeded(8)))
        #expect(a.exitCode == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.lines[0] != c.lines[0])
        #expect(a.lines.count == 5)
        for line in a.lines.prefix(3) {
            let hex = line.split(separator: " ")[1]
            #expect(hex.count == 32)
        }
        #expect(Set(a.lines.prefix(3).map { $0.split(separator: " ")[1] }).count == 3)
        #expect(a.lines[3] == "null write 3 read 0")
        #expect(a.lines[4] == "create in dev errno \(WasiErrno.rofs.rawValue)")
    }

    @Test func systemRandomnessDiffersBetweenRuns() throws {
        let a = try WasmPrograms.run("time", ["random"])
        let b = try WasmPrograms.run("time", ["random"])
        #expect(a.lines[0] != b.lines[0])
        #expect(a.lines[0].count == "getentropy ".count + 32)
    }
}
