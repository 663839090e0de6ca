// Reading the binary format's primitive values: bytes, LEB128 integers, floats, names.
// https://webassembly.github.io/spec/core/binary/values.html

/// A cursor over a module's bytes.
///
/// Like the reference decoder, reads are bounded by the end of the whole binary, not of the
/// current section: section and body sizes are checked once an item has been read. Every read
/// checks the end first, so malformed input yields a ``DecodingError``, never an out-of-bounds
/// access. The reader borrows the bytes: use it only inside the `withUnsafeBufferPointer`
/// scope that produced its base pointer.
struct ByteReader {
    /// The first byte of the whole binary.
    let base: UnsafePointer<UInt8>
    /// Total length of the binary.
    let count: Int
    /// The current read offset from `base`.
    var offset: Int
    /// Reads stop here: the end of the binary.
    var limit: Int
    /// Whether the reader is inside a section (this only changes the wording of end errors).
    var inSection = false

    init(base: UnsafePointer<UInt8>, count: Int, offset: Int = 0, limit: Int? = nil) {
        self.base = base
        self.count = count
        self.offset = offset
        self.limit = limit ?? count
        self.inSection = offset > 8
    }

    /// The error for reading past the end.
    @inline(never)
    func endError() -> DecodingError {
        DecodingError(inSection ? .unexpectedEndOfSection : .unexpectedEnd, at: offset)
    }

    @inline(__always)
    mutating func readByte() throws(DecodingError) -> UInt8 {
        guard offset < limit else { throw endError() }
        let b = base[offset]
        offset += 1
        return b
    }

    @inline(__always)
    func peekByte() throws(DecodingError) -> UInt8 {
        guard offset < limit else { throw endError() }
        return base[offset]
    }

    /// Reads an unsigned LEB128 integer of at most 32 bits.
    @inline(__always)
    mutating func readU32() throws(DecodingError) -> UInt32 {
        // Fast path: one byte.
        if offset < limit {
            let b = base[offset]
            if b < 0x80 {
                offset += 1
                return UInt32(b)
            }
        }
        return try readU32Slow()
    }

    @inline(never)
    mutating func readU32Slow() throws(DecodingError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let start = offset
            let b = try readByte()
            if shift == 28 {
                if b & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: start) }
                if b & 0x70 != 0 { throw DecodingError(.integerTooLarge, at: start) }
            }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a signed LEB128 integer of at most 32 bits.
    mutating func readS32() throws(DecodingError) -> Int32 {
        var result: Int32 = 0
        var shift: Int32 = 0
        while true {
            let start = offset
            let b = try readByte()
            if shift == 28 {
                if b & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: start) }
                // Bits 4..6 must equal the sign bit (bit 3).
                let high = b & 0x78
                if high != 0 && high != 0x78 { throw DecodingError(.integerTooLarge, at: start) }
            }
            result |= Int32(b & 0x7F) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 32 && (b & 0x40) != 0 { result |= -1 << shift }
                return result
            }
        }
    }

    /// Reads a signed LEB128 integer of at most 33 bits (block types).
    mutating func readS33() throws(DecodingError) -> Int64 {
        var result: Int64 = 0
        var shift: Int64 = 0
        while true {
            let start = offset
            let b = try readByte()
            if shift == 28 {
                if b & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: start) }
                let high = b & 0x70
                if high != 0 && high != 0x70 { throw DecodingError(.integerTooLarge, at: start) }
            }
            result |= Int64(b & 0x7F) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && (b & 0x40) != 0 { result |= -1 << shift }
                return result
            }
        }
    }

    /// Reads a signed LEB128 integer of at most 64 bits.
    mutating func readS64() throws(DecodingError) -> Int64 {
        var result: Int64 = 0
        var shift: Int64 = 0
        while true {
            let start = offset
            let b = try readByte()
            if shift == 63 {
                if b & 0x80 != 0 { throw DecodingError(.integerRepresentationTooLong, at: start) }
                // Only bit 0 is meaningful; bits 1..6 must equal it.
                if b != 0 && b != 0x7F { throw DecodingError(.integerTooLarge, at: start) }
            }
            result |= Int64(b & 0x7F) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && (b & 0x40) != 0 { result |= -1 << shift }
                return result
            }
        }
    }

    /// Reads a little-endian 32-bit value (f32 bit pattern).
    mutating func readFixed32() throws(DecodingError) -> UInt32 {
        guard limit - offset >= 4 else { offset = limit; throw endError() }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(base[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return v
    }

    /// Reads a little-endian 64-bit value (f64 bit pattern).
    mutating func readFixed64() throws(DecodingError) -> UInt64 {
        guard limit - offset >= 8 else { offset = limit; throw endError() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(base[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    /// Reads a length (of a vector, name, section or body) and checks it does not exceed the
    /// bytes left ("length out of bounds"), so no allocation is sized by an unchecked length.
    mutating func readLength() throws(DecodingError) -> Int {
        let at = offset
        let n = Int(try readU32())
        guard n <= limit - offset else { throw DecodingError(.lengthOutOfBounds, at: at) }
        return n
    }

    /// Reads a vector's item count. Not checked against the bytes left (the reference decoder
    /// reports running out while reading the items); reserve with ``capacity(for:itemSize:)``.
    @inline(__always)
    mutating func readCount() throws(DecodingError) -> Int {
        Int(try readU32())
    }

    /// A capacity to reserve for `count` items of at least `itemSize` bytes each: never more
    /// than the bytes left could hold.
    func capacity(for count: Int, itemSize: Int) -> Int {
        min(count, (limit - offset) / max(itemSize, 1))
    }

    /// Reads a name: a length-prefixed UTF-8 string.
    mutating func readName() throws(DecodingError) -> String {
        let n = try readLength()
        let start = offset
        let buffer = UnsafeBufferPointer(start: base + start, count: n)
        guard Self.isValidUTF8(buffer) else { throw DecodingError(.malformedUTF8, at: start) }
        offset += n
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, at most U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            var need = 0
            var minimum: UInt32 = 0
            var cp: UInt32 = 0
            if b0 & 0xE0 == 0xC0 { need = 1; minimum = 0x80; cp = UInt32(b0 & 0x1F) }
            else if b0 & 0xF0 == 0xE0 { need = 2; minimum = 0x800; cp = UInt32(b0 & 0x0F) }
            else if b0 & 0xF8 == 0xF0 { need = 3; minimum = 0x10000; cp = UInt32(b0 & 0x07) }
            else { return false }
            guard i + need < n else { return false }
            for k in 1...need {
                let b = bytes[i + k]
                guard b & 0xC0 == 0x80 else { return false }
                cp = (cp << 6) | UInt32(b & 0x3F)
            }
            if cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { return false }
            i += need + 1
        }
        return true
    }
}
