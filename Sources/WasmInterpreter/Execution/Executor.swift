// The dispatch loop: one `switch` over the lowered instruction stream.
// https://webassembly.github.io/spec/core/exec/instructions.html
//
// The state every instruction may touch lives in local variables: pc, fp (frame base in the
// value stack), and the memory base and size; so does the call depth, which every return's
// frame load depends on. What only calls, returns, globals and back-edges use (the current
// function, interrupt countdown, fuel, the instance and its function and global tables)
// stays in `Registers`, in memory: with fewer live locals the
// register allocator keeps pc and fp in machine registers in every handler, instead of
// shuffling them at the loop head. The build copies the dispatch jump into each handler
// (`-tail-dup-succ-size` in Package.swift). Operands are frame slots read through `fp`; nothing
// here allocates, retains or checks array bounds. Rare and large operations call
// `@inline(never)` helpers on the store.

/// Registers of an execution, saved when the loop stops and restored when it resumes.
struct Registers {
    var pc: UnsafeMutablePointer<UInt64>
    var fp: UnsafeMutablePointer<UInt64>
    var function: UnsafeMutablePointer<FunctionRecord>
    /// Frames in use (a local of `run` while it runs, saved here when it stops).
    var depth: Int
    /// The depth at which returning ends the execution.
    var entryDepth: Int
    /// Calls and back-edges left until the next deadline and cancellation check.
    var countdown = interruptInterval
    /// The current function's instance, and its functions and globals: caches `run` keeps
    /// here, in memory, rather than in locals the register allocator would juggle.
    var instance: UnsafeMutablePointer<InstanceContext>? = nil
    var functions: UnsafeMutablePointer<FunctionRecord>? = nil
    var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>? = nil
    /// The fuel left while `run` runs (the store's `fuel` outside it). Only back edges, calls
    /// and `fuel` instructions touch it, so it lives here rather than in a register.
    var fuel: Int64 = 0
}

/// Why the loop stopped.
enum LoopExit {
    /// The entry function returned.
    case returned
    /// A trap; `pc` points at the trapping instruction.
    case trapped(TrapReason)
    /// A host function suspended; its results go to `slots`.
    case suspended(any Sendable, slots: UnsafeMutablePointer<UInt64>, types: [ValueType])
    /// The fuel ran out at a `fuel` instruction (pc still points at it).
    case outOfFuel
    /// A call's countdown reached zero: the call is done, and `execute` checks the deadline
    /// and cancellation before it runs the loop on. Leaving the loop for that check, rather
    /// than calling out from the call's handler, keeps the handler's end a plain dispatch.
    case checkpoint
}

/// Instructions between deadline and cancellation checks (at calls and loop back-edges).
let interruptInterval = 4096

/// A zero-size memory for instances without one.


/// Stores `value` at `base + offset` without alignment requirements (a fixed-size memcpy,
/// which compiles to one move; `storeBytes(of:toByteOffset:as:)` is not inlined).
@inline(__always) func storeUnaligned<T: FixedWidthInteger>(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: T) {
    var v = value
    (base + offset).copyMemory(from: &v, byteCount: MemoryLayout<T>.size)
}

/// Zeroes `count` slots (locals on function entry). Most functions need one or two (the
/// zero slot, after the entry analysis in `FunctionTranslator`), done inline; longer runs
/// call out (a loop here would become a `memset` call on every path).
@inline(__always) func zeroSlots(_ p: UnsafeMutablePointer<UInt64>, _ count: Int) {
    if count <= 0 { return }
    p[0] = 0
    if count == 1 { return }
    p[1] = 0
    if count == 2 { return }
    zeroManySlots(p + 2, count - 2)
}

@inline(never) func zeroManySlots(_ p: UnsafeMutablePointer<UInt64>, _ count: Int) {
    p.update(repeating: 0, count: count)
}

@inline(__always) func opA(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w >> 16) & 0xFFFF) }
@inline(__always) func opB(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w >> 32) & 0xFFFF) }
@inline(__always) func opC(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w >> 48) }
@inline(__always) func hi32(_ w: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: w >> 32) }
@inline(__always) func u32(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v) }
@inline(__always) func s32(_ v: UInt64) -> Int32 { Int32(truncatingIfNeeded: v) }
@inline(__always) func s64(_ v: UInt64) -> Int64 { Int64(bitPattern: v) }
@inline(__always) func b2u(_ b: Bool) -> UInt64 { b ? 1 : 0 }
@inline(__always) func offsetOf(_ w: UInt64) -> Int { Int(Int32(bitPattern: hi32(w))) }

/// The effective address of `i32LoadIndexed` and `i32Load8UIndexed`: ((slot B << C) + the
/// low half of w1, wrapping to 32 bits) + the high half of w1.
@inline(__always) func scaledAddress(_ fp: UnsafeMutablePointer<UInt64>, _ w: UInt64, _ w1: UInt64) -> UInt64 {
    UInt64(u32(fp[opB(w)]) &<< UInt32(truncatingIfNeeded: opC(w)) &+ u32(w1)) &+ (w1 >> 32)
}

/// The effective address of a slot plus an addend and offset in one word (`i32AddLoad` and its
/// kin, both operands of `f64MulAddInPlace`): (the slot's i32 + the low half of `word`, wrapping
/// to 32 bits) + the high half of `word`.
@inline(__always) func addedAddress(_ slot: UInt64, _ word: UInt64) -> UInt64 {
    UInt64(u32(slot) &+ u32(word)) &+ (word >> 32)
}

/// The effective address of `i32LoadAddShl` and `i32Load8UAddShl`: (slot B + (slot C << the
/// low half of w1), wrapping to 32 bits) + the high half of w1.
@inline(__always) func summedAddress(_ fp: UnsafeMutablePointer<UInt64>, _ w: UInt64, _ w1: UInt64) -> UInt64 {
    UInt64(u32(fp[opB(w)]) &+ (u32(fp[opC(w)]) &<< u32(w1))) &+ (w1 >> 32)
}

