import Foundation
import Synchronization
import Testing
import WasmInterpreter
@testable import WasiHost

/// `Programs/stdio.c`: standard streams, arguments, environment, output caps and exit statuses.
@Suite("C program: stdio, args, exit", .enabled(if: WasmPrograms.isAvailable, Comment(rawValue: WasmPrograms.unavailableReason)))
struct CProgramStdioTests {
    @Test func echoesStdinAndWritesStderr() throws {
        let input = Array("hello, guest\nsecond line\n".utf8)
        let run = try WasmPrograms.run("stdio", ["echo"], configuration: WasiConfiguration(stdin: input))
        #expect(run.exitCode == 0)
        #expect(run.host.output(.stdout) == input)
        #expect(run.stderr == "done \(input.count) 0\n")
        #expect(run.host.usage.stdoutBytes == input.count)
        #expect(run.host.usage.stderrBytes == run.stderr.utf8.count)
    }

    @Test func collectedOutputCanBeTaken() throws {
        let run = try WasmPrograms.run("stdio", ["echo"], configuration: WasiConfiguration(stdin: Array("abc".utf8)))
        #expect(run.host.takeOutput(.stdout) == Array("abc".utf8))
        #expect(run.host.takeOutput(.stdout) == [])
        #expect(run.host.usage.stdoutBytes == 3)
        #expect(run.host.outputText(.stderr) == "done 3 0\n")
    }

    @Test func emptyStdinIsEndOfFile() throws {
        let run = try WasmPrograms.run("stdio", ["echo"])
        #expect(run.stdout == "")
        #expect(run.stderr == "done 0 0\n")
    }

    @Test func printsArgumentsAndEnvironment() throws {
        let config = WasiConfiguration(environment: ["HOME": "/home/guest", "LANG": "C.UTF-8"])
        let run = try WasmPrograms.run("stdio", ["args", "two words", "ünïcödé"], configuration: config)
        #expect(run.lines == [
            "argc 4", "arg 0 [stdio]", "arg 1 [args]", "arg 2 [two words]", "arg 3 [ünïcödé]",
            "env [HOME=/home/guest]", "env [LANG=C.UTF-8]", "HOME=/home/guest",
        ])
    }

    @Test func environmentIsEmptyByDefault() throws {
        let run = try WasmPrograms.run("stdio", ["args"])
        #expect(run.lines == ["argc 2", "arg 0 [stdio]", "arg 1 [args]", "HOME=(unset)"])
    }

    @Test func floodingStdoutStopsAtTheCap() throws {
        var config = WasiConfiguration()
        config.stdout = OutputConfiguration(limit: 1050)
        let run = try WasmPrograms.run("stdio", ["flood"], configuration: config)
        #expect(run.exitCode == nil)
        #expect(run.trap?.wasiStop == .outputLimitExceeded(stream: .stdout, limit: 1050))
        #expect(run.host.output(.stdout).count == 1050)
        #expect(run.host.usage.stdoutBytes == 1050)
        #expect(run.trap?.description.contains("WasiConfiguration.stdout.limit") == true)
    }

    @Test func handlerSinkReceivesEveryWrite() throws {
        let received = Mutex<[UInt8]>([])
        var config = WasiConfiguration(stdin: Array("streamed".utf8))
        config.stdout = OutputConfiguration(sink: .handler { bytes in received.withLock { $0 += bytes } })
        config.stderr = OutputConfiguration(sink: .discard)
        let run = try WasmPrograms.run("stdio", ["echo"], configuration: config)
        #expect(received.withLock { $0 } == Array("streamed".utf8))
        #expect(run.host.output(.stdout).isEmpty)
        #expect(run.host.output(.stderr).isEmpty)
        #expect(run.host.usage.stderrBytes > 0)
    }

    @Test(arguments: [0, 1, 7, 255])
    func exitStatusComesBackFromProcExit(code: Int) throws {
        let run = try WasmPrograms.run("stdio", ["exit", String(code)])
        #expect(run.exitCode == Int32(code))
        #expect(run.stdout == "exiting with \(code)\n")
    }

    @Test func returnFromMainIsTheExitStatus() throws {
        #expect(try WasmPrograms.run("stdio", ["return", "3"]).exitCode == 3)
        #expect(try WasmPrograms.run("stdio", ["return", "0"]).exitCode == 0)
    }

    @Test func procExitArrivesAsATypedHostError() throws {
        let host = try WasiHost(configuration: WasiConfiguration(arguments: ["stdio", "exit", "42"]))
        let store = Store()
        var imports = Imports()
        host.define(into: &imports)
        let instance = try store.instantiate(try WasmPrograms.module("stdio"), imports: imports)
        do {
            _ = try store.call(instance, "_start")
            Issue.record("expected proc_exit")
        } catch {
            guard case .hostError(let e) = error.reason else { Issue.record("unexpected \(error)"); return }
            #expect(e as? WasiExit == WasiExit(code: 42))
            #expect(error.wasiExitCode == 42)
            #expect(error.wasiStop == nil)
        }
    }

    @Test func streamsAreTerminalsOnlyWhenConfigured() throws {
        #expect(try WasmPrograms.run("stdio", ["isatty"]).stdout == "isatty 0 0 0\n")
        let config = WasiConfiguration(standardStreamsAreTerminals: true)
        #expect(try WasmPrograms.run("stdio", ["isatty"], configuration: config).stdout == "isatty 1 1 1\n")
    }
}
