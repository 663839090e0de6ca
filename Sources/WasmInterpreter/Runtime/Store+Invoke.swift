// Calling into Wasm from Swift: invoke, resume after a suspension or refuel, and results.
// https://webassembly.github.io/spec/core/exec/modules.html#invocation

extension Store {
    /// The index of the function `name` exports, if it does.
    public func exportedFunction(_ instance: Instance, _ name: String) -> (instance: Instance, index: Int)? {
        guard case .function(let owner, let index) = export(instance, name) else { return nil }
        return (owner, index)
    }

    /// The type of function `index` of `instance`.
    public func functionType(_ instance: Instance, index: Int) -> FunctionType? {
        let types = instanceInfos[instance.index].functionTypes
        return index < types.count ? types[index] : nil
    }

    /// Invokes the exported function `name` with `arguments`.
    public func invoke(_ instance: Instance, _ name: String, _ arguments: [Value] = []) throws(Trap) -> InvocationResult {
        guard let (owner, index) = exportedFunction(instance, name) else {
            throw Trap(.invalidInvocation("no exported function named \"\(name)\""))
        }
        return try invoke(owner, functionIndex: index, arguments)
    }

    /// Invokes the exported function `name` and returns its results; suspension or running out
    /// of fuel are errors here (use `invoke` to handle them).
    public func call(_ instance: Instance, _ name: String, _ arguments: [Value] = []) throws(Trap) -> [Value] {
        switch try invoke(instance, name, arguments) {
        case .finished(let values): return values
        case .suspended:
            abandonSuspendedExecution()
            throw Trap(.invalidInvocation("the function suspended; use invoke(_:_:_:) to handle suspensions"))
        case .outOfFuel:
            abandonSuspendedExecution()
            throw Trap(.outOfFuel)
        }
    }

    /// Invokes function `functionIndex` (module index space) of `instance`.
    public func invoke(_ instance: Instance, functionIndex: Int, _ arguments: [Value]) throws(Trap) -> InvocationResult {
        guard !isFrozen else { throw Trap(.invalidInvocation("the store is frozen (a template): fork it and run the copy")) }
        guard instance.index < instances.count else { throw Trap(.invalidInvocation("no such instance")) }
        guard running || suspended == nil else {
            throw Trap(.invalidInvocation("the store has a suspended execution: resume or abandon it first"))
        }
        let ctx = instances[instance.index]
        guard functionIndex >= 0, functionIndex < ctx.pointee.functionCount,
              let type = functionType(instance, index: functionIndex) else {
            throw Trap(.invalidInvocation("no function \(functionIndex)"))
        }
        guard arguments.count == type.parameters.count,
              zip(arguments, type.parameters).allSatisfy({ $0.type == $1 }) else {
            throw Trap(.invalidInvocation("arguments \(arguments.map(\.type)) do not match \(type)"))
        }
        var callee = ctx.pointee.functions + functionIndex
        let base = running ? stackTop : stack
        let depth = running ? frameDepth : 0
        guard base + max(type.parameters.count, type.results.count, 1) <= stackEnd else {
            throw Trap(.callStackExhausted)
        }
        for (i, a) in arguments.enumerated() { base[i] = a.bits }

        if callee.pointee.hostIndex >= 0 {
            switch callHost(callee, arguments: base, depth: depth) {
            case .returned:
                return .finished(type.results.enumerated().map { Value(bits: base[$0.offset], type: $0.element) })
            case .suspended:
                _ = takeHostSuspension()
                throw Trap(.invalidInvocation("a host function invoked directly cannot suspend"))
            case .trapped:
                throw Trap(takeHostTrap())
            case .exception(let bits):
                let object = exceptions.object(bits)!
                exceptions.release(bits)
                let types = tagTypes[Int(object.tag)].parameters
                throw Trap(.uncaughtException(WasmException(tagID: object.tag, types: types,
                                                            values: zip(object.payload, types).map { Value(bits: $0, type: $1) })))
            case .declined:
                callee = fastPathOriginal(of: callee)
            }
        }
        if callee.pointee.code == nil, let failure = ensureLowered(callee) { throw Trap(failure) }
        guard depth < configuration.maxCallDepth, base + callee.pointee.frameSize <= stackEnd else {
            throw Trap(.callStackExhausted)
        }
        callee.pointee.zeroLocals(of: base)
        var registers = Registers(pc: callee.pointee.code!, fp: base, function: callee, depth: depth, entryDepth: depth)
        return try execute(&registers, resultTypes: type.results, entryFP: base)
    }

