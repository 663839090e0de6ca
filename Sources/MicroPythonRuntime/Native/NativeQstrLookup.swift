// A native `qstr_find_strn` for the pinned guest. MicroPython looks up whether a string is
// already interned each time it makes a short string at run time (slicing, split, format, dict
// keys, json); the guest's version hashes the bytes and walks every qstr pool in Wasm, which is
// most of the work in string-heavy programs. This computes exactly what the guest's function 62
// computes, over the same pools in linear memory, after `GuestVerifier.nativeFunctionsMatch`
// checked that function 62 and the strncmp (1482) and memcmp (1471) it calls are the pinned
// bodies. Reads are bounds-checked: where the guest would trap on an out-of-bounds load, this
// traps too; a pool list corrupted into a cycle ends in a trap instead of running forever.

public import WasmInterpreter

/// The guest's `qstr_find_strn(str, len) -> qstr`, natively.
public enum NativeQstrLookup {
    /// Where `MP_STATE_VM(last_pool)` is.
    static let lastPoolAddress: UInt64 = 66772 + 36
    /// Most pool entries one lookup may visit before it is treated as a corrupted pool list.
    static let maxVisitedEntries = 1 << 26

    /// Replaces function 62 of `instance` (the pinned guest, checked with `GuestVerifier`).
    public static func install(in store: Store, instance: Instance) throws(Trap) {
        let host = HostFunction(parameters: [.i32, .i32], results: [.i32]) { call in
            call.setResult(0, u32: try find(call.memory, string: call.u32(0), length: call.u32(1)))
            return .return
        }
        try store.replace(instance, function: PinnedGuest.Native.qstrFindStrn.index, with: host, name: "qstr_find_strn")
    }

    /// The qstr of the `length` bytes at `string`, or 0 if they are not interned.
    static func find(_ memory: GuestMemory, string: UInt32, length: UInt32) throws -> UInt32 {
        if length == 0 { return 1 }   // MP_QSTR_ (the empty string)
        return try memory.withBytes(at: 0, count: memory.size) { bytes -> UInt32 in
            let view = GuestBytes(raw: bytes)
            // The hash loop reads every byte (and traps past the end, as the guest would).
            var hash: UInt32 = 5381
            if Int32(bitPattern: length) >= 1 {
                if UInt64(string) + UInt64(length) <= UInt64(bytes.count), let base = bytes.baseAddress {
                    // All in bounds (checked once): the bytes read directly.
                    let text = UnsafeRawPointer(base + Int(string))
                    for i in 0..<Int(length) { hash = (hash &* 33) ^ UInt32(text.load(fromByteOffset: i, as: UInt8.self)) }
                } else {
                    for i in 0..<UInt64(length) { hash = (hash &* 33) ^ UInt32(try view.u8(UInt64(string) + i)) }
                }
                hash &= 0xFFFF
            }
            let wanted = hash > 1 ? hash : 1
            var visited = 0
            var pool = try view.u32(lastPoolAddress)
            while pool != 0 {
                // Each pool counts as a visit too: an empty pool linked to itself visits no entry.
                visited += 1
                guard visited < maxVisitedEntries else { throw Trap(.hostError(NativeLookupError.corruptedPools)) }
                let base = UInt64(pool)
                var high = try view.u32(base + 12) &- 1
                var low: UInt32 = 0
                let totalPrevious = try view.u32(base + 4)
                // Sorted pools (top bit of total_prev_len) narrow the range by binary search.
                if Int32(bitPattern: totalPrevious) < 0 && high >= 2 {
                    repeat {
                        let middle = (high &+ low) >> 1
                        let candidate = try view.u32(UInt64(pool &+ 24 &+ (middle << 2)))
                        if try view.strncmp(string, candidate, length) < 1 { high = middle } else { low = middle }
                        visited += 1
                        guard visited < maxVisitedEntries else { throw Trap(.hostError(NativeLookupError.corruptedPools)) }
                    } while high &- low > 1
                }
                let end = high &+ 1
                if low < end {
                    let hashes = try view.u32(base + 16)
                    let lengths = try view.u32(base + 20)
                    /// Whether entry `at`, whose hash matched, holds the string itself.
                    func holdsString(_ at: UInt32) throws -> Bool {
                        try view.u8(UInt64(lengths &+ at)) == length
                            && view.memcmpIsZero(try view.u32(UInt64(pool &+ (at << 2) &+ 24)), string, length)
                    }
                    var at = low
                    if let hashBytes = inBoundsHashes(view, hashes, end: end) {
                        // The hashes read straight from memory (their range checked once), the
                        // rest only for a matching hash, as the guest does. The visit count ends a
                        // corrupted pool at the same entry as the checked loop below.
                        let budget = UInt64(maxVisitedEntries - visited)
                        let stop = UInt64(end &- low) <= budget ? end : low &+ UInt32(budget)
                        // Eight hashes compared at once; a group holding the wanted hash is
                        // checked entry by entry. `littleEndian` makes the lanes compare right
                        // on any host (memory is little-endian).
                        let wantedLanes = SIMD8<UInt16>(repeating: UInt16(truncatingIfNeeded: wanted).littleEndian)
                        while at != stop {
                            if stop &- at >= 8,
                               !any(hashBytes.loadUnaligned(fromByteOffset: Int(at) &* 2, as: SIMD8<UInt16>.self) .== wantedLanes) {
                                at &+= 8
                                continue
                            }
                            if UInt32(UInt16(littleEndian: hashBytes.loadUnaligned(fromByteOffset: Int(at) &* 2, as: UInt16.self))) == wanted,
                               try holdsString(at) {
                                return (totalPrevious & 0x7FFF_FFFF) &+ at
                            }
                            at &+= 1
                        }
                        visited += Int(stop &- low)
                        guard visited < maxVisitedEntries else { throw Trap(.hostError(NativeLookupError.corruptedPools)) }
                    } else {
                        repeat {
                            if try view.u16(UInt64(hashes &+ (at << 1))) == wanted, try holdsString(at) {
                                return (totalPrevious & 0x7FFF_FFFF) &+ at
                            }
                            at &+= 1
                            visited += 1
                            guard visited < maxVisitedEntries else { throw Trap(.hostError(NativeLookupError.corruptedPools)) }
                        } while at != end
                    }
                }
                pool = try view.u32(base)
            }
            return 0
        }
    }
}

