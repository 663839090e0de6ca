// Native fast paths for the pinned guest's heap allocator: `gc_alloc`, `gc_realloc` and
// `gc_free` (MicroPython's py/gc.c, functions 54, 57 and 55). MicroPython finds free memory
// by walking its allocation table two bits per 16-byte block: `gc_alloc` looks for a run of
// free blocks from the first block that may be free, and `gc_realloc` counts an allocation's
// blocks one by one each time it grows. Interpreted, those walks are most of the work in
// programs that build large strings (a JSON text grows 16 bytes at a time, and each growth
// walks the whole text's blocks) or fill a fragmented heap.
//
// These do exactly what the guest's functions do, to the same bytes of linear memory, in the
// same order of decisions, after `GuestVerifier.nativeFunctionsMatch` checked the functions'
// bodies (and `memset`/`memcpy`, which they call) against the pinned hashes. The one case
// left to the guest is the one that must run guest code: when an allocation needs a garbage
// collection first (the allocation threshold is reached, or no run of free blocks is long
// enough), the fast path declines without changing anything and the guest's own function
// runs, collects (with `GCRootSpiller` in place) and allocates.

public import WasmInterpreter

/// The guest's heap allocator, natively (see the file comment).
public enum NativeHeap {
    /// Addresses of the collector's state in the pinned guest (`mp_state_ctx` and its
    /// `mp_state_mem_area_t`).
    enum State {
        static let base: UInt64 = UInt64(PinnedGuest.Layout.stackTopAddress)
        /// u16 `gc_lock_depth` (bit 0: a collection is running).
        static let lockDepth = base + 8
        /// Address of the allocation table (four blocks per byte, two bits each).
        static let allocationTable = base + 608
        /// Length of the allocation table in bytes.
        static let allocationTableBytes = base + 612
        /// Address of the finaliser table (one bit per block).
        static let finaliserTable = base + 616
        /// Address of block 0.
        static let poolStart = base + 620
        /// Allocation-table byte where the next search starts.
        static let lastFreeIndex = base + 628
        /// Highest block ever allocated.
        static let lastUsedBlock = base + 632
        /// u16: whether running out of blocks triggers a collection.
        static let autoCollect = base + 896
        /// Blocks allocated since the last collection.
        static let allocatedAmount = base + 900
        /// Collect when `allocatedAmount` reaches this.
        static let allocationThreshold = base + 904
    }

    /// Bit 0 of each two-bit field of a table word.
    static let fieldMask: UInt64 = 0x5555_5555_5555_5555

    /// Block kinds in the allocation table.
    enum Kind {
        static let free: UInt32 = 0
        static let head: UInt32 = 1
        static let tail: UInt32 = 2
    }

    /// Replaces functions 54 (`gc_alloc`), 57 (`gc_realloc`) and 55 (`gc_free`) of `instance`
    /// (the pinned guest, checked with `GuestVerifier`) with their native fast paths.
    public static func install(in store: Store, instance: Instance) throws(Trap) {
        try store.replace(instance, function: PinnedGuest.Native.gcAlloc.index, withFastPath: { call in
            try withHeap(call) { heap in
                guard let address = try heap.allocate(bytes: call.u32(0), flags: call.u32(1)) else { return false }
                call.setResult(0, u32: address)
                return true
            }
        }, name: "gc_alloc")
        try store.replace(instance, function: PinnedGuest.Native.gcRealloc.index, withFastPath: { call in
            try withHeap(call) { heap in
                guard let address = try heap.reallocate(call.u32(0), bytes: call.u32(1), allowMove: call.u32(2) != 0) else {
                    return false
                }
                call.setResult(0, u32: address)
                return true
            }
        }, name: "gc_realloc")
        try store.replace(instance, function: PinnedGuest.Native.gcFree.index, withFastPath: { call in
            try withHeap(call) { heap in
                try heap.free(call.u32(0))
                return true
            }
        }, name: "gc_free")
    }

    static func withHeap(_ call: HostCall, _ body: (Heap) throws -> Bool) throws -> Bool {
        let memory = call.memory
        return try memory.withBytes(at: 0, count: memory.size) { bytes in try body(Heap(m: GuestBytes(raw: bytes))) }
    }

    /// The allocator over one view of linear memory. Arithmetic wraps at 32 bits like the
    /// guest's; every access is bounds-checked and traps where the guest's would.
    struct Heap {
        let m: GuestBytes

        /// `gc_alloc(n_bytes, flags)`: the new allocation's address, 0 where the guest returns
        /// 0 without collecting, or nil where the guest would collect first (decline).
        func allocate(bytes: UInt32, flags: UInt32) throws(Trap) -> UInt32? {
            let rounded = bytes &+ 15
            if rounded < 16 { return 0 }
            if try m.u16(State.lockDepth) != 0 { return 0 }
            let blocks = rounded >> 4
            if try m.u16(State.autoCollect) != 0,
               try m.u32(State.allocatedAmount) >= m.u32(State.allocationThreshold) {
                return nil
            }
            guard let end = try findFreeRun(of: blocks) else { return nil }
            return try claim(end: end, blocks: blocks, finaliser: flags & 1 != 0)
        }

