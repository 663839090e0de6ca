// Module-level validation: index spaces, limits, constant expressions, exports, start, segments.
// https://webassembly.github.io/spec/core/valid/modules.html

/// Validates a decoded module.
public enum ModuleValidator {
    /// Largest memory, in pages (4 GiB).
    static let maxMemoryPages: UInt64 = 65536

    /// Validates `module` completely, function bodies included.
    public static func validate(_ module: Module) throws(ModuleError) {
        let context = ModuleContext(module)
        try validateStructure(module, context)
        try validateBodies(module, context)
    }

    static func fail(_ message: String) -> ModuleError { .invalid(ValidationError(message)) }

    static func validateStructure(_ m: Module, _ c: ModuleContext) throws(ModuleError) {
        func checkType(_ index: UInt32) throws(ModuleError) {
            guard Int(index) < m.types.count else { throw fail("unknown type \(index)") }
        }
        func checkTable(_ t: TableType) throws(ModuleError) {
            if let max = t.limits.max, t.limits.min > max {
                throw fail("size minimum must not be greater than maximum")
            }
        }
        func checkMemory(_ t: MemoryType) throws(ModuleError) {
            guard t.limits.min <= maxMemoryPages, (t.limits.max ?? 0) <= maxMemoryPages else {
                throw fail("memory size must be at most 65536 pages (4GiB)")
            }
            if let max = t.limits.max, t.limits.min > max {
                throw fail("size minimum must not be greater than maximum")
            }
        }
        func checkTag(_ index: UInt32) throws(ModuleError) {
            try checkType(index)
            guard m.types[Int(index)].results.isEmpty else { throw fail("non-empty tag result type") }
        }

        for i in m.imports {
            switch i.descriptor {
            case .function(let t): try checkType(t)
            case .table(let t): try checkTable(t)
            case .memory(let t): try checkMemory(t)
            case .global: break
            case .tag(let t): try checkTag(t)
            }
        }
        for t in m.functionTypeIndices { try checkType(t) }
        for t in m.tables { try checkTable(t) }
        for t in m.memories { try checkMemory(t) }
        guard c.memories.count <= 1 else { throw fail("multiple memories") }
        for t in m.tagTypeIndices { try checkTag(t) }

        // Global initialisers may only read imported globals.
        for (i, g) in m.globals.enumerated() {
            try validateConstant(g.initializer, type: g.type.valueType, context: c,
                                 visibleGlobals: c.importedGlobalCount, what: "global \(c.importedGlobalCount + i)")
        }

        // Names compare byte for byte (Swift's String equality would merge canonically equal ones).
        var names = Set<[UInt8]>()
        for e in m.exports {
            guard names.insert(Array(e.name.utf8)).inserted else { throw fail("duplicate export name") }
            let count: Int
            switch e.kind {
            case .function: count = c.functionTypeIndices.count
            case .table: count = c.tables.count
            case .memory: count = c.memories.count
            case .global: count = c.globals.count
            case .tag: count = c.tagTypeIndices.count
            }
            guard Int(e.index) < count else { throw fail("unknown \(e.kind == .function ? "function" : "\(e.kind)") \(e.index)") }
        }

        if let start = m.start {
            guard let t = c.functionType(start) else { throw fail("unknown function \(start)") }
            guard t.parameters.isEmpty, t.results.isEmpty else { throw fail("start function must have type [] -> []") }
        }

        for (i, segment) in m.elements.enumerated() {
            if case .active(let table, let offset) = segment.mode {
                guard Int(table) < c.tables.count else { throw fail("unknown table \(table)") }
                try validateConstant(offset, type: .i32, context: c, visibleGlobals: c.importedGlobalCount, what: "element segment \(i) offset")
                guard c.tables[Int(table)].elementType == segment.type else {
                    throw fail("type mismatch: element segment \(i) holds \(segment.type) but table \(table) holds \(c.tables[Int(table)].elementType)")
                }
            }
            for item in segment.items {
                try validateConstant(item, type: segment.type, context: c, visibleGlobals: c.importedGlobalCount, what: "element segment \(i) item")
            }
        }

        for (i, segment) in m.data.enumerated() {
            if case .active(let memory, let offset) = segment.mode {
                guard Int(memory) < c.memories.count else { throw fail("unknown memory \(memory)") }
                try validateConstant(offset, type: .i32, context: c, visibleGlobals: c.importedGlobalCount, what: "data segment \(i) offset")
            }
        }
    }

    /// Checks a constant expression produces exactly one value of `type`.
    static func validateConstant(_ e: ConstExpression, type: ValueType, context c: ModuleContext,
                                 visibleGlobals: Int, what: String) throws(ModuleError) {
        var stack: [ValueType] = []
        for instruction in e.instructions {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .refNull(let t): stack.append(t)
            case .refFunc(let f):
                guard c.functionType(f) != nil else { throw fail("unknown function \(f)") }
                stack.append(.funcref)
            case .globalGet(let g):
                guard Int(g) < visibleGlobals, Int(g) < c.globals.count else { throw fail("unknown global \(g)") }
                guard !c.globals[Int(g)].isMutable else { throw fail("constant expression required") }
                stack.append(c.globals[Int(g)].valueType)
            case .nonConstant:
                throw fail("constant expression required")
            }
        }
        guard stack == [type] else {
            throw fail("type mismatch: \(what) must be a constant [\(type)] but is [\(stack.map(\.description).joined(separator: " "))]")
        }
    }

    static func validateBodies(_ m: Module, _ c: ModuleContext) throws(ModuleError) {
        let imported = c.importedFunctionCount
        let result: Result<Void, ModuleError> = m.bytes.withUnsafeBufferPointer { buffer in
            do throws(ModuleError) {
                for (i, body) in m.bodies.enumerated() {
                    let reader = ByteReader(base: buffer.baseAddress!, count: buffer.count,
                                            offset: body.code.lowerBound, limit: body.code.upperBound)
                    var translator = try FunctionTranslator(context: c, functionIndex: imported + i, body: body,
                                                            reader: reader, lowering: false, metering: false)
                    try translator.translateBody()
                    try translator.checkFrameSize()
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}

extension FunctionTranslator {
    /// Largest frame (locals plus operand stack) the 16-bit slot operands can address.
    static var maxFrameSlots: Int { 65_000 }

    /// Rejects functions whose frame would not fit the instruction encoding.
    func checkFrameSize() throws(ModuleError) {
        guard numLocals + maxHeight + 3 <= Self.maxFrameSlots else {
            throw .invalid(ValidationError("implementation limit: function needs \(numLocals + maxHeight) value slots, more than \(Self.maxFrameSlots)", functionIndex: functionIndex))
        }
    }
}
