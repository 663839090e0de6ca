import Foundation
import Testing
@testable import WasmInterpreter

/// Runs the MicroPython guest's `_start` under a minimal stub of its WASI imports (the full
/// WASI layer lives in WasiHost).
@Suite("Guest under a minimal WASI stub", .enabled(if: TestPaths.hasGuest, "guest not fetched: run `make guest`"))
struct GuestSmokeTests {
    final class Output: @unchecked Sendable { var bytes: [UInt8] = [] }
    struct Exit: Error { let code: Int32 }

    static func run(_ code: String, heap: String = "1M") throws -> (output: String, exit: Int32) {
        let bytes = [UInt8](try Data(contentsOf: TestPaths.guest))
        let module = try CompiledModule(bytes: bytes)
        let store = Store()
        let out = Output()
        let args = ["micropython", "-X", "heapsize=\(heap)", "-c", code]
        var imports = Imports()
        let wasi = "wasi_snapshot_preview1"
        imports.define(wasi, "args_sizes_get", parameters: [.i32, .i32], results: [.i32]) { call in
            try call.memory.store(UInt32(args.count), at: call.u32(0))
            try call.memory.store(UInt32(args.reduce(0) { $0 + $1.utf8.count + 1 }), at: call.u32(1))
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define(wasi, "args_get", parameters: [.i32, .i32], results: [.i32]) { call in
            var pointer = call.u32(1)
            for (i, a) in args.enumerated() {
                try call.memory.store(pointer, at: call.u32(0) + UInt32(i * 4))
                try call.memory.write(Array(a.utf8) + [0], at: pointer)
                pointer += UInt32(a.utf8.count + 1)
            }
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define(wasi, "fd_write", parameters: [.i32, .i32, .i32, .i32], results: [.i32]) { call in
            var total: UInt32 = 0
            for i in 0..<call.u32(2) {
                let iov = call.u32(1) + i * 8
                let p = try call.memory.load(UInt32.self, at: iov)
                let n = try call.memory.load(UInt32.self, at: iov + 4)
                if call.u32(0) == 1 || call.u32(0) == 2 { out.bytes += try call.memory.read(at: p, count: Int(n)) }
                total += n
            }
            try call.memory.store(total, at: call.u32(3))
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define(wasi, "environ_sizes_get", parameters: [.i32, .i32], results: [.i32]) { call in
            try call.memory.store(UInt32(0), at: call.u32(0))
            try call.memory.store(UInt32(0), at: call.u32(1))
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define(wasi, "proc_exit", parameters: [.i32], results: []) { call in throw Exit(code: call.i32(0)) }
        let module0 = module.module
        for imp in module0.imports where imports.lookup(imp.module, imp.name) == nil {
            guard case .function(let t) = imp.descriptor else { continue }
            let type = module0.types[Int(t)]
            imports.define(imp.module, imp.name, HostFunction(type) { call in
                if imp.name == "host_result_cap" { call.setResult(0, i32: 65536) }
                else if !type.results.isEmpty { call.setResult(0, i32: 52) } // ENOSYS
                return .return
            })
        }
        let instance = try store.instantiate(module, imports: imports)
        do {
            _ = try store.call(instance, "_start")
            return (String(decoding: out.bytes, as: UTF8.self), 0)
        } catch let trap as Trap {
            if case .hostError(let e) = trap.reason, let exit = e as? Exit {
                return (String(decoding: out.bytes, as: UTF8.self), exit.code)
            }
            throw trap
        }
    }

    @Test func printsOne() throws {
        let result = try Self.run("print(1)")
        #expect(result.output == "1\n")
        #expect(result.exit == 0)
    }

    @Test func computes() throws {
        let result = try Self.run("print(sum(i*i for i in range(1000)), 2**100, 'x'*3, [1,2][::-1])")
        #expect(result.output == "332833500 1267650600228229401496703205376 xxx [2, 1]\n")
    }

    @Test func raisesWithTraceback() throws {
        let result = try Self.run("def f():\n  raise ValueError('bad')\nf()")
        #expect(result.exit == 1)
        #expect(result.output.contains("ValueError: bad"))
    }
}
