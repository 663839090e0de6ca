// The lowered form of one function, and the shared cache that holds it.

import Synchronization

/// A function body lowered to `Op` code. Immutable once built; its code buffer lives as long
/// as the object, which the owning `CompiledModule` keeps.
final class LoweredFunction: @unchecked Sendable {
    /// The instruction words.
    let code: UnsafeMutablePointer<UInt64>
    /// Number of words.
    let codeCount: Int
    /// Slots the frame needs: locals plus the deepest operand stack plus scratch.
    let frameSize: Int
    /// Number of parameters.
    let parameterCount: Int
    /// Parameters plus declared locals, plus the zero slot.
    let localCount: Int
    /// First slot zeroed on entry (see `FunctionRecord.zeroStart`).
    let zeroStart: Int
    /// The end of the slots zeroed on entry: `localCount`, or one less when no instruction
    /// reads the zero slot.
    let zeroEnd: Int
    /// Number of results.
    let resultCount: Int
    /// 1 if the code starts with a fuel charge (metered code), else 0.
    let entryFuelWords: Int
    /// The amount of that first charge.
    let entryFuel: Int64
    /// The function index (imports included), for trap reports.
    let functionIndex: Int
    /// try_table handlers, outer ones first.
    let handlers: [ExceptionHandler]
    /// Code index of each instruction, ascending (for mapping a pc back to Wasm).
    let codeOffsets: [UInt32]
    /// The Wasm byte offset of each instruction in `codeOffsets`.
    let wasmOffsets: [UInt32]

    init(words: [UInt64], frameSize: Int, parameterCount: Int, localCount: Int, zeroStart: Int? = nil, zeroEnd: Int? = nil, resultCount: Int,
         functionIndex: Int, handlers: [ExceptionHandler], codeOffsets: [UInt32], wasmOffsets: [UInt32]) {
        let count = max(words.count, 1)
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        buffer.initialize(repeating: Op.unreachable.code, count: count)
        words.withUnsafeBufferPointer { words in
            if let base = words.baseAddress { buffer.update(from: base, count: words.count) }
        }
        code = buffer
        codeCount = words.count
        self.frameSize = frameSize
        self.parameterCount = parameterCount
        self.localCount = localCount
        self.zeroStart = zeroStart ?? parameterCount
        self.zeroEnd = zeroEnd ?? localCount
        if !words.isEmpty && Op.decode(words[0]) == .fuel {
            entryFuelWords = 1
            entryFuel = Int64(hi32(words[0]))
        } else {
            entryFuelWords = 0
            entryFuel = 0
        }
        self.resultCount = resultCount
        self.functionIndex = functionIndex
        self.handlers = handlers
        self.codeOffsets = codeOffsets
        self.wasmOffsets = wasmOffsets
    }

    deinit { code.deallocate() }

    /// The Wasm byte offset of the instruction at code index `pc`, if known.
    func wasmOffset(atCodeIndex pc: Int) -> Int? {
        var lo = 0
        var hi = codeOffsets.count - 1
        var best: Int? = nil
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(codeOffsets[mid]) <= pc {
                best = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return best.map { Int(wasmOffsets[$0]) }
    }
}

extension FunctionTranslator {
    /// Packages the emitted code.
    consuming func finish() -> LoweredFunction {
        LoweredFunction(words: code, frameSize: numLocals + 1 + maxHeight + 2, parameterCount: type.parameters.count,
                        localCount: numLocals + 1, zeroStart: assignment.firstLocalToZero,
                        zeroEnd: zeroSlotRead ? numLocals + 1 : numLocals, resultCount: type.results.count, functionIndex: functionIndex,
                        handlers: handlers, codeOffsets: codeOffsets, wasmOffsets: wasmOffsets)
    }
}

/// Lowered functions of one module, built on demand and shared by all its instances.
final class LoweredCodeCache: Sendable {
    private let entries: Mutex<[[LoweredFunction?]]>

    init(count: Int) {
        entries = Mutex([[LoweredFunction?](repeating: nil, count: count),
                         [LoweredFunction?](repeating: nil, count: count)])
    }

    func get(_ index: Int, metering: Bool) -> LoweredFunction? {
        entries.withLock { $0[metering ? 1 : 0][index] }
    }

    /// Stores `f` unless another thread stored one first; returns the one kept.
    func set(_ index: Int, metering: Bool, _ f: LoweredFunction) -> LoweredFunction {
        entries.withLock { table in
            if let existing = table[metering ? 1 : 0][index] { return existing }
            table[metering ? 1 : 0][index] = f
            return f
        }
    }
}

/// Process-wide ids for function types, so signatures compare by one integer across modules.
final class TypeRegistry: Sendable {
    /// The registry.
    static let shared = TypeRegistry()

    private let ids = Mutex<[FunctionType: UInt32]>([:])

    /// The id of `type` (1-based; 0 is never used).
    func id(of type: FunctionType) -> UInt32 {
        ids.withLock { table in
            if let id = table[type] { return id }
            let id = UInt32(table.count + 1)
            table[type] = id
            return id
        }
    }
}
