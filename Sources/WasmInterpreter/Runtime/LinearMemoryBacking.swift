// Where linear memories live. The interpreter core uses only the standard library, so by
// default a memory is a Swift heap allocation: growing past it copies, and pages a memory
// grows into are zeroed by hand. An embedder that may call the operating system can supply a
// backing that reserves address space once (growth in place, pages zeroed lazily by the
// kernel) and gives forks of a frozen store copy-on-write copies of its memory.

/// A block of address space holding one linear memory.
public struct LinearMemoryRegion: @unchecked Sendable {
    /// The first byte.
    public var base: UnsafeMutableRawPointer
    /// The usable size: the memory can grow in place up to this many bytes.
    public var byteCount: Int

    /// Describes a region.
    public init(base: UnsafeMutableRawPointer, byteCount: Int) {
        self.base = base
        self.byteCount = byteCount
    }
}

/// Supplies the storage of linear memories (see `StoreConfiguration.memoryBacking`). Every
/// region it returns must read as zero wherever the memory has not written, beyond any bytes
/// it was asked to copy.
public protocol LinearMemoryBacking: Sendable {
    /// A zero-filled region of at least `minimumBytes`, ideally `reserveBytes` (the memory's
    /// largest possible size) so it never moves; nil to fall back to the Swift heap.
    func allocate(minimumBytes: Int, reserveBytes: Int) -> LinearMemoryRegion?

    /// A region for a fork holding a copy of `byteCount` bytes from `source`, zero after them;
    /// nil to fall back to the Swift heap.
    func duplicate(_ source: UnsafeRawPointer, byteCount: Int, reserveBytes: Int) -> LinearMemoryRegion?

    /// A frozen image of `byteCount` bytes from `source` that later forks map copy-on-write
    /// (`Store.freeze`); nil if the backing cannot (forks then use `duplicate`).
    func snapshot(_ source: UnsafeRawPointer, byteCount: Int) -> (any LinearMemorySnapshot)?

    /// Gives back a region this backing returned.
    func release(_ region: LinearMemoryRegion)
}

/// An immutable memory image that regions can be made from.
public protocol LinearMemorySnapshot: AnyObject, Sendable {
    /// The image's size in bytes.
    var byteCount: Int { get }

    /// A region whose first `byteCount` bytes show the image (copy-on-write), zero after it,
    /// reserving `reserveBytes`; nil on failure (the fork then copies). Released through the
    /// backing that made the snapshot.
    func makeRegion(reserveBytes: Int) -> LinearMemoryRegion?
}
