import Foundation
import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

/// The native `mp_decompress_rom_string` must write exactly what the guest's own function 73
/// writes, for the guest's real compressed messages and for arbitrary compressed input.
@Suite("Native ROM text decompression", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct NativeRomTextTests {
    /// Free memory for the inputs and both outputs: the low end of the shadow stack.
    static let scratch = PinnedGuest.Layout.initialStackPointer - PinnedGuest.Layout.stackSize + 256
    static let input = scratch
    static let wasmOutput = scratch + 4096
    static let nativeOutput = scratch + 8192
    static let outputBytes = 4096

    /// An instance of the guest whose function 73 is still the guest's own (nothing installed).
    func plainInstance() throws -> (Store, Instance, GuestMemory) { try NativeComparison.plainInstance() }

    /// Decompresses `source` with both versions into cleared buffers; nil when they agree,
    /// else a description of the difference.
    func compare(_ store: Store, _ instance: Instance, _ memory: GuestMemory, source: UInt32) throws -> String? {
        let zeros = [UInt8](repeating: 0xAA, count: Self.outputBytes)
        try memory.write(zeros, at: Self.wasmOutput)
        try memory.write(zeros, at: Self.nativeOutput)
        let wasm = Result { try store.invoke(instance, functionIndex: PinnedGuest.Native.decompressRomString.index,
                                             [.i32(Self.wasmOutput), .i32(source)]) }
        let native = Result {
            try memory.withBytes(at: 0, count: memory.size) { bytes in
                try NativeRomText.decompress(GuestBytes(raw: bytes), destination: Self.nativeOutput, source: source)
            }
        }
        let a = try memory.read(at: Self.wasmOutput, count: Self.outputBytes)
        let b = try memory.read(at: Self.nativeOutput, count: Self.outputBytes)
        switch (wasm, native) {
        case (.success(.finished), .success):
            return a == b ? nil : "outputs differ: Wasm \(text(a)) native \(text(b))"
        case (.failure(let x), .failure(let y)):
            let reasons = [x, y].map { ($0 as? Trap).map { "\($0.reason)" } ?? "not a trap: \($0)" }
            return reasons[0] == reasons[1] && a == b ? nil : "different traps or writes: \(reasons)"
        default:
            return "Wasm \(wasm), native \(native)"
        }
    }

    func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(while: { $0 != 0 && $0 != 0xAA }), as: UTF8.self).debugDescription
    }

    @Test func thePinnedGuestsFunctionMatches() throws {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        #expect(GuestVerifier.bodiesMatch(guest.module, [PinnedGuest.Native.decompressRomString]))
    }

    /// Every 0xFF-marked text in the guest's data below the shadow stack (its compressed
    /// messages, and whatever else starts with 0xFF there) decompresses the same both ways.
    @Test func theGuestsOwnMessagesMatch() throws {
        let (store, instance, memory) = try plainInstance()
        let data = try memory.read(at: 0, count: Int(Self.scratch))
        var compared = 0, messages = 0, mismatches: [String] = []
        for at in 0..<(data.count - 2) where data[at] == 0xFF && data[at + 1] != 0 {
            // A text: printable or word bytes up to a NUL within 100 bytes.
            guard let end = data[(at + 1)...].prefix(100).firstIndex(of: 0) else { continue }
            if data[(at + 1)..<end].contains(where: { $0 >= 0x80 }) { messages += 1 }
            compared += 1
            if let problem = try compare(store, instance, memory, source: UInt32(at)) {
                mismatches.append("at \(at): \(problem)")
            }
        }
        #expect(messages > 100, "found \(messages) compressed messages")
        #expect(mismatches.isEmpty, "\(compared) compared: \(mismatches.prefix(5))")
    }

    /// Random compressed inputs: plain bytes, word bytes (128 + n, including n = 0 and the
    /// table's last words), runs of each, and empty texts.
    @Test func randomInputsMatch() throws {
        let (store, instance, memory) = try plainInstance()
        var rng = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for round in 0..<2000 {
            let length = round == 0 ? 0 : Int.random(in: 1...24, using: &rng)
            var bytes: [UInt8] = [0xFF]
            for _ in 0..<length {
                bytes.append(Bool.random(using: &rng) ? UInt8.random(in: 1...127, using: &rng) : UInt8.random(in: 128...255, using: &rng))
            }
            bytes.append(0)
            try memory.write(bytes, at: Self.input)
            if let problem = try compare(store, instance, memory, source: Self.input) {
                mismatches.append("\(bytes): \(problem)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// A source past the end of memory traps in both.
    @Test func outOfBoundsSourcesTrapInBoth() throws {
        let (store, instance, memory) = try plainInstance()
        for source in [UInt32(memory.size), UInt32(memory.size - 1), UInt32.max] {
            let problem = try compare(store, instance, memory, source: source)
            #expect(problem == nil, "\(source): \(problem ?? "")")
        }
    }

    /// Runtime error messages read the same with the native function as without it, and
    /// cost less fuel.
    @Test func errorMessagesAgreeWithAndWithoutIt() throws {
        let code = """
            tests = [lambda: {}['k'], lambda: 1 // 0, lambda: int('z'), lambda: None.attr, lambda: [].pop(),
                     lambda: 'a' + 1, lambda: (1, 2)[5], lambda: len(3), lambda: object().x, lambda: iter(5),
                     lambda: [1].index(2), lambda: 'abc'.index('z'), lambda: float('x'), lambda: chr(-1)]
            for t in tests * 20:
                try:
                    t()
                except Exception as e:
                    print(type(e).__name__, e)
            """
        let options = PythonRunOptions.deterministic(heap: 1 << 20, fuel: 5_000_000_000)
        let (native, wasm) = try NativeComparison.runBothWays(code, options: options)
        #expect(native.stdoutText == wasm.stdoutText)
        #expect(native.stdoutText.contains("KeyError k"), "\(native.stdoutText.prefix(500))")
        #expect(native.stdoutText.contains("ZeroDivisionError divide by zero"), "\(native.stdoutText.prefix(500))")
        #expect(native.fuelUsed < wasm.fuelUsed)
    }
}
