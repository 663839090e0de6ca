// Instantiation: linking imports, allocating the instance, running segments and start.
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation

/// Where an instance's items live in the store (Swift-side bookkeeping; not used by the loop).
struct InstanceInfo {
    var tables: [Int] = []
    var memories: [Int] = []
    var globals: [Int] = []
    var tags: [Int] = []
    var functionTypes: [FunctionType] = []
}

extension Store {
    /// Encodes a reference to function `index` of instance `instance`.
    @inline(__always)
    static func functionReference(instance: Int, index: Int) -> UInt64 {
        UInt64(instance + 1) << 32 | UInt64(UInt32(truncatingIfNeeded: index))
    }

    /// Instantiates `module` with `imports`: links, allocates, initialises segments and runs
    /// the start function.
    public func instantiate(_ module: CompiledModule, imports: Imports = Imports()) throws(InstantiationError) -> Instance {
        let m = module.module
        let c = module.context
        var info = InstanceInfo()
        info.functionTypes = c.functionTypeIndices.map { m.types[Int($0)] }

        // 1. Resolve imports.
        var importedFunctions: [FunctionRecord?] = []   // nil: a host function to add
        var importedHost: [(HostFunction, String, String)] = []
        for imp in m.imports {
            guard let value = imports.lookup(imp.module, imp.name) else {
                throw .unknownImport(module: imp.module, name: imp.name)
            }
            func incompatible(_ why: String) -> InstantiationError {
                .incompatibleImportType(module: imp.module, name: imp.name, reason: why)
            }
            switch (imp.descriptor, value) {
            case (.function(let t), .hostFunction(let h)):
                guard h.type == m.types[Int(t)] else { throw incompatible("host function is \(h.type), import needs \(m.types[Int(t)])") }
                importedFunctions.append(nil)
                importedHost.append((h, imp.module, imp.name))
            case (.function(let t), .function(let inst, let index)):
                let record = instances[inst.index].pointee.functions[index]
                guard record.typeID == module.typeIDs[Int(t)] else {
                    throw incompatible("function type differs (needs \(m.types[Int(t)]))")
                }
                importedFunctions.append(record)
            case (.table(let tt), .table(let index)):
                let t = tables[index].pointee
                guard t.elementType == tt.elementType else { throw incompatible("table holds \(t.elementType), import needs \(tt.elementType)") }
                guard Limits(min: UInt64(t.count), max: tableMaxima[index]).matches(tt.limits) else {
                    throw incompatible("table limits \(Limits(min: UInt64(t.count), max: tableMaxima[index])) do not match \(tt.limits)")
                }
                info.tables.append(index)
            case (.memory(let mt), .memory(let index)):
                let pages = UInt64(memories[index].pointee.byteCount / wasmPageSize)
                guard Limits(min: pages, max: memoryMaxima[index]).matches(mt.limits) else {
                    throw incompatible("memory limits \(Limits(min: pages, max: memoryMaxima[index])) do not match \(mt.limits)")
                }
                info.memories.append(index)
            case (.global(let gt), .global(let index)):
                guard globalCells[index].type == gt else {
                    throw incompatible("global is \(globalCells[index].type), import needs \(gt)")
                }
                info.globals.append(index)
            case (.tag(let t), .tag(let index)):
                guard tagTypes[index] == m.types[Int(t)] else { throw incompatible("tag type differs") }
                info.tags.append(index)
            default:
                throw incompatible("expected a \(imp.descriptor.kind), got \(value.kindName)")
            }
        }

        // 2. Allocate the instance's own items, within the store's limits (checked before any
        // allocation, so a module cannot make the store allocate past them).
        for mt in m.memories where mt.limits.min > UInt64(configuration.maxMemoryBytes / wasmPageSize) {
            throw .limitExceeded("a memory of \(mt.limits.min) pages is larger than the store's limit of \(configuration.maxMemoryBytes) bytes (StoreConfiguration.maxMemoryBytes)")
        }
        for t in m.tables where t.limits.min > UInt64(configuration.maxTableElements) {
            throw .limitExceeded("a table of \(t.limits.min) elements is larger than the store's limit of \(configuration.maxTableElements) (StoreConfiguration.maxTableElements)")
        }
        for t in m.tables { info.tables.append(makeTable(t)) }
        for mt in m.memories { info.memories.append(makeMemory(mt)) }
        for t in m.tagTypeIndices { info.tags.append(makeTag(m.types[Int(t)])) }

        let instanceIndex = instances.count
        let ctx = UnsafeMutablePointer<InstanceContext>.allocate(capacity: 1)
        let functionCount = c.functionTypeIndices.count
        let functions = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: max(functionCount, 1))
        let globalCount = c.globals.count
        let globalPointers = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>.allocate(capacity: max(globalCount, 1))
        let tablePointers = UnsafeMutablePointer<UnsafeMutablePointer<TableStorage>>.allocate(capacity: max(info.tables.count, 1))
        for (i, t) in info.tables.enumerated() { tablePointers[i] = tables[t] }
        let elementStates = UnsafeMutablePointer<ElementSegmentState>.make(m.elements.count, ElementSegmentState(items: nil, count: 0))
        let dataStates = UnsafeMutablePointer<DataSegmentState>.make(m.data.count, DataSegmentState(bytes: nil, count: 0))
        let tagIDs = UnsafeMutablePointer<UInt32>.make(info.tags.count, 0)
        for (i, t) in info.tags.enumerated() { tagIDs[i] = UInt32(t) }
        ctx.initialize(to: InstanceContext(
            functions: functions, functionCount: functionCount,
            globals: globalPointers, globalCount: globalCount,
            memory: info.memories.first.map { memories[$0] },
            tables: tablePointers, tableCount: info.tables.count,
            elements: elementStates, elementCount: m.elements.count,
            data: dataStates, dataCount: m.data.count,
            tags: tagIDs, tagCount: info.tags.count, index: instanceIndex))

