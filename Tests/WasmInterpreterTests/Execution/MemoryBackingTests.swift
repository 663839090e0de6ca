import Testing
import Synchronization
@testable import WasmInterpreter

/// A heap-based backing that records what the store asks of it; regions come pre-filled with
/// a marker byte past what must read as zero, so a store that trusted stale bytes would show it.
final class RecordingBacking: LinearMemoryBacking, @unchecked Sendable {
    let log = Mutex<[String]>([])
    let live = Mutex<Int>(0)

    func note(_ s: String) { log.withLock { $0.append(s) } }

    func allocate(minimumBytes: Int, reserveBytes: Int) -> LinearMemoryRegion? {
        note("allocate \(minimumBytes) \(reserveBytes)")
        let size = max(minimumBytes, min(reserveBytes, 4 << 20), 8)
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        live.withLock { $0 += 1 }
        return LinearMemoryRegion(base: base, byteCount: size)
    }

    func duplicate(_ source: UnsafeRawPointer, byteCount: Int, reserveBytes: Int) -> LinearMemoryRegion? {
        note("duplicate \(byteCount)")
        guard let region = allocate(minimumBytes: byteCount, reserveBytes: reserveBytes) else { return nil }
        region.base.copyMemory(from: source, byteCount: byteCount)
        return region
    }

    func snapshot(_ source: UnsafeRawPointer, byteCount: Int) -> (any LinearMemorySnapshot)? {
        note("snapshot \(byteCount)")
        return RecordingSnapshot(bytes: Array(UnsafeRawBufferPointer(start: source, count: byteCount)), backing: self)
    }

    func release(_ region: LinearMemoryRegion) {
        note("release")
        live.withLock { $0 -= 1 }
        region.base.deallocate()
    }
}

final class RecordingSnapshot: LinearMemorySnapshot, @unchecked Sendable {
    let bytes: [UInt8]
    let backing: RecordingBacking
    init(bytes: [UInt8], backing: RecordingBacking) { self.bytes = bytes; self.backing = backing }
    var byteCount: Int { bytes.count }
    func makeRegion(reserveBytes: Int) -> LinearMemoryRegion? {
        backing.note("region from snapshot")
        guard let region = backing.allocate(minimumBytes: bytes.count, reserveBytes: reserveBytes) else { return nil }
        bytes.withUnsafeBytes { region.base.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return region
    }
}

@Suite("Memory backings and frozen templates")
struct MemoryBackingTests {
    /// `bump()` adds 1 to memory word 0 and returns it; `grow(n)` grows by n pages; `load(a)` reads a word.
    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 8)
        b.function([], [.i32], locals: [.i32], export: "bump",
                   I.i32(0) + I.i32(0) + I.i32Load() + I.i32(1) + I.i32Add + I.tee(0) + I.i32Store() + I.get(0))
        b.function([.i32], [.i32], export: "grow", I.get(0) + I.memoryGrow())
        b.function([.i32], [.i32], export: "load", I.get(0) + I.i32Load())
        return try CompiledModule(bytes: b.build())
    }

    @Test func memoriesComeFromTheBackingAndGoBackToIt() throws {
        let backing = RecordingBacking()
        var configuration = StoreConfiguration()
        configuration.memoryBacking = backing
        do {
            let store = Store(configuration: configuration)
            let instance = try store.instantiate(Self.module())
            #expect(try store.call(instance, "bump") == [.i32(1)])
            #expect(try store.call(instance, "grow", [.i32(2)]) == [.i32(1)])
            // Grown pages read as zero.
            #expect(try store.call(instance, "load", [.i32(2 * 65536 + 100)]) == [.i32(0)])
            #expect(try store.call(instance, "grow", [.i32(10)]) == [.i32(UInt32(bitPattern: -1))])
            #expect(backing.log.withLock { $0.first } == "allocate 65536 524288")
        }
        #expect(backing.live.withLock { $0 } == 0, "every region was released")
    }

    @Test func frozenStoreRefusesToRunAndForksCopyOnWrite() throws {
        let backing = RecordingBacking()
        var configuration = StoreConfiguration()
        configuration.memoryBacking = backing
        let template = Store(configuration: configuration)
        let instance = try template.instantiate(Self.module())
        for _ in 0..<5 { _ = try template.call(instance, "bump") }
        template.freeze()
        #expect(template.isFrozen)
        let trap = try #require(throws: Trap.self) { try template.call(instance, "bump") }
        #expect(trap.description.contains("frozen"))
        let a = try template.fork()
        let b = try template.fork()
        #expect(try a.call(instance, "bump") == [.i32(6)])
        #expect(try a.call(instance, "bump") == [.i32(7)])
        #expect(try b.call(instance, "bump") == [.i32(6)])
        #expect(try a.call(instance, "grow", [.i32(1)]) == [.i32(1)])
        #expect(try a.call(instance, "load", [.i32(65536)]) == [.i32(0)])
        let log = backing.log.withLock { $0 }
        #expect(log.filter { $0 == "snapshot 65536" }.count == 1, "one snapshot at freeze: \(log)")
        #expect(log.filter { $0 == "region from snapshot" }.count == 2, "each fork maps the snapshot: \(log)")
        // A fork of a fork (not frozen) duplicates instead.
        let c = try a.fork()
        #expect(try c.call(instance, "bump") == [.i32(8)])
        #expect(backing.log.withLock { $0 }.contains("duplicate 131072"))
    }

    @Test func heapMemoriesStillZeroWhatTheyGrowInto() throws {
        let store = Store()
        let instance = try store.instantiate(Self.module())
        #expect(try store.call(instance, "grow", [.i32(3)]) == [.i32(1)])
        #expect(try store.call(instance, "load", [.i32(3 * 65536 + 8)]) == [.i32(0)])
        // Without a backing, freezing still stops the store running, and forks copy.
        store.freeze()
        let fork = try store.fork()
        #expect(try fork.call(instance, "bump") == [.i32(1)])
    }
}
