import Testing
import WasiHost
import WasmInterpreter
@testable import MicroPythonRuntime

/// The native heap allocator must leave linear memory exactly as the guest's own `gc_alloc`,
/// `gc_realloc` and `gc_free` would, return the same addresses, and hand the cases that need a
/// collection back to the guest.
@Suite("Native heap allocator", .enabled(if: RuntimePaths.hasGuest, "\(guestMissingMessage)"))
struct NativeHeapTests {
    /// A small heap laid out in the low end of the shadow stack (unused when only the
    /// allocator runs): 256 table bytes (1,024 blocks), the finaliser table, then the pool.
    enum Region {
        static let table: UInt32 = PinnedGuest.Layout.initialStackPointer - PinnedGuest.Layout.stackSize + 1024
        static let tableBytes: UInt32 = 256
        static let finaliser = table + tableBytes
        static let pool = finaliser + 192
        static let end = pool + tableBytes * 4 * PinnedGuest.Layout.blockSize
    }

    /// A guest instance with nothing installed, its collector state pointing at `Region`.
    static func instance(native: Bool, autoCollect: Bool = false) throws -> (Store, Instance, GuestMemory) {
        let (store, instance, memory) = try NativeComparison.plainInstance()
        if native { try NativeHeap.install(in: store, instance: instance) }
        try memory.write([UInt8](repeating: 0, count: Int(Region.end - Region.table)), at: Region.table)
        try setState(memory, NativeHeap.State.allocationTable, Region.table)
        try setState(memory, NativeHeap.State.allocationTableBytes, Region.tableBytes)
        try setState(memory, NativeHeap.State.finaliserTable, Region.finaliser)
        try setState(memory, NativeHeap.State.poolStart, Region.pool)
        try setState(memory, NativeHeap.State.poolStart + 4, Region.end)
        try setState(memory, NativeHeap.State.lastFreeIndex, 0)
        try setState(memory, NativeHeap.State.lastUsedBlock, 0)
        try memory.write([autoCollect ? 1 : 0, 0], at: UInt32(NativeHeap.State.autoCollect))
        try setState(memory, NativeHeap.State.allocatedAmount, 0)
        try setState(memory, NativeHeap.State.allocationThreshold, UInt32.max)
        try memory.write([0, 0], at: UInt32(NativeHeap.State.lockDepth))
        return (store, instance, memory)
    }

    static func setState(_ memory: GuestMemory, _ address: UInt64, _ value: UInt32) throws {
        try memory.write(withUnsafeBytes(of: value.littleEndian) { Array($0) }, at: UInt32(address))
    }

    /// The collector's state and the whole heap region.
    static func snapshot(_ memory: GuestMemory) throws -> [UInt8] {
        try memory.read(at: UInt32(NativeHeap.State.base), count: 1024)
            + memory.read(at: Region.table, count: Int(Region.end - Region.table))
    }

