// The closures of a store's host functions, kept where a call can borrow them.

/// One host function's closures, in a class: a call borrows the instance and reads its `let`s,
/// so calling retains nothing.
final class HostCallee {
    let body: HostFunctionBody
    let fastPath: NativeFastPath?

    init(_ function: HostFunction) {
        body = function.body
        fastPath = function.fastPath
    }
}

/// `Store.hostFunctions`' closures, by the same index, as unmanaged references the table owns.
/// `callHost` borrows an entry (`_withUnsafeGuaranteedRef`): copying the closures out of the
/// array instead retained and released their contexts, atomically, on every call.
struct HostCalleeTable {
    private(set) var entries: UnsafeMutablePointer<Unmanaged<HostCallee>>
    private(set) var count = 0
    private var capacity = 16

    init() {
        entries = .allocate(capacity: capacity)
    }

    /// Adds `function`'s closures at index `count`.
    mutating func append(_ function: HostFunction) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Unmanaged<HostCallee>>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity *= 2
        }
        (entries + count).initialize(to: Unmanaged.passRetained(HostCallee(function)))
        count += 1
    }

    /// Releases every entry and the table (the store's deinit).
    func releaseAll() {
        for i in 0..<count { entries[i].release() }
        entries.deallocate()
    }
}
