// Native fast paths: a Swift version of a Wasm function that handles the common cases itself
// and hands the rest to the function's own code. For known guests whose hot functions have a
// cheap native form but an expensive rare case (an allocator that must call back into the
// guest to collect garbage, for example).

extension Store {
    /// Replaces defined function `index` of `instance` with a native fast path of the same
    /// type. Every call (direct, indirect, from the host) runs `fastPath` first; when it
    /// returns false the function's original code runs with the same arguments, as if nothing
    /// had intercepted the call. `fastPath` must compute exactly what the original would for
    /// the calls it accepts (the caller checks the body, for example by hash), and must not
    /// change anything before it declines. `name` identifies it in forks.
    public func replace(_ instance: Instance, function index: Int,
                        withFastPath fastPath: @escaping NativeFastPath, name: String) throws(Trap) {
        let ctx = instances[instance.index]
        guard index >= 0, index < ctx.pointee.functionCount, let type = functionType(instance, index: index) else {
            throw Trap(.invalidInvocation("no function \(index) to replace"))
        }
        let record = ctx.pointee.functions + index
        if record.pointee.code == nil, record.pointee.hostIndex < 0, let failure = ensureLowered(record) {
            throw Trap(failure)
        }
        let original = UnsafeMutablePointer<FunctionRecord>.allocate(capacity: 1)
        original.initialize(to: record.pointee)
        var host = HostFunction(type) { _ in throw Trap(.invalidInvocation("a native fast path has no plain body")) }
        host.fastPath = fastPath
        do {
            try replace(instance, function: index, with: host, name: name)
        } catch {
            original.deinitialize(count: 1)
            original.deallocate()
            throw error
        }
        fastPathOriginals[record.pointee.hostIndex] = original
    }

    /// The original code of a function replaced by a native fast path.
    func fastPathOriginal(of record: UnsafeMutablePointer<FunctionRecord>) -> UnsafeMutablePointer<FunctionRecord> {
        fastPathOriginals[record.pointee.hostIndex]!
    }
}