    /// SplitMix64, so a failure names a reproducible seed.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Runs the same random allocator calls on the guest's functions and on the native ones
    /// and compares every result and the memory after every call.
    func compareRandomCalls(seed: UInt64, calls: Int) throws -> [String] {
        let (wasmStore, wasmInstance, wasmMemory) = try Self.instance(native: false)
        let (nativeStore, nativeInstance, nativeMemory) = try Self.instance(native: true)
        var random = Random(state: seed)
        var live: [UInt32] = []
        var problems: [String] = []
        for step in 0..<calls where problems.count < 5 {
            let size = UInt32([0, 1, 15, 16, 17, 33, 100, 250, 500, 1000, 3000][random.next(11)] + random.next(40))
            var function = PinnedGuest.Native.gcAlloc.index
            var arguments: [Value] = [.i32(size), .i32(UInt32(random.next(2)))]
            var target: Int?
            switch random.next(10) {
            case 0...3:
                break
            case 4...6 where !live.isEmpty:
                target = random.next(live.count)
                function = PinnedGuest.Native.gcRealloc.index
                let shrinkOrGrow = random.next(3) == 0 ? UInt32(random.next(20)) : size
                arguments = [.i32(live[target!]), .i32(shrinkOrGrow), .i32(UInt32(random.next(3) == 0 ? 0 : 1))]
            case 7...8 where !live.isEmpty:
                target = random.next(live.count)
                function = PinnedGuest.Native.gcFree.index
                arguments = [.i32(live[target!])]
            default:
                function = random.next(2) == 0 ? PinnedGuest.Native.gcRealloc.index : PinnedGuest.Native.gcFree.index
                arguments = function == PinnedGuest.Native.gcFree.index ? [.i32(0)] : [.i32(0), .i32(size), .i32(1)]
            }
            // Now and then the collector is locked (depth 1 is "collecting": frees still work).
            let lock: UInt8 = random.next(12) == 0 ? UInt8(1 + random.next(2)) * 2 - 1 : 0
            for memory in [wasmMemory, nativeMemory] { try memory.write([lock, 0], at: UInt32(NativeHeap.State.lockDepth)) }
            let a = try wasmStore.invoke(wasmInstance, functionIndex: function, arguments)
            let b = try nativeStore.invoke(nativeInstance, functionIndex: function, arguments)
            for memory in [wasmMemory, nativeMemory] { try memory.write([0, 0], at: UInt32(NativeHeap.State.lockDepth)) }
            guard case .finished(let x) = a, case .finished(let y) = b, x == y else {
                problems.append("seed \(seed) step \(step): function \(function)\(arguments) gave \(a) in Wasm, \(b) natively")
                continue
            }
            if try Self.snapshot(wasmMemory) != Self.snapshot(nativeMemory) {
                problems.append("seed \(seed) step \(step): memory differs after function \(function)\(arguments)")
                break
            }
            // Track what is allocated, as a program would, and fill it (moves must copy it).
            var result: UInt32 = 0
            if case .i32(let v)? = x.first { result = v }
            if result != 0, function != PinnedGuest.Native.gcFree.index {
                let filled = [UInt8](repeating: UInt8(truncatingIfNeeded: step | 1), count: Int(min(size, 64)))
                for memory in [wasmMemory, nativeMemory] { try memory.write(filled, at: result) }
            }
            if function == PinnedGuest.Native.gcAlloc.index || (function == PinnedGuest.Native.gcRealloc.index && target == nil) {
                if result != 0 { live.append(result) }
            } else if let t = target, function == PinnedGuest.Native.gcFree.index {
                if lock <= 1 { live.remove(at: t) }
            } else if let t = target {
                if case .i32(let n) = arguments[1], n == 0 {
                    if lock <= 1 { live.remove(at: t) }
                } else if result != 0 {
                    live[t] = result
                }
            }
        }
        return problems
    }

