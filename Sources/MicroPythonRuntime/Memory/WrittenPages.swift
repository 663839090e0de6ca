// Which pages of a memory can hold data, asked of the kernel instead of read byte by byte.
//
// Freezing a session template copies its memory into a snapshot. A template's memory is a
// copy-on-write view of the booted prelude's snapshot, about 2,100 pages of which the template
// changes a few dozen; reading every page to find the non-zero ones took over a millisecond, most
// of a template's making. Linux says per page, in /proc/self/pagemap, whether the process has a
// private copy of it (written since it was mapped), has it swapped out, or still sees what it
// was mapped from. Pages still as mapped need no reading: they hold what the region's origin
// snapshot holds there (known from when it was made), or zero in an anonymous reservation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import WasmInterpreter

/// The pages of a region that may differ from what the region was mapped with.
enum WrittenPages {
    /// pagemap bits (Documentation/admin-guide/mm/pagemap.rst).
    static let present: UInt64 = 1 << 63
    static let swapped: UInt64 = 1 << 62
    static let fileOrSharedAnonymous: UInt64 = 1 << 61

    /// For each of the `pageCount` pages from the page-aligned `base`: whether it may have been
    /// written since it was mapped (a private copy, a swapped-out page, or anything the kernel
    /// reports oddly). Nil when the kernel cannot say (not Linux, no /proc, a short read).
    static func map(_ base: UnsafeRawPointer, pageCount: Int) -> [Bool]? {
        guard pageCount > 0, isTrustworthy, let entries = entries(base, pageCount: pageCount) else { return nil }
        return entries.map(mayHaveBeenWritten)
    }

    /// Whether this kernel's pagemap says what it should, checked once on scratch mappings: in
    /// an anonymous one, a written page present and not a file page, an untouched one absent;
    /// in a private view of a shared-memory object, a written page the process's own and a page
    /// only read still the object's. A kernel that emulates the file (or reports zeros) could
    /// make written pages look untouched and lose their bytes; there every page is read instead.
    static let isTrustworthy: Bool = {
        #if os(Linux)
        let page = MappedMemoryBacking.pageSize
        guard let scratch = MappedMemoryBacking.reserve(2 * page) else { return false }
        defer { munmap(scratch, 2 * page) }
        scratch.storeBytes(of: 1, as: UInt8.self)
        guard let anonymous = entries(scratch, pageCount: 2),
              anonymous[0] & present != 0, anonymous[0] & fileOrSharedAnonymous == 0,
              anonymous[1] & (present | swapped) == 0 else { return false }

        guard let fd = MappedMemorySnapshot.makeObject(size: 2 * page) else { return false }
        defer { close(fd) }
        guard let view = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), view != MAP_FAILED else { return false }
        defer { munmap(view, 2 * page) }
        view.storeBytes(of: 1, as: UInt8.self)
        let readByte = view.load(fromByteOffset: page, as: UInt8.self)
        guard let file = entries(view, pageCount: 2) else { return false }
        return readByte == 0 && file[0] & present != 0 && file[0] & fileOrSharedAnonymous == 0
            && !mayHaveBeenWritten(file[1])
        #else
        return false
        #endif
    }()

    /// The raw pagemap entries of `pageCount` pages from the page-aligned `base`.
    static func entries(_ base: UnsafeRawPointer, pageCount: Int) -> [UInt64]? {
        #if os(Linux)
        let page = MappedMemoryBacking.pageSize
        let address = UInt(bitPattern: base)
        guard address % UInt(page) == 0 else { return nil }
        let fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var entries = [UInt64](repeating: 0, count: pageCount)
        let wanted = pageCount * MemoryLayout<UInt64>.size
        let offset = off_t(address / UInt(page)) * off_t(MemoryLayout<UInt64>.size)
        let read = entries.withUnsafeMutableBytes { buffer -> Int in
            var done = 0
            while done < wanted {
                let n = pread(fd, buffer.baseAddress! + done, wanted - done, offset + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                done += n
            }
            return done
        }
        guard read == wanted else { return nil }
        return entries
        #else
        return nil
        #endif
    }

    /// Whether a page with pagemap entry `entry` may differ from what it was mapped with. A
    /// page not present and not swapped was never written (an anonymous page reads as zero, a
    /// file page as the file); a present page of the file is still the file's. Everything else
    /// (a private copy, the zero page, a swapped or migrating page) is read.
    static func mayHaveBeenWritten(_ entry: UInt64) -> Bool {
        if entry & swapped != 0 { return true }
        if entry & present == 0 { return false }
        return entry & fileOrSharedAnonymous == 0
    }
}

/// The regions `MappedMemorySnapshot.makeRegion` made and not yet released, by base address,
/// with the snapshot each shows: a page of one that was never written holds that snapshot's
/// bytes, not zero.
enum RegionOrigins {
    struct Entry {
        var byteCount: Int
        var snapshot: MappedMemorySnapshot
    }

    static let regions = Mutex<[UInt: Entry]>([:])

    static func record(_ region: LinearMemoryRegion, origin: MappedMemorySnapshot) {
        regions.withLock { $0[UInt(bitPattern: region.base)] = Entry(byteCount: region.byteCount, snapshot: origin) }
    }

    static func forget(_ base: UnsafeMutableRawPointer) {
        _ = regions.withLock { $0.removeValue(forKey: UInt(bitPattern: base)) }
    }

    /// What the pages from `source` were mapped with: `.snapshot` when `source` is the start of
    /// a region made from one, `.zero` when it lies in no such region, `.unknown` when it lies
    /// inside one but not at its start (the caller then reads every page).
    static func origin(of source: UnsafeRawPointer) -> Origin {
        let address = UInt(bitPattern: source)
        return regions.withLock { table in
            if let entry = table[address] { return .snapshot(entry.snapshot) }
            for (base, entry) in table where address > base && address < base + UInt(entry.byteCount) {
                return .unknown
            }
            return .zero
        }
    }

    enum Origin {
        case zero
        case snapshot(MappedMemorySnapshot)
        case unknown
    }
}