    /// Continues a suspended execution. `results` are the suspending host function's results
    /// (none after running out of fuel).
    public func resume(with results: [Value] = []) throws(Trap) -> InvocationResult {
        guard !isFrozen else { throw Trap(.invalidInvocation("the store is frozen (a template): fork it and run the copy")) }
        guard !running, let s = suspended else {
            throw Trap(.invalidInvocation("nothing to resume"))
        }
        if let host = s.hostResults {
            guard results.count == host.types.count, zip(results, host.types).allSatisfy({ $0.type == $1 }) else {
                throw Trap(.invalidInvocation("resume results \(results.map(\.type)) do not match \(host.types)"))
            }
            for (i, v) in results.enumerated() { host.slots[i] = v.bits }
        }
        suspended = nil
        var registers = s.registers
        return try execute(&registers, resultTypes: s.entryResultTypes, entryFP: s.entryFP)
    }

    /// Whether an execution is suspended (waiting for `resume`).
    public var hasSuspendedExecution: Bool { suspended != nil }

    /// Discards a suspended execution.
    public func abandonSuspendedExecution() {
        suspended = nil
    }

    /// Runs the loop until it stops for a reason other than a checkpoint (`runToStop` never
    /// returns one); at each checkpoint, checks the deadline and cancellation.
    func runToStop(_ registers: inout Registers) -> LoopExit {
        while true {
            let exit = run(&registers)
            guard case .checkpoint = exit else { return exit }
            if let reason = pendingInterrupt(self) { return .trapped(reason) }
        }
    }

    /// Runs the loop and turns its exit into a result or a trap.
    func execute(_ registers: inout Registers, resultTypes: [ValueType], entryFP: UnsafeMutablePointer<UInt64>) throws(Trap) -> InvocationResult {
        let nested = running
        running = true
        let exit = runToStop(&registers)
        running = nested
        switch exit {
        case .returned:
            return .finished(resultTypes.enumerated().map { Value(bits: entryFP[$0.offset], type: $0.element) })
        case .trapped(let reason):
            throw trap(reason, at: registers)
        case .outOfFuel:
            guard !nested else { throw trap(.outOfFuel, at: registers) }
            suspended = SuspendedExecution(registers: registers, hostResults: nil, entryResultTypes: resultTypes, entryFP: entryFP)
            return .outOfFuel
        case .checkpoint:
            throw trap(.invalidInvocation("the interpreter stopped at a checkpoint it did not resume"), at: registers)
        case .suspended(let payload, let slots, let types):
            guard !nested else {
                throw trap(.invalidInvocation("a host function suspended inside a nested invocation"), at: registers)
            }
            suspended = SuspendedExecution(registers: registers, hostResults: (slots, types),
                                           entryResultTypes: resultTypes, entryFP: entryFP)
            return .suspended(payload)
        }
    }

    /// A trap with the function and Wasm offset of `registers.pc`.
    func trap(_ reason: TrapReason, at registers: Registers) -> Trap {
        guard let lowered = registers.function.pointee.lowered?.takeUnretainedValue() else {
            return Trap(reason, functionIndex: registers.function.pointee.functionIndex)
        }
        let index = registers.pc - lowered.code
        let offset = index >= 0 && index < lowered.codeCount ? lowered.wasmOffset(atCodeIndex: index) : nil
        return Trap(reason, functionIndex: lowered.functionIndex, offset: offset)
    }
}