        /// The last block of the first run of `blocks` free blocks from the search
        /// start, or nil if there is none (or the table is too large to search exactly).
        func findFreeRun(of blocks: UInt32) throws(Trap) -> UInt32? {
            let bytes = try m.u32(State.allocationTableBytes)
            var index = try m.u32(State.lastFreeIndex)
            let table = try m.u32(State.allocationTable)
            // A table this large, or reaching past memory, is left to the guest (its 32-bit
            // block numbers would wrap; it would trap part-way).
            guard index < bytes, bytes < 1 << 29, UInt64(table) + UInt64(bytes) <= UInt64(m.raw.count) else { return nil }
            /// The table word at byte `at` (in bounds: checked above), with bit 2i set when its
            /// block i is free.
            func freeBlocks(at: UInt32) -> UInt64 {
                let word = UInt64(littleEndian: m.raw.loadUnaligned(fromByteOffset: Int(table &+ at), as: UInt64.self))
                return ~(word | word >> 1) & NativeHeap.fieldMask
            }
            var run: UInt32 = 0
            while index < bytes {
                // 128 blocks at once where none is free, the common case when a run is sought
                // past a full region.
                if bytes - index >= 32,
                   freeBlocks(at: index) | freeBlocks(at: index &+ 8) | freeBlocks(at: index &+ 16) | freeBlocks(at: index &+ 24) == 0 {
                    run = 0
                    index &+= 32
                    continue
                }
                if bytes - index >= 8 {
                    // Eight table bytes (32 blocks) at once. The first run reaching `blocks`
                    // either continues the run from earlier words, or lies inside this word.
                    let free = freeBlocks(at: index)
                    let first = index << 2
                    if free == NativeHeap.fieldMask {
                        if run &+ 32 >= blocks { return first &+ blocks &- run &- 1 }
                        run &+= 32
                    } else if free == 0 {
                        run = 0
                    } else {
                        let used = ~free & NativeHeap.fieldMask
                        let leading = UInt32(used.trailingZeroBitCount / 2)
                        if run &+ leading >= blocks { return first &+ blocks &- run &- 1 }
                        if blocks <= 32 {
                            // Bit 2i stays set if blocks i ..< i + `blocks` are all free.
                            var starts = free
                            var shift: UInt64 = 2
                            for _ in 1..<blocks {
                                starts &= free >> shift
                                shift += 2
                            }
                            if starts != 0 { return first &+ UInt32(starts.trailingZeroBitCount / 2) &+ blocks &- 1 }
                        }
                        run = UInt32(used.leadingZeroBitCount / 2)
                    }
                    index &+= 8
                    continue
                }
                let byte = try m.u8(UInt64(table &+ index))
                for field: UInt32 in 0..<4 {
                    if (byte >> (field << 1)) & 3 == Kind.free {
                        run &+= 1
                        if run >= blocks { return index << 2 | field }
                    } else {
                        run = 0
                    }
                }
                index &+= 1
            }
            return nil
        }

        /// Marks blocks `end - blocks + 1 ... end` allocated and returns their zeroed memory.
        func claim(end: UInt32, blocks: UInt32, finaliser: Bool) throws(Trap) -> UInt32 {
            let start = end &- blocks &+ 1
            if blocks == 1 { try m.store32(State.lastFreeIndex, (end &+ 1) >> 2) }
            let lastUsed = try m.u32(State.lastUsedBlock)
            try m.store32(State.lastUsedBlock, max(lastUsed, end))
            let table = try m.u32(State.allocationTable)
            try setKind(Kind.head, of: start, table: table)
            var block = start &+ 1
            while block <= end {
                try setKind(Kind.tail, of: block, table: try m.u32(State.allocationTable))
                block &+= 1
            }
            try m.store32(State.allocatedAmount, try m.u32(State.allocatedAmount) &+ blocks)
            let address = try m.u32(State.poolStart) &+ (start << 4)
            try m.zero(UInt64(address), ((end &- start) << 4) &+ 16)
            if finaliser {
                try m.store32(UInt64(address), 0)
                let bitAddress = UInt64(try m.u32(State.finaliserTable) &+ (start >> 3))
                try m.store8(bitAddress, Int32(bitPattern: try m.u8(bitAddress) | 1 << (start & 7)))
            }
            return address
        }

        /// `gc_free(ptr)`.
        func free(_ pointer: UInt32) throws(Trap) {
            if pointer == 0 { return }
            if try m.u16(State.lockDepth) > 1 { return }
            try release(pointer)
        }

