// The raw runtime structures the interpreter loop reads through pointers. All are owned by a
// `Store`, allocated and freed by it; the loop touches them without ARC or bounds checks.
// https://webassembly.github.io/spec/core/exec/runtime.html#store

/// What the interpreter needs to call a function.
struct FunctionRecord {
    /// Lowered code, or nil until first call (Wasm) / always nil (host).
    var code: UnsafeMutablePointer<UInt64>?
    /// Slots the frame needs.
    var frameSize: Int
    /// Number of parameters.
    var parameterCount: Int
    /// Parameters plus locals.
    var localCount: Int
    /// First slot zeroed on entry (slots `zeroStart..<localCount`); locals below it beyond
    /// the parameters are always written before they are read.
    var zeroStart: Int = 0
    /// Where a `call` instruction enters the code: after its leading fuel charge, which the
    /// call makes itself (`entryFuel`), saving a dispatch. Nil until lowered.
    var fastCode: UnsafeMutablePointer<UInt64>? = nil
    /// Fuel the function's first block costs (0 without metering).
    var entryFuel: Int64 = 0
    /// Number of results.
    var resultCount: Int
    /// Process-wide type id, for call_indirect.
    var typeID: UInt32
    /// Index into the store's host functions, or -1 for a Wasm function.
    var hostIndex: Int
    /// The instance whose globals, memory and tables the function uses (for host functions:
    /// the importing instance, whose memory the host sees).
    var instance: UnsafeMutablePointer<InstanceContext>
    /// Index among the defining module's bodies (Wasm functions), or -1.
    var definedIndex: Int
    /// The function index in the defining module (imports included).
    var functionIndex: Int
    /// The lowered function (kept alive by its module), for trap offsets and handlers.
    var lowered: Unmanaged<LoweredFunction>?
    /// The defining module.
    var module: Unmanaged<CompiledModule>?
    /// Store-level interception hook (see `Store.intercept`), or -1.
    var hook: Int
}

/// One linear memory.
struct MemoryStorage {
    /// The bytes (a valid pointer even when empty).
    var base: UnsafeMutableRawPointer
    /// Current size in bytes.
    var byteCount: Int
    /// Allocated bytes (growth within capacity needs no copy).
    var capacity: Int
    /// Largest size in pages (the declared maximum, capped by the store limit).
    var maxPages: Int
    /// Whether the bytes came from the store's `LinearMemoryBacking` (else the Swift heap).
    var mapped = false
    /// Whether the bytes past `byteCount` are known to be zero (fresh pages of a backing);
    /// otherwise `memory.grow` zeroes the pages it adds.
    var zeroTail = false
}

/// One table.
struct TableStorage {
    /// The elements (encoded references).
    var elements: UnsafeMutablePointer<UInt64>
    /// Current size.
    var count: Int
    /// Allocated size.
    var capacity: Int
    /// Largest size (declared maximum capped by the store limit).
    var maxCount: Int
    /// The element type.
    var elementType: ValueType
}

/// One element segment's remaining items (count 0 after `elem.drop`).
struct ElementSegmentState {
    var items: UnsafeMutablePointer<UInt64>?
    var count: Int
}

/// One data segment's remaining bytes (count 0 after `data.drop`).
struct DataSegmentState {
    var bytes: UnsafePointer<UInt8>?
    var count: Int
}

/// An instance: the index spaces the interpreter resolves operands against.
struct InstanceContext {
    /// One record per function (imports first).
    var functions: UnsafeMutablePointer<FunctionRecord>
    var functionCount: Int
    /// A pointer to each global's cell (imports point at the exporter's cells).
    var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    var globalCount: Int
    /// Memory 0, if any.
    var memory: UnsafeMutablePointer<MemoryStorage>?
    /// Each table.
    var tables: UnsafeMutablePointer<UnsafeMutablePointer<TableStorage>>
    var tableCount: Int
    /// Element segments.
    var elements: UnsafeMutablePointer<ElementSegmentState>
    var elementCount: Int
    /// Data segments.
    var data: UnsafeMutablePointer<DataSegmentState>
    var dataCount: Int
    /// Store-wide tag identities, per tag index.
    var tags: UnsafeMutablePointer<UInt32>
    var tagCount: Int
    /// This instance's index in the store.
    var index: Int
}

/// A saved caller frame.
struct CallFrame {
    /// Where to continue in the caller.
    var returnPC: UnsafeMutablePointer<UInt64>
    /// The caller's frame pointer.
    var fp: UnsafeMutablePointer<UInt64>
    /// The caller.
    var function: UnsafeMutablePointer<FunctionRecord>
}

extension UnsafeMutablePointer {
    /// Allocates `count` (at least one) elements initialised to `value`.
    static func make(_ count: Int, _ value: Pointee) -> UnsafeMutablePointer<Pointee> {
        let p = UnsafeMutablePointer<Pointee>.allocate(capacity: Swift.max(count, 1))
        p.initialize(repeating: value, count: Swift.max(count, 1))
        return p
    }
}
