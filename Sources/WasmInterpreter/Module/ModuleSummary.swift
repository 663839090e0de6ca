// What a module contains, for `sandpiper inspect`: counts, sizes, imports, exports, features.

/// A description of a module's contents.
public struct ModuleSummary: Sendable {
    /// The binary's size in bytes.
    public var byteCount: Int
    /// Imports as `module.name: kind type`.
    public var imports: [String]
    /// Exports as `name: kind index`.
    public var exports: [String]
    /// Item counts by kind, in a fixed order.
    public var counts: [(kind: String, count: Int)]
    /// Section sizes by name, in section order.
    public var sectionSizes: [(name: String, bytes: Int)]
    /// Custom section names.
    public var customSections: [String]
    /// Post-MVP features the module uses.
    public var features: [String]
    /// Total instructions bytes in function bodies.
    public var codeBytes: Int

    static let sectionNames: [UInt8: String] = [1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
                                                6: "global", 7: "export", 8: "start", 9: "element", 10: "code",
                                                11: "data", 12: "datacount", 13: "tag"]
    static let sectionOrder: [UInt8] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]

    /// Summarises a validated module.
    public init(_ compiled: CompiledModule) {
        let m = compiled.module
        let c = compiled.context
        byteCount = m.bytes.count
        imports = m.imports.map { i in
            let what: String
            switch i.descriptor {
            case .function(let t): what = "func \(m.types[Int(t)])"
            case .table(let t): what = "table \(t.elementType) \(t.limits)"
            case .memory(let t): what = "memory \(t.limits) pages"
            case .global(let t): what = "global \(t.isMutable ? "mut " : "")\(t.valueType)"
            case .tag(let t): what = "tag \(m.types[Int(t)])"
            }
            return "\(i.module).\(i.name): \(what)"
        }
        exports = m.exports.map { e in
            var text = "\(e.name): \(e.kind) \(e.index)"
            if e.kind == .function, let t = c.functionType(e.index) { text += " \(t)" }
            return text
        }
        counts = [
            ("types", m.types.count),
            ("imported functions", c.importedFunctionCount),
            ("defined functions", m.functionTypeIndices.count),
            ("tables", c.tables.count),
            ("memories", c.memories.count),
            ("globals", c.globals.count),
            ("tags", c.tagTypeIndices.count),
            ("element segments", m.elements.count),
            ("data segments", m.data.count),
            ("exports", m.exports.count),
        ]
        sectionSizes = Self.sectionOrder.compactMap { id in m.sectionSizes[id].map { (Self.sectionNames[id]!, $0) } }
        customSections = m.customSections.map(\.name)
        codeBytes = m.bodies.reduce(0) { $0 + $1.code.count }

        // Features: opcodes used, plus signature- and import-level features.
        var feature = Set<String>()
        let seen = UnsafeMutablePointer<Bool>.make(0x200, false)
        defer { seen.deallocate() }
        m.bytes.withUnsafeBufferPointer { buffer in
            for body in m.bodies {
                var r = ByteReader(base: buffer.baseAddress!, count: buffer.count, offset: body.code.lowerBound)
                try? BodyScanner.scan(&r, dataCount: m.dataCount, seen: seen)
            }
        }
        for op in WasmOpcode.allCases where seen[Int(op.rawValue)] {
            if let f = op.feature { feature.insert(f) }
        }
        if m.types.contains(where: { $0.results.count > 1 }) { feature.insert("multi-value") }
        if m.imports.contains(where: { if case .global(let g) = $0.descriptor { return g.isMutable } else { return false } })
            || m.globals.enumerated().contains(where: { i, g in
                g.type.isMutable && m.exports.contains { $0.kind == .global && Int($0.index) == c.importedGlobalCount + i }
            }) {
            feature.insert("mutable globals")
        }
        if !c.tagTypeIndices.isEmpty { feature.insert("exception handling") }
        if m.dataCount != nil { feature.insert("bulk memory") }
        if m.types.contains(where: { $0.parameters.contains(where: \.isReference) || $0.results.contains(where: \.isReference) })
            || m.tables.count + m.importedTables.count > 1 {
            feature.insert("reference types")
        }
        features = feature.sorted()
    }
}
