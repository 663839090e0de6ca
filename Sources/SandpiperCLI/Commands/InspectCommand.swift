// `sandpiper inspect FILE.wasm` and `sandpiper inspect --lowered FILE.wasm FUNC`.

import Foundation
import WasmInterpreter

/// Describes a module, or lists a function's lowered code.
public struct InspectCommand: Equatable, Sendable {
    /// The module file.
    public var file: String
    /// A function index or exported name whose lowered code to list.
    public var loweredFunction: String?
    /// List the fuel-metered form.
    public var metered = false

    static let usage = """
        usage: sandpiper inspect FILE.wasm
               sandpiper inspect --lowered [--fuel] FILE.wasm FUNC
          Decodes and validates FILE and prints its imports, exports, counts, section sizes and
          the features it uses, with the time taken. With --lowered, prints the internal code of
          function FUNC (an index, imports included, or an exported name); --fuel shows the
          fuel-metered form.
        """

    static func parse(_ c: inout ArgumentCursor) throws(UsageError) -> InspectCommand {
        var lowered = false
        var metered = false
        var positional: [String] = []
        while let a = c.next() {
            switch a {
            case "--lowered": lowered = true
            case "--fuel": metered = true
            default:
                guard !a.hasPrefix("-") || a == "-" else { throw c.unexpected(a) }
                positional.append(a)
            }
        }
        if lowered {
            guard positional.count == 2 else { throw UsageError("inspect --lowered needs FILE.wasm and FUNC", command: "inspect") }
            return InspectCommand(file: positional[0], loweredFunction: positional[1], metered: metered)
        }
        guard positional.count == 1 else { throw UsageError("inspect needs exactly one FILE.wasm", command: "inspect") }
        return InspectCommand(file: positional[0], metered: metered)
    }

    func run(_ console: Console) -> Int32 {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            console.error("sandpiper inspect: cannot read \(file): \(error.localizedDescription)")
            return 2
        }
        let start = ContinuousClock.now
        let module: CompiledModule
        do {
            module = try CompiledModule(bytes: bytes)
        } catch {
            console.error("sandpiper inspect: \(file): \(error)")
            return 1
        }
        let elapsed = ContinuousClock.now - start
        if let function = loweredFunction {
            let index: Int
            if let i = Int(function) {
                index = i
            } else if let e = module.module.exports.first(where: { $0.kind == .function && $0.name == function }) {
                index = Int(e.index)
            } else {
                console.error("sandpiper inspect: no function \(function) (give an index or an exported function name)")
                return 2
            }
            do {
                console.print(try Disassembler.listing(module, functionIndex: index, metering: metered))
                return 0
            } catch {
                console.error("sandpiper inspect: \(error)")
                return 1
            }
        }
        let s = ModuleSummary(module)
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        console.print("\(file): \(s.byteCount) bytes, valid (decoded and validated in \(String(format: "%.2f", ms)) ms)")
        console.print("features: \(s.features.isEmpty ? "MVP only" : "MVP, " + s.features.joined(separator: ", "))")
        console.print("counts:")
        for (kind, n) in s.counts { console.print("  \(kind): \(n)") }
        console.print("sections (bytes):")
        for (name, n) in s.sectionSizes { console.print("  \(name): \(n)") }
        if !s.customSections.isEmpty { console.print("custom sections: \(s.customSections.joined(separator: ", "))") }
        console.print("imports (\(s.imports.count)):")
        for i in s.imports { console.print("  \(i)") }
        console.print("exports (\(s.exports.count)):")
        for e in s.exports { console.print("  \(e)") }
        return 0
    }
}
