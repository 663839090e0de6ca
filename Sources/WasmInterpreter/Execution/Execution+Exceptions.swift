// Throwing and catching: unwinding frames to the innermost matching try_table catch clause.
// https://webassembly.github.io/exception-handling/core/exec/instructions.html#xref-syntax-instructions-syntax-instr-control-mathsf-throw-ref

extension Store {
    /// Unwinds from `r.pc` (the throwing instruction or call) to a handler for the exception
    /// `bits`. Returns nil with `r` at the handler, or the uncaught exception as a trap.
    @inline(never)
    func unwind(_ r: inout Registers, exception bits: UInt64) -> LoopExit? {
        guard let object = exceptions.object(bits) else { return .trapped(.nullReference) }
        if exceptions.liveCount > 4096 { collectExceptions(top: r.fp + max(r.function.pointee.frameSize, 1)) }
        guard let firstCode = r.function.pointee.lowered?.takeUnretainedValue() else { return .trapped(.unreachable) }
        var pcIndex = r.pc - firstCode.code
        while true {
            let function = r.function
            if let lowered = function.pointee.lowered?.takeUnretainedValue() {
                for handler in lowered.handlers.reversed() where Int(handler.start) <= pcIndex && pcIndex < Int(handler.end) {
                    for clause in handler.catches {
                        let matches = clause.kind >= 2
                            || function.pointee.instance.pointee.tags[Int(clause.tag)] == object.tag
                        guard matches else { continue }
                        let destination = r.fp + Int(clause.destinationSlot)
                        var n = 0
                        if clause.kind < 2 {
                            for v in object.payload {
                                destination[n] = v
                                n += 1
                            }
                        }
                        if clause.kind == 1 || clause.kind == 3 {
                            destination[n] = bits
                        } else {
                            exceptions.release(bits)
                        }
                        r.pc = lowered.code + Int(clause.target)
                        return nil
                    }
                }
            }
            if r.depth == r.entryDepth {
                exceptions.release(bits)
                let types = tagTypes[Int(object.tag)].parameters
                let values = zip(object.payload, types).map { Value(bits: $0, type: $1) }
                return .trapped(.uncaughtException(WasmException(tagID: object.tag, types: types, values: values)))
            }
            r.depth -= 1
            let frame = frames[r.depth]
            r.pc = frame.returnPC
            r.fp = frame.fp
            r.function = frame.function
            guard let code = frame.function.pointee.lowered?.takeUnretainedValue().code else { return .trapped(.unreachable) }
            pcIndex = (frame.returnPC - code) - 1
        }
    }

    /// Frees exceptions no slot refers to any more (conservative scan of stacks, globals, tables).
    func collectExceptions(top: UnsafeMutablePointer<UInt64>) {
        var roots = Set<UInt64>()
        let marker = ExceptionHeap.marker
        var p = stack
        while p < top {
            if p.pointee & 0xFF00_0000_0000_0000 == marker { roots.insert(p.pointee) }
            p += 1
        }
        for g in globalCells where g.cell.pointee & 0xFF00_0000_0000_0000 == marker { roots.insert(g.cell.pointee) }
        for t in tables where t.pointee.elementType == .exnref {
            for i in 0..<t.pointee.count where t.pointee.elements[i] != 0 { roots.insert(t.pointee.elements[i]) }
        }
        exceptions.collect(keeping: roots)
    }
}
