// The state of one running spec script: its store, modules, registrations and current module.

import Foundation
import WasmInterpreter

/// The outcome of one command.
enum SpecOutcome {
    case passed
    case failed(String)
    case skipped
}

/// Runs the commands of one script in order.
struct SpecScriptSession {
    let folder: URL
    let fuelMetering: Bool
    let store: Store
    let spectest: Instance
    var registered: [String: Instance] = [:]
    var named: [String: Instance] = [:]
    var current: Instance?

    init(folder: URL, fuelMetering: Bool) {
        self.folder = folder
        self.fuelMetering = fuelMetering
        var configuration = StoreConfiguration()
        configuration.fuelMetering = fuelMetering
        configuration.maxCallDepth = 20_000
        store = Store(configuration: configuration)
        store.fuel = fuelMetering ? 1 << 40 : Int64.max
        spectest = SpecScriptSession.makeSpectest(store)
    }

    /// The `spectest` host module (see the suite's README).
    static func makeSpectest(_ store: Store) -> Instance {
        func printer(_ params: [ValueType]) -> HostFunction {
            HostFunction(parameters: params, results: []) { _ in .return }
        }
        return store.makeHostInstance(
            functions: [
                "print": printer([]), "print_i32": printer([.i32]), "print_i64": printer([.i64]),
                "print_f32": printer([.f32]), "print_f64": printer([.f64]),
                "print_i32_f32": printer([.i32, .f32]), "print_f64_f64": printer([.f64, .f64]),
            ],
            globals: [
                "global_i32": (GlobalType(valueType: .i32, isMutable: false), .i32(666)),
                "global_i64": (GlobalType(valueType: .i64, isMutable: false), .i64(666)),
                "global_f32": (GlobalType(valueType: .f32, isMutable: false), .f32(0x4426_A666)),
                "global_f64": (GlobalType(valueType: .f64, isMutable: false), .f64(0x4084_D4CC_CCCC_CCCD)),
            ],
            memories: ["memory": MemoryType(limits: Limits(min: 1, max: 2))],
            tables: ["table": TableType(elementType: .funcref, limits: Limits(min: 10, max: 20))])
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The module file of a command (the binary one for text modules that have it).
    func moduleFile(_ c: SpecCommand) -> String? {
        if c.module_type == "text" { return c.binary_filename }
        return c.filename
    }

    var imports: Imports {
        let registered = self.registered
        let spectest = self.spectest
        let store = self.store
        return Imports { module, name in
            let instance = module == "spectest" ? spectest : registered[module]
            guard let instance else { return nil }
            return store.export(instance, name)
        }
    }

    mutating func run(_ c: SpecCommand) -> SpecOutcome {
        switch c.type {
        case "module":
            guard let file = moduleFile(c) else { return .failed("no module file") }
            do {
                let module = try CompiledModule(bytes: bytes(file))
                let instance = try store.instantiate(module, imports: imports)
                current = instance
                if let name = c.name { named[name] = instance }
                return .passed
            } catch {
                return .failed("\(error)")
            }
        case "register":
            guard let alias = c.as else { return .failed("register without a name") }
            guard let instance = c.name.flatMap({ named[$0] }) ?? current else { return .failed("no module to register") }
            registered[alias] = instance
            return .passed
        case "assert_malformed", "assert_invalid":
            return checkRejected(c)
        case "assert_unlinkable", "assert_uninstantiable":
            return checkInstantiationFails(c)
        case "action":
            switch perform(c.action) {
            case .success: return .passed
            case .failure(let e): return .failed("action failed: \(e)")
            }
        case "assert_return":
            switch perform(c.action) {
            case .failure(let e): return .failed("trapped: \(e)")
            case .success(let results):
                let expected = c.expected ?? []
                guard results.count == expected.count else { return .failed("expected \(expected.count) results, got \(results)") }
                for (actual, want) in zip(results, expected) where !SpecValues.matches(actual, want) {
                    return .failed("expected \(expected.map { "\($0.type):\($0.value ?? "?")" }), got \(results)")
                }
                return .passed
            }
        case "assert_trap", "assert_exhaustion":
            let expected = c.text ?? ""
            switch perform(c.action) {
            case .success(let results): return .failed("expected trap \"\(expected)\", returned \(results)")
            case .failure(let e):
                guard let trap = e as? Trap else { return .failed("expected trap \"\(expected)\", got \(e)") }
                if c.type == "assert_exhaustion" {
                    if case .callStackExhausted = trap.reason { return .passed }
                    return .failed("expected stack exhaustion, got \(trap)")
                }
                return trap.reason.description.hasPrefix(expected) ? .passed : .failed("expected \"\(expected)\", got \"\(trap.reason)\"")
            }
        case "assert_exception":
            switch perform(c.action) {
            case .success(let results): return .failed("expected an exception, returned \(results)")
            case .failure(let e):
                if let trap = e as? Trap, case .uncaughtException = trap.reason { return .passed }
                return .failed("expected an uncaught exception, got \(e)")
            }
        default:
            return .failed("unknown command type \(c.type)")
        }
    }

    func checkRejected(_ c: SpecCommand) -> SpecOutcome {
        guard c.module_type == "binary", let file = c.filename else { return .skipped }
        let expected = c.text ?? ""
        let wantMalformed = c.type == "assert_malformed"
        do {
            _ = try CompiledModule(bytes: bytes(file))
            return .failed("module was accepted; expected \(wantMalformed ? "malformed" : "invalid"): \(expected)")
        } catch let error as ModuleError {
            switch error {
            case .malformed(let e):
                guard wantMalformed else { return .failed("expected invalid (\(expected)), got malformed: \(e)") }
                return e.message.hasPrefix(expected) ? .passed : .failed("expected \"\(expected)\", got \"\(e.message)\"")
            case .invalid(let e):
                guard !wantMalformed else { return .failed("expected malformed (\(expected)), got invalid: \(e)") }
                return e.message.hasPrefix(expected) ? .passed : .failed("expected \"\(expected)\", got \"\(e.message)\"")
            }
        } catch {
            return .failed("unexpected error \(error)")
        }
    }

    func checkInstantiationFails(_ c: SpecCommand) -> SpecOutcome {
        guard let file = moduleFile(c) else { return .failed("no module file") }
        let expected = c.text ?? ""
        let module: CompiledModule
        do { module = try CompiledModule(bytes: bytes(file)) } catch { return .failed("module rejected: \(error)") }
        do {
            _ = try store.instantiate(module, imports: imports)
            return .failed("instantiation succeeded; expected \(expected)")
        } catch {
            let message: String
            switch error {
            case .unknownImport: message = "unknown import"
            case .incompatibleImportType: message = "incompatible import type"
            case .trap(let t): message = t.reason.description
            case .limitExceeded: message = "limit exceeded"
            }
            if c.type == "assert_unlinkable", case .trap = error { return .failed("expected link error, got \(error)") }
            if c.type == "assert_uninstantiable", case .trap = error {} else if c.type == "assert_uninstantiable" {
                return .failed("expected a trap, got \(error)")
            }
            return message.hasPrefix(expected) ? .passed : .failed("expected \"\(expected)\", got \"\(error)\"")
        }
    }

    func perform(_ action: SpecAction?) -> Result<[Value], any Error> {
        guard let action else { return .failure(SpecRunnerError.unreadable("command", "no action")) }
        guard let instance = action.module.flatMap({ named[$0] }) ?? current else {
            return .failure(SpecRunnerError.unreadable("action", "no current module"))
        }
        switch action.type {
        case "invoke":
            let args = (action.args ?? []).map(SpecValues.parse)
            do {
                switch try store.invoke(instance, action.field, args) {
                case .finished(let values): return .success(values)
                case .suspended: return .failure(Trap(.invalidInvocation("suspended")))
                case .outOfFuel:
                    store.abandonSuspendedExecution()
                    return .failure(Trap(.outOfFuel))
                }
            } catch {
                return .failure(error)
            }
        case "get":
            guard case .global(let index) = store.export(instance, action.field) else {
                return .failure(Trap(.invalidInvocation("no global \(action.field)")))
            }
            return .success([store.globalValue(index)])
        default:
            return .failure(SpecRunnerError.unreadable("action", "unknown action \(action.type)"))
        }
    }
}

/// Parsing and comparing the JSON value encoding.
enum SpecValues {
    static func integer(_ s: String) -> UInt64 {
        if let v = Int64(s) { return UInt64(bitPattern: v) }
        return UInt64(s) ?? 0
    }

