// A store's host functions, kept where a call can borrow them.

/// One host function and the import name it was bound to, in a class: a call borrows the
/// instance and reads its `let`s, so calling retains nothing.
final class HostFunctionEntry {
    let function: HostFunction
    /// The import it was bound to (`sandpiper.native` for a native fast path), for `fork(rebind:)`.
    let module: String
    let name: String

    init(_ function: HostFunction, module: String, name: String) {
        self.function = function
        self.module = module
        self.name = name
    }
}

/// A store's host functions, by index, as unmanaged references the table owns. `callHost`
/// borrows an entry (`_withUnsafeGuaranteedRef`): copying a function's closures out of an array
/// of `HostFunction`s retained and released their contexts, atomically, on every call.
struct HostFunctionTable {
    private(set) var entries: UnsafeMutablePointer<Unmanaged<HostFunctionEntry>>
    private(set) var count = 0
    private var capacity = 16

    init() {
        entries = .allocate(capacity: capacity)
    }

    /// Entry `index` (for the cold paths: types, forks).
    subscript(index: Int) -> HostFunctionEntry { entries[index].takeUnretainedValue() }

    /// Adds `function`, bound to `module.name`, at index `count`; returns the index.
    mutating func append(_ function: HostFunction, module: String, name: String) -> Int {
        if count == capacity {
            let grown = UnsafeMutablePointer<Unmanaged<HostFunctionEntry>>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity *= 2
        }
        (entries + count).initialize(to: Unmanaged.passRetained(HostFunctionEntry(function, module: module, name: name)))
        count += 1
        return count - 1
    }

    /// Releases every entry and the table (the store's deinit).
    func releaseAll() {
        for i in 0..<count { entries[i].release() }
        entries.deallocate()
    }
}