        // Function records.
        var hostCursor = 0
        for (i, imported) in importedFunctions.enumerated() {
            if let record = imported {
                functions.advanced(by: i).initialize(to: record)
            } else {
                let (h, moduleName, fieldName) = importedHost[hostCursor]
                hostCursor += 1
                let hostIndex = hostFunctions.append(h, module: moduleName, name: fieldName)
                functions.advanced(by: i).initialize(to: FunctionRecord(
                    code: nil, frameSize: max(h.type.parameters.count, h.type.results.count),
                    parameterCount: h.type.parameters.count, zeroEnd: h.type.parameters.count,
                    resultCount: h.type.results.count, typeID: TypeRegistry.shared.id(of: h.type),
                    hostIndex: hostIndex, instance: ctx, definedIndex: -1, functionIndex: i,
                    lowered: nil, module: nil, hook: -1))
            }
        }
        let importedCount = importedFunctions.count
        for d in 0..<m.functionTypeIndices.count {
            let t = m.types[Int(m.functionTypeIndices[d])]
            functions.advanced(by: importedCount + d).initialize(to: FunctionRecord(
                code: nil, frameSize: 0, parameterCount: t.parameters.count, zeroEnd: t.parameters.count,
                resultCount: t.results.count, typeID: module.typeIDs[Int(m.functionTypeIndices[d])],
                hostIndex: -1, instance: ctx, definedIndex: d, functionIndex: importedCount + d,
                lowered: nil, module: Unmanaged.passUnretained(module), hook: -1))
        }

        // Register the instance now so references to its functions resolve.
        instances.append(ctx)
        if instances.count > instanceTableCapacity {
            let bigger = UnsafeMutablePointer<UnsafeMutablePointer<InstanceContext>>.allocate(capacity: instanceTableCapacity * 2)
            bigger.update(from: instanceTable, count: instanceTableCapacity)
            instanceTable.deallocate()
            instanceTable = bigger
            instanceTableCapacity *= 2
        }
        instanceTable[instanceIndex] = ctx
        modules.append(module)

        // Globals: imported cells first, then evaluated initialisers.
        for (i, g) in info.globals.enumerated() { globalPointers[i] = globalCells[g].cell }
        for (d, g) in m.globals.enumerated() {
            let bits = evaluate(g.initializer, ctx: ctx)
            let index = makeGlobal(g.type, bits: bits)
            info.globals.append(index)
            globalPointers[info.globals.count - 1] = globalCells[index].cell
            _ = d
        }

        // Segments.
        for (i, segment) in m.elements.enumerated() {
            if case .declarative = segment.mode { continue }
            let items = UnsafeMutablePointer<UInt64>.make(segment.items.count, 0)
            for (k, item) in segment.items.enumerated() { items[k] = evaluate(item, ctx: ctx) }
            elementStates[i] = ElementSegmentState(items: items, count: segment.items.count)
        }
        let bytes = module.stableBytes
        for (i, segment) in m.data.enumerated() {
            dataStates[i] = DataSegmentState(bytes: UnsafePointer(bytes + segment.bytes.lowerBound), count: segment.bytes.count)
        }

