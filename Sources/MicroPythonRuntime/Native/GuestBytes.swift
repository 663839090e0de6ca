// Bounds-checked access to the guest's linear memory for the native replacements of guest
// functions: every read and write traps where the same Wasm load or store would.

import WasmInterpreter

/// Linear memory seen by a native replacement: little-endian loads and byte stores that trap
/// with `memoryOutOfBounds` exactly where the guest's own instructions would.
struct GuestBytes {
    /// The whole linear memory.
    let raw: UnsafeMutableRawBufferPointer

    /// The byte offset of an access of `count` bytes at `address` (a Wasm effective address,
    /// which may exceed 32 bits), or a trap.
    @inline(__always) func check(_ address: UInt64, _ count: Int) throws(Trap) -> Int {
        guard address <= UInt64(raw.count), Int(address) <= raw.count - count else { throw Trap(.memoryOutOfBounds) }
        return Int(address)
    }
    /// `i32.load8_u`.
    @inline(__always) func u8(_ address: UInt64) throws(Trap) -> UInt32 {
        UInt32(raw[try check(address, 1)])
    }
    /// `i32.load8_s`.
    @inline(__always) func s8(_ address: UInt64) throws(Trap) -> Int32 {
        Int32(Int8(bitPattern: raw[try check(address, 1)]))
    }
    /// `i32.load16_u`.
    @inline(__always) func u16(_ address: UInt64) throws(Trap) -> UInt32 {
        UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: try check(address, 2), as: UInt16.self)))
    }
    /// `i32.load`.
    @inline(__always) func u32(_ address: UInt64) throws(Trap) -> UInt32 {
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: try check(address, 4), as: UInt32.self))
    }
    /// `i32.store8` of the low 8 bits of `value`.
    @inline(__always) func store8(_ address: UInt64, _ value: Int32) throws(Trap) {
        raw[try check(address, 1)] = UInt8(truncatingIfNeeded: value)
    }
    /// `i64.load`.
    @inline(__always) func u64(_ address: UInt64) throws(Trap) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: try check(address, 8), as: UInt64.self))
    }
    /// `i32.store`.
    @inline(__always) func store32(_ address: UInt64, _ value: UInt32) throws(Trap) {
        raw.storeBytes(of: value.littleEndian, toByteOffset: try check(address, 4), as: UInt32.self)
    }
    /// `memory.fill` with zero: traps, writing nothing, if any byte is out of bounds.
    func zero(_ address: UInt64, _ count: UInt32) throws(Trap) {
        let start = try check(address, Int(count))
        guard count > 0 else { return }
        (raw.baseAddress! + start).initializeMemory(as: UInt8.self, repeating: 0, count: Int(count))
    }
    /// `memory.copy` of non-overlapping ranges: traps, writing nothing, if either is out of bounds.
    func copy(to destination: UInt64, from source: UInt64, _ count: UInt32) throws(Trap) {
        let to = try check(destination, Int(count)), from = try check(source, Int(count))
        guard count > 0 else { return }
        (raw.baseAddress! + to).copyMemory(from: raw.baseAddress! + from, byteCount: Int(count))
    }
}
