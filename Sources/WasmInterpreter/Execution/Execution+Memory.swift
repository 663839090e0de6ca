// Memory and table instructions that are too big for the dispatch loop: growth and bulk
// operations. https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

extension Store {
    /// memory.grow: returns the old size in pages, or -1.
    @inline(never)
    func memoryGrow(_ memory: UnsafeMutablePointer<MemoryStorage>, by delta: UInt32) -> Int32 {
        let oldBytes = memory.pointee.byteCount
        let oldPages = oldBytes / wasmPageSize
        let newPages = oldPages + Int(delta)
        guard newPages <= memory.pointee.maxPages else { return -1 }
        let newBytes = newPages * wasmPageSize
        if newBytes > memory.pointee.capacity {
            let maxBytes = memory.pointee.maxPages * wasmPageSize
            let old = memory.pointee
            let bytesAt = allocateMemoryBytes(minimumBytes: newBytes, reserveBytes: maxBytes,
                                              heapBytes: max(newBytes, min(old.capacity * 2, maxBytes)))
            bytesAt.base.copyMemory(from: old.base, byteCount: oldBytes)
            memory.pointee.base = bytesAt.base
            memory.pointee.capacity = bytesAt.capacity
            memory.pointee.mapped = bytesAt.mapped
            memory.pointee.zeroTail = bytesAt.mapped
            releaseMemoryBytes(old)
        }
        if !memory.pointee.zeroTail {
            (memory.pointee.base + oldBytes).initializeMemory(as: UInt8.self, repeating: 0, count: newBytes - oldBytes)
        }
        memory.pointee.byteCount = newBytes
        return Int32(oldPages)
    }

    /// The out-of-bounds path of `i32StoreRun` at `pc`: performs the entries in order up to
    /// the first whose address is out of bounds (the caller then traps).
    @inline(never)
    func storeRunUntilOutOfBounds(_ pc: UnsafeMutablePointer<UInt64>, fp: UnsafeMutablePointer<UInt64>,
                                  memory: UnsafeMutableRawPointer, size: UInt64) {
        let w = pc.pointee
        let base = UInt64(u32(fp[opA(w)]))
        for k in 0..<opB(w) {
            let e = pc[1 + k]
            let ea = base &+ (e >> 32)
            guard ea &+ 4 <= size else { return }
            storeUnaligned(memory, Int(ea), u32(fp[Int(truncatingIfNeeded: e & 0xFFFF)]))
        }
    }

    /// memory.init (also used for active data segments).
    @inline(never)
    func memoryInit(ctx: UnsafeMutablePointer<InstanceContext>, segment: Int, destination: UInt32,
                    source: UInt32, count: UInt32) throws(Trap) {
        let data = ctx.pointee.data[segment]
        guard let memory = ctx.pointee.memory else { throw Trap(.memoryOutOfBounds) }
        guard UInt64(source) + UInt64(count) <= UInt64(data.count),
              UInt64(destination) + UInt64(count) <= UInt64(memory.pointee.byteCount) else {
            throw Trap(.memoryOutOfBounds)
        }
        if count > 0, let bytes = data.bytes {
            (memory.pointee.base + Int(destination)).copyMemory(from: bytes + Int(source), byteCount: Int(count))
        }
    }

    /// memory.copy (overlap-safe).
    @inline(never)
    func memoryCopy(_ memory: UnsafeMutablePointer<MemoryStorage>, destination: UInt32, source: UInt32, count: UInt32) throws(Trap) {
        let size = UInt64(memory.pointee.byteCount)
        guard UInt64(source) + UInt64(count) <= size, UInt64(destination) + UInt64(count) <= size else {
            throw Trap(.memoryOutOfBounds)
        }
        if count > 0 {
            // Raw `copyMemory` is a memmove: overlapping ranges copy correctly in either direction.
            let base = memory.pointee.base
            (base + Int(destination)).copyMemory(from: base + Int(source), byteCount: Int(count))
        }
    }

    /// memory.fill.
    @inline(never)
    func memoryFill(_ memory: UnsafeMutablePointer<MemoryStorage>, destination: UInt32, value: UInt8, count: UInt32) throws(Trap) {
        guard UInt64(destination) + UInt64(count) <= UInt64(memory.pointee.byteCount) else {
            throw Trap(.memoryOutOfBounds)
        }
        if count > 0 {
            (memory.pointee.base + Int(destination)).initializeMemory(as: UInt8.self, repeating: value, count: Int(count))
        }
    }

    /// table.init (also used for active element segments).
    @inline(never)
    func tableInit(ctx: UnsafeMutablePointer<InstanceContext>, table: Int, segment: Int, destination: UInt32,
                   source: UInt32, count: UInt32) throws(Trap) {
        let t = ctx.pointee.tables[table]
        let e = ctx.pointee.elements[segment]
        guard UInt64(source) + UInt64(count) <= UInt64(e.count),
              UInt64(destination) + UInt64(count) <= UInt64(t.pointee.count) else {
            throw Trap(.tableOutOfBounds)
        }
        if count > 0, let items = e.items {
            (t.pointee.elements + Int(destination)).update(from: items + Int(source), count: Int(count))
        }
    }

    /// elem.drop (also applied to active and declarative segments after instantiation).
    func dropElement(ctx: UnsafeMutablePointer<InstanceContext>, segment: Int) {
        ctx.pointee.elements[segment].items?.deallocate()
        ctx.pointee.elements[segment] = ElementSegmentState(items: nil, count: 0)
    }

    /// table.copy (overlap-safe).
    @inline(never)
    func tableCopy(_ dst: UnsafeMutablePointer<TableStorage>, _ src: UnsafeMutablePointer<TableStorage>,
                   destination: UInt32, source: UInt32, count: UInt32) throws(Trap) {
        guard UInt64(source) + UInt64(count) <= UInt64(src.pointee.count),
              UInt64(destination) + UInt64(count) <= UInt64(dst.pointee.count) else {
            throw Trap(.tableOutOfBounds)
        }
        guard count > 0 else { return }
        // Elements are plain UInt64 words, so a raw memmove handles overlap either way.
        UnsafeMutableRawPointer(dst.pointee.elements + Int(destination))
            .copyMemory(from: src.pointee.elements + Int(source), byteCount: Int(count) * MemoryLayout<UInt64>.stride)
    }

    /// table.fill.
    @inline(never)
    func tableFill(_ t: UnsafeMutablePointer<TableStorage>, start: UInt32, value: UInt64, count: UInt32) throws(Trap) {
        guard UInt64(start) + UInt64(count) <= UInt64(t.pointee.count) else { throw Trap(.tableOutOfBounds) }
        if count > 0 { (t.pointee.elements + Int(start)).update(repeating: value, count: Int(count)) }
    }

    /// table.grow: returns the old size, or -1.
    @inline(never)
    func tableGrow(_ t: UnsafeMutablePointer<TableStorage>, by delta: UInt32, value: UInt64) -> Int32 {
        let old = t.pointee.count
        let new = old + Int(delta)
        guard new <= t.pointee.maxCount, new <= Int(UInt32.max) else { return -1 }
        if new > t.pointee.capacity {
            let capacity = max(new, min(t.pointee.capacity * 2, t.pointee.maxCount))
            let elements = UnsafeMutablePointer<UInt64>.make(capacity, 0)
            elements.update(from: t.pointee.elements, count: old)
            t.pointee.elements.deallocate()
            t.pointee.elements = elements
            t.pointee.capacity = capacity
        }
        (t.pointee.elements + old).update(repeating: value, count: Int(delta))
        t.pointee.count = new
        return Int32(truncatingIfNeeded: old)
    }
}
