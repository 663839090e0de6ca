// sandpiper-diff MODULE.wasm CALLS.json: the Sandpiper side of `differential.py`.
// sandpiper-diff --describe MODULE.wasm: the module's imports and exports with their types, as
// JSON (so the caller can choose calls and build matching stub imports for another engine).
//
// CALLS.json: {"fuel": N, "max_memory_bytes": N, "max_table_elements": N, "max_call_depth": N,
//              "groups": [{"calls": [{"name": "f", "args": [{"type": "i32", "bits": "7"}]}]}]}
// Each group runs on a fresh instance (imports are stubs: functions returning zeros, zero
// globals, memories and tables with the import's limits, fresh tags). Prints one JSON object:
// {"compile": "ok" | "malformed: ..." | "invalid: ...",
//  "groups": [{"instantiate": "ok" | "unlinkable" | "trap:KIND",
//              "calls": [{"result": [{"type": "i32", "bits": "7"}]} | {"trap": KIND} | {"fuel": true} | {"notrun": why}],
//              "memories": [{"name": n, "size": bytes, "hash": "crc32"}], "globals": [{"name": n, "type": t, "bits": b}]}]}
// Float bits are exact; references are "null" or "ref".

import Foundation
import FuzzSupport
import WasmInterpreter

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sandpiper-diff: \(message)\n".utf8))
    exit(2)
}

func encode(_ v: Value) -> [String: Any] {
    switch v {
    case .i32(let b): return ["type": "i32", "bits": String(b)]
    case .i64(let b): return ["type": "i64", "bits": String(b)]
    case .f32(let b): return ["type": "f32", "bits": String(b)]
    case .f64(let b): return ["type": "f64", "bits": String(b)]
    case .funcref(let r): return ["type": "funcref", "bits": r == nil ? "null" : "ref"]
    case .externref(let r): return ["type": "externref", "bits": r == nil ? "null" : "ref"]
    case .exnref(let r): return ["type": "exnref", "bits": r == nil ? "null" : "ref"]
    }
}

func decode(_ json: [String: Any]) -> Value? {
    guard let type = json["type"] as? String, let bits = json["bits"] as? String else { return nil }
    let n = UInt64(bits) ?? 0
    switch type {
    case "i32": return .i32(UInt32(truncatingIfNeeded: n))
    case "i64": return .i64(n)
    case "f32": return .f32(UInt32(truncatingIfNeeded: n))
    case "f64": return .f64(n)
    case "funcref": return .funcref(nil)
    case "externref": return bits == "null" ? .externref(nil) : .externref(n)
    case "exnref": return .exnref(nil)
    default: return nil
    }
}

func limitsJSON(_ l: Limits) -> [String: Any] { ["min": Int(l.min), "max": l.max.map { Int($0) } as Any? ?? NSNull()] }

func describe(_ path: String) -> Never {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    var output: [String: Any] = [:]
    do {
        let compiled = try CompiledModule(bytes: [UInt8](data))
        let m = compiled.module
        output["compile"] = "ok"
        output["imports"] = m.imports.map { i -> [String: Any] in
            var e: [String: Any] = ["module": i.module, "name": i.name]
            switch i.descriptor {
            case .function(let t):
                e["kind"] = "func"
                e["params"] = m.types[Int(t)].parameters.map(\.description)
                e["results"] = m.types[Int(t)].results.map(\.description)
            case .global(let g): e["kind"] = "global"; e["type"] = g.valueType.description; e["mutable"] = g.isMutable
            case .memory(let mt): e["kind"] = "memory"; e.merge(limitsJSON(mt.limits)) { $1 }
            case .table(let tt): e["kind"] = "table"; e["element"] = tt.elementType.description; e.merge(limitsJSON(tt.limits)) { $1 }
            case .tag(let t): e["kind"] = "tag"; e["params"] = m.types[Int(t)].parameters.map(\.description)
            }
            return e
        }
        let globalTypes = m.importedGlobals + m.globals.map(\.type)
        let functionTypes = Dictionary(compiled.exportedFunctions.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        output["exports"] = m.exports.map { x -> [String: Any] in
            var e: [String: Any] = ["name": x.name, "kind": x.kind.description]
            switch x.kind {
            case .function:
                e["params"] = functionTypes[x.name]?.parameters.map(\.description) ?? []
                e["results"] = functionTypes[x.name]?.results.map(\.description) ?? []
            case .global: e["type"] = globalTypes[Int(x.index)].valueType.description
            default: break
            }
            return e
        }
    } catch {
        output["compile"] = "\(error)"
    }
    let json = try! JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
    FileHandle.standardOutput.write(json + Data("\n".utf8))
    exit(0)
}

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "--describe" { describe(arguments[2]) }
guard arguments.count == 3 else { fail("usage: sandpiper-diff MODULE.wasm CALLS.json | sandpiper-diff --describe MODULE.wasm") }
guard let moduleData = FileManager.default.contents(atPath: arguments[1]) else { fail("cannot read \(arguments[1])") }
guard let callsData = FileManager.default.contents(atPath: arguments[2]),
      let spec = (try? JSONSerialization.jsonObject(with: callsData)) as? [String: Any] else {
    fail("cannot read \(arguments[2]) as a JSON object")
}

var limits = HarnessLimits()
if let n = spec["fuel"] as? Int { limits.fuelPerCall = Int64(n) }
if let n = spec["max_memory_bytes"] as? Int { limits.maxMemoryBytes = n }
if let n = spec["max_table_elements"] as? Int { limits.maxTableElements = n }
if let n = spec["max_call_depth"] as? Int { limits.maxCallDepth = n }
if let n = spec["value_stack_slots"] as? Int { limits.valueStackSlots = n }

var output: [String: Any] = [:]
let compiled: CompiledModule
do {
    compiled = try CompiledModule(bytes: [UInt8](moduleData))
    output["compile"] = "ok"
} catch {
    switch error {
    case .malformed(let e): output["compile"] = "malformed: \(e)"
    case .invalid(let e): output["compile"] = "invalid: \(e)"
    }
    let json = try! JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
    FileHandle.standardOutput.write(json + Data("\n".utf8))
    exit(0)
}

var groups: [[String: Any]] = []
for group in spec["groups"] as? [[String: Any]] ?? [] {
    let harness = ModuleHarness(compiled, limits: limits, metering: true)
    var out: [String: Any] = ["instantiate": harness.instantiationFailure ?? "ok"]
    var calls: [[String: Any]] = []
    if harness.instance != nil {
        for call in group["calls"] as? [[String: Any]] ?? [] {
            let name = call["name"] as? String ?? ""
            let args = (call["args"] as? [[String: Any]] ?? []).compactMap(decode)
            switch harness.call(name, args) {
            case .returned(let values): calls.append(["result": values.map(encode)])
            case .trapped(let kind): calls.append(["trap": kind])
            case .outOfFuel: calls.append(["fuel": true])
            case .notRun(let why): calls.append(["notrun": why])
            }
        }
    }
    out["calls"] = calls
    out["memories"] = harness.memoryDigests().map { ["name": $0.name, "size": $0.size, "hash": String($0.digest)] as [String: Any] }
    out["globals"] = harness.globalValues().map { g -> [String: Any] in
        var e = encode(g.value)
        e["name"] = g.name
        return e
    }
    groups.append(out)
}
output["groups"] = groups
let json = try! JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
FileHandle.standardOutput.write(json + Data("\n".utf8))
