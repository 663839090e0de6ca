// Builtin modules sessions cannot import, taken out in Swift. The session prelude also refuses
// them in Python (`SessionPrelude.hiddenModules`), but plugin code runs in the same interpreter:
// `import __main__` reached the prelude's table of refusals, and clearing it let `import
// uctypes` through, with read and write access to all of guest memory. Here the pinned guest's
// builtin module tables (static data in linear memory) lose the names before the guest starts,
// so no Python code can import them, whatever it does to the prelude.

import WasmInterpreter

/// The builtin modules removed from sessions' guests, and where the pinned guest lists them.
enum HiddenBuiltinModules {
    /// One entry of `mp_builtin_module_map` (at 24984, 13 entries) or
    /// `mp_builtin_extensible_module_map` (at 25136, 16 entries): a qstr object key and a module.
    struct Entry: Sendable {
        /// The module's name.
        var name: String
        /// The address of the entry's key word.
        var keyAddress: UInt32
        /// The name's qstr in the pinned guest.
        var qstr: UInt32
    }

    /// Raw memory (`uctypes`, `machine`), the guest's file-system mounting (`vfs`) and polling
    /// of descriptors (`select`): the pinned guest's builtins among `SessionPrelude.hiddenModules`.
    static let entries: [Entry] = [
        Entry(name: "uctypes", keyAddress: 24_952, qstr: 619),
        Entry(name: "vfs", keyAddress: 24_960, qstr: 633),
        Entry(name: "machine", keyAddress: 25_072, qstr: 493),
        Entry(name: "select", keyAddress: 25_112, qstr: 576),
    ]

    /// The key an entry gets instead: the qstr object of `MP_QSTRnull`, which no name interns
    /// to, so no import finds the entry.
    static let unreachableKey: UInt32 = 2

    /// A qstr object (MicroPython's object representation A: the qstr shifted left by 3, tag 2).
    static func key(_ qstr: UInt32) -> UInt32 { qstr << 3 | 2 }

    /// Rewrites the keys in a freshly instantiated guest's memory. Throws if a word there is not
    /// the key the pinned guest has (a different guest): then nothing is changed.
    static func hide(in memory: GuestMemory) throws(HiddenModulesError) {
        for entry in entries {
            // Out of bounds (a smaller memory) is a differing layout too: nothing there to check.
            let found = try? memory.load(UInt32.self, at: entry.keyAddress)
            guard found == key(entry.qstr) else {
                throw .unexpectedLayout(module: entry.name, address: entry.keyAddress, found: found ?? 0)
            }
        }
        // Every address was just read, so every store is in bounds.
        for entry in entries { try? memory.store(unreachableKey, at: entry.keyAddress) }
    }
}

/// Why the builtin modules sessions must not import could not be removed.
public enum HiddenModulesError: Error, Sendable, CustomStringConvertible {
    /// The guest's module table does not hold `module` where the pinned guest does.
    case unexpectedLayout(module: String, address: UInt32, found: UInt32)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unexpectedLayout(let module, let address, let found):
            return "this guest's builtin module table differs from the pinned guest's (no '\(module)' key at \(address), found \(found)); "
                + "sessions cannot hide its raw-memory modules, so they refuse to start"
        }
    }
}
