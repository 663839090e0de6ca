// The store: every instance, memory, table, global and exception of one execution context,
// plus the value and call stacks the interpreter runs on.
// https://webassembly.github.io/spec/core/exec/runtime.html#store

import Synchronization

/// Limits and options for a store.
public struct StoreConfiguration: Sendable {
    /// Charge fuel per basic block (see `Store.fuel`).
    public var fuelMetering = false
    /// Largest size of any one linear memory, in bytes; `memory.grow` past it returns -1.
    public var maxMemoryBytes = 1 << 30
    /// Largest size of any one table, in elements; `table.grow` past it returns -1.
    public var maxTableElements = 10_000_000
    /// Most nested Wasm calls before "call stack exhausted".
    public var maxCallDepth = 10_000
    /// Size of the value stack in 64-bit slots (locals and operands of all active frames).
    public var valueStackSlots = 1 << 20
    /// Where linear memories live; nil keeps them on the Swift heap (see `LinearMemoryBacking`).
    public var memoryBacking: (any LinearMemoryBacking)? = nil

    /// The defaults.
    public init() {}
}

/// A thread-safe switch another thread can flip to stop a running store.
public final class InterruptHandle: Sendable {
    let cancelled = Atomic<Bool>(false)
    let deadlineNanoseconds = Atomic<Int64>(Int64.max)

    init() {}

    /// Asks the store to stop at its next check (calls and loop back-edges).
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Clears a previous cancellation.
    public func reset() { cancelled.store(false, ordering: .relaxed) }

    /// Whether cancellation was requested.
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}

/// What an invocation ended with, when it did not trap.
public enum InvocationResult: Sendable {
    /// The function returned these results.
    case finished([Value])
    /// A host function suspended the execution; `Store.resume(with:)` continues it.
    case suspended(any Sendable)
    /// The fuel ran out; add fuel and call `Store.resume()` to continue, or discard.
    case outOfFuel
}

/// A handle to an instance in a store.
public struct Instance: Sendable, Hashable {
    /// The instance's index in its store.
    public let index: Int
}

/// An item an instance exports or a module imports.
public enum ExternalValue {
    /// A function of an instance.
    case function(Instance, index: Int)
    /// A host function (becomes a new function in the importing instance).
    case hostFunction(HostFunction)
    /// A table of the store.
    case table(Int)
    /// A memory of the store.
    case memory(Int)
    /// A global of the store.
    case global(Int)
    /// A tag of the store.
    case tag(Int)
}

/// Owns instances and runs their code. Use from one thread at a time (it may move between
/// threads); `interruptHandle` is the one part meant for other threads.
public final class Store: @unchecked Sendable {
    /// The configuration.
    public let configuration: StoreConfiguration
    /// Fuel left when metering is on (one unit per Wasm instruction, charged per block).
    public var fuel: Int64 = Int64.max
    /// A switch other threads can use to cancel execution.
    public let interruptHandle: InterruptHandle
    /// Wall-clock deadline for executions, checked at calls and loop back-edges.
    public var deadline: ContinuousClock.Instant? {
        get { deadlineBox.value }
        set { deadlineBox.value = newValue }
    }
    /// Holds `deadline`. The standard library's `ContinuousClock.Instant` has a resilient layout,
    /// so storing one here would make every stored property's offset a run-time value, loaded
    /// from a global on each access; behind a reference, the class layout is fixed.
    let deadlineBox = DeadlineBox()

    // Ownership lists.
    var modules: [CompiledModule?] = []
    var instances: [UnsafeMutablePointer<InstanceContext>] = []
    var instanceTable: UnsafeMutablePointer<UnsafeMutablePointer<InstanceContext>>
    var instanceTableCapacity = 8
    var exportTables: [[ExportKey: ExternalValue]] = []
    var instanceInfos: [InstanceInfo] = []
    var memories: [UnsafeMutablePointer<MemoryStorage>] = []
    /// Frozen images of the memories (`freeze`), for copy-on-write forks.
    var memorySnapshots: [(any LinearMemorySnapshot)?] = []
    /// Whether the store is a frozen template (`freeze`).
    public private(set) var isFrozen = false
    /// Declared maxima of the store's memories (for import matching).
    var memoryMaxima: [UInt64?] = []
    var tables: [UnsafeMutablePointer<TableStorage>] = []
    /// Declared maxima of the store's tables (for import matching).
    var tableMaxima: [UInt64?] = []
    var globalCells: [(cell: UnsafeMutablePointer<UInt64>, type: GlobalType)] = []
    var tagTypes: [FunctionType] = []
    /// Host functions with the import names they were bound to (see `HostFunctionTable`).
    var hostFunctions = HostFunctionTable()
    var exceptions = ExceptionHeap()
    var hooks: [CallHook] = []
    /// The original records of functions replaced by native fast paths, by host-function index.
    var fastPathOriginals: [Int: UnsafeMutablePointer<FunctionRecord>] = [:]

