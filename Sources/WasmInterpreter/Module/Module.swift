// The decoded form of a WebAssembly module.
// https://webassembly.github.io/spec/core/syntax/modules.html

/// What an import asks for.
public enum ImportDescriptor: Sendable, Hashable {
    /// A function of the given type index.
    case function(typeIndex: UInt32)
    /// A table of the given type.
    case table(TableType)
    /// A memory of the given type.
    case memory(MemoryType)
    /// A global of the given type.
    case global(GlobalType)
    /// An exception tag whose parameters are those of the given function type.
    case tag(typeIndex: UInt32)

    /// The kind of external this descriptor names.
    public var kind: ExternalKind {
        switch self {
        case .function: return .function
        case .table: return .table
        case .memory: return .memory
        case .global: return .global
        case .tag: return .tag
        }
    }
}

/// One entry of the import section.
public struct Import: Sendable, Hashable {
    /// The module name, such as `wasi_snapshot_preview1`.
    public var module: String
    /// The field name, such as `fd_write`.
    public var name: String
    /// What is imported.
    public var descriptor: ImportDescriptor
}

/// One entry of the export section.
public struct Export: Sendable, Hashable {
    /// The exported name.
    public var name: String
    /// The kind of the exported item.
    public var kind: ExternalKind
    /// Its index in the module's index space of that kind.
    public var index: UInt32
}

/// One instruction of a constant expression (global initialisers, segment offsets, element items).
public enum ConstInstruction: Sendable, Hashable {
    /// `i32.const`
    case i32Const(Int32)
    /// `i64.const`
    case i64Const(Int64)
    /// `f32.const` (bit pattern)
    case f32Const(UInt32)
    /// `f64.const` (bit pattern)
    case f64Const(UInt64)
    /// `ref.null` of the given reference type
    case refNull(ValueType)
    /// `ref.func`
    case refFunc(UInt32)
    /// `global.get`
    case globalGet(UInt32)
    /// Any other instruction: not allowed in a constant expression; validation rejects it.
    case nonConstant(WasmOpcode)
}

/// A constant expression, as decoded (validation checks it is constant and well typed).
public struct ConstExpression: Sendable, Hashable {
    /// Its instructions, without the final `end`.
    public var instructions: [ConstInstruction]
}

/// A module-defined global.
public struct Global: Sendable, Hashable {
    /// Its type.
    public var type: GlobalType
    /// Its initialiser.
    public var initializer: ConstExpression
}

/// How an element segment is used.
public enum ElementMode: Sendable, Hashable {
    /// Copied into a table at instantiation.
    case active(table: UInt32, offset: ConstExpression)
    /// Available to `table.init` until dropped.
    case passive
    /// Only declares functions for `ref.func`; dropped at instantiation.
    case declarative
}

/// An element segment.
public struct ElementSegment: Sendable, Hashable {
    /// The reference type of its items.
    public var type: ValueType
    /// How it is used.
    public var mode: ElementMode
    /// One constant expression per item.
    public var items: [ConstExpression]
}

/// How a data segment is used.
public enum DataMode: Sendable, Hashable {
    /// Copied into a memory at instantiation.
    case active(memory: UInt32, offset: ConstExpression)
    /// Available to `memory.init` until dropped.
    case passive
}

/// A data segment; its bytes stay in the module's binary.
public struct DataSegment: Sendable, Hashable {
    /// How it is used.
    public var mode: DataMode
    /// The range of its bytes within the module binary.
    public var bytes: Range<Int>
}

/// A function body: its declared locals and where its instructions are.
public struct FunctionBody: Sendable, Hashable {
    /// Local variables (beyond the parameters), expanded.
    public var localTypes: [ValueType]
    /// The byte range of its instructions (including the final `end`) within the module binary.
    public var code: Range<Int>
    /// The byte offset of the whole body entry (its size field) in the binary.
    public var entryOffset: Int
}

/// A custom section.
public struct CustomSection: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// The range of its payload within the module binary.
    public var payload: Range<Int>
}

/// A decoded (not yet validated) WebAssembly module.
///
/// Produced by ``ModuleDecoder``; ``ModuleValidator`` checks it. The instruction bytes stay in
/// ``bytes`` and are read in place by validation and lowering.
public struct Module: Sendable {
    /// The binary the module was decoded from.
    public let bytes: [UInt8]
    /// The type section.
    public var types: [FunctionType] = []
    /// The import section.
    public var imports: [Import] = []
    /// Type indices of the functions the module defines.
    public var functionTypeIndices: [UInt32] = []
    /// Tables the module defines.
    public var tables: [TableType] = []
    /// Memories the module defines.
    public var memories: [MemoryType] = []
    /// Type indices of the tags the module defines.
    public var tagTypeIndices: [UInt32] = []
    /// Globals the module defines.
    public var globals: [Global] = []
    /// The export section.
    public var exports: [Export] = []
    /// The start function, if any.
    public var start: UInt32?
    /// Element segments.
    public var elements: [ElementSegment] = []
    /// The data count section's value, if present.
    public var dataCount: UInt32?
    /// Function bodies, one per defined function.
    public var bodies: [FunctionBody] = []
    /// Whether decoding checked every body's instructions (see `ModuleDecoder.decode`'s
    /// `scanningBodies`); when false, `CompiledModule` checks each before it reads it.
    public internal(set) var bodiesScanned = true
    /// Data segments.
    public var data: [DataSegment] = []
    /// Custom sections, in order.
    public var customSections: [CustomSection] = []
    /// Byte sizes of each known section, by section id (for `inspect`).
    public var sectionSizes: [UInt8: Int] = [:]

    /// Creates an empty module over the given bytes.
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Imported functions' type indices, in import order.
    public var importedFunctionTypes: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Imported tables, in import order.
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Imported memories, in import order.
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Imported globals, in import order.
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Imported tags' type indices, in import order.
    public var importedTags: [UInt32] {
        imports.compactMap { if case .tag(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Number of imported functions (they come first in the function index space).
    public var importedFunctionCount: Int {
        imports.reduce(0) { if case .function = $1.descriptor { return $0 + 1 } else { return $0 } }
    }
}
