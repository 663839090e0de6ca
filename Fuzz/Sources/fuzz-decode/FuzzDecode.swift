// libFuzzer target (a): decode and validate arbitrary bytes, then lower every function with and
// without fuel metering and summarise the module. Any error is fine; a crash, a hang or a
// runaway allocation is a bug.

import WasmInterpreter

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    guard let compiled = try? CompiledModule(bytes: bytes) else { return 0 }
    _ = ModuleSummary(compiled)
    let imported = compiled.module.importedFunctionCount
    for d in compiled.module.bodies.indices {
        for metering in [false, true] {
            _ = try? Disassembler.listing(compiled, functionIndex: imported + d, metering: metering)
        }
    }
    return 0
}
