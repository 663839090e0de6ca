// Forking: a new store with a copy of another's state, including a suspended execution.
//
// Lowered code is shared (it belongs to the compiled modules); memories, tables, globals,
// segments, exceptions and the live part of the stacks are copied, and every internal pointer
// is remapped to the copy. Far cheaper than instantiating again: no validation, no segment
// initialisation, no start function, no replay of whatever the guest did since.

extension Store {
    /// Why a store cannot be forked right now.
    public struct ForkError: Error, Sendable, CustomStringConvertible {
        /// A one-line explanation.
        public var description: String
    }

    /// Returns a new, independent store with a copy of this one's instances and state. A
    /// suspended execution is copied too and can be resumed in either store. Host functions
    /// are shared unless `rebind` returns replacements (for example, to give the copy its own
    /// I/O); it gets each host function with the module and name it was imported as.
    public func fork(rebind: (_ module: String, _ name: String, _ function: HostFunction) -> HostFunction = { $2 })
        throws(ForkError) -> Store {
        guard !running else { throw ForkError(description: "cannot fork a store while it runs (fork when idle or suspended)") }
        let copy = Store(configuration: configuration)
        copy.fuel = fuel
        copy.deadline = deadline
        copy.modules = modules
        copy.exportTables = exportTables
        copy.instanceInfos = instanceInfos
        copy.memoryMaxima = memoryMaxima
        copy.tableMaxima = tableMaxima
        copy.tagTypes = tagTypes
        copy.exceptions = exceptions
        copy.hookSaved = hookSaved
        for i in 0..<hostFunctions.count {
            let entry = hostFunctions[i]
            _ = copy.hostFunctions.append(rebind(entry.module, entry.name, entry.function), module: entry.module, name: entry.name)
        }

        // Memories, tables, globals.
        var memoryMap: [UnsafeMutablePointer<MemoryStorage>: UnsafeMutablePointer<MemoryStorage>] = [:]
        for (i, m) in memories.enumerated() {
            let old = m.pointee
            let reserve = old.maxPages * wasmPageSize
            let storage = UnsafeMutablePointer<MemoryStorage>.allocate(capacity: 1)
            let backing = configuration.memoryBacking
            if let region = memorySnapshots[i]?.makeRegion(reserveBytes: reserve)
                ?? backing?.duplicate(old.base, byteCount: old.byteCount, reserveBytes: reserve),
               region.byteCount >= old.byteCount {
                storage.initialize(to: MemoryStorage(base: region.base, byteCount: old.byteCount, capacity: region.byteCount,
                                                     maxPages: old.maxPages, mapped: true, zeroTail: true))
            } else {
                let base = UnsafeMutableRawPointer.allocate(byteCount: max(old.capacity, 8), alignment: 16)
                base.copyMemory(from: old.base, byteCount: old.byteCount)
                storage.initialize(to: MemoryStorage(base: base, byteCount: old.byteCount, capacity: max(old.capacity, 8),
                                                     maxPages: old.maxPages))
            }
            copy.memories.append(storage)
            copy.memorySnapshots.append(nil)
            memoryMap[m] = storage
        }
        var tableMap: [UnsafeMutablePointer<TableStorage>: UnsafeMutablePointer<TableStorage>] = [:]
        for t in tables {
            let old = t.pointee
            let elements = UnsafeMutablePointer<UInt64>.make(old.capacity, 0)
            elements.update(from: old.elements, count: old.count)
            let storage = UnsafeMutablePointer<TableStorage>.allocate(capacity: 1)
            storage.initialize(to: TableStorage(elements: elements, count: old.count, capacity: old.capacity,
                                                maxCount: old.maxCount, elementType: old.elementType))
            copy.tables.append(storage)
            tableMap[t] = storage
        }
        var globalMap: [UnsafeMutablePointer<UInt64>: UnsafeMutablePointer<UInt64>] = [:]
        for g in globalCells {
            let cell = UnsafeMutablePointer<UInt64>.make(1, g.cell.pointee)
            copy.globalCells.append((cell, g.type))
            globalMap[g.cell] = cell
        }

        // Instances (allocated first so records can point at them), then their contents.
        for _ in instances { copy.instances.append(UnsafeMutablePointer<InstanceContext>.allocate(capacity: 1)) }
        // Records point at their instance; an instance context knows its index in the store.
        func remap(_ record: FunctionRecord) -> FunctionRecord {
            var r = record
            r.instance = copy.instances[record.instance.pointee.index]
            return r
        }
        var copiedFunctions: [UnsafeMutablePointer<FunctionRecord>] = []
        for (i, oldPointer) in instances.enumerated() {
            let old = oldPointer.pointee
            let functions = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: max(old.functionCount, 1))
            for f in 0..<old.functionCount {
                functions.advanced(by: f).initialize(to: remap(old.functions[f]))
            }
            copiedFunctions.append(functions)
            let globals = UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>.allocate(capacity: max(old.globalCount, 1))
            for g in 0..<old.globalCount { globals[g] = globalMap[old.globals[g]]! }
            let tablePointers = UnsafeMutablePointer<UnsafeMutablePointer<TableStorage>>.allocate(capacity: max(old.tableCount, 1))
            for t in 0..<old.tableCount { tablePointers[t] = tableMap[old.tables[t]]! }
            let elements = UnsafeMutablePointer<ElementSegmentState>.make(old.elementCount, ElementSegmentState(items: nil, count: 0))
            for e in 0..<old.elementCount {
                let segment = old.elements[e]
                guard let items = segment.items else { continue }
                let itemsCopy = UnsafeMutablePointer<UInt64>.make(segment.count, 0)
                itemsCopy.update(from: items, count: segment.count)
                elements[e] = ElementSegmentState(items: itemsCopy, count: segment.count)
            }
            let data = UnsafeMutablePointer<DataSegmentState>.make(old.dataCount, DataSegmentState(bytes: nil, count: 0))
            data.update(from: old.data, count: old.dataCount)
            let tags = UnsafeMutablePointer<UInt32>.make(old.tagCount, 0)
            tags.update(from: old.tags, count: old.tagCount)
            copy.instances[i].initialize(to: InstanceContext(
                functions: functions, functionCount: old.functionCount,
                globals: globals, globalCount: old.globalCount,
                memory: old.memory.map { memoryMap[$0]! },
                tables: tablePointers, tableCount: old.tableCount,
                elements: elements, elementCount: old.elementCount,
                data: data, dataCount: old.dataCount,
                tags: tags, tagCount: old.tagCount, index: i))
        }
        while copy.instanceTableCapacity < copy.instances.count {
            copy.instanceTable.deallocate()
            copy.instanceTableCapacity *= 2
            copy.instanceTable = UnsafeMutablePointer.allocate(capacity: copy.instanceTableCapacity)
        }
        for (i, p) in copy.instances.enumerated() { copy.instanceTable[i] = p }

