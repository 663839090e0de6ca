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

    /// Snapshots and duplicates skip the all-zero pages of their source (the destination is
    /// zero already): a lone byte at either end of a page, or in the partial last page, must
    /// still be copied, and nothing else may differ.
    @Test func sparseSourcesCopyExactly() throws {
        let page = MappedMemoryBacking.pageSize
        let byteCount = 5 * page + 100
        let source = try #require(backing.allocate(minimumBytes: byteCount, reserveBytes: byteCount))
        defer { backing.release(source) }
        let s = source.base.assumingMemoryBound(to: UInt8.self)
        for (offset, value) in [(0, 1), (page - 1, 2), (2 * page, 3), (4 * page - 1, 4), (5 * page + 99, 5)] {
            s[offset] = UInt8(value)
        }
        // Page 1 ends in a byte, page 3 is all zero but for its last byte, page 4 is all zero.
        let snapshot = try #require(backing.snapshot(source.base, byteCount: byteCount))
        let region = try #require(snapshot.makeRegion(reserveBytes: 8 * page))
        let copy = try #require(backing.duplicate(source.base, byteCount: byteCount, reserveBytes: 8 * page))
        defer { backing.release(region); backing.release(copy) }
        for destination in [region.base, copy.base] {
            let d = destination.assumingMemoryBound(to: UInt8.self)
            var differing = 0
            for i in 0..<byteCount where d[i] != s[i] { differing += 1 }
            #expect(differing == 0)
            #expect(d[page - 1] == 2 && d[4 * page - 1] == 4 && d[5 * page + 99] == 5)
        }
        #expect(MappedMemoryBacking.isZero(source.base + 4 * page, page))
        #expect(!MappedMemoryBacking.isZero(source.base + 3 * page, page))
        #expect(!MappedMemoryBacking.isZero(source.base + 5 * page, 100))
        #expect(MappedMemoryBacking.isZero(source.base + 5 * page, 99))
    }

    /// A snapshot of a region made from another snapshot (a template frozen after forking the
    /// booted prelude) reads only the pages the kernel says were written since the region was
    /// mapped, plus those its origin holds data in, and still copies every byte: a page of the
    /// origin overwritten with zeros, an origin page only read, a new page inside the origin's
    /// size and one past it.
    @Test func layeredSnapshotsReadOnlyWrittenPages() throws {
        let page = MappedMemoryBacking.pageSize
        let byteCount = 16 * page
        let source = try #require(backing.allocate(minimumBytes: byteCount, reserveBytes: 32 * page))
        defer { backing.release(source) }
        let s = source.base.assumingMemoryBound(to: UInt8.self)
        for index in [1, 3, 5] { s[index * page + 17] = UInt8(index) }
        let first = try #require(backing.snapshot(source.base, byteCount: byteCount) as? MappedMemorySnapshot)
        #expect(first.nonzeroPages.indices.filter { first.nonzeroPages[$0] } == [1, 3, 5])

        let region = try #require(first.makeRegion(reserveBytes: 32 * page))
        let r = region.base.assumingMemoryBound(to: UInt8.self)
        #expect(r[page + 17] == 1, "page 1 is only read")
        (region.base + 3 * page).initializeMemory(as: UInt8.self, repeating: 0, count: page)
        r[7 * page] = 7
        r[20 * page + page - 1] = 20
        let grown = 24 * page
        let second = try #require(backing.snapshot(region.base, byteCount: grown) as? MappedMemorySnapshot)
        let copy = try #require(backing.duplicate(region.base, byteCount: grown, reserveBytes: 32 * page))
        let third = try #require(second.makeRegion(reserveBytes: 32 * page))
        defer { backing.release(third); backing.release(copy); backing.release(region) }

        #expect(second.nonzeroPages.indices.filter { second.nonzeroPages[$0] } == [1, 5, 7, 20])
        for destination in [third.base, copy.base] {
            let d = destination.assumingMemoryBound(to: UInt8.self)
            var differing = 0
            for i in 0..<grown where d[i] != r[i] { differing += 1 }
            #expect(differing == 0)
            #expect(d[page + 17] == 1 && d[3 * page + 17] == 0 && d[5 * page + 17] == 5)
        }
        #if os(Linux)
        // The origin's pages 1, 3 and 5, and the written 3, 7 and 20: five pages of 24.
        #expect(WrittenPages.isTrustworthy, "this kernel's /proc/self/pagemap passes the check")
        #expect(WrittenPages.map(region.base, pageCount: 1) != nil, "Linux reports pages in /proc/self/pagemap")
        #expect(second.pagesRead == 5)
        // Inside a region but not at its start, the origin is not known: every page is read.
        let inner = try #require(backing.snapshot(region.base + page, byteCount: 4 * page) as? MappedMemorySnapshot)
        #expect(inner.pagesRead == 4)
        #endif
    }

    /// Released regions are forgotten, so a later mapping at the same address is not taken for
    /// a view of the old snapshot.
    @Test func releasedRegionsLoseTheirOrigin() throws {
        let page = MappedMemoryBacking.pageSize
        let source = try #require(backing.allocate(minimumBytes: page, reserveBytes: page))
        source.base.storeBytes(of: 9 as UInt8, as: UInt8.self)
        let snapshot = try #require(backing.snapshot(source.base, byteCount: page) as? MappedMemorySnapshot)
        backing.release(source)
        let region = try #require(snapshot.makeRegion(reserveBytes: 2 * page))
        guard case .snapshot(let origin) = RegionOrigins.origin(of: region.base) else {
            Issue.record("a region made from a snapshot records it")
            return
        }
        #expect(origin === snapshot)
        backing.release(region)
        // Another test's region may be mapped at the address at once; it must not be this one.
        if case .snapshot(let later) = RegionOrigins.origin(of: region.base) {
            #expect(later !== snapshot, "a released region is forgotten")
        }
    }
}
