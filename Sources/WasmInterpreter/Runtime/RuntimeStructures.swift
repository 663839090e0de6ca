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
    /// The end of the slots zeroed on entry: the parameters plus the locals, plus the zero
    /// slot if the code reads it (see `LoweredFunction.zeroEnd`).
    var zeroEnd: Int
    /// First slot zeroed on entry (slots `zeroStart..<zeroEnd`); locals below it beyond
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
    /// Whether entering the function is only the frame push: no entry fuel to charge and no
    /// locals to zero. A call's fast path tests this one flag (kept by `setEntry`; beside
    /// `typeID`, it fills padding, so a record stays 128 bytes).
    var plainEntry = false
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
    /// Where to continue in the caller, as an address with bit 0 set when the return enters
    /// another instance (the caller's is not the callee's), so the return must reload the
    /// instance caches. Code words are 8-byte aligned, so the bit is free. The common return,
    /// to a caller in the callee's own instance, tests this bit instead of loading and
    /// comparing both functions' instances.
    var taggedReturn: UInt
    /// The caller's frame pointer.
    var fp: UnsafeMutablePointer<UInt64>
    /// The caller.
    var function: UnsafeMutablePointer<FunctionRecord>

    init(returnPC: UnsafeMutablePointer<UInt64>, fp: UnsafeMutablePointer<UInt64>,
         function: UnsafeMutablePointer<FunctionRecord>, entersOtherInstance: Bool) {
        taggedReturn = UInt(bitPattern: returnPC) | (entersOtherInstance ? 1 : 0)
        self.fp = fp
        self.function = function
    }

    /// Where to continue in the caller.
    var returnPC: UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer(bitPattern: taggedReturn & ~1).unsafelyUnwrapped
    }
}

extension FunctionRecord {
    /// Sets what entering the function takes besides the frame push: the slots zeroed
    /// (`zeroStart..<zeroEnd`) and the entry fuel charge.
    mutating func setEntry(zeroStart: Int, zeroEnd: Int, entryFuel: Int64) {
        self.zeroStart = zeroStart
        self.zeroEnd = zeroEnd
        self.entryFuel = entryFuel
        plainEntry = entryFuel == 0 && zeroStart >= zeroEnd
    }

    /// Zeroes the slots of a new frame at `frame` that the function may read before writing
    /// (`zeroStart..<zeroEnd`).
    @inline(__always) func zeroLocals(of frame: UnsafeMutablePointer<UInt64>) {
        zeroSlots(frame + zeroStart, zeroEnd &- zeroStart)
    }
}

extension UnsafeMutablePointer {
    /// Allocates `count` (at least one) elements initialised to `value`.
    static func make(_ count: Int, _ value: Pointee) -> UnsafeMutablePointer<Pointee> {
        let p = UnsafeMutablePointer<Pointee>.allocate(capacity: Swift.max(count, 1))
        p.initialize(repeating: value, count: Swift.max(count, 1))
        return p
    }
}
