// fd_readdir: listing a directory into the guest's buffer, page by page.
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-fd_readdirfd-fd-buf-pointeru8-buf_len-size-cookie-dircookie---resultsize-errno

import WasmInterpreter

extension WasiHost {
    /// `fd_readdir(fd, buf, buf_len, cookie, bufused_out)`. Entries are `.`, `..`, then the
    /// names in sorted order; the cookie of entry `i` is `i + 1`. Each entry is a 24-byte
    /// `dirent` (next cookie, inode, name length, type) followed by the name; the last one is cut
    /// off when the buffer is full, which tells the guest to read again from its cookie.
    /// The listing is taken when a read starts at cookie 0 and reused for the pages after it.
    func fdReaddir(_ c: HostCall) throws {
        let (d, directory) = try descriptors.directory(c.u32(0))
        try d.require(.fdReaddir)
        let capacity = Int(c.u32(2))
        let cookie = c.u64(3)
        _ = try c.memory.withBytes(at: c.u32(1), count: capacity) { _ in }
        if cookie == 0 || d.listing == nil { d.listing = try directory.list() }
        let inode = try directory.stat().inode
        let entries = [DirectoryListingEntry(name: ".", inode: inode, type: .directory),
                       DirectoryListingEntry(name: "..", inode: inode, type: .directory)] + (d.listing ?? [])
        var out: [UInt8] = []
        var index = cookie < UInt64(entries.count) ? Int(cookie) : entries.count
        while index < entries.count && out.count < capacity {
            let entry = entries[index]
            let name = Array(entry.name.utf8)
            var header = [UInt8](repeating: 0, count: 24)
            for i in 0..<8 {
                header[i] = UInt8(truncatingIfNeeded: UInt64(index + 1) >> (8 * UInt64(i)))
                header[8 + i] = UInt8(truncatingIfNeeded: entry.inode >> (8 * UInt64(i)))
            }
            for i in 0..<4 { header[16 + i] = UInt8(truncatingIfNeeded: name.count >> (8 * i)) }
            header[20] = entry.type.rawValue
            out += header
            out += name
            index += 1
        }
        if out.count > capacity { out.removeSubrange(capacity...) }
        try c.memory.write(out, at: c.u32(1))
        try c.memory.store(UInt32(out.count), at: c.u32(4))
    }
}
