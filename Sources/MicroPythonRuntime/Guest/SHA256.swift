// SHA-256 as specified in FIPS 180-4, section 6.2:
// https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf
//
// Used to verify the pinned MicroPython guest before it is loaded (see `Guest/guest.json`).
// Standard library only: no Foundation, no packages.

/// An incremental SHA-256 hasher (FIPS 180-4).
///
/// Feed bytes with `update(_:)` (or the `[UInt8]` and generic
/// `Sequence` overloads) in any number of pieces, then call ``finalize()`` to get the ``Digest``.
/// For a single buffer, `hash(_:)` does both steps.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(header)
/// hasher.update(body)
/// let digest = hasher.finalize()
/// print(digest.hex)
/// ```
///
/// The hasher is a value type with no heap storage: copying it forks the computation.
public struct SHA256: Sendable {
    /// The size of a SHA-256 digest in bytes (32).
    public static let digestByteCount = 32

    /// The size of a SHA-256 message block in bytes (64).
    public static let blockByteCount = 64

    /// The eight 32-bit chaining words H0...H7.
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The initial hash value H(0): the first 32 bits of the fractional parts of the square roots
    /// of the first eight primes (FIPS 180-4, 5.3.3).
    static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    /// The round constants K0...K63: the first 32 bits of the fractional parts of the cube roots
    /// of the first sixty-four primes (FIPS 180-4, 4.2.2).
    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The running chaining value.
    private var state: State

    /// Bytes of a partial block waiting for the rest of their block (64 bytes of inline storage).
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// How many bytes of `pending` are in use (always less than 64 between calls).
    private var pendingCount: Int

    /// The total number of message bytes fed so far (the length is taken modulo 2^64 bits, as in
    /// the standard).
    private var totalByteCount: UInt64

    /// Creates a hasher for a new, empty message.
    public init() {
        state = Self.initialState
        pending = (0, 0, 0, 0, 0, 0, 0, 0)
        pendingCount = 0
        totalByteCount = 0
    }

    /// Appends the bytes in `bytes` to the message. This is the fast path: whole 64-byte blocks are
    /// compressed straight from the buffer without copying.
    ///
    /// - Parameter bytes: the next bytes of the message; may be empty.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalByteCount &+= UInt64(remaining)

        // Top up a partial block first.
        if pendingCount > 0 {
            let offset = pendingCount
            let take = min(Self.blockByteCount &- offset, remaining)
            withUnsafeMutableBytes(of: &pending) { block in
                (block.baseAddress! + offset).copyMemory(from: source, byteCount: take)
            }
            pendingCount = offset &+ take
            source += take
            remaining &-= take
            guard pendingCount == Self.blockByteCount else { return }
            let block = pending
            withUnsafeBytes(of: block) { Self.compress(&state, blocks: $0.baseAddress!, count: 1) }
            pendingCount = 0
        }

        // Whole blocks, in place.
        let blockCount = remaining / Self.blockByteCount
        if blockCount > 0 {
            Self.compress(&state, blocks: source, count: blockCount)
            let consumed = blockCount &* Self.blockByteCount
            source += consumed
            remaining &-= consumed
        }

        // Keep the tail for next time.
        if remaining > 0 {
            let tail = remaining
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.copyMemory(from: source, byteCount: tail)
            }
            pendingCount = tail
        }
    }

    /// Appends the bytes of an array to the message (a fast path: no per-byte work).
    ///
    /// - Parameter bytes: the next bytes of the message; may be empty.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Appends any sequence of bytes to the message. Contiguous collections (`ArraySlice`,
    /// `ContiguousArray`, a native `String.UTF8View`, ...) take the fast path; other sequences are
    /// copied through a small stack buffer.
    ///
    /// - Parameter bytes: the next bytes of the message; may be empty.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled != nil { return }

        let chunkSize = 4 * Self.blockByteCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            var count = 0
            for byte in bytes {
                chunk[count] = byte
                count &+= 1
                if count == chunkSize {
                    update(UnsafeRawBufferPointer(chunk))
                    count = 0
                }
            }
            if count > 0 {
                update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: count))
            }
        }
    }

    /// Pads the message, processes the last block(s) and returns the digest.
    ///
    /// Afterwards the hasher is reset to the state of a fresh ``init()``, ready for a new message.
    /// To read a digest and keep hashing the same message, finalize a copy:
    /// `var copy = hasher; let partial = copy.finalize()`.
    ///
    /// - Returns: the SHA-256 digest of every byte passed to `update` since creation or the last
    ///   `finalize()`.
    public mutating func finalize() -> Digest {
        let bitLength = totalByteCount &* 8
        // 0x80, then zeros up to 56 mod 64, then the 64-bit big-endian bit length.
        let zeroPadded = pendingCount < 56 ? 56 &- pendingCount : 120 &- pendingCount
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padding) { bytes in
            bytes[0] = 0x80
            bytes.storeBytes(of: bitLength.bigEndian, toByteOffset: zeroPadded, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: bytes[..<(zeroPadded &+ 8)]))
        }
        assert(pendingCount == 0, "SHA-256 padding must end on a block boundary")

        let (h0, h1, h2, h3, h4, h5, h6, h7) = state
        let words = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian,
                     h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        let digest = withUnsafeBytes(of: words) { Digest(uncheckedBytes: Array($0)) }
        self = SHA256()
        return digest
    }

    /// Hashes `bytes` in one call.
    ///
    /// - Parameter bytes: the whole message.
    /// - Returns: its SHA-256 digest.
    public static func hash(_ bytes: [UInt8]) -> Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes the bytes of a raw buffer in one call.
    ///
    /// - Parameter bytes: the whole message.
    /// - Returns: its SHA-256 digest.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes any sequence of bytes in one call (for example `SHA256.hash("abc".utf8)`).
    ///
    /// - Parameter bytes: the whole message.
    /// - Returns: its SHA-256 digest.
    public static func hash(_ bytes: some Sequence<UInt8>) -> Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