extension Store {
    /// Runs from `r` until the entry function returns, a trap, a suspension or fuel exhaustion.
    @inline(never)
    func run(_ r: inout Registers) -> LoopExit {
        var pc = r.pc
        var fp = r.fp
        let entryDepth = r.entryDepth
        var depth = r.depth
        var inst: UnsafeMutablePointer<InstanceContext> { r.instance.unsafelyUnwrapped }
        var funcs: UnsafeMutablePointer<FunctionRecord> { r.functions.unsafelyUnwrapped }
        var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>> { r.globals.unsafelyUnwrapped }
        let emptyMemory = self.emptyMemory
        var mem = emptyMemory
        var memSize: UInt64 = 0
        r.fuel = self.fuel
        var fuel: Int64 {
            get { r.fuel }
            set { r.fuel = newValue }
        }
        let frames = self.frames
        let maxDepth = configuration.maxCallDepth
        let stackEnd = self.stackEnd
        let exit: LoopExit

        @inline(__always) func reload() {
            let inst = r.function.pointee.instance
            r.instance = inst
            r.functions = inst.pointee.functions
            r.globals = inst.pointee.globals
            if let m = inst.pointee.memory {
                mem = m.pointee.base
                memSize = UInt64(m.pointee.byteCount)
            } else {
                mem = emptyMemory
                memSize = 0
            }
        }

        /// Why a backward branch or a call stopped the loop: nil for lack of fuel, else the trap.
        var stopTrap: TrapReason? = nil
        /// Whether the stop is a call's interrupt checkpoint (see `LoopExit.checkpoint`).
        var checkpoint = false

        /// Charges `amount` units of fuel, or, when fewer are left, charges nothing and returns
        /// true: the loop stops for lack of fuel (`stopExit` says so), with pc still at the
        /// charging instruction so that it runs again once refuelled.
        @inline(__always) func chargeStops(_ amount: Int64) -> Bool {
            if fuel < amount {
                stopTrap = nil
                return true
            }
            fuel &-= amount
            return false
        }

        /// A taken backward branch: charges the loop head's fuel (`amount`, 0 without
        /// metering) and counts down to the next interrupt check. True when the loop must
        /// stop (`stopExit` says why). Returns a plain Bool: an optional `LoopExit` here
        /// would cost value-witness calls on every branch.
        @inline(__always) func backEdgeStops(_ amount: UInt64) -> Bool {
            if chargeStops(Int64(amount)) { return true }
            r.countdown &-= 1
            if r.countdown > 0 { return false }
            r.countdown = interruptInterval
            stopTrap = pendingInterrupt(self)
            return stopTrap != nil
        }

        /// Enters a lowered function: checks the call depth and stack room, charges its entry
        /// fuel, pushes the caller's frame, zeroes the locals that need it, and counts down to
        /// the next interrupt check. True when the loop must stop (`stopExit` says why).
        /// `sameInstance` says the callee is known to share the caller's instance (a function
        /// the module defines), which spares the instance comparison.
        @inline(__always) func enterStops(_ callee: UnsafeMutablePointer<FunctionRecord>, code: UnsafeMutablePointer<UInt64>,
                                          frame newFP: UnsafeMutablePointer<UInt64>, returnPC: UnsafeMutablePointer<UInt64>,
                                          sameInstance: Bool) -> Bool {
            guard depth < maxDepth, newFP + callee.pointee.frameSize <= stackEnd else {
                stopTrap = .callStackExhausted
                return true
            }
            // Most entries charge no fuel (always without metering) and zero no locals: one
            // flag covers both.
            let plain = callee.pointee.plainEntry
            if !plain && chargeStops(callee.pointee.entryFuel) { return true }
            let entersOther = !sameInstance && callee.pointee.instance != inst
            frames[depth] = CallFrame(returnPC: returnPC, fp: fp, function: r.function, entersOtherInstance: entersOther)
            depth &+= 1
            if !plain { callee.pointee.zeroLocals(of: newFP) }
            fp = newFP
            r.function = callee
            pc = code
            if entersOther { reload() }
            r.countdown &-= 1
            if r.countdown > 0 { return false }
            r.countdown = interruptInterval
            checkpoint = true
            return true
        }

        /// A compare-and-branch's jump: by the second word's offset when `taken` (a backward
        /// one charging the loop head's fuel, a forward one its target block's if the word's
        /// high half holds it), else past the instruction's `words` words. True if the loop
        /// must stop.
        @inline(__always) func branchWordStops(_ taken: Bool, words: Int = 2) -> Bool {
            guard taken else {
                pc += words
                return false
            }
            let w1 = pc[1]
            if jumpStops(w1) { return true }
            pc += Int(Int32(truncatingIfNeeded: w1))
            return false
        }

        /// The charge of a taken jump by branch word `w1`: a back edge's (offset 0 or less) or
        /// a forward jump's target block's (when metering put one in the high half). True if
        /// the loop must stop before the jump.
        @inline(__always) func jumpStops(_ w1: UInt64) -> Bool {
            let charge = w1 >> 32
            if Int32(truncatingIfNeeded: w1) <= 0 { return backEdgeStops(charge) }
            return charge != 0 && chargeStops(Int64(charge))
        }

        /// A `brIfCharge` or `brIfNotCharge` whose condition is `taken`: charges B units of fuel
        /// and jumps by C (signed 16 bits), else continues. True if the loop must stop for lack
        /// of fuel.
        @inline(__always) func chargedBranchStops(_ taken: Bool, _ w: UInt64) -> Bool {
            guard taken else {
                pc += 1
                return false
            }
            if chargeStops(Int64(opB(w))) { return true }
            pc += Int(Int16(truncatingIfNeeded: opC(w)))
            return false
        }

        /// A jump-table jump: the entry for `index` among the `count` + 1 that start `first`
        /// words past pc (any index from `count` on takes the last), charging the fuel in its
        /// high half. True if the loop must stop for lack of fuel.
        @inline(__always) func tableJumpStops(_ index: UInt32, count: UInt32, first: Int) -> Bool {
            let entry = pc[first + Int(index < count ? index : count)]
            if chargeStops(Int64(entry >> 32)) { return true }
            pc += Int(Int32(truncatingIfNeeded: entry))
            return false
        }

        /// The byte offset in memory of the operand `i32AddLoad` and its kin read, if its
        /// `width` bytes are in bounds: (slot C + the low half of w1, wrapping to 32 bits) + the
        /// high half of w1.
        @inline(__always) func memoryOperand(_ w: UInt64, width: UInt64) -> Int? {
            let ea = addedAddress(fp[opC(w)], pc[1])
            return ea &+ width <= memSize ? Int(truncatingIfNeeded: ea) : nil
        }

        /// The byte offsets in memory `brIfBytesEq` and `brIfBytesNe` compare, if both are in
        /// bounds: (slot A + slot C, wrapping to 32 bits) + w2's low half, and (slot B + slot
        /// C, wrapping) + w2's high half.
        @inline(__always) func byteOperands(_ w: UInt64) -> (Int, Int)? {
            let index = u32(fp[opC(w)]), w2 = pc[2]
            let left = UInt64(u32(fp[opA(w)]) &+ index) &+ (w2 & 0xFFFF_FFFF)
            let right = UInt64(u32(fp[opB(w)]) &+ index) &+ (w2 >> 32)
            guard left < memSize, right < memSize else { return nil }
            return (Int(truncatingIfNeeded: left), Int(truncatingIfNeeded: right))
        }

        /// The byte offsets in memory `f32MulAddInPlace` and `f64MulAddInPlace` read (from slot A
        /// and w1) and update (from slot C and w2), if both `width`-byte operands are in bounds.
        @inline(__always) func multiplyAccumulateOperands(_ w: UInt64, width: UInt64) -> (Int, Int)? {
            let source = addedAddress(fp[opA(w)], pc[1])
            let target = addedAddress(fp[opC(w)], pc[2])
            guard source &+ width <= memSize, target &+ width <= memSize else { return nil }
            return (Int(truncatingIfNeeded: source), Int(truncatingIfNeeded: target))
        }

        /// The end of `addImmBrIfNeImm`, `addImmBrIfNe` and the i64 step-and-branch ops (an i32
        /// `sum` zero-extended): writes the step's `sum` to slot A and
        /// jumps by the second word's offset when `taken`, else continues past the three words. A
        /// taken backward branch checks for a stop before the write, so a stopped loop resumes by
        /// running the instruction again. True if the loop must stop (`stopExit` says why).
        @inline(__always) func stepBranchStops(_ w: UInt64, _ sum: UInt64, taken: Bool) -> Bool {
            guard taken else {
                fp[opA(w)] = sum
                pc += 3
                return false
            }
            let w1 = pc[1]
            if jumpStops(w1) { return true }
            fp[opA(w)] = sum
            pc += Int(Int32(truncatingIfNeeded: w1))
            return false
        }

        func stopExit() -> LoopExit {
            if checkpoint { return .checkpoint }
            if let reason = stopTrap { return .trapped(reason) }
            return .outOfFuel
        }

        @inline(__always) func save() {
            r.pc = pc
            r.fp = fp
            r.depth = depth
            self.fuel = fuel
        }

        /// Takes the registers a cold path left in `r` (when it stops the loop).
        @inline(__always) func adopt() {
            pc = r.pc
            fp = r.fp
            depth = r.depth
        }

        @inline(__always) func restore() {
            pc = r.pc
            fp = r.fp
            depth = r.depth
            fuel = self.fuel
            reload()
        }

        reload()
        loop: while true {
            let w = pc.pointee
            #if SANDPIPER_OP_HISTOGRAM
            OpHistogram.record(w, function: r.function.pointee.functionIndex)
            #endif
            switch Op.decode(w) {
            // MARK: Control
            case .unreachable:
                exit = .trapped(.unreachable)
                break loop
            case .br:
                pc += offsetOf(w)
            case .brBack:
                if backEdgeStops(UInt64(opA(w))) { exit = stopExit(); break loop }
                pc += offsetOf(w)
            case .brIf:
                if u32(fp[opA(w)]) != 0 { pc += offsetOf(w) } else { pc += 1 }
            case .brIfNot:
                if u32(fp[opA(w)]) == 0 { pc += offsetOf(w) } else { pc += 1 }
            case .brIfCharge: if chargedBranchStops(u32(fp[opA(w)]) != 0, w) { exit = .outOfFuel; break loop }
            case .brIfNotCharge: if chargedBranchStops(u32(fp[opA(w)]) == 0, w) { exit = .outOfFuel; break loop }
            case .brIfByte:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea < memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                if mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self) != 0 { pc += offsetOf(w) } else { pc += 2 }
            case .brIfNotByte:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea < memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                if mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self) == 0 { pc += offsetOf(w) } else { pc += 2 }
            case .brTable:
                if tableJumpStops(u32(fp[opA(w)]), count: hi32(w), first: 1) { exit = .outOfFuel; break loop }
            case .brCharge:
                if chargeStops(Int64(opA(w))) { exit = .outOfFuel; break loop }
                pc += offsetOf(w)
            case .brTableAdd:
                if tableJumpStops(u32(fp[opA(w)]) &+ u32(pc[1]), count: hi32(w), first: 2) { exit = .outOfFuel; break loop }
            case .brTableByteIndexed:
                let w1 = pc[1], w2 = pc[2]
                let byteAt = UInt64(u32(fp[opA(w)])) &+ (w1 & 0xFFFF_FFFF)
                guard byteAt < memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                let ea = UInt64(mem.load(fromByteOffset: Int(truncatingIfNeeded: byteAt), as: UInt8.self)) &<< (w2 & 0xFFFF) &+ (w1 >> 32)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                let index = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self) &+ hi32(w2)
                if tableJumpStops(index, count: hi32(w), first: 3) { exit = .outOfFuel; break loop }
            case .fuel:
                if chargeStops(Int64(hi32(w))) { exit = .outOfFuel; break loop }
                pc += 1
            case .interruptCheck:
                r.countdown &-= 1
                if r.countdown <= 0 {
                    r.countdown = interruptInterval
                    if let reason = pendingInterrupt(self) { exit = .trapped(reason); break loop }
                }
                pc += 1
            // `callLocal` and `call` differ only in the instance comparison, yet stay two
            // handlers: one shared case deciding by the op costs fib 27 4.8% more instructions.
            case .callLocal:
                let callee = funcs + Int(hi32(w))
                if let code = callee.pointee.fastCode {
                    if enterStops(callee, code: code, frame: fp + opA(w), returnPC: pc + 1, sameInstance: true) { exit = stopExit(); break loop }
                } else {
                    save()
                    if let stop = slowCall(&r, callee: callee, argBase: opA(w), returnPC: pc + 1, tail: false) {
                        adopt()
                        exit = stop
                        break loop
                    }
                    restore()
                }
            case .call:
                let callee = funcs + Int(hi32(w))
                if let code = callee.pointee.fastCode {
                    if enterStops(callee, code: code, frame: fp + opA(w), returnPC: pc + 1, sameInstance: false) { exit = stopExit(); break loop }
                } else {
                    save()
                    if let stop = slowCall(&r, callee: callee, argBase: opA(w), returnPC: pc + 1, tail: false) {
                        adopt()
                        exit = stop
                        break loop
                    }
                    restore()
                }
            case .callIndirect, .returnCallIndirect:
                let table = inst.pointee.tables[opC(w)]
                let index = u32(fp[opB(w)])
                guard Int(index) < table.pointee.count else { exit = .trapped(.undefinedElement); break loop }
                let ref = table.pointee.elements[Int(index)]
                guard ref != 0 else { exit = .trapped(.uninitializedElement(index: index)); break loop }
                let callee = instanceTable[Int(ref >> 32) - 1].pointee.functions + Int(ref & 0xFFFF_FFFF)
                guard callee.pointee.typeID == u32(pc[1]) else { exit = .trapped(.indirectCallTypeMismatch); break loop }
                let tail = Op.decode(w) == .returnCallIndirect
                if !tail, let code = callee.pointee.fastCode {
                    if enterStops(callee, code: code, frame: fp + opA(w), returnPC: pc + 2, sameInstance: false) { exit = stopExit(); break loop }
                } else {
                    save()
                    if let stop = slowCall(&r, callee: callee, argBase: opA(w), returnPC: pc + 2, tail: tail) {
                        adopt()
                        exit = stop
                        break loop
                    }
                    restore()
                }
            case .returnCall:
                save()
                if let stop = slowCall(&r, callee: funcs + Int(hi32(w)), argBase: opA(w), returnPC: pc + 1, tail: true) {
                    adopt()
                    exit = stop
                    break loop
                }
                restore()
            case .callRecord, .hookEnter, .hookExit:
                save()
                if let stop = runHookInstruction(&r, w) {
                    adopt()
                    exit = stop
                    break loop
                }
                restore()
            case .retCopy:
                fp[0] = fp[opA(w)]
                fallthrough
            case .ret:
                if depth == entryDepth {
                    exit = .returned
                    break loop
                }
                depth &-= 1
                let frame = frames[depth]
                fp = frame.fp
                r.function = frame.function
                let back = frame.taggedReturn
                if back & 1 == 0 {
                    pc = UnsafeMutablePointer(bitPattern: back).unsafelyUnwrapped
                } else {
                    pc = frame.returnPC
                    reload()
                }
            case .throw:
                save()
                let tag = inst.pointee.tags[Int(hi32(w))]
                let payloadCount = tagTypes[Int(tag)].parameters.count
                let payload = Array(UnsafeBufferPointer(start: fp + opA(w), count: payloadCount))
                let bits = exceptions.allocate(ExceptionObject(tag: tag, payload: payload))
                if let stop = unwind(&r, exception: bits) {
                    adopt()
                    exit = stop
                    break loop
                }
                restore()
            case .throwRef:
                let bits = fp[opA(w)]
                guard bits != 0 else { exit = .trapped(.nullReference); break loop }
                save()
                if let stop = unwind(&r, exception: bits) {
                    adopt()
                    exit = stop
                    break loop
                }
                restore()

