// The validation context C: a module's index spaces, imports first.
// https://webassembly.github.io/spec/core/valid/conventions.html#contexts

/// A module's index spaces with imported items first, as validation and lowering see them.
struct ModuleContext: Sendable {
    /// The type section.
    let types: [FunctionType]
    /// Type index of every function (imports first).
    let functionTypeIndices: [UInt32]
    /// Every table (imports first).
    let tables: [TableType]
    /// Every memory (imports first).
    let memories: [MemoryType]
    /// Every global (imports first).
    let globals: [GlobalType]
    /// Number of imported globals.
    let importedGlobalCount: Int
    /// Type index of every tag (imports first).
    let tagTypeIndices: [UInt32]
    /// The reference type of every element segment.
    let elementTypes: [ValueType]
    /// The data count section's value, if present.
    let dataCount: UInt32?
    /// Functions that may be referenced with `ref.func` inside bodies (C.refs).
    let declaredFunctionReferences: Set<UInt32>
    /// Number of imported functions.
    let importedFunctionCount: Int

    init(_ m: Module) {
        types = m.types
        functionTypeIndices = m.importedFunctionTypes + m.functionTypeIndices
        tables = m.importedTables + m.tables
        memories = m.importedMemories + m.memories
        let imported = m.importedGlobals
        globals = imported + m.globals.map(\.type)
        importedGlobalCount = imported.count
        tagTypeIndices = m.importedTags + m.tagTypeIndices
        elementTypes = m.elements.map(\.type)
        dataCount = m.dataCount
        importedFunctionCount = m.importedFunctionCount
        var refs = Set<UInt32>()
        func collect(_ e: ConstExpression) {
            for i in e.instructions { if case .refFunc(let f) = i { refs.insert(f) } }
        }
        for g in m.globals { collect(g.initializer) }
        for s in m.elements { s.items.forEach(collect) }
        for e in m.exports where e.kind == .function { refs.insert(e.index) }
        declaredFunctionReferences = refs
    }

    /// The function type of function `index`, if it exists.
    @inline(__always)
    func functionType(_ index: UInt32) -> FunctionType? {
        guard Int(index) < functionTypeIndices.count else { return nil }
        let t = Int(functionTypeIndices[Int(index)])
        return t < types.count ? types[t] : nil
    }

    /// The parameter types of tag `index`, if it exists.
    func tagType(_ index: UInt32) -> FunctionType? {
        guard Int(index) < tagTypeIndices.count else { return nil }
        let t = Int(tagTypeIndices[Int(index)])
        return t < types.count ? types[t] : nil
    }
}