// MARK: - Compression function

extension SHA256 {
    /// Runs the SHA-256 compression function (FIPS 180-4, 6.2.2) over `count` consecutive 64-byte
    /// blocks starting at `blocks` (no alignment required), updating `state`.
    ///
    /// The caller's bytes are read in place; the 64-word message schedule lives on the stack; the
    /// working variables stay in locals, and the rounds are unrolled by eight with the variables'
    /// roles rotated (instead of shuffling eight values after every round).
    static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        roundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                var (h0, h1, h2, h3, h4, h5, h6, h7) = state
                var block = blocks
                for _ in 0..<count {
                    // Message schedule (6.2.2 step 1), then K[t] added in: the rounds read one
                    // word through one pointer, which keeps the working variables in registers.
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let w2 = w[t &- 2], w15 = w[t &- 15]
                        let sigma0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 &>> 3)
                        let sigma1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 &>> 10)
                        w[t] = sigma1 &+ w[t &- 7] &+ sigma0 &+ w[t &- 16]
                    }
                    for t in 0..<64 { w[t] &+= k[t] }

                    // Rounds (steps 2 and 3).
                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
                    var t = 0
                    while t < 64 {
                        round(a, b, c, &d, e, f, g, &h, w[t])
                        round(h, a, b, &c, d, e, f, &g, w[t &+ 1])
                        round(g, h, a, &b, c, d, e, &f, w[t &+ 2])
                        round(f, g, h, &a, b, c, d, &e, w[t &+ 3])
                        round(e, f, g, &h, a, b, c, &d, w[t &+ 4])
                        round(d, e, f, &g, h, a, b, &c, w[t &+ 5])
                        round(c, d, e, &f, g, h, a, &b, w[t &+ 6])
                        round(b, c, d, &e, f, g, h, &a, w[t &+ 7])
                        t &+= 8
                    }

                    // Intermediate hash value (step 4).
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                    block += blockByteCount
                }
                state = (h0, h1, h2, h3, h4, h5, h6, h7)
            }
        }
    }

    /// One SHA-256 round with the working variables passed in their current roles. Instead of
    /// shifting all eight (h = g, g = f, ..., a = T1 + T2), it writes the two that change in place:
    /// `d` becomes the new `e` and `h` becomes the new `a`; the caller rotates the roles.
    ///
    /// - Parameter kw: K[t] + W[t].
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ kw: UInt32
    ) {
        let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        // Ch and Maj (FIPS 180-4, 4.1.2) in equivalent forms with fewer operations.
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ bigSigma1 &+ choose &+ kw
        let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let majority = (a & b) | (c & (a | b))
        d &+= t1
        h = t1 &+ bigSigma0 &+ majority
    }

    /// Rotates `x` right by `n` bits (ROTR in FIPS 180-4, 3.2).
    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }
}

// MARK: - Digest

extension SHA256 {
    /// A 32-byte SHA-256 digest.
    ///
    /// Compare digests with `==`; print or pin them with ``hex``; parse pinned values with
    /// ``init(hex:)``.
    public struct Digest: Sendable, Hashable, CustomStringConvertible {
        /// The 32 digest bytes, most significant first (the order of the usual hex spelling).
        public let bytes: [UInt8]

        /// Wraps bytes already known to be 32 long.
        init(uncheckedBytes bytes: [UInt8]) {
            assert(bytes.count == SHA256.digestByteCount)
            self.bytes = bytes
        }

        /// Creates a digest from its 32 bytes.
        ///
        /// - Parameter bytes: exactly 32 bytes; any other count gives `nil`.
        public init?(bytes: [UInt8]) {
            guard bytes.count == SHA256.digestByteCount else { return nil }
            self.bytes = bytes
        }

        /// Parses the usual 64-character hexadecimal spelling (upper or lower case), as printed by
        /// `sha256sum` and pinned in `Guest/guest.json`.
        ///
        /// - Parameter hex: 64 hex digits, no prefix or separators; anything else gives `nil`.
        public init?(hex: some StringProtocol) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(SHA256.digestByteCount)
            var high: UInt8? = nil
            for unit in hex.utf8 {
                let nibble: UInt8
                switch unit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = unit &- UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = unit &- UInt8(ascii: "a") &+ 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = unit &- UInt8(ascii: "A") &+ 10
                default: return nil
                }
                if let first = high {
                    guard bytes.count < SHA256.digestByteCount else { return nil }
                    bytes.append(first << 4 | nibble)
                    high = nil
                } else {
                    high = nibble
                }
            }
            guard high == nil, bytes.count == SHA256.digestByteCount else { return nil }
            self.bytes = bytes
        }

        /// The digest as 64 lowercase hexadecimal digits, as printed by `sha256sum`.
        public var hex: String {
            let digits: StaticString = "0123456789abcdef"
            return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                digits.withUTF8Buffer { table in
                    for (index, byte) in bytes.enumerated() {
                        out[2 &* index] = table[Int(byte &>> 4)]
                        out[2 &* index &+ 1] = table[Int(byte & 0x0f)]
                    }
                }
                return bytes.count * 2
            }
        }

        /// The same as ``hex``.
        public var description: String { hex }
    }
}