            // MARK: Moves, constants, globals
            case .copy:
                fp[opA(w)] = fp[opB(w)]
                pc += 1
            case .const32:
                fp[opA(w)] = UInt64(hi32(w))
                pc += 1
            case .const64:
                fp[opA(w)] = pc[1]
                pc += 2
            case .select:
                fp[opA(w)] = u32(fp[Int(truncatingIfNeeded: pc[1])]) != 0 ? fp[opB(w)] : fp[opC(w)]
                pc += 2
            case .globalGet:
                fp[opA(w)] = globals[Int(hi32(w))].pointee
                pc += 1
            case .globalSet:
                globals[Int(hi32(w))].pointee = fp[opA(w)]
                pc += 1

            // MARK: Super-instructions
            case .copy2:
                let w1 = pc[1]
                fp[opA(w)] = fp[opB(w)]
                fp[Int(truncatingIfNeeded: w1 & 0xFFFF)] = fp[Int(truncatingIfNeeded: (w1 >> 16) & 0xFFFF)]
                pc += 2
            case .const32x2:
                let w1 = pc[1]
                fp[opA(w)] = w1 & 0xFFFF_FFFF
                fp[opB(w)] = w1 >> 32
                pc += 2
            case .globalAddImm:
                let global = globals[Int(hi32(w))]
                let value = UInt64(u32(global.pointee) &+ u32(pc[1]))
                global.pointee = value
                fp[opA(w)] = value
                pc += 2
            case .globalSetAddImm:
                globals[Int(hi32(w))].pointee = UInt64(u32(fp[opA(w)]) &+ u32(pc[1]))
                pc += 2
            case .i32LoadIndexed:
                let w1 = pc[1]
                let ea = scaledAddress(fp, w, w1)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i32LoadMaskedIndexed:
                let w1 = pc[1]
                let ea = UInt64((u32(fp[opB(w)]) & u32(w1)) &<< UInt32(truncatingIfNeeded: opC(w))) &+ (w1 >> 32)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i32Load8UIndexed:
                let w1 = pc[1]
                let ea = scaledAddress(fp, w, w1)
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self))
                pc += 2
            case .i32LoadAddShl:
                let w1 = pc[1]
                let ea = summedAddress(fp, w, w1)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i32Load8UAddShl:
                let w1 = pc[1]
                let ea = summedAddress(fp, w, w1)
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self))
                pc += 2
            case .i64LoadAddShl:
                let w1 = pc[1]
                let ea = summedAddress(fp, w, w1)
                guard ea &+ 8 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt64.self)
                pc += 2
            case .i32AddLoad:
                guard let at = memoryOperand(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ mem.loadUnaligned(fromByteOffset: at, as: UInt32.self))
                pc += 2
            case .i64AddLoad:
                guard let at = memoryOperand(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = fp[opB(w)] &+ mem.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                pc += 2
            case .f32AddLoad:
                guard let at = memoryOperand(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f32(UInt64(mem.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) + loaded)
                pc += 2
            case .f32MulLoad:
                guard let at = memoryOperand(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f32(UInt64(mem.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) * loaded)
                pc += 2
            case .f64AddLoad:
                guard let at = memoryOperand(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f64(mem.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) + loaded)
                pc += 2
            case .f64MulLoad:
                guard let at = memoryOperand(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f64(mem.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) * loaded)
                pc += 2
            case .i32AddInPlace:
                guard let at = memoryOperand(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, at, u32(fp[opB(w)]) &+ mem.loadUnaligned(fromByteOffset: at, as: UInt32.self))
                pc += 2
            case .i64AddInPlace:
                guard let at = memoryOperand(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, at, fp[opB(w)] &+ mem.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                pc += 2
            case .f32AddInPlace:
                guard let at = memoryOperand(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f32(UInt64(mem.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                storeUnaligned(mem, at, UInt32(truncatingIfNeeded: Numeric.bits(Numeric.f32(fp[opB(w)]) + loaded)))
                pc += 2
            case .f64AddInPlace:
                guard let at = memoryOperand(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let loaded = Numeric.f64(mem.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                storeUnaligned(mem, at, Numeric.bits(Numeric.f64(fp[opB(w)]) + loaded))
                pc += 2
            case .f32MulAddInPlace:
                guard let (source, target) = multiplyAccumulateOperands(w, width: 4) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let product = Numeric.f32(fp[opB(w)]) * Numeric.f32(UInt64(mem.loadUnaligned(fromByteOffset: source, as: UInt32.self)))
                let old = Numeric.f32(UInt64(mem.loadUnaligned(fromByteOffset: target, as: UInt32.self)))
                storeUnaligned(mem, target, UInt32(truncatingIfNeeded: Numeric.bits(product + old)))
                pc += 3
            case .f64MulAddInPlace:
                guard let (source, target) = multiplyAccumulateOperands(w, width: 8) else { exit = .trapped(.memoryOutOfBounds); break loop }
                let product = Numeric.f64(fp[opB(w)]) * Numeric.f64(mem.loadUnaligned(fromByteOffset: source, as: UInt64.self))
                let old = Numeric.f64(mem.loadUnaligned(fromByteOffset: target, as: UInt64.self))
                storeUnaligned(mem, target, Numeric.bits(product + old))
                pc += 3
            case .i32ShlAddImm:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &<< UInt32(truncatingIfNeeded: opC(w)) &+ u32(pc[1]))
                pc += 2
            case .i32LoadLoad:
                let w1 = pc[1]
                let first = UInt64(u32(fp[opB(w)])) &+ (w1 & 0xFFFF_FFFF)
                guard first &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                let ea = UInt64(mem.loadUnaligned(fromByteOffset: Int(first), as: UInt32.self)) &+ (w1 >> 32)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i32AddAddImm:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ u32(fp[opC(w)]))
                let w1 = pc[1]
                let step = Int(truncatingIfNeeded: w1 & 0xFFFF)
                fp[step] = UInt64(u32(fp[step]) &+ hi32(w1))
                pc += 2
            case .i32AddImm2:
                let w1 = pc[1]
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ u32(w1))
                let c = opC(w)
                fp[c] = UInt64(u32(fp[c]) &+ hi32(w1))
                pc += 2
            case .i32LoadByteIndexed:
                let w1 = pc[1]
                let byteAt = UInt64(u32(fp[opB(w)])) &+ (w1 & 0xFFFF_FFFF)
                guard byteAt &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                let ea = UInt64(mem.load(fromByteOffset: Int(byteAt), as: UInt8.self)) &<< UInt64(opC(w)) &+ (w1 >> 32)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .addImmBrBack:
                // As `copyBrBack`: the stop check first, so a stopped loop resumes by running this again.
                let w1 = pc[1]
                if backEdgeStops(w1 >> 32) { exit = stopExit(); break loop }
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: opC(w)))))
                pc += Int(Int32(truncatingIfNeeded: w1))
            case .addImmBrIfNeImm:
                let w2 = pc[2]
                let sum = u32(fp[opB(w)]) &+ u32(w2)
                if stepBranchStops(w, UInt64(sum), taken: sum != hi32(w2)) { exit = stopExit(); break loop }
            case .addImmBrIfNe:
                let w2 = pc[2]
                let sum = u32(fp[opB(w)]) &+ u32(w2)
                if stepBranchStops(w, UInt64(sum), taken: sum != u32(fp[opC(w)])) { exit = stopExit(); break loop }
            case .brIfBytesEq:
                guard let (left, right) = byteOperands(w) else { exit = .trapped(.memoryOutOfBounds); break loop }
                if branchWordStops(mem.load(fromByteOffset: left, as: UInt8.self) == mem.load(fromByteOffset: right, as: UInt8.self),
                                   words: 3) { exit = stopExit(); break loop }
            case .brIfBytesNe:
                guard let (left, right) = byteOperands(w) else { exit = .trapped(.memoryOutOfBounds); break loop }
                if branchWordStops(mem.load(fromByteOffset: left, as: UInt8.self) != mem.load(fromByteOffset: right, as: UInt8.self),
                                   words: 3) { exit = stopExit(); break loop }
            case .i64AddImmBrIfNe:
                let sum = fp[opB(w)] &+ pc[2]
                if stepBranchStops(w, sum, taken: sum != fp[opC(w)]) { exit = stopExit(); break loop }
            case .i64AddImmBrIfLtU:
                let sum = fp[opB(w)] &+ pc[2]
                if stepBranchStops(w, sum, taken: sum < fp[opC(w)]) { exit = stopExit(); break loop }
            case .i64AddBrIfNe:
                let sum = fp[opB(w)] &+ fp[Int(truncatingIfNeeded: pc[2])]
                if stepBranchStops(w, sum, taken: sum != fp[opC(w)]) { exit = stopExit(); break loop }
            case .i64AddBrIfLtU:
                let sum = fp[opB(w)] &+ fp[Int(truncatingIfNeeded: pc[2])]
                if stepBranchStops(w, sum, taken: sum < fp[opC(w)]) { exit = stopExit(); break loop }
            case .i32AddImmTee:
                let sum = UInt64(u32(fp[opB(w)]) &+ u32(pc[1]))
                fp[opA(w)] = sum
                fp[opC(w)] = sum
                pc += 2
            case .copyBr:
                fp[opA(w)] = fp[opB(w)]
                pc += Int(Int32(truncatingIfNeeded: pc[1]))
            case .copyBrBack:
                // The stop check comes first: a stopped loop resumes by running this again.
                let w1 = pc[1]
                if backEdgeStops(w1 >> 32) { exit = stopExit(); break loop }
                fp[opA(w)] = fp[opB(w)]
                pc += Int(Int32(truncatingIfNeeded: w1))
            case .i32StoreRun:
                // One bounds check covers every entry (C is the largest offset); when it fails,
                // the entries run one by one so the stores before the failing one still happen.
                let base = UInt64(u32(fp[opA(w)]))
                let count = opB(w)
                guard base &+ UInt64(opC(w)) &+ 4 <= memSize else {
                    storeRunUntilOutOfBounds(pc, fp: fp, memory: mem, size: memSize)
                    exit = .trapped(.memoryOutOfBounds); break loop
                }
                let at = mem + Int(base)
                var entry = pc + 1
                let end = entry + count
                repeat {
                    let e = entry.pointee
                    storeUnaligned(at, Int(truncatingIfNeeded: e >> 32), u32(fp[Int(truncatingIfNeeded: e & 0xFFFF)]))
                    entry += 1
                } while entry < end
                pc = end
            case .brIfAnd: if branchWordStops(u32(fp[opA(w)]) & hi32(w) != 0) { exit = stopExit(); break loop }
            case .brIfAndEq: if branchWordStops(u32(fp[opA(w)]) & UInt32(truncatingIfNeeded: opB(w)) == UInt32(truncatingIfNeeded: opC(w))) { exit = stopExit(); break loop }
            case .brIfAndNe: if branchWordStops(u32(fp[opA(w)]) & UInt32(truncatingIfNeeded: opB(w)) != UInt32(truncatingIfNeeded: opC(w))) { exit = stopExit(); break loop }
            case .selectImm:
                let w1 = pc[1]
                fp[opA(w)] = u32(fp[opB(w)]) != 0 ? w1 & 0xFFFF_FFFF : w1 >> 32
                pc += 2
            case .i32AddShl:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ (u32(fp[opC(w)]) &<< u32(pc[1])))
                pc += 2
            case .i32XorShl:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) ^ (u32(fp[opC(w)]) &<< u32(pc[1])))
                pc += 2
            case .i32XorShrU:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) ^ (u32(fp[opC(w)]) &>> u32(pc[1])))
                pc += 2
            case .i32OrShl:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) | (u32(fp[opC(w)]) &<< u32(pc[1])))
                pc += 2
            case .i32OrShrU:
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) | (u32(fp[opC(w)]) &>> u32(pc[1])))
                pc += 2
            case .brIfNotAnd: if branchWordStops(u32(fp[opA(w)]) & hi32(w) == 0) { exit = stopExit(); break loop }

            // MARK: Memory
            case .i32Load:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i64Load:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 8 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt64.self)
                pc += 2
            case .f32Load:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .f64Load:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 8 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt64.self)
                pc += 2
            case .i32Load8S:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(UInt32(bitPattern: Int32(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int8.self))))
                pc += 2
            case .i32Load8U:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self))
                pc += 2
            case .i32Load16S:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(UInt32(bitPattern: Int32(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int16.self))))
                pc += 2
            case .i32Load16U:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt16.self))
                pc += 2
            case .i64Load8S:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(bitPattern: Int64(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int8.self)))
                pc += 2
            case .i64Load8U:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.load(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt8.self))
                pc += 2
            case .i64Load16S:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(bitPattern: Int64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int16.self)))
                pc += 2
            case .i64Load16U:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt16.self))
                pc += 2
            case .i64Load32S:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(bitPattern: Int64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: Int32.self)))
                pc += 2
            case .i64Load32U:
                let ea = UInt64(u32(fp[opB(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                fp[opA(w)] = UInt64(mem.loadUnaligned(fromByteOffset: Int(truncatingIfNeeded: ea), as: UInt32.self))
                pc += 2
            case .i32Store, .f32Store:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), u32(fp[opB(w)]) as UInt32)
                pc += 2
            case .i64Store, .f64Store:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea &+ 8 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), fp[opB(w)] as UInt64)
                pc += 2
            case .i32Store8, .i64Store8:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt8(truncatingIfNeeded: fp[opB(w)]) as UInt8)
                pc += 2
            case .i32Store16, .i64Store16:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt16(truncatingIfNeeded: fp[opB(w)]) as UInt16)
                pc += 2
            case .i64Store32:
                let ea = UInt64(u32(fp[opA(w)])) &+ pc[1]
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), u32(fp[opB(w)]) as UInt32)
                pc += 2
            case .memorySize:
                fp[opA(w)] = memSize / UInt64(wasmPageSize)
                pc += 1
            case .memoryGrow:
                let result = memoryGrow(inst.pointee.memory!, by: u32(fp[opB(w)]))
                fp[opA(w)] = UInt64(UInt32(bitPattern: result))
                mem = inst.pointee.memory!.pointee.base
                memSize = UInt64(inst.pointee.memory!.pointee.byteCount)
                pc += 1
            case .memoryInit:
                do {
                    try memoryInit(ctx: inst, segment: Int(pc[1]), destination: u32(fp[opA(w)]),
                                   source: u32(fp[opB(w)]), count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 2
            case .dataDrop:
                inst.pointee.data[Int(hi32(w))] = DataSegmentState(bytes: nil, count: 0)
                pc += 1
            case .memoryCopy:
                do {
                    try memoryCopy(inst.pointee.memory!, destination: u32(fp[opA(w)]), source: u32(fp[opB(w)]), count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 1
            case .memoryFill:
                do {
                    try memoryFill(inst.pointee.memory!, destination: u32(fp[opA(w)]),
                                   value: UInt8(truncatingIfNeeded: fp[opB(w)]), count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 1

            // MARK: Tables and references
            case .tableGet:
                let t = inst.pointee.tables[Int(pc[1])]
                let i = Int(u32(fp[opB(w)]))
                guard i < t.pointee.count else { exit = .trapped(.tableOutOfBounds); break loop }
                fp[opA(w)] = t.pointee.elements[i]
                pc += 2
            case .tableSet:
                let t = inst.pointee.tables[Int(pc[1])]
                let i = Int(u32(fp[opA(w)]))
                guard i < t.pointee.count else { exit = .trapped(.tableOutOfBounds); break loop }
                t.pointee.elements[i] = fp[opB(w)]
                pc += 2
            case .tableSize:
                fp[opA(w)] = UInt64(inst.pointee.tables[Int(pc[1])].pointee.count)
                pc += 2
            case .tableGrow:
                let t = inst.pointee.tables[Int(pc[1])]
                fp[opA(w)] = UInt64(UInt32(bitPattern: tableGrow(t, by: u32(fp[opC(w)]), value: fp[opB(w)])))
                pc += 2
            case .tableFill:
                do {
                    try tableFill(inst.pointee.tables[Int(pc[1])], start: u32(fp[opA(w)]), value: fp[opB(w)], count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 2
            case .tableCopy:
                let tables = pc[1]
                do {
                    try tableCopy(inst.pointee.tables[Int(tables & 0xFFFF_FFFF)], inst.pointee.tables[Int(tables >> 32)],
                                  destination: u32(fp[opA(w)]), source: u32(fp[opB(w)]), count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 2
            case .tableInit:
                let operands = pc[1]
                do {
                    try tableInit(ctx: inst, table: Int(operands & 0xFFFF_FFFF), segment: Int(operands >> 32),
                                  destination: u32(fp[opA(w)]), source: u32(fp[opB(w)]), count: u32(fp[opC(w)]))
                } catch { exit = .trapped(error.reason); break loop }
                pc += 2
            case .elemDrop:
                dropElement(ctx: inst, segment: Int(hi32(w)))
                pc += 1
            case .refFunc:
                fp[opA(w)] = Store.functionReference(instance: inst.pointee.index, index: Int(hi32(w)))
                pc += 1

            // MARK: i32 comparisons
            case .i32Eqz: fp[opA(w)] = b2u(u32(fp[opB(w)]) == 0); pc += 1
            case .i32Eq: fp[opA(w)] = b2u(u32(fp[opB(w)]) == u32(fp[opC(w)])); pc += 1
            case .i32Ne: fp[opA(w)] = b2u(u32(fp[opB(w)]) != u32(fp[opC(w)])); pc += 1
            case .i32LtS: fp[opA(w)] = b2u(s32(fp[opB(w)]) < s32(fp[opC(w)])); pc += 1
            case .i32LtU: fp[opA(w)] = b2u(u32(fp[opB(w)]) < u32(fp[opC(w)])); pc += 1
            case .i32GtS: fp[opA(w)] = b2u(s32(fp[opB(w)]) > s32(fp[opC(w)])); pc += 1
            case .i32GtU: fp[opA(w)] = b2u(u32(fp[opB(w)]) > u32(fp[opC(w)])); pc += 1
            case .i32LeS: fp[opA(w)] = b2u(s32(fp[opB(w)]) <= s32(fp[opC(w)])); pc += 1
            case .i32LeU: fp[opA(w)] = b2u(u32(fp[opB(w)]) <= u32(fp[opC(w)])); pc += 1
            case .i32GeS: fp[opA(w)] = b2u(s32(fp[opB(w)]) >= s32(fp[opC(w)])); pc += 1
            case .i32GeU: fp[opA(w)] = b2u(u32(fp[opB(w)]) >= u32(fp[opC(w)])); pc += 1
            // MARK: i64 comparisons
            case .i64Eqz: fp[opA(w)] = b2u(fp[opB(w)] == 0); pc += 1
            case .i64Eq: fp[opA(w)] = b2u(fp[opB(w)] == fp[opC(w)]); pc += 1
            case .i64Ne: fp[opA(w)] = b2u(fp[opB(w)] != fp[opC(w)]); pc += 1
            case .i64LtS: fp[opA(w)] = b2u(s64(fp[opB(w)]) < s64(fp[opC(w)])); pc += 1
            case .i64LtU: fp[opA(w)] = b2u(fp[opB(w)] < fp[opC(w)]); pc += 1
            case .i64GtS: fp[opA(w)] = b2u(s64(fp[opB(w)]) > s64(fp[opC(w)])); pc += 1
            case .i64GtU: fp[opA(w)] = b2u(fp[opB(w)] > fp[opC(w)]); pc += 1
            case .i64LeS: fp[opA(w)] = b2u(s64(fp[opB(w)]) <= s64(fp[opC(w)])); pc += 1
            case .i64LeU: fp[opA(w)] = b2u(fp[opB(w)] <= fp[opC(w)]); pc += 1
            case .i64GeS: fp[opA(w)] = b2u(s64(fp[opB(w)]) >= s64(fp[opC(w)])); pc += 1
            case .i64GeU: fp[opA(w)] = b2u(fp[opB(w)] >= fp[opC(w)]); pc += 1
            // MARK: float comparisons
            case .f32Eq: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) == Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Ne: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) != Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Lt: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) < Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Gt: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) > Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Le: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) <= Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Ge: fp[opA(w)] = b2u(Numeric.f32(fp[opB(w)]) >= Numeric.f32(fp[opC(w)])); pc += 1
            case .f64Eq: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) == Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Ne: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) != Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Lt: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) < Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Gt: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) > Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Le: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) <= Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Ge: fp[opA(w)] = b2u(Numeric.f64(fp[opB(w)]) >= Numeric.f64(fp[opC(w)])); pc += 1
            // MARK: i32 arithmetic
            case .i32Clz: fp[opA(w)] = UInt64(u32(fp[opB(w)]).leadingZeroBitCount); pc += 1
            case .i32Ctz: fp[opA(w)] = UInt64(u32(fp[opB(w)]).trailingZeroBitCount); pc += 1
            case .i32Popcnt: fp[opA(w)] = UInt64(u32(fp[opB(w)]).nonzeroBitCount); pc += 1
            case .i32Add: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ u32(fp[opC(w)])); pc += 1
            case .i32Sub: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &- u32(fp[opC(w)])); pc += 1
            case .i32Mul: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &* u32(fp[opC(w)])); pc += 1
            case .i32DivS:
                let lhs = s32(fp[opB(w)]), rhs = s32(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                guard lhs != Int32.min || rhs != -1 else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = UInt64(UInt32(bitPattern: lhs / rhs)); pc += 1
            case .i32DivU:
                let rhs = u32(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) / rhs); pc += 1
            case .i32RemS:
                let lhs = s32(fp[opB(w)]), rhs = s32(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = rhs == -1 ? 0 : UInt64(UInt32(bitPattern: lhs % rhs)); pc += 1
            case .i32RemU:
                let rhs = u32(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = UInt64(u32(fp[opB(w)]) % rhs); pc += 1
            case .i32And: fp[opA(w)] = UInt64(u32(fp[opB(w)]) & u32(fp[opC(w)])); pc += 1
            case .i32Or: fp[opA(w)] = UInt64(u32(fp[opB(w)]) | u32(fp[opC(w)])); pc += 1
            case .i32Xor: fp[opA(w)] = UInt64(u32(fp[opB(w)]) ^ u32(fp[opC(w)])); pc += 1
            case .i32Shl: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &<< u32(fp[opC(w)])); pc += 1
            case .i32ShrS: fp[opA(w)] = UInt64(UInt32(bitPattern: s32(fp[opB(w)]) &>> s32(fp[opC(w)]))); pc += 1
            case .i32ShrU: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &>> u32(fp[opC(w)])); pc += 1
            case .i32Rotl:
                let v = u32(fp[opB(w)]), k = u32(fp[opC(w)]) & 31
                fp[opA(w)] = UInt64((v &<< k) | (v &>> ((32 &- k) & 31))); pc += 1
            case .i32Rotr:
                let v = u32(fp[opB(w)]), k = u32(fp[opC(w)]) & 31
                fp[opA(w)] = UInt64((v &>> k) | (v &<< ((32 &- k) & 31))); pc += 1
            // MARK: i64 arithmetic
            case .i64Clz: fp[opA(w)] = UInt64(fp[opB(w)].leadingZeroBitCount); pc += 1
            case .i64Ctz: fp[opA(w)] = UInt64(fp[opB(w)].trailingZeroBitCount); pc += 1
            case .i64Popcnt: fp[opA(w)] = UInt64(fp[opB(w)].nonzeroBitCount); pc += 1
            case .i64Add: fp[opA(w)] = fp[opB(w)] &+ fp[opC(w)]; pc += 1
            case .i64Sub: fp[opA(w)] = fp[opB(w)] &- fp[opC(w)]; pc += 1
            case .i64Mul: fp[opA(w)] = fp[opB(w)] &* fp[opC(w)]; pc += 1
            case .i64DivS:
                let lhs = s64(fp[opB(w)]), rhs = s64(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                guard lhs != Int64.min || rhs != -1 else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = UInt64(bitPattern: lhs / rhs); pc += 1
            case .i64DivU:
                let rhs = fp[opC(w)]
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = fp[opB(w)] / rhs; pc += 1
            case .i64RemS:
                let lhs = s64(fp[opB(w)]), rhs = s64(fp[opC(w)])
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = rhs == -1 ? 0 : UInt64(bitPattern: lhs % rhs); pc += 1
            case .i64RemU:
                let rhs = fp[opC(w)]
                guard rhs != 0 else { exit = .trapped(.integerDivideByZero); break loop }
                fp[opA(w)] = fp[opB(w)] % rhs; pc += 1
            case .i64And: fp[opA(w)] = fp[opB(w)] & fp[opC(w)]; pc += 1
            case .i64Or: fp[opA(w)] = fp[opB(w)] | fp[opC(w)]; pc += 1
            case .i64Xor: fp[opA(w)] = fp[opB(w)] ^ fp[opC(w)]; pc += 1
            case .i64Shl: fp[opA(w)] = fp[opB(w)] &<< fp[opC(w)]; pc += 1
            case .i64ShrS: fp[opA(w)] = UInt64(bitPattern: s64(fp[opB(w)]) &>> s64(fp[opC(w)])); pc += 1
            case .i64ShrU: fp[opA(w)] = fp[opB(w)] &>> fp[opC(w)]; pc += 1
            case .i64Rotl:
                let v = fp[opB(w)], k = fp[opC(w)] & 63
                fp[opA(w)] = (v &<< k) | (v &>> ((64 &- k) & 63)); pc += 1
            case .i64Rotr:
                let v = fp[opB(w)], k = fp[opC(w)] & 63
                fp[opA(w)] = (v &>> k) | (v &<< ((64 &- k) & 63)); pc += 1
            // MARK: f32 arithmetic
            case .f32Abs: fp[opA(w)] = fp[opB(w)] & 0x7FFF_FFFF; pc += 1
            case .f32Neg: fp[opA(w)] = (fp[opB(w)] ^ 0x8000_0000) & 0xFFFF_FFFF; pc += 1
            case .f32Ceil: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f32(fp[opB(w)]), .up)); pc += 1
            case .f32Floor: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f32(fp[opB(w)]), .down)); pc += 1
            case .f32Trunc: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f32(fp[opB(w)]), .towardZero)); pc += 1
            case .f32Nearest: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f32(fp[opB(w)]), .toNearestOrEven)); pc += 1
            case .f32Sqrt: fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]).squareRoot()); pc += 1
            case .f32Add: fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) + Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Sub: fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) - Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Mul: fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) * Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Div: fp[opA(w)] = Numeric.bits(Numeric.f32(fp[opB(w)]) / Numeric.f32(fp[opC(w)])); pc += 1
            case .f32Min: fp[opA(w)] = Numeric.bits(Numeric.min(Numeric.f32(fp[opB(w)]), Numeric.f32(fp[opC(w)]))); pc += 1
            case .f32Max: fp[opA(w)] = Numeric.bits(Numeric.max(Numeric.f32(fp[opB(w)]), Numeric.f32(fp[opC(w)]))); pc += 1
            case .f32Copysign:
                fp[opA(w)] = (fp[opB(w)] & 0x7FFF_FFFF) | (fp[opC(w)] & 0x8000_0000); pc += 1
            // MARK: f64 arithmetic
            case .f64Abs: fp[opA(w)] = fp[opB(w)] & 0x7FFF_FFFF_FFFF_FFFF; pc += 1
            case .f64Neg: fp[opA(w)] = fp[opB(w)] ^ 0x8000_0000_0000_0000; pc += 1
            case .f64Ceil: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f64(fp[opB(w)]), .up)); pc += 1
            case .f64Floor: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f64(fp[opB(w)]), .down)); pc += 1
            case .f64Trunc: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f64(fp[opB(w)]), .towardZero)); pc += 1
            case .f64Nearest: fp[opA(w)] = Numeric.bits(Numeric.round(Numeric.f64(fp[opB(w)]), .toNearestOrEven)); pc += 1
            case .f64Sqrt: fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]).squareRoot()); pc += 1
            case .f64Add: fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) + Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Sub: fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) - Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Mul: fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) * Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Div: fp[opA(w)] = Numeric.bits(Numeric.f64(fp[opB(w)]) / Numeric.f64(fp[opC(w)])); pc += 1
            case .f64Min: fp[opA(w)] = Numeric.bits(Numeric.min(Numeric.f64(fp[opB(w)]), Numeric.f64(fp[opC(w)]))); pc += 1
            case .f64Max: fp[opA(w)] = Numeric.bits(Numeric.max(Numeric.f64(fp[opB(w)]), Numeric.f64(fp[opC(w)]))); pc += 1
            case .f64Copysign:
                fp[opA(w)] = (fp[opB(w)] & 0x7FFF_FFFF_FFFF_FFFF) | (fp[opC(w)] & 0x8000_0000_0000_0000); pc += 1
            // MARK: Conversions
            case .i32WrapI64: fp[opA(w)] = fp[opB(w)] & 0xFFFF_FFFF; pc += 1
            case .i32TruncF32S, .i32TruncF64S:
                let x = Op.decode(w) == .i32TruncF32S ? Double(Numeric.f32(fp[opB(w)])) : Numeric.f64(fp[opB(w)])
                guard !x.isNaN else { exit = .trapped(.invalidConversionToInteger); break loop }
                guard let v = Numeric.i32S(x) else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = UInt64(UInt32(bitPattern: v)); pc += 1
            case .i32TruncF32U, .i32TruncF64U:
                let x = Op.decode(w) == .i32TruncF32U ? Double(Numeric.f32(fp[opB(w)])) : Numeric.f64(fp[opB(w)])
                guard !x.isNaN else { exit = .trapped(.invalidConversionToInteger); break loop }
                guard let v = Numeric.i32U(x) else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = UInt64(v); pc += 1
            case .i64TruncF32S, .i64TruncF64S:
                let x = Op.decode(w) == .i64TruncF32S ? Double(Numeric.f32(fp[opB(w)])) : Numeric.f64(fp[opB(w)])
                guard !x.isNaN else { exit = .trapped(.invalidConversionToInteger); break loop }
                guard let v = Numeric.i64S(x) else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = UInt64(bitPattern: v); pc += 1
            case .i64TruncF32U, .i64TruncF64U:
                let x = Op.decode(w) == .i64TruncF32U ? Double(Numeric.f32(fp[opB(w)])) : Numeric.f64(fp[opB(w)])
                guard !x.isNaN else { exit = .trapped(.invalidConversionToInteger); break loop }
                guard let v = Numeric.i64U(x) else { exit = .trapped(.integerOverflow); break loop }
                fp[opA(w)] = v; pc += 1
            case .i64ExtendI32S: fp[opA(w)] = UInt64(bitPattern: Int64(s32(fp[opB(w)]))); pc += 1
            case .i64ExtendI32U: fp[opA(w)] = UInt64(u32(fp[opB(w)])); pc += 1
            case .f32ConvertI32S: fp[opA(w)] = Numeric.bits(Float(s32(fp[opB(w)]))); pc += 1
            case .f32ConvertI32U: fp[opA(w)] = Numeric.bits(Float(u32(fp[opB(w)]))); pc += 1
            case .f32ConvertI64S: fp[opA(w)] = Numeric.bits(Float(s64(fp[opB(w)]))); pc += 1
            case .f32ConvertI64U: fp[opA(w)] = Numeric.bits(Float(fp[opB(w)])); pc += 1
            case .f32DemoteF64:
                let x = Numeric.f64(fp[opB(w)])
                fp[opA(w)] = Numeric.bits(x.isNaN ? Numeric.quiet(Float(x)) : Float(x)); pc += 1
            case .f64ConvertI32S: fp[opA(w)] = Numeric.bits(Double(s32(fp[opB(w)]))); pc += 1
            case .f64ConvertI32U: fp[opA(w)] = Numeric.bits(Double(u32(fp[opB(w)]))); pc += 1
            case .f64ConvertI64S: fp[opA(w)] = Numeric.bits(Double(s64(fp[opB(w)]))); pc += 1
            case .f64ConvertI64U: fp[opA(w)] = Numeric.bits(Double(fp[opB(w)])); pc += 1
            case .f64PromoteF32:
                let x = Numeric.f32(fp[opB(w)])
                fp[opA(w)] = Numeric.bits(x.isNaN ? Numeric.quiet(Double(x)) : Double(x)); pc += 1
            case .i32ReinterpretF32, .f32ReinterpretI32: fp[opA(w)] = fp[opB(w)] & 0xFFFF_FFFF; pc += 1
            case .i64ReinterpretF64, .f64ReinterpretI64: fp[opA(w)] = fp[opB(w)]; pc += 1
            case .i32Extend8S: fp[opA(w)] = UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: fp[opB(w)])))); pc += 1
            case .i32Extend16S: fp[opA(w)] = UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: fp[opB(w)])))); pc += 1
            case .i64Extend8S: fp[opA(w)] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: fp[opB(w)]))); pc += 1
            case .i64Extend16S: fp[opA(w)] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: fp[opB(w)]))); pc += 1
            case .i64Extend32S: fp[opA(w)] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: fp[opB(w)]))); pc += 1
            case .i32TruncSatF32S: fp[opA(w)] = UInt64(UInt32(bitPattern: Numeric.satI32S(Double(Numeric.f32(fp[opB(w)]))))); pc += 1
            case .i32TruncSatF32U: fp[opA(w)] = UInt64(Numeric.satI32U(Double(Numeric.f32(fp[opB(w)])))); pc += 1
            case .i32TruncSatF64S: fp[opA(w)] = UInt64(UInt32(bitPattern: Numeric.satI32S(Numeric.f64(fp[opB(w)])))); pc += 1
            case .i32TruncSatF64U: fp[opA(w)] = UInt64(Numeric.satI32U(Numeric.f64(fp[opB(w)]))); pc += 1
            case .i64TruncSatF32S: fp[opA(w)] = UInt64(bitPattern: Numeric.satI64S(Double(Numeric.f32(fp[opB(w)])))); pc += 1
            case .i64TruncSatF32U: fp[opA(w)] = Numeric.satI64U(Double(Numeric.f32(fp[opB(w)]))); pc += 1
            case .i64TruncSatF64S: fp[opA(w)] = UInt64(bitPattern: Numeric.satI64S(Numeric.f64(fp[opB(w)]))); pc += 1
            case .i64TruncSatF64U: fp[opA(w)] = Numeric.satI64U(Numeric.f64(fp[opB(w)])); pc += 1

            // MARK: Compare and branch
            case .brIfI32Eq: if branchWordStops(u32(fp[opA(w)]) == u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32EqImm: if branchWordStops(u32(fp[opA(w)]) == hi32(w)) { exit = stopExit(); break loop }
            case .brIfI32Ne: if branchWordStops(u32(fp[opA(w)]) != u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32NeImm: if branchWordStops(u32(fp[opA(w)]) != hi32(w)) { exit = stopExit(); break loop }
            case .brIfI32LtS: if branchWordStops(s32(fp[opA(w)]) < s32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32LtSImm: if branchWordStops(s32(fp[opA(w)]) < Int32(bitPattern: hi32(w))) { exit = stopExit(); break loop }
            case .brIfI32LtU: if branchWordStops(u32(fp[opA(w)]) < u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32LtUImm: if branchWordStops(u32(fp[opA(w)]) < hi32(w)) { exit = stopExit(); break loop }
            case .brIfI32GtS: if branchWordStops(s32(fp[opA(w)]) > s32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32GtSImm: if branchWordStops(s32(fp[opA(w)]) > Int32(bitPattern: hi32(w))) { exit = stopExit(); break loop }
            case .brIfI32GtU: if branchWordStops(u32(fp[opA(w)]) > u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32GtUImm: if branchWordStops(u32(fp[opA(w)]) > hi32(w)) { exit = stopExit(); break loop }
            case .brIfI32LeS: if branchWordStops(s32(fp[opA(w)]) <= s32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32LeSImm: if branchWordStops(s32(fp[opA(w)]) <= Int32(bitPattern: hi32(w))) { exit = stopExit(); break loop }
            case .brIfI32LeU: if branchWordStops(u32(fp[opA(w)]) <= u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32LeUImm: if branchWordStops(u32(fp[opA(w)]) <= hi32(w)) { exit = stopExit(); break loop }
            case .brIfI32GeS: if branchWordStops(s32(fp[opA(w)]) >= s32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32GeSImm: if branchWordStops(s32(fp[opA(w)]) >= Int32(bitPattern: hi32(w))) { exit = stopExit(); break loop }
            case .brIfI32GeU: if branchWordStops(u32(fp[opA(w)]) >= u32(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI32GeUImm: if branchWordStops(u32(fp[opA(w)]) >= hi32(w)) { exit = stopExit(); break loop }
            case .brIfI64Eq: if branchWordStops(fp[opA(w)] == fp[opB(w)]) { exit = stopExit(); break loop }
            case .brIfI64Ne: if branchWordStops(fp[opA(w)] != fp[opB(w)]) { exit = stopExit(); break loop }
            case .brIfI64LtS: if branchWordStops(s64(fp[opA(w)]) < s64(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI64LtU: if branchWordStops(fp[opA(w)] < fp[opB(w)]) { exit = stopExit(); break loop }
            case .brIfI64GtS: if branchWordStops(s64(fp[opA(w)]) > s64(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI64GtU: if branchWordStops(fp[opA(w)] > fp[opB(w)]) { exit = stopExit(); break loop }
            case .brIfI64LeS: if branchWordStops(s64(fp[opA(w)]) <= s64(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI64LeU: if branchWordStops(fp[opA(w)] <= fp[opB(w)]) { exit = stopExit(); break loop }
            case .brIfI64GeS: if branchWordStops(s64(fp[opA(w)]) >= s64(fp[opB(w)])) { exit = stopExit(); break loop }
            case .brIfI64GeU: if branchWordStops(fp[opA(w)] >= fp[opB(w)]) { exit = stopExit(); break loop }

            // MARK: Stores of constants
            case .i32StoreImm:
                let imm = pc[1]
                let ea = UInt64(u32(fp[opA(w)])) &+ (imm & 0xFFFF_FFFF)
                guard ea &+ 4 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt32(truncatingIfNeeded: imm >> 32) as UInt32)
                pc += 2
            case .i32Store8Imm:
                let imm = pc[1]
                let ea = UInt64(u32(fp[opA(w)])) &+ (imm & 0xFFFF_FFFF)
                guard ea &+ 1 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt8(truncatingIfNeeded: imm >> 32) as UInt8)
                pc += 2
            case .i32Store16Imm:
                let imm = pc[1]
                let ea = UInt64(u32(fp[opA(w)])) &+ (imm & 0xFFFF_FFFF)
                guard ea &+ 2 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt16(truncatingIfNeeded: imm >> 32) as UInt16)
                pc += 2
            case .i64StoreImm:
                let imm = pc[1]
                let ea = UInt64(u32(fp[opA(w)])) &+ (imm & 0xFFFF_FFFF)
                guard ea &+ 8 <= memSize else { exit = .trapped(.memoryOutOfBounds); break loop }
                storeUnaligned(mem, Int(truncatingIfNeeded: ea), UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: imm >> 32))) as UInt64)
                pc += 2
            // MARK: Immediate forms (A = B op w1)
            case .i32AddImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &+ u32(pc[1])); pc += 2
            case .i32SubImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &- u32(pc[1])); pc += 2
            case .i32MulImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &* u32(pc[1])); pc += 2
            case .i32AndImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) & u32(pc[1])); pc += 2
            case .i32OrImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) | u32(pc[1])); pc += 2
            case .i32XorImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) ^ u32(pc[1])); pc += 2
            case .i32ShlImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &<< u32(pc[1])); pc += 2
            case .i32ShrSImm: fp[opA(w)] = UInt64(UInt32(bitPattern: s32(fp[opB(w)]) &>> s32(pc[1]))); pc += 2
            case .i32ShrUImm: fp[opA(w)] = UInt64(u32(fp[opB(w)]) &>> u32(pc[1])); pc += 2
            case .i32EqImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) == u32(pc[1])); pc += 2
            case .i32NeImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) != u32(pc[1])); pc += 2
            case .i32LtSImm: fp[opA(w)] = b2u(s32(fp[opB(w)]) < s32(pc[1])); pc += 2
            case .i32LtUImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) < u32(pc[1])); pc += 2
            case .i32GtSImm: fp[opA(w)] = b2u(s32(fp[opB(w)]) > s32(pc[1])); pc += 2
            case .i32GtUImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) > u32(pc[1])); pc += 2
            case .i32LeSImm: fp[opA(w)] = b2u(s32(fp[opB(w)]) <= s32(pc[1])); pc += 2
            case .i32LeUImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) <= u32(pc[1])); pc += 2
            case .i32GeSImm: fp[opA(w)] = b2u(s32(fp[opB(w)]) >= s32(pc[1])); pc += 2
            case .i32GeUImm: fp[opA(w)] = b2u(u32(fp[opB(w)]) >= u32(pc[1])); pc += 2
            case .i64AddImm: fp[opA(w)] = fp[opB(w)] &+ pc[1]; pc += 2
            case .i64SubImm: fp[opA(w)] = fp[opB(w)] &- pc[1]; pc += 2
            case .i64AndImm: fp[opA(w)] = fp[opB(w)] & pc[1]; pc += 2
            case .i64OrImm: fp[opA(w)] = fp[opB(w)] | pc[1]; pc += 2
            case .i64XorImm: fp[opA(w)] = fp[opB(w)] ^ pc[1]; pc += 2
            case .i64ShlImm: fp[opA(w)] = fp[opB(w)] &<< pc[1]; pc += 2
            case .i64ShrUImm: fp[opA(w)] = fp[opB(w)] &>> pc[1]; pc += 2
            case .i64ShrSImm: fp[opA(w)] = UInt64(bitPattern: s64(fp[opB(w)]) &>> s64(pc[1])); pc += 2
            case .i64MulImm: fp[opA(w)] = fp[opB(w)] &* pc[1]; pc += 2
            case .i64EqImm: fp[opA(w)] = b2u(fp[opB(w)] == pc[1]); pc += 2
            case .i64NeImm: fp[opA(w)] = b2u(fp[opB(w)] != pc[1]); pc += 2
            case .i64LtUImm: fp[opA(w)] = b2u(fp[opB(w)] < pc[1]); pc += 2
            case .i64GtUImm: fp[opA(w)] = b2u(fp[opB(w)] > pc[1]); pc += 2
            case .i64LtSImm: fp[opA(w)] = b2u(s64(fp[opB(w)]) < s64(pc[1])); pc += 2
            case .i64GtSImm: fp[opA(w)] = b2u(s64(fp[opB(w)]) > s64(pc[1])); pc += 2
            }
        }
        save()
        return exit
    }

    /// Checks cancellation and the deadline (called every `interruptInterval` calls/back-edges).
    func checkInterrupt() -> TrapReason? { pendingInterrupt(self) }
}

/// Why `store` must stop now (cancelled, or past its deadline), if it must. A free function,
/// not a method: a method takes `self` in the register `run` keeps the frame pointer in, so
/// calling one from the loop's back edges forced a spill and reload of it on the hot path.
@inline(never)
func pendingInterrupt(_ store: Store) -> TrapReason? {
    if store.interruptHandle.isCancelled { return .cancelled }
    if let deadline = store.deadline, ContinuousClock.now >= deadline { return .deadlineExceeded }
    return nil
}