extension NativeQstrLookup {
    /// The start of a pool's hash array (`hashes`, entries 0..<`end`, two bytes each) when all
    /// of it lies in memory without its 32-bit addresses wrapping: then entry `i` is at byte
    /// `2 * i` from it, as the guest computes. Nil otherwise (the checked loop handles it).
    static func inBoundsHashes(_ view: GuestBytes, _ hashes: UInt32, end: UInt32) -> UnsafeRawPointer? {
        let last = UInt64(hashes) + UInt64(end) * 2
        guard end < 1 << 31, last <= UInt64(UInt32.max), last <= UInt64(view.raw.count),
              let base = view.raw.baseAddress else { return nil }
        return UnsafeRawPointer(base + Int(hashes))
    }
}

/// The C library comparisons `qstr_find_strn` calls.
extension GuestBytes {
    /// musl's `strncmp`: compares until a difference, a NUL or `n` bytes; the sign of the result.
    func strncmp(_ left: UInt32, _ right: UInt32, _ n: UInt32) throws(Trap) -> Int {
        if n == 0 { return 0 }
        var remaining = n - 1
        var l = UInt64(left), r = UInt64(right)
        while true {
            let a = try u8(l), b = try u8(r)
            if a == 0 || b == 0 || remaining == 0 || a != b { return Int(a) - Int(b) }
            l += 1
            r += 1
            remaining -= 1
        }
    }

    /// Whether musl's `memcmp` returns 0: the `n` bytes are equal (reading stops at the first difference).
    func memcmpIsZero(_ left: UInt32, _ right: UInt32, _ n: UInt32) throws(Trap) -> Bool {
        var i: UInt32 = 0
        while i < n {
            if try u8(UInt64(left &+ i)) != (try u8(UInt64(right &+ i))) { return false }
            i += 1
        }
        return true
    }
}

/// Why the native lookup stopped the guest.
public enum NativeLookupError: Error, Sendable, CustomStringConvertible {
    /// The qstr pool list visits more pools and entries than any real one has (a cycle).
    case corruptedPools
    /// An allocation in the guest's heap table runs on past the table's last block.
    case corruptedHeap

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .corruptedPools: return "the guest's qstr pools are corrupted (the lookup visited over 2^26 pools and entries)"
        case .corruptedHeap: return "the guest's heap table is corrupted (an allocation runs past its last block)"
        }
    }
}
