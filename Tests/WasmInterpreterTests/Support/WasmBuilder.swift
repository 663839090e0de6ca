import WasmInterpreter

/// Builds small WebAssembly binaries in tests, without a text-format parser.
struct WasmBuilder {
    struct Function {
        var type: Int
        var locals: [ValueType]
        var body: [UInt8]
    }

    var types: [FunctionType] = []
    var imports: [(module: String, name: String, type: Int)] = []
    var functions: [Function] = []
    var exports: [(name: String, function: Int)] = []
    var memory: (min: UInt32, max: UInt32?)?
    var exportMemory = false
    var exportedTags: [(name: String, tag: Int)] = []
    var tags: [Int] = []
    var table: (min: UInt32, elements: [Int])?
    var globals: [(type: ValueType, mutable: Bool, initial: [UInt8])] = []

    /// Adds a type and returns its index (reusing an equal one).
    mutating func type(_ params: [ValueType], _ results: [ValueType]) -> Int {
        let t = FunctionType(parameters: params, results: results)
        if let i = types.firstIndex(of: t) { return i }
        types.append(t)
        return types.count - 1
    }

    /// Adds an imported function; returns its function index. Call before adding functions.
    mutating func importFunction(_ module: String, _ name: String, _ params: [ValueType], _ results: [ValueType]) -> Int {
        imports.append((module, name, type(params, results)))
        return imports.count - 1
    }

    /// Adds a function (body without the final `end`); returns its function index.
    @discardableResult
    mutating func function(_ params: [ValueType], _ results: [ValueType], locals: [ValueType] = [],
                           export name: String? = nil, _ body: [UInt8]) -> Int {
        functions.append(Function(type: type(params, results), locals: locals, body: body))
        let index = imports.count + functions.count - 1
        if let name { exports.append((name, index)) }
        return index
    }

    static func leb(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func sleb(_ value: Int64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while true {
            let b = UInt8(v & 0x7F)
            v >>= 7
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
                out.append(b)
                return out
            }
            out.append(b | 0x80)
        }
    }

    static func name(_ s: String) -> [UInt8] { leb(UInt64(s.utf8.count)) + Array(s.utf8) }

    static func section(_ id: UInt8, _ items: [[UInt8]]) -> [UInt8] {
        let content = leb(UInt64(items.count)) + items.flatMap { $0 }
        return [id] + leb(UInt64(content.count)) + content
    }

    func build() -> [UInt8] {
        var out: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
        out += Self.section(1, types.map { t in
            [0x60] + Self.leb(UInt64(t.parameters.count)) + t.parameters.map(\.rawValue)
                + Self.leb(UInt64(t.results.count)) + t.results.map(\.rawValue)
        })
        if !imports.isEmpty {
            out += Self.section(2, imports.map { Self.name($0.module) + Self.name($0.name) + [0] + Self.leb(UInt64($0.type)) })
        }
        out += Self.section(3, functions.map { Self.leb(UInt64($0.type)) })
        if let table {
            out += Self.section(4, [[0x70, 0] + Self.leb(UInt64(table.min))])
        }
        if let memory {
            if let max = memory.max {
                out += Self.section(5, [[1] + Self.leb(UInt64(memory.min)) + Self.leb(UInt64(max))])
            } else {
                out += Self.section(5, [[0] + Self.leb(UInt64(memory.min))])
            }
        }
        if !tags.isEmpty { out += Self.section(13, tags.map { [0] + Self.leb(UInt64($0)) }) }
        if !globals.isEmpty {
            out += Self.section(6, globals.map { [$0.type.rawValue, $0.mutable ? 1 : 0] + $0.initial + [0x0B] })
        }
        var exportItems = exports.map { Self.name($0.name) + [0] + Self.leb(UInt64($0.function)) }
        if exportMemory { exportItems.append(Self.name("memory") + [2, 0]) }
        for t in exportedTags { exportItems.append(Self.name(t.name) + [4] + Self.leb(UInt64(t.tag))) }
        out += Self.section(7, exportItems)
        if let table {
            out += Self.section(9, [[0, 0x41, 0, 0x0B] + Self.leb(UInt64(table.elements.count)) + table.elements.flatMap { Self.leb(UInt64($0)) }])
        }
        out += Self.section(10, functions.map { f in
            var groups: [[UInt8]] = []
            for t in f.locals { groups.append([1, t.rawValue]) }
            let body = Self.leb(UInt64(groups.count)) + groups.flatMap { $0 } + f.body + [0x0B]
            return Self.leb(UInt64(body.count)) + body
        })
        return out
    }
}

/// Instruction encodings for test bodies.
enum I {
    static func i32(_ v: Int32) -> [UInt8] { [0x41] + WasmBuilder.sleb(Int64(v)) }
    static func i64(_ v: Int64) -> [UInt8] { [0x42] + WasmBuilder.sleb(v) }
    static func get(_ i: Int) -> [UInt8] { [0x20] + WasmBuilder.leb(UInt64(i)) }
    static func set(_ i: Int) -> [UInt8] { [0x21] + WasmBuilder.leb(UInt64(i)) }
    static func tee(_ i: Int) -> [UInt8] { [0x22] + WasmBuilder.leb(UInt64(i)) }
    static func call(_ f: Int) -> [UInt8] { [0x10] + WasmBuilder.leb(UInt64(f)) }
    static func br(_ d: Int) -> [UInt8] { [0x0C] + WasmBuilder.leb(UInt64(d)) }
    static func brIf(_ d: Int) -> [UInt8] { [0x0D] + WasmBuilder.leb(UInt64(d)) }
    static let loop: [UInt8] = [0x03, 0x40]
    static let block: [UInt8] = [0x02, 0x40]
    static let end: [UInt8] = [0x0B]
    static let i32Add: [UInt8] = [0x6A]
    static let i32Sub: [UInt8] = [0x6B]
    static let i32LtS: [UInt8] = [0x48]
    static let i32Eqz: [UInt8] = [0x45]
    static let i64Add: [UInt8] = [0x7C]
    static let drop: [UInt8] = [0x1A]
    static let unreachable: [UInt8] = [0x00]
    static func memoryGrow() -> [UInt8] { [0x40, 0] }
    static func i32Store(offset: UInt32 = 0) -> [UInt8] { [0x36, 2] + WasmBuilder.leb(UInt64(offset)) }
    static func i32Load(offset: UInt32 = 0) -> [UInt8] { [0x28, 2] + WasmBuilder.leb(UInt64(offset)) }
    static func throwTag(_ t: Int) -> [UInt8] { [0x08] + WasmBuilder.leb(UInt64(t)) }
}
