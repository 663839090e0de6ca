// Inert stand-ins for every import a module asks for, so any valid module can be instantiated:
// functions that return zeros (or nulls), zero-valued globals, memories and tables with the
// import's own limits, and fresh tags of the import's type.

import WasmInterpreter

/// The zero value of a type: 0, +0.0 or null.
public func zeroValue(_ type: ValueType) -> Value {
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

/// Builds stub imports for modules under test.
public enum StubImports {
    /// Imports satisfying each of `module`'s imports in `store`, or nil when one cannot be
    /// satisfied within `limits` (a memory or table import larger than the harness allows).
    public static func make(for module: Module, in store: Store, limits: HarnessLimits) -> Imports? {
        var imports = Imports()
        var globals: [String: (GlobalType, Value)] = [:]
        var memories: [String: MemoryType] = [:]
        var tables: [String: TableType] = [:]
        var tagTypes: [FunctionType] = []
        var hostNames: [(module: String, name: String, key: String)] = []
        var tagNames: [(module: String, name: String, index: Int)] = []

        for (i, imp) in module.imports.enumerated() {
            let key = "i\(i)"
            switch imp.descriptor {
            case .function(let typeIndex):
                let type = module.types[Int(typeIndex)]
                let results = type.results
                imports.define(imp.module, imp.name, HostFunction(type) { call in
                    for (r, t) in results.enumerated() { call.setResult(r, zeroValue(t)) }
                    return .return
                })
            case .global(let type):
                globals[key] = (type, zeroValue(type.valueType))
                hostNames.append((imp.module, imp.name, key))
            case .memory(let type):
                guard type.limits.min <= UInt64(limits.maxMemoryBytes / wasmPageSize) else { return nil }
                memories[key] = type
                hostNames.append((imp.module, imp.name, key))
            case .table(let type):
                guard type.limits.min <= UInt64(limits.maxTableElements) else { return nil }
                tables[key] = type
                hostNames.append((imp.module, imp.name, key))
            case .tag(let typeIndex):
                tagTypes.append(module.types[Int(typeIndex)])
                tagNames.append((imp.module, imp.name, tagTypes.count - 1))
            }
        }
        if !hostNames.isEmpty {
            let host = store.makeHostInstance(globals: globals, memories: memories, tables: tables)
            for h in hostNames {
                guard let value = store.export(host, h.key) else { return nil }
                imports.define(h.module, h.name, value)
            }
        }
        if !tagTypes.isEmpty {
            guard let compiled = try? CompiledModule(bytes: tagModule(tagTypes)),
                  let instance = try? store.instantiate(compiled) else { return nil }
            for t in tagNames {
                guard let value = store.export(instance, "t\(t.index)") else { return nil }
                imports.define(t.module, t.name, value)
            }
        }
        return imports
    }

    /// A module that defines and exports one tag per type, as `t0`, `t1`...
    static func tagModule(_ types: [FunctionType]) -> [UInt8] {
        var typeSection: [UInt8] = leb(types.count)
        for t in types {
            typeSection.append(0x60)
            typeSection += leb(t.parameters.count) + t.parameters.map(\.rawValue)
            typeSection += leb(t.results.count) + t.results.map(\.rawValue)
        }
        var tagSection: [UInt8] = leb(types.count)
        for i in types.indices { tagSection += [0x00] + leb(i) }
        var exportSection: [UInt8] = leb(types.count)
        for i in types.indices {
            let name = Array("t\(i)".utf8)
            exportSection += leb(name.count) + name + [0x04] + leb(i)
        }
        var bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        for (id, payload) in [(UInt8(1), typeSection), (13, tagSection), (7, exportSection)] {
            bytes.append(id)
            bytes += leb(payload.count) + payload
        }
        return bytes
    }

    static func leb(_ value: Int) -> [UInt8] {
        var v = UInt64(value)
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }
}