        // Exports.
        var exports: [ExportKey: ExternalValue] = [:]
        let handle = Instance(index: instanceIndex)
        for e in m.exports {
            let value: ExternalValue
            switch e.kind {
            case .function: value = .function(handle, index: Int(e.index))
            case .table: value = .table(info.tables[Int(e.index)])
            case .memory: value = .memory(info.memories[Int(e.index)])
            case .global: value = .global(info.globals[Int(e.index)])
            case .tag: value = .tag(info.tags[Int(e.index)])
            }
            exports[ExportKey(e.name)] = value
        }
        exportTables.append(exports)
        instanceInfos.append(info)

        // 3. Active segments, in order, then the start function.
        do throws(Trap) {
            for (i, segment) in m.elements.enumerated() {
                switch segment.mode {
                case .active(let table, let offset):
                    let start = UInt32(truncatingIfNeeded: evaluate(offset, ctx: ctx))
                    try tableInit(ctx: ctx, table: Int(table), segment: i, destination: start, source: 0,
                                  count: UInt32(segment.items.count))
                    dropElement(ctx: ctx, segment: i)
                case .declarative:
                    dropElement(ctx: ctx, segment: i)
                case .passive:
                    break
                }
            }
            for (i, segment) in m.data.enumerated() {
                if case .active(_, let offset) = segment.mode {
                    let start = UInt32(truncatingIfNeeded: evaluate(offset, ctx: ctx))
                    try memoryInit(ctx: ctx, segment: i, destination: start, source: 0, count: UInt32(segment.bytes.count))
                    ctx.pointee.data[i] = DataSegmentState(bytes: nil, count: 0)
                }
            }
            if let start = m.start {
                switch try invoke(handle, functionIndex: Int(start), []) {
                case .finished: break
                case .suspended: throw Trap(.invalidInvocation("the start function suspended"))
                case .outOfFuel: throw Trap(.outOfFuel)
                }
            }
        } catch {
            throw .trap(error)
        }
        return handle
    }

    /// Evaluates a validated constant expression.
    func evaluate(_ e: ConstExpression, ctx: UnsafeMutablePointer<InstanceContext>) -> UInt64 {
        var value: UInt64 = 0
        for instruction in e.instructions {
            switch instruction {
            case .i32Const(let v): value = UInt64(UInt32(bitPattern: v))
            case .i64Const(let v): value = UInt64(bitPattern: v)
            case .f32Const(let v): value = UInt64(v)
            case .f64Const(let v): value = v
            case .refNull: value = 0
            case .refFunc(let f): value = Store.functionReference(instance: ctx.pointee.index, index: Int(f))
            case .globalGet(let g): value = ctx.pointee.globals[Int(g)].pointee
            case .nonConstant: value = 0
            }
        }
        return value
    }

    /// Creates an instance with no module whose exports are host-made items (e.g. `spectest`).
    public func makeHostInstance(functions: [String: HostFunction] = [:],
                                 globals: [String: (GlobalType, Value)] = [:],
                                 memories: [String: MemoryType] = [:],
                                 tables: [String: TableType] = [:]) -> Instance {
        var imports = Imports()
        var exportNames: [(String, ExternalKind)] = []
        var moduleImports: [Import] = []
        var types: [FunctionType] = []
        for (name, f) in functions.sorted(by: { $0.key < $1.key }) {
            imports.define("host", name, .hostFunction(f))
            types.append(f.type)
            moduleImports.append(Import(module: "host", name: name, descriptor: .function(typeIndex: UInt32(types.count - 1))))
            exportNames.append((name, .function))
        }
        var exports: [ExportKey: ExternalValue] = [:]
        for (name, (type, value)) in globals { exports[ExportKey(name)] = .global(makeGlobal(type, bits: value.bits)) }
        for (name, type) in memories {
            let index = makeMemory(type)
            exports[ExportKey(name)] = .memory(index)
        }
        for (name, type) in tables {
            let index = makeTable(type)
            exports[ExportKey(name)] = .table(index)
        }
        // The functions come from a tiny module that imports and re-exports them.
        var m = Module(bytes: [])
        m.types = types
        m.imports = moduleImports
        m.exports = exportNames.enumerated().map { Export(name: $0.element.0, kind: .function, index: UInt32($0.offset)) }
        // A module of imports and exports only is always valid and cannot trap.
        let compiled = try! CompiledModule(module: m)
        let instance = try! instantiate(compiled, imports: imports)
        for (k, v) in exports { exportTables[instance.index][k] = v }
        return instance
    }
}

extension ExternalValue {
    /// The kind's name, for error messages.
    var kindName: String {
        switch self {
        case .function, .hostFunction: return "func"
        case .table: return "table"
        case .memory: return "memory"
        case .global: return "global"
        case .tag: return "tag"
        }
    }
}
