import Testing
import WasmInterpreter
@testable import WasiHost

@Suite("args_* and environ_*")
struct ArgsAndEnvironmentTests {
    @Test func argumentsAreWrittenWithPointersAndNULs() throws {
        let h = try SyscallHarness(WasiConfiguration(arguments: ["prog", "-x", "héllo"]))
        #expect(try h.call("args_sizes_get", 100, 104) == .success)
        #expect(try h.u32(100) == 3)
        #expect(try h.u32(104) == UInt32("prog".utf8.count + "-x".utf8.count + "héllo".utf8.count + 3))
        #expect(try h.call("args_get", 200, 300) == .success)
        let pointers = try (0..<3).map { try h.u32(200 + UInt32($0) * 4) }
        #expect(pointers == [300, 305, 308])
        #expect(try h.text(300, Int(try h.u32(104))) == "prog\0-x\0héllo\0")
    }

    @Test func environmentIsSortedAndEmptyByDefault() throws {
        let empty = try SyscallHarness()
        #expect(try empty.call("environ_sizes_get", 100, 104) == .success)
        #expect(try empty.u32(100) == 0)
        #expect(try empty.u32(104) == 0)

        let h = try SyscallHarness(WasiConfiguration(environment: ["B": "2", "A": "one"]))
        #expect(try h.call("environ_sizes_get", 100, 104) == .success)
        #expect(try h.u32(100) == 2)
        #expect(try h.call("environ_get", 200, 300) == .success)
        #expect(try h.text(300, Int(try h.u32(104))) == "A=one\0B=2\0")
    }

    @Test func badPointersAreEFAULT() throws {
        let h = try SyscallHarness(WasiConfiguration(arguments: ["prog"]))
        let end = Int64(SyscallHarness.memoryBytes)
        #expect(try h.call("args_sizes_get", end - 2, 104) == .fault)
        #expect(try h.call("args_get", 200, end - 2) == .fault)
        #expect(try h.call("args_get", 0xFFFF_FFFF, 300) == .fault)
    }

    @Test func invalidStringsAreRejected() {
        #expect(throws: WasiConfigurationError.invalidString("a\0b")) {
            try WasiHost(configuration: WasiConfiguration(arguments: ["a\0b"]))
        }
        #expect(throws: WasiConfigurationError.self) {
            try WasiHost(configuration: WasiConfiguration(environment: ["A=B": "c"]))
        }
    }
}
