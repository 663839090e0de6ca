// Caught exceptions that Wasm code holds as `exnref` values.
// https://webassembly.github.io/exception-handling/core/exec/runtime.html#exception-instances

/// An exception instance: its tag and payload.
struct ExceptionObject {
    /// Store-wide tag id.
    var tag: UInt32
    /// The payload slots.
    var payload: [UInt64]
}

/// The store's exceptions, referenced from Wasm values by tagged index.
///
/// An exception caught without `_ref` is freed at once. One caught with `catch_ref` or
/// `catch_all_ref` lives while any slot may hold its reference: when many accumulate, the
/// store scans its stacks, globals and tables for reference bit patterns and frees the rest
/// (conservatively: a number that looks like a reference keeps it alive, never the reverse).
struct ExceptionHeap {
    /// The tag in the top byte of every exnref (so plain numbers rarely look like one).
    static let marker: UInt64 = 0xEC << 56

    var objects: [ExceptionObject?] = []
    var free: [Int] = []
    /// Live objects since the last collection, to decide when to collect.
    var liveCount = 0

    /// Stores an exception and returns its reference bits.
    mutating func allocate(_ object: ExceptionObject) -> UInt64 {
        liveCount += 1
        if let i = free.popLast() {
            objects[i] = object
            return Self.marker | UInt64(i + 1)
        }
        objects.append(object)
        return Self.marker | UInt64(objects.count)
    }

    /// The exception a reference names, if it is live.
    func object(_ bits: UInt64) -> ExceptionObject? {
        guard bits & 0xFF00_0000_0000_0000 == Self.marker else { return nil }
        let i = Int(bits & 0x00FF_FFFF_FFFF_FFFF) - 1
        guard i >= 0, i < objects.count else { return nil }
        return objects[i]
    }

    /// Frees the exception a reference names.
    mutating func release(_ bits: UInt64) {
        guard bits & 0xFF00_0000_0000_0000 == Self.marker else { return }
        let i = Int(bits & 0x00FF_FFFF_FFFF_FFFF) - 1
        guard i >= 0, i < objects.count, objects[i] != nil else { return }
        objects[i] = nil
        free.append(i)
        liveCount -= 1
    }

    /// Frees every exception whose reference does not appear in `roots`.
    mutating func collect(keeping roots: Set<UInt64>) {
        for i in objects.indices where objects[i] != nil {
            if !roots.contains(Self.marker | UInt64(i + 1)) {
                objects[i] = nil
                free.append(i)
                liveCount -= 1
            }
        }
    }
}

/// An embedder hook run when a function is entered and when it returns (see `Store.intercept`).
struct CallHook {
    /// Runs before the function's body with the store paused at entry.
    var onEnter: (inout HookContext) throws -> Void
    /// Runs after the function returns.
    var onExit: (inout HookContext) throws -> Void
    /// The wrapped function's original record (owned by the store).
    var original: UnsafeMutablePointer<FunctionRecord>
    /// The wrapper code that runs the hooks around the original.
    var wrapper: LoweredFunction
}

/// What a call hook sees: the live value stack, the instance's globals and memory, and the
/// store (a hook may invoke functions of the instance; they run nested, above the live frames).
public struct HookContext {
    /// All live value-stack slots of all active frames, bottom first (valid during the hook).
    public let liveSlots: UnsafeBufferPointer<UInt64>
    /// The store running the hooked function.
    public unowned(unsafe) let store: Store
    /// The hooked function's instance.
    public let instance: Instance
    /// The memory of the hooked function's instance.
    public let memory: GuestMemory
    let globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    let globalCount: Int
    /// Scratch state the enter hook passes to the exit hook.
    public var saved: [UInt64]

    /// Reads global `index` of the hooked function's instance.
    public func global(_ index: Int) -> UInt64? {
        guard index >= 0, index < globalCount else { return nil }
        return globals[index].pointee
    }

    /// Writes global `index` of the hooked function's instance.
    public func setGlobal(_ index: Int, _ bits: UInt64) {
        guard index >= 0, index < globalCount else { return }
        globals[index].pointee = bits
    }
}
