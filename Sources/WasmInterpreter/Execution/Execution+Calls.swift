// The cold half of calls: host functions, first-call lowering, tail calls, interception hooks.
// https://webassembly.github.io/spec/core/exec/instructions.html#function-calls

/// What a host function call ended with. Payload-free but for the exception's bits, so the
/// common return moves and destroys nothing: a suspension's payload waits in
/// `Store.hostSuspension` and a trap's reason in `Store.hostTrap` (`takeHostSuspension`,
/// `takeHostTrap`).
enum HostOutcome {
    case returned
    case suspended
    case trapped
    case exception(UInt64)
    /// A native fast path left the call to the replaced function's own code.
    case declined
}

extension Store {
    /// Calls, tail calls and calls to host or not-yet-lowered functions. Returns nil to continue
    /// the loop from `r`, or why the loop must stop.
    @inline(never)
    func slowCall(_ r: inout Registers, callee: UnsafeMutablePointer<FunctionRecord>, argBase: Int,
                  returnPC: UnsafeMutablePointer<UInt64>, tail: Bool) -> LoopExit? {
        let args = r.fp + argBase
        if callee.pointee.hostIndex >= 0 {
            switch callHost(callee, arguments: args, depth: r.depth) {
            case .returned:
                if !tail {
                    r.pc = returnPC
                    return nil
                }
                let n = callee.pointee.resultCount
                if argBase != 0 { r.fp.update(from: args, count: n) }
                return returnFromFrame(&r)
            case .suspended:
                let payload = takeHostSuspension()
                guard !tail else {
                    return .trapped(.invalidInvocation("a host function reached through return_call_indirect cannot suspend"))
                }
                r.pc = returnPC
                let types = hostFunctions[callee.pointee.hostIndex].function.type.results
                return .suspended(payload, slots: args, types: types)
            case .trapped:
                return .trapped(takeHostTrap())
            case .exception(let bits):
                return unwind(&r, exception: bits)
            case .declined:
                return slowCall(&r, callee: fastPathOriginal(of: callee), argBase: argBase, returnPC: returnPC, tail: tail)
            }
        }
        if callee.pointee.code == nil {
            if let failure = ensureLowered(callee) { return .trapped(failure) }
        }
        guard let code = callee.pointee.code else { return .trapped(.loweringFailed("function has no code")) }
        if tail {
            tailCallCount &+= 1
            if tailCallCount & 0xFFF == 0, let reason = checkInterrupt() { return .trapped(reason) }
            let n = callee.pointee.parameterCount
            guard r.fp + callee.pointee.frameSize <= stackEnd else { return .trapped(.callStackExhausted) }
            if argBase != 0 { r.fp.update(from: args, count: n) }
            callee.pointee.zeroLocals(of: r.fp)
            // The caller's frame record says whether returning changes instance: a tail call
            // into another instance must make that return reload (a spurious reload is harmless).
            if callee.pointee.instance != r.function.pointee.instance && r.depth > r.entryDepth {
                frames[r.depth - 1].taggedReturn |= 1
            }
            r.function = callee
            r.pc = code
            return nil
        }
        guard r.depth < configuration.maxCallDepth, args + callee.pointee.frameSize <= stackEnd else {
            return .trapped(.callStackExhausted)
        }
        frames[r.depth] = CallFrame(returnPC: returnPC, fp: r.fp, function: r.function,
                                    entersOtherInstance: callee.pointee.instance != r.function.pointee.instance)
        r.depth += 1
        callee.pointee.zeroLocals(of: args)
        r.fp = args
        r.function = callee
        r.pc = code
        return nil
    }

    /// The payload of the suspension `callHost` reported (clears the record).
    func takeHostSuspension() -> any Sendable {
        let payload = hostSuspension
        hostSuspension = nil
        return payload ?? ()
    }

    /// The reason of the trap `callHost` reported (clears the record).
    func takeHostTrap() -> TrapReason {
        let reason = hostTrap
        hostTrap = nil
        return reason ?? .unreachable
    }

    /// Pops the current frame (after its results are in slots 0..<n), or ends the execution.
    func returnFromFrame(_ r: inout Registers) -> LoopExit? {
        if r.depth == r.entryDepth { return .returned }
        r.depth -= 1
        let frame = frames[r.depth]
        r.pc = frame.returnPC
        r.fp = frame.fp
        r.function = frame.function
        return nil
    }