    // Stacks.
    let stack: UnsafeMutablePointer<UInt64>
    let stackEnd: UnsafeMutablePointer<UInt64>
    let frames: UnsafeMutablePointer<CallFrame>
    /// First free slot while a host function runs (nested invocations start here).
    var stackTop: UnsafeMutablePointer<UInt64>
    /// Frames in use while a host function runs.
    var frameDepth = 0
    /// Scratch for host results.
    let hostResults: UnsafeMutablePointer<UInt64>
    /// A zero-size memory for instances without one.
    let emptyMemory = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
    /// Slots in `hostResults`.
    let hostResultCapacity = 64
    /// The payload of a host function's suspension, from `callHost` until `slowCall` takes it.
    var hostSuspension: (any Sendable)? = nil
    /// The reason of a host function's trap, from `callHost` until `slowCall` takes it.
    var hostTrap: TrapReason? = nil
    /// Tail calls so far (interrupts are checked every 4096).
    var tailCallCount = 0
    /// State the enter hooks of active intercepted calls passed to their exit hooks.
    var hookSaved: [[UInt64]] = []

    /// A suspended execution waiting for `resume`.
    var suspended: SuspendedExecution?
    /// Whether an execution is running (nested invocations are allowed from host functions).
    var running = false

    /// Creates an empty store.
    public init(configuration: StoreConfiguration = StoreConfiguration()) {
        self.configuration = configuration
        interruptHandle = InterruptHandle()
        let slots = max(configuration.valueStackSlots, 1024)
        // Not zeroed: slots are written before they are read (parameters by the caller, locals
        // zeroed on entry), and untouched pages of a large allocation cost nothing.
        stack = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        stackEnd = stack + slots
        stackTop = stack
        frames = UnsafeMutablePointer<CallFrame>.allocate(capacity: max(configuration.maxCallDepth, 1) + 1)
        hostResults = .make(64, 0)
        instanceTable = UnsafeMutablePointer.allocate(capacity: instanceTableCapacity)
    }

    deinit {
        for i in instances { Store.freeInstance(i) }
        for m in memories {
            releaseMemoryBytes(m.pointee)
            m.deallocate()
        }
        for t in tables {
            t.pointee.elements.deallocate()
            t.deallocate()
        }
        for g in globalCells { g.cell.deallocate() }
        for h in hooks { h.original.deallocate() }
        for o in fastPathOriginals.values { o.deallocate() }
        stack.deallocate()
        frames.deallocate()
        hostResults.deallocate()
        emptyMemory.deallocate()
        instanceTable.deallocate()
        hostFunctions.releaseAll()
    }

    static func freeInstance(_ i: UnsafeMutablePointer<InstanceContext>) {
        let c = i.pointee
        c.functions.deinitialize(count: max(c.functionCount, 1))
        c.functions.deallocate()
        c.globals.deallocate()
        c.tables.deallocate()
        for e in 0..<c.elementCount { c.elements[e].items?.deallocate() }
        c.elements.deallocate()
        c.data.deallocate()
        c.tags.deallocate()
        i.deallocate()
    }

    // MARK: Fuel

    /// Adds fuel to the tank.
    public func addFuel(_ amount: Int64) {
        fuel = fuel > Int64.max - amount ? Int64.max : fuel + amount
    }

    // MARK: Creating store items

    /// Allocates a memory of `pages` pages that may grow to `maxPages`.
    func makeMemory(_ type: MemoryType) -> Int {
        let limitPages = configuration.maxMemoryBytes / wasmPageSize
        let maxPages = min(Int(type.limits.max ?? 65536), limitPages)
        let bytes = Int(type.limits.min) * wasmPageSize
        let storage = UnsafeMutablePointer<MemoryStorage>.allocate(capacity: 1)
        let bytesAt = allocateMemoryBytes(minimumBytes: bytes, reserveBytes: maxPages * wasmPageSize, heapBytes: max(bytes, 8))
        if !bytesAt.mapped { bytesAt.base.initializeMemory(as: UInt8.self, repeating: 0, count: bytesAt.capacity) }
        storage.initialize(to: MemoryStorage(base: bytesAt.base, byteCount: bytes, capacity: bytesAt.capacity,
                                             maxPages: maxPages, mapped: bytesAt.mapped, zeroTail: bytesAt.mapped))
        memories.append(storage)
        memorySnapshots.append(nil)
        memoryMaxima.append(type.limits.max)
        return memories.count - 1
    }

    /// Bytes for a memory of at least `minimumBytes` that may grow to `reserveBytes`: from the
    /// memory backing (zero-filled, `mapped`), or else `heapBytes` uninitialized from the heap.
    func allocateMemoryBytes(minimumBytes: Int, reserveBytes: Int, heapBytes: Int)
        -> (base: UnsafeMutableRawPointer, capacity: Int, mapped: Bool) {
        if let region = configuration.memoryBacking?.allocate(minimumBytes: minimumBytes, reserveBytes: reserveBytes),
           region.byteCount >= minimumBytes {
            return (region.base, region.byteCount, true)
        }
        return (UnsafeMutableRawPointer.allocate(byteCount: heapBytes, alignment: 16), heapBytes, false)
    }

