// Makes the guest's garbage collector see pointers that live only in Wasm locals and operands.
//
// The guest's collector finds roots by scanning its shadow stack in linear memory, but code
// compiled to Wasm keeps many pointers only in Wasm locals, which no Wasm program can scan:
// a collection can free live objects (see ../shared/guest-gc). Our interpreter sees every live
// value. When the guest enters its stack scan, this hook takes every 32-bit value held in any
// slot of any active frame, keeps those that point into the heap pool (interior pointers are
// moved to the start of the allocation that contains them), and marks them as roots by calling
// the guest's own `gc_collect_root` on them, in chunks written to free shadow-stack space.

public import WasmInterpreter

/// Why root spilling failed (the collection would not be safe).
public enum GCRootSpillError: Error, Sendable, CustomStringConvertible {
    /// The pool bounds read from memory make no sense.
    case inconsistentHeap(start: UInt32, end: UInt32)
    /// No free shadow-stack space to write a chunk of roots into.
    case noStackSpace(stackPointer: UInt32)
    /// Marking a chunk of roots failed.
    case markingFailed(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .inconsistentHeap(let s, let e): return "GC root spilling: heap pool bounds \(s)..<\(e) are inconsistent"
        case .noStackSpace(let sp): return "GC root spilling: no free shadow stack below \(sp) to pass roots to the collector"
        case .markingFailed(let why): return "GC root spilling: marking roots failed: \(why)"
        }
    }
}

/// The hook installed on the guest's stack-scan function. Runtimes in this module install it
/// on every guest instance; embedders that instantiate the pinned guest themselves can too.
public enum GCRootSpiller {
    /// Roots passed to the collector per call.
    static let chunk = 512

    /// Installs the hook on `instance`, which must be the pinned guest (check with `GuestVerifier`).
    public static func install(in store: Store, instance: Instance) throws(Trap) {
        try store.intercept(instance, function: PinnedGuest.Collector.scanStack.index,
                            onEnter: { context in try spill(&context) }, onExit: { _ in })
    }

    /// Marks every heap pointer held in a live slot.
    static func spill(_ context: inout HookContext) throws {
        let memory = context.memory
        let poolStart = try memory.load(UInt32.self, at: PinnedGuest.Layout.poolStartAddress)
        let poolEnd = try memory.load(UInt32.self, at: PinnedGuest.Layout.poolEndAddress)
        let table = try memory.load(UInt32.self, at: PinnedGuest.Layout.allocationTableAddress)
        guard poolStart < poolEnd, UInt64(poolEnd) <= UInt64(memory.size) else {
            throw GCRootSpillError.inconsistentHeap(start: poolStart, end: poolEnd)
        }
        let roots = try collectRoots(context.liveSlots, memory: memory, poolStart: poolStart, poolEnd: poolEnd, table: table)
        guard !roots.isEmpty else { return }

        guard let sp64 = context.global(PinnedGuest.Layout.stackPointerGlobal) else { return }
        let sp = UInt32(truncatingIfNeeded: sp64)
        let stackLow = PinnedGuest.Layout.initialStackPointer - PinnedGuest.Layout.stackSize
        // Leave room for the scan's own 176-byte frame and for what the marker itself pushes.
        let reserve: UInt32 = 4096
        let bytes = UInt32(min(chunk, roots.count) * 4)
        guard sp > stackLow + reserve + bytes else { throw GCRootSpillError.noStackSpace(stackPointer: sp) }
        let region = (sp - 256 - bytes) & ~15
        var i = 0
        while i < roots.count {
            let n = min(chunk, roots.count - i)
            try memory.withBytes(at: region, count: n * 4) { buffer in
                for k in 0..<n { buffer.storeBytes(of: roots[i + k].littleEndian, toByteOffset: k * 4, as: UInt32.self) }
            }
            // Run the guest's marker with the shadow stack below the chunk.
            context.setGlobal(PinnedGuest.Layout.stackPointerGlobal, UInt64(region - 64))
            defer { context.setGlobal(PinnedGuest.Layout.stackPointerGlobal, UInt64(sp)) }
            do {
                _ = try context.store.invoke(context.instance, functionIndex: PinnedGuest.Collector.markRoots.index,
                                             [.i32(region), .i32(UInt32(n))])
            } catch {
                throw GCRootSpillError.markingFailed("\(error)")
            }
            i += n
        }
    }

    /// The distinct allocation starts that live slots point into.
    static func collectRoots(_ slots: UnsafeBufferPointer<UInt64>, memory: GuestMemory, poolStart: UInt32,
                             poolEnd: UInt32, table: UInt32) throws -> [UInt32] {
        var seen = Set<UInt32>()
        var roots: [UInt32] = []
        let blockSize = PinnedGuest.Layout.blockSize
        let blocks = (poolEnd - poolStart) / blockSize
        for slot in slots {
            let v = UInt32(truncatingIfNeeded: slot)
            guard v >= poolStart, v < poolEnd else { continue }
            // Walk back from the block holding v to its allocation's head (ATB: 2 bits per
            // block; 0 free, 1 head, 2 tail, 3 marked head).
            var block = (v - poolStart) / blockSize
            guard block < blocks else { continue }
            var kind = try blockKind(memory, table, block)
            var steps = 0
            while kind == 2 && block > 0 && steps < 1 << 20 {
                block -= 1
                kind = try blockKind(memory, table, block)
                steps += 1
            }
            guard kind == 1 || kind == 3 else { continue }
            let head = poolStart + block * blockSize
            if seen.insert(head).inserted { roots.append(head) }
        }
        return roots
    }

    @inline(__always)
    static func blockKind(_ memory: GuestMemory, _ table: UInt32, _ block: UInt32) throws -> UInt8 {
        // The table's address comes from guest memory: wrap (an address past the memory is
        // then refused by the load) rather than trap the host on overflow.
        let byte = try memory.load(UInt8.self, at: table &+ block / 4)
        return (byte >> ((block % 4) * 2)) & 3
    }
}