    /// Lowers a function on its first call and fills in its record.
    @inline(never)
    func ensureLowered(_ record: UnsafeMutablePointer<FunctionRecord>) -> TrapReason? {
        guard let module = record.pointee.module?.takeUnretainedValue(), record.pointee.definedIndex >= 0 else {
            return .loweringFailed("function \(record.pointee.functionIndex) has no body")
        }
        do {
            let lowered = try module.lowered(record.pointee.definedIndex, metering: configuration.fuelMetering)
            record.pointee.code = lowered.code
            record.pointee.frameSize = lowered.frameSize
            record.pointee.setEntry(zeroStart: lowered.zeroStart, zeroEnd: lowered.zeroEnd, entryFuel: lowered.entryFuel)
            record.pointee.fastCode = lowered.code + lowered.entryFuelWords
            record.pointee.lowered = Unmanaged.passUnretained(lowered)
            return nil
        } catch {
            return .loweringFailed("\(error)")
        }
    }

    /// Calls a host function with its arguments at `arguments`; its results replace them.
    /// Reads the counts from the record and borrows the function from `hostFunctions`: copying
    /// the `HostFunction`, or even just its closures, out of an array retained and released on
    /// every call.
    @inline(never)
    func callHost(_ callee: UnsafeMutablePointer<FunctionRecord>, arguments: UnsafeMutablePointer<UInt64>,
                  depth: Int) -> HostOutcome {
        let index = callee.pointee.hostIndex
        let resultCount = callee.pointee.resultCount
        let results = resultCount <= hostResultCapacity ? hostResults : UnsafeMutablePointer<UInt64>.make(resultCount, 0)
        defer { if results != hostResults { results.deallocate() } }
        var call = HostCall(arguments: arguments, resultSlots: results, hostIndex: index,
                            memory: GuestMemory(storage: callee.pointee.instance.pointee.memory), store: self)
        let savedTop = stackTop
        let savedDepth = frameDepth
        stackTop = arguments + max(callee.pointee.parameterCount, resultCount, 1)
        frameDepth = depth
        defer {
            stackTop = savedTop
            frameDepth = savedDepth
        }
        /// The results into the argument slots (one, the usual count, without a `memmove` call).
        @inline(__always) func moveResults() {
            if resultCount == 1 {
                arguments[0] = results[0]
            } else if resultCount > 0 {
                arguments.update(from: results, count: resultCount)
            }
        }
        do {
            return try hostFunctions.entries[index]._withUnsafeGuaranteedRef { entry throws -> HostOutcome in
                if let fastPath = entry.function.fastPath {
                    guard try fastPath(&call) else { return .declined }
                    moveResults()
                    return .returned
                }
                switch try entry.function.body(&call) {
                case .return:
                    moveResults()
                    return .returned
                case .suspend(let payload):
                    hostSuspension = payload
                    return .suspended
                }
            }
        } catch let exception as WasmException {
            return .exception(exceptions.allocate(ExceptionObject(tag: exception.tagID, payload: exception.values.map(\.bits))))
        } catch let trap as Trap {
            hostTrap = trap.reason
            return .trapped
        } catch {
            hostTrap = .hostError(error)
            return .trapped
        }
    }

    // MARK: Interception

