// libFuzzer target (b): instantiate valid modules with stub imports and call every exported
// function (zero arguments, then simple ones) under fuel and memory limits.
//
// Two runs of each module are compared: one with fuel metering and one without (different
// lowered code), which must agree on every call that finished within the fuel, and on the
// exported memories and globals afterwards. Before the second round of calls the metered
// store is forked, and the fork must answer every call exactly as the original does. A
// difference is reported as a crash.
//
// Input: a Wasm binary, or, when SANDPIPER_FUZZ_SMITH names `wasm-tools`, a `wasm-tools smith`
// seed turned into a module with the flags in SANDPIPER_SMITH_ARGS (structure-aware fuzzing).

import Foundation
import FuzzSupport
import WasmInterpreter

let smithTool = ProcessInfo.processInfo.environment["SANDPIPER_FUZZ_SMITH"]
let smithArguments = (ProcessInfo.processInfo.environment["SANDPIPER_SMITH_ARGS"] ?? "")
    .split(separator: " ").map(String.init)
let scratch = FileManager.default.temporaryDirectory
    .appendingPathComponent("sandpiper-fuzz-run-\(ProcessInfo.processInfo.processIdentifier)")

/// Runs `wasm-tools smith` on `seed`; nil when it cannot make a module from it.
func smith(_ seed: [UInt8], tool: String) -> [UInt8]? {
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let seedFile = scratch.appendingPathComponent("seed")
    let output = scratch.appendingPathComponent("module.wasm")
    try? FileManager.default.removeItem(at: output)
    guard (try? Data(seed).write(to: seedFile)) != nil else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["smith"] + smithArguments + [seedFile.path, "-o", output.path]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    guard process.terminationStatus == 0, let data = try? Data(contentsOf: output) else { return nil }
    return [UInt8](data)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRun(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    if let smithTool {
        guard let module = smith(bytes, tool: smithTool) else { return 0 }
        bytes = module
    }
    runAndCompare(bytes)
    return 0
}

func runAndCompare(_ bytes: [UInt8]) {
    guard let compiled = try? CompiledModule(bytes: bytes) else { return }
    let limits = HarnessLimits()
    let metered = ModuleHarness(compiled, limits: limits, metering: true)
    // A start function that ran out of fuel may loop forever without metering.
    var plain: ModuleHarness?
    if metered.instantiationFailure != "trap:fuel" && metered.instantiationFailure != "trap:stack" {
        let p = ModuleHarness(compiled, limits: limits, metering: false, deadline: .seconds(10))
        if p.instantiationFailure != metered.instantiationFailure {
            fatalError("instantiation differs: metered \(metered.instantiationFailure ?? "ok"), unmetered \(p.instantiationFailure ?? "ok")")
        }
        plain = p
    }
    guard metered.instance != nil else { return }

    var calls = 0
    var fork: ModuleHarness?
    for round in 0..<2 {
        if round == 1 { fork = metered.forked() }
        for (name, type) in metered.exportedFunctions {
            guard calls < 48 else { break }
            calls += 1
            let arguments = type.parameters.map { simpleValue($0, variant: round == 0 ? 0 : calls) }
            let a = metered.call(name, arguments)
            // A fork continues exactly as the original does.
            if let f = fork {
                let c = f.call(name, arguments)
                if a != c { fatalError("a forked store differs: \(name)(\(arguments.map(\.description).joined(separator: ", "))): \(a) vs \(c)") }
            }
            guard let p = plain else { continue }
            if a == .outOfFuel || a == .trapped("stack") {
                plain = nil   // the runs' states part here
                continue
            }
            let b = p.call(name, arguments, deadline: .seconds(10))
            if b == .trapped("stack") { plain = nil; continue }
            if a != b {
                fatalError("metered and unmetered runs differ: \(name)(\(arguments.map(\.description).joined(separator: ", "))): \(a) vs \(b)")
            }
        }
    }
    if let p = plain {
        let (ma, mb) = (metered.memoryDigests(), p.memoryDigests())
        if !zip(ma, mb).allSatisfy({ $0.size == $1.size && $0.digest == $1.digest }) {
            fatalError("metered and unmetered runs leave different memories: \(ma) vs \(mb)")
        }
        let (ga, gb) = (metered.globalValues(), p.globalValues())
        if !zip(ga, gb).allSatisfy({ $0.value == $1.value }) {
            fatalError("metered and unmetered runs leave different globals: \(ga) vs \(gb)")
        }
    }
    if let f = fork {
        let (ma, mf) = (metered.memoryDigests(), f.memoryDigests())
        if !zip(ma, mf).allSatisfy({ $0.size == $1.size && $0.digest == $1.digest }) {
            fatalError("a forked store leaves different memories: \(ma) vs \(mf)")
        }
        let (ga, gf) = (metered.globalValues(), f.globalValues())
        if !zip(ga, gf).allSatisfy({ $0.value == $1.value }) {
            fatalError("a forked store leaves different globals: \(ga) vs \(gf)")
        }
    }
}