    static func parse(_ v: SpecValue) -> Value {
        let s = v.value ?? ""
        switch v.type {
        case "i32": return .i32(UInt32(truncatingIfNeeded: integer(s)))
        case "i64": return .i64(integer(s))
        case "f32": return .f32(UInt32(truncatingIfNeeded: integer(s)))
        case "f64": return .f64(integer(s))
        case "externref": return s == "null" ? .externref(nil) : .externref(integer(s))
        case "exnref": return .exnref(nil)
        default: return .funcref(nil)
        }
    }

    static func matches(_ actual: Value, _ expected: SpecValue) -> Bool {
        let s = expected.value ?? ""
        switch (expected.type, actual) {
        case ("i32", .i32(let v)): return v == UInt32(truncatingIfNeeded: integer(s))
        case ("i64", .i64(let v)): return v == integer(s)
        case ("f32", .f32(let v)):
            if s == "nan:canonical" { return v & 0x7FFF_FFFF == 0x7FC0_0000 }
            if s == "nan:arithmetic" { return v & 0x7FC0_0000 == 0x7FC0_0000 }
            return v == UInt32(truncatingIfNeeded: integer(s))
        case ("f64", .f64(let v)):
            if s == "nan:canonical" { return v & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000 }
            if s == "nan:arithmetic" { return v & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000 }
            return v == integer(s)
        case ("funcref", .funcref(let r)): return expected.value == nil ? r != nil : (s == "null") == (r == nil)
        case ("externref", .externref(let r)):
            if expected.value == nil { return r != nil }
            return s == "null" ? r == nil : r == integer(s)
        case ("exnref", .exnref(let r)): return s == "null" ? r == nil : r != nil
        default: return false
        }
    }
}