    /// Runs `onEnter` whenever function `index` of `instance` is called (before its body) and
    /// `onExit` when it returns. The hooks see every live value-stack slot (all frames), the
    /// instance's globals and memory. Used to make the MicroPython guest's collector see
    /// pointers held only in Wasm locals.
    public func intercept(_ instance: Instance, function index: Int,
                          onEnter: @escaping (inout HookContext) throws -> Void,
                          onExit: @escaping (inout HookContext) throws -> Void) throws(Trap) {
        let ctx = instances[instance.index]
        guard index >= 0, index < ctx.pointee.functionCount else {
            throw Trap(.invalidInvocation("no function \(index) to intercept"))
        }
        let record = ctx.pointee.functions + index
        guard record.pointee.hostIndex < 0, record.pointee.hook < 0 else {
            throw Trap(.invalidInvocation("function \(index) is a host function or already intercepted"))
        }
        if record.pointee.code == nil, let failure = ensureLowered(record) { throw Trap(failure) }
        let original = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: 1)
        original.initialize(to: record.pointee)
        let id = hooks.count
        let p = record.pointee.parameterCount
        let n = record.pointee.resultCount
        let words: [UInt64] = [
            Op.hookEnter.code | UInt64(id) << 32,
            Op.callRecord.code, UInt64(id),
            Op.hookExit.code | UInt64(id) << 32,
            Op.ret.code,
        ]
        let wrapper = LoweredFunction(words: words, frameSize: max(p, n, 1), parameterCount: p, localCount: p,
                                      resultCount: n, functionIndex: record.pointee.functionIndex, handlers: [],
                                      codeOffsets: [0, 1, 3, 4], wasmOffsets: [0, 0, 0, 0])
        hooks.append(CallHook(onEnter: onEnter, onExit: onExit, original: original, wrapper: wrapper))
        record.pointee.code = wrapper.code
        record.pointee.lowered = Unmanaged.passUnretained(wrapper)
        record.pointee.setEntry(zeroStart: p, zeroEnd: p, entryFuel: 0)
        record.pointee.fastCode = wrapper.code
        record.pointee.frameSize = max(p, n, 1)
        record.pointee.hook = id
    }

    /// Replaces defined function `index` of `instance` with a host function of the same type:
    /// every call to it (direct, indirect, from the host) runs `host` instead of its body. For
    /// native versions of a known module's hot functions, whose bodies the caller has checked
    /// (by hash) to compute exactly what `host` computes. `name` identifies it in forks.
    public func replace(_ instance: Instance, function index: Int, with host: HostFunction, name: String) throws(Trap) {
        let ctx = instances[instance.index]
        guard index >= 0, index < ctx.pointee.functionCount else {
            throw Trap(.invalidInvocation("no function \(index) to replace"))
        }
        let record = ctx.pointee.functions + index
        guard record.pointee.hostIndex < 0, record.pointee.hook < 0, record.pointee.definedIndex >= 0 else {
            throw Trap(.invalidInvocation("function \(index) is a host function or intercepted"))
        }
        guard TypeRegistry.shared.id(of: host.type) == record.pointee.typeID else {
            throw Trap(.invalidInvocation("function \(index) does not have the replacement's type \(host.type)"))
        }
        record.pointee.hostIndex = hostFunctions.append(host, module: "sandpiper.native", name: name)
        record.pointee.code = nil
        record.pointee.fastCode = nil
        record.pointee.lowered = nil
        record.pointee.setEntry(zeroStart: host.type.parameters.count, zeroEnd: host.type.parameters.count, entryFuel: 0)
        record.pointee.frameSize = max(host.type.parameters.count, host.type.results.count)
    }

    /// Executes `hookEnter`, `hookExit` or `callRecord`.
    @inline(never)
    func runHookInstruction(_ r: inout Registers, _ w: UInt64) -> LoopExit? {
        switch Op.decode(w) {
        case .callRecord:
            let id = Int(r.pc[1])
            return slowCall(&r, callee: hooks[id].original, argBase: opA(w), returnPC: r.pc + 2, tail: false)
        case .hookEnter, .hookExit:
            let id = Int(hi32(w))
            let hook = hooks[id]
            let ctx = r.function.pointee.instance
            let top = r.fp + r.function.pointee.frameSize
            var context = HookContext(liveSlots: UnsafeBufferPointer(start: stack, count: top - stack),
                                      store: self, instance: Instance(index: ctx.pointee.index),
                                      memory: GuestMemory(storage: ctx.pointee.memory),
                                      globals: ctx.pointee.globals, globalCount: ctx.pointee.globalCount, saved: [])
            // Nested invocations from the hook start above the live frames.
            let savedTop = stackTop
            let savedDepth = frameDepth
            stackTop = top
            frameDepth = r.depth
            defer {
                stackTop = savedTop
                frameDepth = savedDepth
            }
            do {
                if Op.decode(w) == .hookEnter {
                    try hook.onEnter(&context)
                    hookSaved.append(context.saved)
                } else {
                    context.saved = hookSaved.popLast() ?? []
                    try hook.onExit(&context)
                }
            } catch {
                return .trapped(.hostError(error))
            }
            r.pc += 1
            return nil
        default:
            return .trapped(.unreachable)
        }
    }
}