        // Hooks: their original records move to the copy's instances.
        for hook in hooks {
            let original = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: 1)
            original.initialize(to: remap(hook.original.pointee))
            copy.hooks.append(CallHook(onEnter: hook.onEnter, onExit: hook.onExit, original: original, wrapper: hook.wrapper))
        }
        for (hostIndex, original) in fastPathOriginals {
            let moved = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: 1)
            moved.initialize(to: remap(original.pointee))
            copy.fastPathOriginals[hostIndex] = moved
        }
        /// The copy's record for one of this store's records (a function of an instance, or a
        /// hook's or fast path's original), found by address range: no table of every record is needed.
        func mapRecord(_ p: UnsafeMutablePointer<FunctionRecord>) -> UnsafeMutablePointer<FunctionRecord>? {
            for (i, instance) in instances.enumerated() {
                let base = instance.pointee.functions
                if p >= base && p < base + instance.pointee.functionCount { return copiedFunctions[i] + (p - base) }
            }
            for (h, hook) in hooks.enumerated() where hook.original == p { return copy.hooks[h].original }
            for (hostIndex, original) in fastPathOriginals where original == p { return copy.fastPathOriginals[hostIndex] }
            return nil
        }

        // A suspended execution: the live stack, its frames and registers.
        if let s = suspended {
            let r = s.registers
            let top = r.fp + max(r.function.pointee.frameSize, 1)
            let live = top - stack
            copy.stack.update(from: stack, count: live)
            func slot(_ p: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<UInt64> { copy.stack + (p - stack) }
            for d in 0..<r.depth {
                let frame = frames[d]
                guard let function = mapRecord(frame.function) else {
                    throw ForkError(description: "a frame refers to an unknown function")
                }
                var moved = frame
                moved.fp = slot(frame.fp)
                moved.function = function
                copy.frames[d] = moved
            }
            guard let function = mapRecord(r.function) else { throw ForkError(description: "the suspended function is unknown") }
            let registers = Registers(pc: r.pc, fp: slot(r.fp), function: function, depth: r.depth, entryDepth: r.entryDepth)
            copy.suspended = SuspendedExecution(
                registers: registers,
                hostResults: s.hostResults.map { (slot($0.slots), $0.types) },
                entryResultTypes: s.entryResultTypes, entryFP: slot(s.entryFP))
        }
        return copy
    }
}
