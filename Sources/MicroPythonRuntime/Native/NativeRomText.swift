// A native `mp_decompress_rom_string` for the pinned guest. MicroPython stores its error
// messages compressed: common words are replaced by one byte that indexes a word table, and
// every exception whose message is such a text (an AttributeError, a KeyError, a TypeError
// raised by the runtime) decompresses it when it is created. The guest's version finds the
// n-th word by walking the table from its start for every compressed byte, which makes it a
// quarter of the work in exception-heavy programs. This does exactly what the guest's
// function 73 does, byte for byte, over the same table in linear memory, after
// `GuestVerifier.nativeFunctionsMatch` checked that function 73 is the pinned body. Every
// read and write is bounds-checked and traps where the guest's would.

public import WasmInterpreter

/// The guest's `mp_decompress_rom_string(dst, src)`, natively.
public enum NativeRomText {
    /// The address of the compressed-word table in the pinned guest's data.
    static let wordTable: UInt32 = 1225

    /// Replaces function 73 of `instance` (the pinned guest, checked with `GuestVerifier`).
    public static func install(in store: Store, instance: Instance) throws(Trap) {
        let host = HostFunction(parameters: [.i32, .i32], results: []) { call in
            let memory = call.memory
            try memory.withBytes(at: 0, count: memory.size) { bytes in
                try decompress(GuestBytes(raw: bytes), destination: call.u32(0), source: call.u32(1))
            }
            return .return
        }
        try store.replace(instance, function: PinnedGuest.Native.decompressRomString.index, with: host,
                          name: "mp_decompress_rom_string")
    }

    /// Writes the text compressed at `source` (a 0xFF marker byte, then the text) to
    /// `destination`, NUL-terminated. A byte below 128 is itself; a byte of 128 + n stands for
    /// the n-th word of the table (words end at a byte with the top bit set), and words are
    /// separated from what surrounds them by spaces.
    static func decompress(_ m: GuestBytes, destination: UInt32, source: UInt32) throws(Trap) {
        var out = destination
        var c = Int32(bitPattern: try m.u8(UInt64(source) + 1))
        if c != 0 {
            var at = source &+ 1
            var state: Int32 = 0  // 0 at the start, 1 after a word, 2 after a plain byte
            repeat {
                if Int8(truncatingIfNeeded: c) < 0 {
                    if state != 0 {
                        try m.store8(UInt64(out), 32)
                        out &+= 1
                        c = Int32(bitPattern: try m.u8(UInt64(at)))
                    }
                    var word = wordTable
                    var n = c & 127
                    if n != 0 {
                        var p = wordTable
                        while true {
                            let byte = try m.s8(UInt64(p))
                            p &+= 1
                            word = p
                            if byte > -1 { continue }
                            n &-= 1
                            if n & 255 == 0 { break }
                        }
                    }
                    c = try m.s8(UInt64(word))
                    if c >= 0 {
                        var p = word &+ 1
                        repeat {
                            try m.store8(UInt64(out), c)
                            out &+= 1
                            c = try m.s8(UInt64(p))
                            p &+= 1
                        } while c > -1
                    }
                    try m.store8(UInt64(out), c & 127)
                    state = 1
                } else {
                    if state == 1 {
                        try m.store8(UInt64(out), 32)
                        out &+= 1
                        c = Int32(bitPattern: try m.u8(UInt64(at)))
                    }
                    try m.store8(UInt64(out), c)
                    state = 2
                }
                out &+= 1
                c = Int32(bitPattern: try m.u8(UInt64(at) + 1))
                at &+= 1
            } while c != 0
        }
        try m.store8(UInt64(out), 0)
    }
}
