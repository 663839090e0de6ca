// Host functions offered to an `Invocation`'s module. Each engine has its own host-function
// API, so an import set is one builder per engine; this is the one file that names both.
import WasmInterpreter
import WasmKit

/// The imports of a module, built for each engine's store.
struct ImportSetup: Sendable {
    /// Builds Sandpiper's imports.
    var sandpiper: @Sendable (WasmInterpreter.Store) -> WasmInterpreter.Imports
    /// Builds WasmKit's imports.
    var wasmKit: @Sendable (WasmKit.Store) -> WasmKit.Imports

    /// No imports.
    static let none = ImportSetup(sandpiper: { _ in WasmInterpreter.Imports() }, wasmKit: { _ in WasmKit.Imports() })
}

extension ImportSetup {
    /// `env.mix(i32, i32) -> i32` for Kernels/hostcall.c, written with each engine's
    /// allocation-free host-function form, so the workload measures the engines' call overhead.
    static let hostcallMix = ImportSetup(
        sandpiper: { _ in
            var imports = WasmInterpreter.Imports()
            imports.define("env", "mix", parameters: [.i32, .i32], results: [.i32]) { call in
                call.setResult(0, u32: mix(call.u32(0), call.u32(1)))
                return .return
            }
            return imports
        },
        wasmKit: { store in
            var imports = WasmKit.Imports()
            let function = WasmKit.Function(store: store, parameters: [.i32, .i32], results: [.i32]) { _, arguments, results in
                guard case .i32(let a) = arguments[0], case .i32(let b) = arguments[1] else { return }
                results[0] = .i32(mix(a, b))
            }
            imports.define(module: "env", name: "mix", function)
            return imports
        })

    /// The host side of `env.mix`; Kernels/hostcall.c documents the same formula.
    @inline(__always)
    static func mix(_ a: UInt32, _ b: UInt32) -> UInt32 {
        (a &* 31) ^ (b &+ (a >> 7))
    }
}
