// The state of one running spec script: its modules, registrations and the current module.

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

    init(folder: URL, fuelMetering: Bool) {
        self.folder = folder
        self.fuelMetering = fuelMetering
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The module file of a command (the binary one for text modules that have it).
    func moduleFile(_ c: SpecCommand) -> String? {
        if c.module_type == "text" { return c.binary_filename }
        return c.filename
    }

    mutating func run(_ c: SpecCommand) -> SpecOutcome {
        switch c.type {
        case "module":
            guard let file = moduleFile(c) else { return .failed("no module file") }
            do {
                _ = try CompiledModule(bytes: bytes(file))
                return .passed
            } catch {
                return .failed("\(error)")
            }
        case "assert_malformed", "assert_invalid":
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
        default:
            return .skipped
        }
    }
}
