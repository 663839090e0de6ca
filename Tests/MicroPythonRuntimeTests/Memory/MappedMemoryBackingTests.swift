import Testing
import WasmInterpreter
@testable import MicroPythonRuntime

/// The mmap backing: zero-filled reservations, copies, and copy-on-write regions from snapshots
/// that stay isolated from each other and from their source.
@Suite("Mapped linear memory")
struct MappedMemoryBackingTests {
    let backing = MappedMemoryBacking()

    @Test func reservationsAreZeroAndWritable() throws {
        let region = try #require(backing.allocate(minimumBytes: 65536, reserveBytes: 64 << 20))
        defer { backing.release(region) }
        #expect(region.byteCount >= 64 << 20)
        let bytes = region.base.assumingMemoryBound(to: UInt8.self)
        #expect(bytes[0] == 0 && bytes[region.byteCount - 1] == 0)
        bytes[12345] = 7
        #expect(bytes[12345] == 7)
    }

    @Test func snapshotsGiveIsolatedCopyOnWriteRegions() throws {
        let source = try #require(backing.allocate(minimumBytes: 3 * 65536, reserveBytes: 3 * 65536))
        defer { backing.release(source) }
        let s = source.base.assumingMemoryBound(to: UInt8.self)
        for i in 0..<(3 * 65536) { s[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let snapshot = try #require(backing.snapshot(source.base, byteCount: 3 * 65536))
        #expect(snapshot.byteCount == 3 * 65536)
        let a = try #require(snapshot.makeRegion(reserveBytes: 8 * 65536))
        let b = try #require(snapshot.makeRegion(reserveBytes: 8 * 65536))
        defer { backing.release(a); backing.release(b) }
        let pa = a.base.assumingMemoryBound(to: UInt8.self)
        let pb = b.base.assumingMemoryBound(to: UInt8.self)
        #expect(pa[100] == UInt8(truncatingIfNeeded: 100 &* 31))
        #expect(pa[3 * 65536 - 1] == UInt8(truncatingIfNeeded: (3 * 65536 - 1) &* 31))
        #expect(pa[3 * 65536] == 0, "past the image the region is zero")
        pa[100] = 0xAA
        pa[5 * 65536] = 0xBB
        #expect(pb[100] == UInt8(truncatingIfNeeded: 100 &* 31), "a write in one region is not seen by another")
        #expect(pb[5 * 65536] == 0)
        #expect(s[100] == UInt8(truncatingIfNeeded: 100 &* 31), "nor by the source")
        s[200] = 0xCC
        #expect(pa[200] == UInt8(truncatingIfNeeded: 200 &* 31), "the source changing later is not seen either")
    }

    @Test func duplicatesCopyAndZeroTheRest() throws {
        let source = try #require(backing.allocate(minimumBytes: 65536, reserveBytes: 65536))
        defer { backing.release(source) }
        source.base.storeBytes(of: 0xDEADBEEF as UInt32, as: UInt32.self)
        let copy = try #require(backing.duplicate(source.base, byteCount: 65536, reserveBytes: 4 * 65536))
        defer { backing.release(copy) }
        #expect(copy.base.load(as: UInt32.self) == 0xDEADBEEF)
        #expect(copy.base.load(fromByteOffset: 2 * 65536, as: UInt32.self) == 0)
    }
}