    /// Gives back a memory's bytes (to the backing that supplied them, or the heap).
    func releaseMemoryBytes(_ m: MemoryStorage) {
        if m.mapped, let backing = configuration.memoryBacking {
            backing.release(LinearMemoryRegion(base: m.base, byteCount: m.capacity))
        } else {
            m.base.deallocate()
        }
    }

    /// Makes this store a template: it can no longer run code, and its memories are frozen
    /// into images that forks map copy-on-write when the memory backing supports it (so a
    /// fork costs page mappings, not a copy of every byte). Idempotent.
    public func freeze() {
        guard !isFrozen else { return }
        isFrozen = true
        guard let backing = configuration.memoryBacking else { return }
        for (i, m) in memories.enumerated() where memorySnapshots[i] == nil {
            memorySnapshots[i] = backing.snapshot(m.pointee.base, byteCount: m.pointee.byteCount)
        }
    }

    /// Allocates a table filled with `initial`.
    func makeTable(_ type: TableType, initial: UInt64 = 0) -> Int {
        let count = Int(type.limits.min)
        let elements = UnsafeMutablePointer<UInt64>.make(count, initial)
        let maxCount = min(Int(type.limits.max ?? UInt64(UInt32.max)), configuration.maxTableElements)
        let storage = UnsafeMutablePointer<TableStorage>.allocate(capacity: 1)
        storage.initialize(to: TableStorage(elements: elements, count: count, capacity: max(count, 1),
                                            maxCount: maxCount, elementType: type.elementType))
        tables.append(storage)
        tableMaxima.append(type.limits.max)
        return tables.count - 1
    }

    /// Allocates a global cell.
    func makeGlobal(_ type: GlobalType, bits: UInt64) -> Int {
        globalCells.append((.make(1, bits), type))
        return globalCells.count - 1
    }

    /// Allocates a tag with parameters `type.parameters`.
    func makeTag(_ type: FunctionType) -> Int {
        tagTypes.append(type)
        return tagTypes.count - 1
    }

    // MARK: Inspecting

    /// The value of global `index` (a store index from an export).
    public func globalValue(_ index: Int) -> Value {
        let g = globalCells[index]
        return Value(bits: g.cell.pointee, type: g.type.valueType)
    }

    /// A view of memory `index` (a store index from an export).
    public func memory(_ index: Int) -> GuestMemory { GuestMemory(storage: memories[index]) }

    /// The export `name` of `instance`, if any.
    public func export(_ instance: Instance, _ name: String) -> ExternalValue? {
        guard instance.index < exportTables.count else { return nil }
        return exportTables[instance.index][ExportKey(name)]
    }

    /// Memory 0 of an instance, if it has one.
    public func defaultMemory(of instance: Instance) -> GuestMemory? {
        guard instance.index < instances.count, let m = instances[instance.index].pointee.memory else { return nil }
        return GuestMemory(storage: m)
    }

    /// The index of an instance's memory 0 in the store, if it has one.
    func memoryIndex(of instance: Instance) -> Int? {
        guard let m = instances[instance.index].pointee.memory else { return nil }
        return memories.firstIndex(of: m)
    }

    /// The value of an instance's global `index` (module index space).
    public func global(_ instance: Instance, index: Int) -> Value? {
        let c = instances[instance.index].pointee
        guard index < c.globalCount, let entry = globalCells.first(where: { $0.cell == c.globals[index] }) else { return nil }
        return Value(bits: c.globals[index].pointee, type: entry.type.valueType)
    }

    /// Sets an instance's global `index` (module index space) without type checks beyond bits.
    public func setGlobal(_ instance: Instance, index: Int, _ value: Value) {
        let c = instances[instance.index].pointee
        guard index < c.globalCount else { return }
        c.globals[index].pointee = value.bits
    }
}

/// Export names compared byte for byte.
struct ExportKey: Hashable {
    let bytes: [UInt8]
    init(_ name: String) { bytes = Array(name.utf8) }
}

/// State kept while an execution is suspended in a host function or out of fuel.
struct SuspendedExecution {
    var registers: Registers
    /// Where the suspending host call's results go, and their types (nil when out of fuel).
    var hostResults: (slots: UnsafeMutablePointer<UInt64>, types: [ValueType])?
    /// The types the invoked function returns.
    var entryResultTypes: [ValueType]
    /// The invoked function's frame (its results land here).
    var entryFP: UnsafeMutablePointer<UInt64>
}

/// A mutable `ContinuousClock.Instant?` behind a reference (see `Store.deadlineBox`).
final class DeadlineBox {
    var value: ContinuousClock.Instant? = nil
}
