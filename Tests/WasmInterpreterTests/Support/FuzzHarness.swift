import Foundation
@testable import WasmInterpreter

/// The module harness of `Fuzz/Sources/FuzzSupport` (stub imports; every export called with
/// zero, then simple, arguments under fuel; a metered and an unmetered run compared), repeated
/// here so fuzz regressions run as ordinary tests without the Fuzz package.
enum FuzzHarness {
    static let fuelPerCall: Int64 = 10_000
    static let maxMemoryBytes = 16 << 20
    static let maxTableElements = 100_000

    /// The files kept under `Fuzz/Regressions/<target>/` (`.wasm` or any data file; not notes).
    static func regressions(_ target: String) -> [URL] {
        let folder = TestPaths.packageRoot.appendingPathComponent("Fuzz/Regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") && !$0.hasSuffix(".json") && !$0.hasSuffix(".wat") }
            .sorted().map { folder.appendingPathComponent($0) }
    }

    static func hasRegressions(_ target: String) -> Bool { !regressions(target).isEmpty }

    static func zero(_ type: ValueType) -> Value {
        switch type {
        case .i32: return .i32(0)
        case .i64: return .i64(0)
        case .f32: return .f32(0)
        case .f64: return .f64(0)
        case .funcref: return .funcref(nil)
        case .externref: return .externref(nil)
        case .exnref: return .exnref(nil)
        }
    }

    static func simple(_ type: ValueType, variant: Int) -> Value {
        let ints: [UInt64] = [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 7, 0x7FFF_FFFF, 0x8000_0000, 65536, 0x8000_0000_0000_0000]
        let floats: [Double] = [0, 1.5, -1, 0.5, -0.0, 1e10, 65536, .infinity]
        let i = variant % ints.count
        switch type {
        case .i32: return .i32(UInt32(truncatingIfNeeded: ints[i]))
        case .i64: return .i64(ints[i])
        case .f32: return .f32(Float(floats[i]).bitPattern)
        case .f64: return .f64(floats[i].bitPattern)
        default: return zero(type)
        }
    }

    /// Stub imports: zero-returning functions, zero globals, memories and tables with the
    /// import's limits, fresh tags. Nil when an import is beyond the harness limits.
    static func stubImports(for module: Module, in store: Store) -> Imports? {
        var imports = Imports()
        var globals: [String: (GlobalType, Value)] = [:]
        var memories: [String: MemoryType] = [:]
        var tables: [String: TableType] = [:]
        var hostNames: [(String, String, String)] = []
        var tagTypes: [FunctionType] = []
        var tagNames: [(String, String, Int)] = []
        for (i, imp) in module.imports.enumerated() {
            let key = "i\(i)"
            switch imp.descriptor {
            case .function(let t):
                let type = module.types[Int(t)]
                imports.define(imp.module, imp.name, HostFunction(type) { call in
                    for (r, rt) in type.results.enumerated() { call.setResult(r, zero(rt)) }
                    return .return
                })
            case .global(let g): globals[key] = (g, zero(g.valueType)); hostNames.append((imp.module, imp.name, key))
            case .memory(let mt):
                guard mt.limits.min <= UInt64(maxMemoryBytes / wasmPageSize) else { return nil }
                memories[key] = mt; hostNames.append((imp.module, imp.name, key))
            case .table(let tt):
                guard tt.limits.min <= UInt64(maxTableElements) else { return nil }
                tables[key] = tt; hostNames.append((imp.module, imp.name, key))
            case .tag(let t): tagTypes.append(module.types[Int(t)]); tagNames.append((imp.module, imp.name, tagTypes.count - 1))
            }
        }
        if !hostNames.isEmpty {
            let host = store.makeHostInstance(globals: globals, memories: memories, tables: tables)
            for (m, n, key) in hostNames {
                guard let v = store.export(host, key) else { return nil }
                imports.define(m, n, v)
            }
        }
        if !tagTypes.isEmpty {
            var tagModule = Module(bytes: [])
            tagModule.types = tagTypes
            tagModule.tagTypeIndices = tagTypes.indices.map { UInt32($0) }
            tagModule.exports = tagTypes.indices.map { Export(name: "t\($0)", kind: .tag, index: UInt32($0)) }
            guard let compiled = try? CompiledModule(module: tagModule), let instance = try? store.instantiate(compiled) else { return nil }
            for (m, n, i) in tagNames {
                guard let v = store.export(instance, "t\(i)") else { return nil }
                imports.define(m, n, v)
            }
        }
        return imports
    }

    /// A store with the harness limits, the module instantiated in it (or why not).
    static func instantiate(_ compiled: CompiledModule, metering: Bool) -> (Store, Instance?, String?) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        configuration.maxMemoryBytes = maxMemoryBytes
        configuration.maxTableElements = maxTableElements
        configuration.maxCallDepth = 300
        configuration.valueStackSlots = 1 << 16
        let store = Store(configuration: configuration)
        store.fuel = metering ? fuelPerCall : Int64.max
        guard let imports = stubImports(for: compiled.module, in: store) else { return (store, nil, "unlinkable") }
        store.deadline = metering ? nil : ContinuousClock.now + .seconds(10)
        defer { store.deadline = nil }
        do {
            return (store, try store.instantiate(compiled, imports: imports), nil)
        } catch {
            if store.hasSuspendedExecution { store.abandonSuspendedExecution() }
            if case .trap(let t) = error { return (store, nil, "trap: \(t.reason)") }
            return (store, nil, "\(error)")
        }
    }

    /// How one call ended, as text (`returned [...]`, the trap, `out of fuel`).
    static func call(_ store: Store, _ instance: Instance, _ name: String, _ arguments: [Value], metering: Bool) -> String {
        if metering { store.fuel = fuelPerCall }
        store.deadline = metering ? nil : ContinuousClock.now + .seconds(10)
        defer { store.deadline = nil }
        do {
            switch try store.invoke(instance, name, arguments) {
            case .finished(let values): return "returned \(values)"
            case .outOfFuel: store.abandonSuspendedExecution(); return "out of fuel"
            case .suspended: store.abandonSuspendedExecution(); return "suspended"
            }
        } catch {
            return "trap: \(error.reason)"
        }
    }

    /// Runs `bytes` as `fuzz-run` does; returns a description of a disagreement between the
    /// metered and the unmetered run, or nil when there is none (or the module is invalid).
    static func runAndCompare(_ bytes: [UInt8]) -> String? {
        guard let compiled = try? CompiledModule(bytes: bytes) else { return nil }
        let (metered, meteredInstance, meteredFailure) = instantiate(compiled, metering: true)
        var plain: (Store, Instance)?
        if let meteredFailure, meteredFailure.contains("out of fuel") || meteredFailure.contains("call stack") {
            plain = nil
        } else {
            let (store, instance, failure) = instantiate(compiled, metering: false)
            if failure != meteredFailure { return "instantiation differs: \(meteredFailure ?? "ok") vs \(failure ?? "ok")" }
            if let instance { plain = (store, instance) }
        }
        guard let meteredInstance else { return nil }
        var calls = 0
        for round in 0..<2 {
            for (name, type) in compiled.exportedFunctions {
                guard calls < 48 else { break }
                calls += 1
                let arguments = type.parameters.map { simple($0, variant: round == 0 ? 0 : calls) }
                let a = call(metered, meteredInstance, name, arguments, metering: true)
                guard let (store, instance) = plain else { continue }
                if a == "out of fuel" || a.contains("call stack") { plain = nil; continue }
                let b = call(store, instance, name, arguments, metering: false)
                if b.contains("call stack") { plain = nil; continue }
                if a != b { return "\(name)\(arguments): metered \(a), unmetered \(b)" }
            }
        }
        return nil
    }
}
