// Reading and writing WASI structures in guest memory. Every access is bounds-checked by
// `GuestMemory` (an out-of-bounds pointer throws `GuestMemory.OutOfBounds`, which the syscall
// wrapper turns into `EFAULT`); address arithmetic that would pass 4 GiB is `EFAULT` too.

import WasmInterpreter

/// One `iovec`/`ciovec`: a buffer in guest memory.
struct IOVector {
    var base: UInt32
    var length: UInt32
}

extension GuestMemory {
    /// Most iovecs in one call (POSIX `IOV_MAX`); more is `EINVAL`.
    static let maxVectors: UInt32 = 1024
    /// Most bytes one read or write moves (16 MiB); larger requests are short reads and writes,
    /// as POSIX allows. Without it, iovecs repeating one buffer would make the host allocate
    /// far more than the guest's memory.
    static let maxTransfer = 16 << 20

    /// `base + offset` as a 32-bit guest address (`EFAULT` if it does not fit).
    static func address(_ base: UInt32, plus offset: Int) throws(WasiErrno) -> UInt32 {
        guard offset >= 0, let address = UInt32(exactly: UInt64(base) + UInt64(offset)) else { throw .fault }
        return address
    }

    /// The `count` iovecs at `pointer` (8 bytes each: buffer pointer, length).
    func ioVectors(at pointer: UInt32, count: UInt32) throws -> [IOVector] {
        guard count <= Self.maxVectors else { throw WasiErrno.inval }
        let raw = try read(at: pointer, count: Int(count) * 8)
        return (0..<Int(count)).map { i in
            func word(_ at: Int) -> UInt32 {
                UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24
            }
            return IOVector(base: word(i * 8), length: word(i * 8 + 4))
        }
    }

    /// How many bytes a read into `vectors` may take: their total length, at most `maxTransfer`,
    /// after checking each lies inside memory (so a bad buffer is `EFAULT` before anything is
    /// consumed).
    func readableLength(of vectors: [IOVector]) throws -> Int {
        var total = 0
        for v in vectors {
            _ = try withBytes(at: v.base, count: Int(v.length)) { _ in }
            total += Int(v.length)
        }
        return min(total, Self.maxTransfer)
    }

    /// The bytes of `vectors`, concatenated, up to `maxTransfer` (each vector is checked first).
    func gather(_ vectors: [IOVector]) throws -> [UInt8] {
        var remaining = try readableLength(of: vectors)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(remaining)
        for v in vectors where v.length > 0 && remaining > 0 {
            let n = min(Int(v.length), remaining)
            try withBytes(at: v.base, count: n) { bytes.append(contentsOf: $0) }
            remaining -= n
        }
        return bytes
    }

    /// Copies `bytes` into `vectors` in order, as far as they reach.
    func scatter(_ bytes: [UInt8], into vectors: [IOVector]) throws {
        var offset = 0
        for v in vectors where offset < bytes.count {
            let n = min(Int(v.length), bytes.count - offset)
            try withBytes(at: v.base, count: n) { destination in
                bytes.withUnsafeBytes { source in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + n]))
                }
            }
            offset += n
        }
    }

    /// A path argument's raw bytes (`ENAMETOOLONG` past 4096 bytes, checked before reading).
    func pathBytes(at pointer: UInt32, length: UInt32) throws -> [UInt8] {
        guard length <= WasiPathLimits.maxPathBytes else { throw WasiErrno.nametoolong }
        return try read(at: pointer, count: Int(length))
    }
}
