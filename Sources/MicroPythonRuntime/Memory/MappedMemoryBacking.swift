// Linear memories in mapped address space: reserved once at their largest size (so they grow
// in place), zero-filled lazily by the kernel (an untouched page costs nothing), and shared
// copy-on-write with forks of a frozen template through a shared-memory image.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import WasmInterpreter

/// A `LinearMemoryBacking` on `mmap`. Allocation reserves address space without committing
/// memory (`MAP_NORESERVE`); only pages the guest touches become resident. Snapshots are
/// anonymous shared-memory objects that forks map privately, so a fork shares every page of
/// its template until it writes one. Any failure returns nil and the store falls back to
/// the Swift heap, so the backing never makes a store fail.
public struct MappedMemoryBacking: LinearMemoryBacking {
    /// The backing.
    public init() {}

    static let pageSize: Int = {
        let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        return size > 0 ? size : 4096
    }()

    static func roundUp(_ bytes: Int) -> Int {
        let page = pageSize
        return (max(bytes, 1) + page - 1) / page * page
    }

    static func reserve(_ bytes: Int) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
        #else
        let flags = MAP_PRIVATE | MAP_ANON
        #endif
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), p != MAP_FAILED else { return nil }
        return p
    }

    public func allocate(minimumBytes: Int, reserveBytes: Int) -> LinearMemoryRegion? {
        let size = Self.roundUp(max(minimumBytes, reserveBytes))
        guard let base = Self.reserve(size) else { return nil }
        return LinearMemoryRegion(base: base, byteCount: size)
    }

    public func duplicate(_ source: UnsafeRawPointer, byteCount: Int, reserveBytes: Int) -> LinearMemoryRegion? {
        guard let region = allocate(minimumBytes: byteCount, reserveBytes: reserveBytes) else { return nil }
        _ = Self.copyNonzeroPages(from: source, to: region.base, byteCount: byteCount)
        return region
    }

    /// What a page copy found: which pages hold data (and were copied), and how many pages it
    /// had to read to know.
    struct PageCopy {
        var nonzero: [Bool]
        var pagesRead: Int
    }

    /// Copies `byteCount` bytes to `destination`, which must be zero already (a fresh mapping),
    /// page by page, leaving out the pages that are all zero in `source`: those stay untouched,
    /// so they cost no memory there. A booted MicroPython guest's memory is mostly an empty heap;
    /// copying every page took most of the time of making a session template. Pages the kernel
    /// says were never written since `source` was mapped are not even read (`WrittenPages`):
    /// they are zero, or hold what the snapshot `source` was made from holds.
    static func copyNonzeroPages(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
                                 byteCount: Int) -> PageCopy {
        let page = pageSize
        let pageCount = (byteCount + page - 1) / page
        var written: [Bool]? = nil
        var originPages: [Bool] = []
        switch RegionOrigins.origin(of: source) {
        case .zero:
            written = WrittenPages.map(source, pageCount: pageCount)
        case .snapshot(let origin):
            written = WrittenPages.map(source, pageCount: pageCount)
            originPages = origin.nonzeroPages
        case .unknown:
            break
        }
        var result = PageCopy(nonzero: [Bool](repeating: false, count: pageCount), pagesRead: 0)
        for index in 0..<pageCount {
            if let written, !written[index], index >= originPages.count || !originPages[index] { continue }
            let offset = index * page
            let count = min(page, byteCount - offset)
            result.pagesRead += 1
            if !isZero(source + offset, count) {
                (destination + offset).copyMemory(from: source + offset, byteCount: count)
                result.nonzero[index] = true
            }
        }
        return result
    }

    /// Whether the `count` bytes at `p` are all zero.
    static func isZero(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        var bits: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            bits |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            bits |= UInt64(p.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return bits == 0
    }

    public func snapshot(_ source: UnsafeRawPointer, byteCount: Int) -> (any LinearMemorySnapshot)? {
        MappedMemorySnapshot(copying: source, byteCount: byteCount)
    }

    public func release(_ region: LinearMemoryRegion) {
        RegionOrigins.forget(region.base)
        munmap(region.base, region.byteCount)
    }
}

/// A frozen memory image in an unlinked shared-memory object; regions map it privately.
final class MappedMemorySnapshot: LinearMemorySnapshot, @unchecked Sendable {
    let descriptor: Int32
    let byteCount: Int
    /// Which pages of the image hold data (the rest are holes, reading as zero).
    let nonzeroPages: [Bool]
    /// How many pages of the source making the image read (the others the kernel vouched for).
    let pagesRead: Int
    /// The image's size rounded up to whole pages (what regions map from the object).
    let mappedCount: Int

    init?(copying source: UnsafeRawPointer, byteCount: Int) {
        guard byteCount > 0 else { return nil }
        let size = MappedMemoryBacking.roundUp(byteCount)
        guard let fd = Self.makeObject(size: size) else { return nil }
        guard let view = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), view != MAP_FAILED else {
            close(fd)
            return nil
        }
        let copy = MappedMemoryBacking.copyNonzeroPages(from: source, to: view, byteCount: byteCount)
        munmap(view, size)
        nonzeroPages = copy.nonzero
        pagesRead = copy.pagesRead
        descriptor = fd
        self.byteCount = byteCount
        mappedCount = size
    }

    deinit { close(descriptor) }

    /// A new, zero-filled shared-memory object of `size` bytes, as a descriptor (nil on
    /// failure). Its name is unique and unlinked at once: the object lives as long as the
    /// descriptor and whatever maps it.
    static func makeObject(size: Int) -> Int32? {
        var random = SystemRandomNumberGenerator()
        let name = "/sandpiper-\(getpid())-" + String(random.next() as UInt64, radix: 36)
        let fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        shm_unlink(name)
        guard ftruncate(fd, off_t(size)) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    func makeRegion(reserveBytes: Int) -> LinearMemoryRegion? {
        let size = MappedMemoryBacking.roundUp(max(reserveBytes, mappedCount))
        guard let base = MappedMemoryBacking.reserve(size) else { return nil }
        // Replace the start of the reservation with a private (copy-on-write) view of the image.
        guard let view = mmap(base, mappedCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, descriptor, 0),
              view == base else {
            munmap(base, size)
            return nil
        }
        let region = LinearMemoryRegion(base: base, byteCount: size)
        RegionOrigins.record(region, origin: self)
        return region
    }
}