        /// Frees the allocation at `pointer` (the lock already checked): clears its finaliser
        /// bit, moves the search start back to it if it is earlier, and frees its blocks.
        func release(_ pointer: UInt32) throws(Trap) {
            let offset = pointer &- (try m.u32(State.poolStart))
            var block = offset >> 4
            let bitAddress = UInt64(try m.u32(State.finaliserTable) &+ (offset >> 7))
            try m.store8(bitAddress, Int32(bitPattern: try m.u8(bitAddress) & ~(1 << (block & 7))))
            if offset >> 6 < (try m.u32(State.lastFreeIndex)) { try m.store32(State.lastFreeIndex, offset >> 6) }
            // No allocation has more blocks than the table: a table corrupted into tails all the
            // way (the guest can write it) ends in a trap, not a walk through all of memory.
            let blockCount = UInt64(try m.u32(State.allocationTableBytes)) * 4
            var freed: UInt64 = 0
            repeat {
                try setKind(Kind.free, of: block, table: try m.u32(State.allocationTable))
                block &+= 1
                freed += 1
                guard freed <= blockCount else { throw Trap(.hostError(NativeLookupError.corruptedHeap)) }
            } while try kind(of: block, table: try m.u32(State.allocationTable)) == Kind.tail
        }

        /// `gc_realloc(ptr, n_bytes, allow_move)`: the result, or nil where the guest would
        /// collect first (decline).
        func reallocate(_ pointer: UInt32, bytes: UInt32, allowMove: Bool) throws(Trap) -> UInt32? {
            if pointer == 0 { return try allocate(bytes: bytes, flags: 0) }
            let lock = try m.u16(State.lockDepth)
            if bytes == 0 {
                if lock <= 1 { try release(pointer) }
                return 0
            }
            if lock != 0 { return 0 }
            let maxBlock = (try m.u32(State.allocationTableBytes)) << 2
            let wanted = (bytes &+ 15) >> 4
            let offset = pointer &- (try m.u32(State.poolStart))
            let block = offset >> 4
            let table = try m.u32(State.allocationTable)
            // The allocation's blocks (head and tails), then free blocks after it until enough.
            // A tail only adds to the count, so whole table words (32 blocks) or bytes (4) of
            // tails are counted at once: a string grown 16 bytes at a time recounts itself on
            // every growth.
            var blocks: UInt32 = 1, freeBlocks: UInt32 = 0
            var next = block &+ 1
            let wordsInBounds = UInt64(table) + UInt64(maxBlock >> 2) <= UInt64(m.raw.count)
            scan: while next < maxBlock {
                if wordsInBounds && next & 3 == 0 {
                    if next & 31 == 0, maxBlock - next >= 32,
                       try m.u64(UInt64(table &+ (next >> 2))) == 0xAAAA_AAAA_AAAA_AAAA {
                        blocks &+= 32
                        next &+= 32
                        continue
                    }
                    if maxBlock - next >= 4, try m.u8(UInt64(table &+ (next >> 2))) == 0xAA {
                        blocks &+= 4
                        next &+= 4
                        continue
                    }
                }
                switch try kind(of: next, table: table) {
                case Kind.tail:
                    blocks &+= 1
                case Kind.free:
                    freeBlocks &+= 1
                    if blocks &+ freeBlocks >= wanted { break scan }
                default:
                    break scan
                }
                next &+= 1
            }
            if wanted == blocks { return pointer }
            if wanted < blocks {
                let firstFreed = block &+ wanted
                var b = firstFreed
                for _ in 0..<(blocks &- wanted) {
                    try setKind(Kind.free, of: b, table: try m.u32(State.allocationTable))
                    b &+= 1
                }
                if firstFreed >> 2 < (try m.u32(State.lastFreeIndex)) { try m.store32(State.lastFreeIndex, firstFreed >> 2) }
                return pointer
            }
            if wanted <= blocks &+ freeBlocks {
                let end = block &+ wanted
                var b = block &+ blocks
                while b < end {
                    try setKind(Kind.tail, of: b, table: try m.u32(State.allocationTable))
                    b &+= 1
                }
                let lastUsed = try m.u32(State.lastUsedBlock)
                try m.store32(State.lastUsedBlock, max(lastUsed, end))
                try m.zero(UInt64(pointer &+ (blocks << 4)), (wanted &- blocks) << 4)
                return pointer
            }
            if !allowMove { return 0 }
            let finaliser = (try m.u8(UInt64(try m.u32(State.finaliserTable) &+ (offset >> 7))) >> (block & 7)) & 1
            guard let moved = try allocate(bytes: bytes, flags: finaliser) else { return nil }
            if moved == 0 { return 0 }
            try m.copy(to: UInt64(moved), from: UInt64(pointer), blocks << 4)
            try free(pointer)
            return moved
        }

        /// The two-bit kind of `block`.
        func kind(of block: UInt32, table: UInt32) throws(Trap) -> UInt32 {
            (try m.u8(UInt64(table &+ (block >> 2))) >> ((block << 1) & 6)) & 3
        }

        /// Sets the kind of `block`: `free` clears its two bits, `head` and `tail` set theirs
        /// (the guest only ever marks free blocks as used).
        func setKind(_ kind: UInt32, of block: UInt32, table: UInt32) throws(Trap) {
            let address = UInt64(table &+ (block >> 2))
            let shift = (block << 1) & 6
            let byte = try m.u8(address)
            let updated = kind == Kind.free ? byte & ~(3 << shift) : byte | kind << shift
            try m.store8(address, Int32(bitPattern: updated))
        }
    }
}