    @Test func thePinnedGuestsFunctionsMatch() throws {
        let guest = try MicroPythonGuest.load(path: RuntimePaths.guest.path)
        #expect(GuestVerifier.bodiesMatch(guest.module, [PinnedGuest.Native.gcAlloc, PinnedGuest.Native.gcFree,
                                                         PinnedGuest.Native.gcRealloc, PinnedGuest.Native.memcpy,
                                                         PinnedGuest.Native.memset]))
    }

    /// 3 × 1,500 random calls: allocations with and without finalisers, growing, shrinking,
    /// moving and refused (no-move) reallocations, frees, a locked collector, and a heap that
    /// fills up (no collection is enabled, so both return 0).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomCallsLeaveTheSameMemory(seed: UInt64) throws {
        let problems = try compareRandomCalls(seed: seed, calls: 1_500)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Runs that start, end or fit exactly at table-word (32-block) edges, which the native
    /// search reads a word at a time: the same block is chosen as by the guest.
    @Test(arguments: [
        ([UInt8](repeating: 0, count: 8) + [UInt8](repeating: 0x55, count: 8), 512),   // 32 free, then used
        ([UInt8](repeating: 0x55, count: 7) + [0x15] + [UInt8](repeating: 0, count: 8) + [0x54], 528),  // 1 + 32 + 1
        ([0x40] + [UInt8](repeating: 0x55, count: 6) + [0x05] + [0x50, 0x55], 48),   // 3 free inside, 2 at the end
        ([0x00, 0x55, 0x00, 0x00, 0x41, 0x55, 0x55, 0x15], 160),   // 10 across bytes inside a word
        ([0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x15, 0x00, 0x00], 48),   // the last block of a word, then more
        // Too few free blocks early: found past the whole used rest, which the native search
        // skips 128 blocks at a time, in the table's free end.
        ([0x00, 0x00], 160),
        ([UInt8](repeating: 0x55, count: 40) + [0x54] + [UInt8](repeating: 0x55, count: 30), 64),
    ] as [([UInt8], UInt32)])
    func runsAtWordEdges(table: [UInt8], bytes: UInt32) throws {
        var results: [[UInt8]] = []
        var addresses: [Value] = []
        for native in [false, true] {
            let (store, instance, memory) = try Self.instance(native: native)
            try memory.write(table + [UInt8](repeating: 0x55, count: Int(Region.tableBytes) - table.count - 16), at: Region.table)
            let result = try store.invoke(instance, functionIndex: PinnedGuest.Native.gcAlloc.index, [.i32(bytes), .i32(0)])
            guard case .finished(let values) = result else { Issue.record("\(result)"); return }
            addresses += values
            results.append(try Self.snapshot(memory))
        }
        #expect(addresses[0] == addresses[1], "guest \(addresses[0]), native \(addresses[1])")
        #expect(addresses[0] != .i32(0))
        #expect(results[0] == results[1])
    }

    /// When a collection is due, the native allocator leaves the call to the guest.
    @Test func aDueCollectionIsLeftToTheGuest() throws {
        let (store, _, memory) = try Self.instance(native: false, autoCollect: true)
        defer { withExtendedLifetime(store) {} }
        try Self.setState(memory, NativeHeap.State.allocationThreshold, 0)
        let result = try memory.withBytes(at: 0, count: memory.size) { bytes in
            try NativeHeap.Heap(m: GuestBytes(raw: bytes)).allocate(bytes: 32, flags: 0)
        }
        #expect(result == nil)
        try Self.setState(memory, NativeHeap.State.allocationThreshold, 1_000)
        let allocated = try memory.withBytes(at: 0, count: memory.size) { bytes in
            try NativeHeap.Heap(m: GuestBytes(raw: bytes)).allocate(bytes: 32, flags: 0)
        }
        #expect(allocated == Region.pool)
    }

    /// Programs that allocate, grow strings, build JSON and collect print the same, down to
    /// the addresses of their objects, with the native allocator as without it. The small heap
    /// makes the guest collect (through the declined path) many times.
    @Test func programsAgreeWithAndWithoutIt() throws {
        let code = """
            import gc, json
            ids = []
            keep = []
            for i in range(300):
                s = ''
                for j in range(i % 40):
                    s += chr(65 + j % 26) * (j % 7)
                d = {'i': i, 's': s, 'l': list(range(i % 13)), 't': (i, str(i))}
                text = json.dumps([d] * (i % 5))
                keep.append(json.loads(text) if i % 3 else text)
                if len(keep) > 40:
                    keep = keep[20:]
                b = bytearray(i)
                b.extend(b'x' * (i % 50))
                ids.append(id(d) ^ id(b) ^ id(text))
                if i % 97 == 0:
                    gc.collect()
            print(len(ids), sum(ids) % 1000003, ids[-5:], gc.mem_alloc(), gc.mem_free(), len(keep))
            """
        let options = PythonRunOptions.deterministic(heap: 256 << 10, fuel: 20_000_000_000)
        let (native, wasm) = try NativeComparison.runBothWays(code, options: options)
        #expect(native.stdoutText == wasm.stdoutText)
        #expect(native.stdoutText.hasPrefix("300 "), "\(native.stdoutText.prefix(300)) \(native.stderrText.prefix(300))")
        #expect(native.fuelUsed < wasm.fuelUsed)
    }
}
