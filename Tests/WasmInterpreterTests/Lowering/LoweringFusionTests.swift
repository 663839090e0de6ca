import Testing
@testable import WasmInterpreter

/// The lowering's optimisations must not change what code computes: locals that skip zeroing,
/// fused mask branches, stack-pointer adjustments, merged copies and constants, and results
/// written straight into place. Each case runs with fuel metering off and on.
@Suite("Lowering optimisations keep Wasm semantics")
struct LoweringFusionTests {
    static let i32And: [UInt8] = [0x71]
    static let i32Eq: [UInt8] = [0x46]
    static let i32Ne: [UInt8] = [0x47]
    static let i32Mul: [UInt8] = [0x6C]
    static let ifVoid: [UInt8] = [0x04, 0x40]
    static let ret: [UInt8] = [0x0F]
    static func globalGet(_ g: Int) -> [UInt8] { [0x23] + WasmBuilder.leb(UInt64(g)) }
    static func globalSet(_ g: Int) -> [UInt8] { [0x24] + WasmBuilder.leb(UInt64(g)) }

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    func instantiate(_ b: WasmBuilder, metering: Bool) throws -> (Store, Instance) {
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        return (store, try store.instantiate(CompiledModule(bytes: b.build())))
    }

    /// "dirty" fills the frame area with non-zero locals; each other export then runs on the
    /// same stack area and must still see its unwritten locals as zero.
    @Test(arguments: [false, true])
    func localsWrittenOnlyOnSomePathsStartAtZero(metering: Bool) throws {
        var b = WasmBuilder()
        let dirtyLocals = [ValueType](repeating: .i32, count: 8)
        var dirty: [UInt8] = []
        for i in 0..<8 { dirty += I.i32(Int32(0x1111 * (i + 1))) + I.set(i) }
        b.function([], [], locals: dirtyLocals, export: "dirty", dirty)
        // Local 1 written only inside an `if` (taken when the argument is non-zero).
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "ifWrite",
                   I.get(0) + Self.ifVoid + I.i32(7) + I.set(1) + I.end + I.get(1))
        // Local 1 written after a br_if that can leave the block first.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "brIfWrite",
                   I.block + I.get(0) + I.brIf(0) + I.i32(9) + I.set(1) + I.end + I.get(1))
        // Local 1 written in a loop body after the exit test.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "loopWrite",
                   I.block + I.loop + I.get(0) + I.brIf(1) + I.i32(5) + I.set(1) + I.i32(1) + I.set(0) + I.br(0) + I.end + I.end + I.get(1))
        // Local 1 written in both arms of an if/else, local 2 only in the else arm.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "ifElseWrite",
                   I.get(0) + Self.ifVoid + I.i32(1) + I.set(1) + [0x05] + I.i32(2) + I.set(1) + I.i32(30) + I.set(2) + I.end
                   + I.get(1) + I.get(2) + I.i32Add)
        // Local 1 written before a br_table whose targets all read it; local 2 written in one target only.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "tableWrite",
                   I.i32(100) + I.set(1) + I.block + I.block + I.get(0) + [0x0E, 1, 0, 1] + I.end
                   + I.i32(20) + I.set(2) + I.end + I.get(1) + I.get(2) + I.i32Add)
        // Local 1 read before it is written, in straight-line code.
        b.function([], [.i32], locals: [.i32, .i32], export: "readFirst",
                   I.get(1) + I.i32(3) + I.set(1) + I.get(1) + I.i32Add)
        // Local 1 written before anything can branch: needs no zeroing, must still be right.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "writeFirst",
                   I.i32(4) + I.set(1) + I.block + I.get(0) + I.brIf(0) + I.end + I.get(1))
        do {
            let (store, instance) = try instantiate(b, metering: metering)
            do {
                func check(_ name: String, _ args: [Value], _ expected: Int32) throws {
                    _ = try store.call(instance, "dirty")
                    #expect(try store.call(instance, name, args) == [v(expected)], "\(name)(\(args))")
                }
                try check("ifWrite", [v(0)], 0)
                try check("ifWrite", [v(1)], 7)
                try check("brIfWrite", [v(1)], 0)
                try check("brIfWrite", [v(0)], 9)
                try check("loopWrite", [v(1)], 0)
                try check("loopWrite", [v(0)], 5)
                try check("ifElseWrite", [v(1)], 1)
                try check("ifElseWrite", [v(0)], 32)
                try check("tableWrite", [v(0)], 120)
                try check("tableWrite", [v(1)], 100)
                try check("tableWrite", [v(7)], 100)
                try check("readFirst", [], 3)
                try check("writeFirst", [v(1)], 4)
            }
        }
    }

    /// Branches on `x & mask`, written the ways compilers do: and + br_if, and + eqz + br_if,
    /// and + ne 0, and + eq 0; forward and backward; with the and's result also kept.
    @Test(arguments: [false, true])
    func maskBranches(metering: Bool) throws {
        var b = WasmBuilder()
        func maskFunction(_ name: String, _ test: [UInt8]) {
            // block: if test(x & 4) branch out and return 1; else return 2.
            b.function([.i32], [.i32], export: name,
                       I.block + I.get(0) + I.i32(4) + Self.i32And + test + I.brIf(0) + I.i32(2) + Self.ret + I.end + I.i32(1))
        }
        maskFunction("any", [])
        maskFunction("none", I.i32Eqz)
        maskFunction("ne0", I.i32(0) + Self.i32Ne)
        maskFunction("eq0", I.i32(0) + Self.i32Eq)
        maskFunction("eq4", I.i32(4) + Self.i32Eq)
        // (x & 7) == 6 and != 6: masked compares with a non-zero value.
        b.function([.i32], [.i32], export: "is6",
                   I.block + I.get(0) + I.i32(7) + Self.i32And + I.i32(6) + Self.i32Eq + I.brIf(0) + I.i32(0) + Self.ret + I.end + I.i32(1))
        b.function([.i32], [.i32], export: "not6",
                   I.block + I.get(0) + I.i32(7) + Self.i32And + I.i32(6) + Self.i32Ne + I.brIf(0) + I.i32(0) + Self.ret + I.end + I.i32(1))
        // Keeps the and's result in a local (tee) and returns it when the branch is not taken.
        b.function([.i32], [.i32], locals: [.i32], export: "kept",
                   I.block + I.get(0) + I.i32(6) + Self.i32And + I.tee(1) + I.i32Eqz + I.brIf(0) + I.get(1) + Self.ret + I.end + I.i32(-1))
        // Counts down by one while bit 0 of the counter is set, as a backward branch.
        b.function([.i32], [.i32], export: "loopMask",
                   I.loop + I.get(0) + I.i32(1) + I.i32Sub + I.set(0) + I.get(0) + I.i32(1) + Self.i32And + I.brIf(0) + I.end + I.get(0))
        // An `if` on a mask.
        b.function([.i32], [.i32], locals: [.i32], export: "ifMask",
                   I.get(0) + I.i32(8) + Self.i32And + I.i32Eqz + Self.ifVoid + I.i32(10) + I.set(1) + I.end + I.get(1))
        let (store, instance) = try instantiate(b, metering: metering)
        do {
            for x: Int32 in [0, 4, 5, 3, -1, 6, 14, -2] {
                let set = x & 4 != 0
                #expect(try store.call(instance, "any", [v(x)]) == [v(set ? 1 : 2)])
                #expect(try store.call(instance, "none", [v(x)]) == [v(set ? 2 : 1)])
                #expect(try store.call(instance, "ne0", [v(x)]) == [v(set ? 1 : 2)])
                #expect(try store.call(instance, "eq0", [v(x)]) == [v(set ? 2 : 1)])
                #expect(try store.call(instance, "eq4", [v(x)]) == [v(set ? 1 : 2)])
                #expect(try store.call(instance, "is6", [v(x)]) == [v(x & 7 == 6 ? 1 : 0)])
                #expect(try store.call(instance, "not6", [v(x)]) == [v(x & 7 != 6 ? 1 : 0)])
                #expect(try store.call(instance, "kept", [v(x)]) == [v(x & 6 == 0 ? -1 : x & 6)])
                #expect(try store.call(instance, "ifMask", [v(x)]) == [v(x & 8 == 0 ? 10 : 0)])
            }
            #expect(try store.call(instance, "loopMask", [v(8)]) == [v(6)])
            #expect(try store.call(instance, "loopMask", [v(9)]) == [v(8)])
        }
    }

    /// `select` between two constants, and `base + (i << k)` with the shift on either side.
    @Test(arguments: [false, true])
    func selectOfConstantsAndShiftedAdds(metering: Bool) throws {
        var b = WasmBuilder()
        b.function([.i32], [.i32], export: "pick", I.i32(11) + I.i32(-5) + I.get(0) + [0x1B])
        b.function([.i32], [.i64], export: "pick64", I.i64(7) + I.i64(1 << 40) + I.get(0) + [0x1B])
        b.function([.i32, .i32], [.i32], export: "addShl", I.get(0) + I.get(1) + I.i32(3) + [0x74] + I.i32Add)
        b.function([.i32, .i32], [.i32], export: "shlAdd", I.get(1) + I.i32(2) + [0x74] + I.get(0) + I.i32Add)
        b.function([.i32], [.i32], export: "shlAddConst", I.get(0) + I.i32(4) + [0x74] + I.i32(1000) + I.i32Add)
        let (store, instance) = try instantiate(b, metering: metering)
        do {
            #expect(try store.call(instance, "pick", [v(1)]) == [v(11)])
            #expect(try store.call(instance, "pick", [v(0)]) == [v(-5)])
            #expect(try store.call(instance, "pick64", [v(1)]) == [.i64(7)])
            #expect(try store.call(instance, "pick64", [v(0)]) == [.i64(1 << 40)])
            #expect(try store.call(instance, "addShl", [v(5), v(2)]) == [v(21)])
            #expect(try store.call(instance, "addShl", [v(5), v(-1)]) == [v(-3)])
            #expect(try store.call(instance, "shlAdd", [v(5), v(3)]) == [v(17)])
            #expect(try store.call(instance, "shlAddConst", [v(2)]) == [v(1032)])
        }
    }

    /// The stack-pointer prologue and epilogue compilers emit around a frame.
    @Test(arguments: [false, true])
    func stackPointerAdjustments(metering: Bool) throws {
        var b = WasmBuilder()
        b.globals = [(.i32, true, I.i32(1000))]
        // sp -= 16 (tee'd into local 0); sp += 16 from the local; returns local 0 * 100000 + sp.
        b.function([], [.i32], locals: [.i32], export: "frame",
                   Self.globalGet(0) + I.i32(16) + I.i32Sub + I.tee(0) + Self.globalSet(0)
                   + Self.globalGet(0) + I.i32(10000) + Self.i32Mul
                   + I.get(0) + I.i32(16) + I.i32Add + Self.globalSet(0)
                   + Self.globalGet(0) + I.i32Add)
        // sp = sp + 8 without a tee; then sp = 5 + 3 (an add whose source is a constant).
        b.function([], [.i32], export: "bump",
                   Self.globalGet(0) + I.i32(8) + I.i32Add + Self.globalSet(0) + Self.globalGet(0))
        // The add's result is used twice: stored and returned.
        b.function([.i32], [.i32], locals: [.i32], export: "twice",
                   I.get(0) + I.i32(-3) + I.i32Add + I.tee(1) + Self.globalSet(0) + I.get(1))
        let (store, instance) = try instantiate(b, metering: metering)
        do {
            #expect(try store.call(instance, "frame") == [v(984 * 10000 + 1000)])
            #expect(try store.call(instance, "bump") == [v(1008)])
            #expect(try store.call(instance, "twice", [v(50)]) == [v(47)])
            #expect(try store.call(instance, "bump") == [v(55)])
        }
    }

    /// Copies and constants on both sides of a label must not be merged into one instruction.
    @Test(arguments: [false, true])
    func movesAcrossLabelsStayApart(metering: Bool) throws {
        var b = WasmBuilder()
        // block { if c: br out; local2 = v } local3 = v; return local2 * 1000 + local3
        b.function([.i32, .i32], [.i32], locals: [.i32, .i32], export: "copies",
                   I.block + I.get(0) + I.brIf(0) + I.get(1) + I.set(2) + I.end + I.get(1) + I.set(3)
                   + I.get(2) + I.i32(1000) + Self.i32Mul + I.get(3) + I.i32Add)
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "constants",
                   I.block + I.get(0) + I.brIf(0) + I.i32(7) + I.set(1) + I.end + I.i32(9) + I.set(2)
                   + I.get(1) + I.i32(1000) + Self.i32Mul + I.get(2) + I.i32Add)
        // Adjacent moves in one block do merge; their order must hold (a swap through a temp).
        b.function([.i32, .i32], [.i32], locals: [.i32], export: "swap",
                   I.get(0) + I.set(2) + I.get(1) + I.set(0) + I.get(2) + I.set(1)
                   + I.get(0) + I.i32(1000) + Self.i32Mul + I.get(1) + I.i32Add)
        let (store, instance) = try instantiate(b, metering: metering)
        do {
            #expect(try store.call(instance, "copies", [v(1), v(5)]) == [v(5)])
            #expect(try store.call(instance, "copies", [v(0), v(5)]) == [v(5005)])
            #expect(try store.call(instance, "constants", [v(1)]) == [v(9)])
            #expect(try store.call(instance, "constants", [v(0)]) == [v(7009)])
            #expect(try store.call(instance, "swap", [v(3), v(4)]) == [v(4003)])
        }
    }
}

/// Consecutive 32-bit stores through one address slot become one `i32StoreRun`: the stores
/// must still happen in order, and a run that leaves memory must perform the stores before
/// the failing one and then trap.
@Suite("Store runs keep Wasm semantics")
struct StoreRunTests {
    static let f32Store: [UInt8] = [0x38, 2, 0]
    static let f32ReinterpretI32: [UInt8] = [0xBE]

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    func module() -> WasmBuilder {
        var b = WasmBuilder()
        b.memory = (1, 1)
        // [p] = a; [p+4] = b; [p+8] = c (as f32 bits); [p+4] = c; [p+12] = a + b
        b.function([.i32, .i32, .i32, .i32], [], export: "spill",
                   I.get(0) + I.get(1) + I.i32Store()
                   + I.get(0) + I.get(2) + I.i32Store(offset: 4)
                   + I.get(0) + I.get(3) + Self.f32ReinterpretI32 + [0x38, 2, 8]
                   + I.get(0) + I.get(3) + I.i32Store(offset: 4)
                   + I.get(0) + I.get(1) + I.get(2) + I.i32Add + I.i32Store(offset: 12))
        // The same stores with a label between the second and third: two runs.
        b.function([.i32, .i32, .i32], [], export: "split",
                   I.get(0) + I.get(1) + I.i32Store() + I.get(0) + I.get(2) + I.i32Store(offset: 4)
                   + I.block + I.end
                   + I.get(0) + I.get(1) + I.i32Store(offset: 8) + I.get(0) + I.get(2) + I.i32Store(offset: 12))
        // Offsets of 65536 and more stay separate stores.
        b.function([.i32, .i32], [], export: "far",
                   I.get(0) + I.get(1) + I.i32Store(offset: 0x10000) + I.get(0) + I.get(1) + I.i32Store(offset: 0x10004))
        b.function([.i32], [.i32], export: "load", I.get(0) + I.i32Load())
        return b
    }

    @Test(arguments: [false, true])
    func storesHappenInOrder(metering: Bool) throws {
        let bytes = module().build()
        let compiled = try CompiledModule(bytes: bytes)
        let listing = try Disassembler.listing(compiled, functionIndex: 0, metering: metering)
        // (the f32 reinterpret between the second and third stores splits them into two runs)
        #expect(listing.contains("i32StoreRun [s0 +0] = s1, [s0 +4] = s2\n"), "\(listing)")
        #expect(listing.contains(", [s0 +4] = s3\n"), "\(listing)")
        #expect(try Disassembler.listing(compiled, functionIndex: 1, metering: metering).components(separatedBy: "i32StoreRun").count == 3)
        #expect(try !Disassembler.listing(compiled, functionIndex: 2, metering: metering).contains("i32StoreRun"))

        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(compiled)
        _ = try store.call(instance, "spill", [v(100), v(11), v(22), v(33)])
        #expect(try store.call(instance, "load", [v(100)]) == [v(11)])
        #expect(try store.call(instance, "load", [v(104)]) == [v(33)])
        #expect(try store.call(instance, "load", [v(108)]) == [v(33)])
        #expect(try store.call(instance, "load", [v(112)]) == [v(33)])
        _ = try store.call(instance, "split", [v(200), v(5), v(6)])
        #expect(try store.call(instance, "load", [v(200)]) == [v(5)])
        #expect(try store.call(instance, "load", [v(212)]) == [v(6)])
        #expect(throws: Trap.self) { _ = try store.call(instance, "far", [v(0), v(1)]) }

        // A run starting 8 bytes before the end: the stores at +0 and +4 happen, +8 traps,
        // +12 never runs.
        let trap = #expect(throws: Trap.self) { _ = try store.call(instance, "spill", [v(65536 - 8), v(7), v(8), v(9)]) }
        if let trap, case .memoryOutOfBounds = trap.reason {} else { Issue.record("expected an out-of-bounds trap: \(String(describing: trap))") }
        #expect(try store.call(instance, "load", [v(65536 - 8)]) == [v(7)])
        #expect(try store.call(instance, "load", [v(65536 - 4)]) == [v(8)])
        // Wrapping addresses: base 0xFFFF_FFFC plus offsets is out of bounds, not wrapped.
        #expect(throws: Trap.self) { _ = try store.call(instance, "spill", [v(-4), v(1), v(2), v(3)]) }
        #expect(try store.call(instance, "load", [v(0)]) == [v(0)])
    }
}

/// An address computed by a shift and/or an added constant folds into the load
/// (`i32LoadIndexed`, `i32Load8UIndexed`), and an index computed by an added constant folds
/// into the jump table (`brTableAdd`). The 32-bit wrap-around of the computed address (before
/// the static offset is added) and the default target must be kept.
@Suite("Indexed loads and biased jump tables keep Wasm semantics")
struct IndexedLoadTests {
    static let i32Shl: [UInt8] = [0x74]
    static func load8U(offset: UInt8) -> [UInt8] { [0x2D, 0, offset] }
    static let ret: [UInt8] = [0x0F]

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    func module() -> WasmBuilder {
        var b = WasmBuilder()
        b.memory = (1, 1)
        b.function([.i32], [.i32], export: "shl", I.get(0) + I.i32(2) + Self.i32Shl + I.i32Load(offset: 8))
        b.function([.i32], [.i32], export: "add", I.get(0) + I.i32(100) + I.i32Add + I.i32Load(offset: 4))
        b.function([.i32], [.i32], export: "shlAdd", I.get(0) + I.i32(2) + Self.i32Shl + I.i32(64) + I.i32Add + I.i32Load())
        b.function([.i32], [.i32], export: "byte", I.get(0) + I.i32(-1) + I.i32Add + Self.load8U(offset: 3))
        b.function([.i32], [.i32], export: "shlWrap", I.get(0) + I.i32(30) + Self.i32Shl + I.i32Load())
        // block×4 { br_table on (i - 2): 0 → 10, 1 → 20, 2 → 30, else 99 }
        b.function([.i32], [.i32], export: "table",
                   I.block + I.block + I.block + I.block + I.get(0) + I.i32(-2) + I.i32Add + [0x0E, 3, 0, 1, 2, 3]
                   + I.end + I.i32(10) + Self.ret + I.end + I.i32(20) + Self.ret + I.end + I.i32(30) + Self.ret + I.end + I.i32(99))
        return b
    }

    @Test(arguments: [false, true])
    func computedAddressesAndIndices(metering: Bool) throws {
        let compiled = try CompiledModule(bytes: module().build())
        for (function, fused) in [(0, "i32LoadIndexed"), (1, "i32LoadIndexed"), (2, "i32LoadIndexed"),
                                  (3, "i32Load8UIndexed"), (4, "i32LoadIndexed"), (5, "brTableAdd")] {
            let listing = try Disassembler.listing(compiled, functionIndex: function, metering: metering)
            #expect(listing.contains(fused), "\(listing)")
            #expect(!listing.contains("i32AddImm") && !listing.contains("i32ShlImm"), "\(listing)")
        }
        let (store, instance, _) = try instantiateWithWords(compiled, metering: metering)

        #expect(try store.call(instance, "shl", [v(5)]) == [v((5 * 4 + 8) / 4 * 1000 + 7)])
        #expect(try store.call(instance, "add", [v(-100)]) == [v(1007)])
        #expect(try store.call(instance, "shlAdd", [v(3)]) == [v((12 + 64) / 4 * 1000 + 7)])
        #expect(try store.call(instance, "byte", [v(2)]) == [v(1007 & 0xFF)])
        // 0 - 1 wraps to 0xFFFFFFFF before the offset 3 is added: out of bounds, not address 2.
        #expect(throws: Trap.self) { _ = try store.call(instance, "byte", [v(0)]) }
        // 4 << 30 wraps to 0.
        #expect(try store.call(instance, "shlWrap", [v(4)]) == [v(7)])
        #expect(throws: Trap.self) { _ = try store.call(instance, "shl", [v(16383)]) }
        #expect(throws: Trap.self) { _ = try store.call(instance, "add", [v(65536 - 100 - 3)]) }
        #expect(try store.call(instance, "add", [v(65536 - 100 - 8)]) == [v(0)])

        for (i, expected) in [(2, 10), (3, 20), (4, 30), (5, 99), (1, 99), (0, 99), (Int32.min, 99), (Int32.max, 99)] {
            #expect(try store.call(instance, "table", [v(i)]) == [v(Int32(expected))], "table(\(i))")
        }
    }
}

/// Loads from a base plus a (scaled) index (`i32LoadAddShl`, `i32Load8UAddShl`), paired
/// constant adds (`i32AddImm2`) and a loop's last move fused into its back edge (`copyBrBack`)
/// compute what the separate instructions compute, including when fuel runs out on the back
/// edge and the loop is resumed.
@Suite("Base-plus-index loads, paired adds and moving back edges keep Wasm semantics")
struct RegisterFusionTests {
    static let i32Shl: [UInt8] = [0x74]
    static let i32Mul: [UInt8] = [0x6C]
    static let i32Eqz: [UInt8] = [0x45]

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        b.function([.i32, .i32], [.i32], export: "loadSum", I.get(0) + I.get(1) + I.i32Add + I.i32Load(offset: 4))
        b.function([.i32, .i32], [.i32], export: "byteSum", I.get(0) + I.get(1) + I.i32Add + [0x2D, 0, 1])
        b.function([.i32, .i32], [.i32], export: "loadScaled",
                   I.get(0) + I.get(1) + I.i32(2) + Self.i32Shl + I.i32Add + I.i32Load())
        // local1 += 2; local2 += 3 (in place, fused); local3 = local1 + 5; local3 += 1 (fused, aliasing)
        b.function([.i32], [.i32], locals: [.i32, .i32, .i32], export: "adds",
                   I.get(0) + I.set(1) + I.get(0) + I.set(2)
                   + I.get(1) + I.i32(2) + I.i32Add + I.set(1) + I.get(2) + I.i32(3) + I.i32Add + I.set(2)
                   + I.get(1) + I.i32(5) + I.i32Add + I.set(3) + I.get(3) + I.i32(1) + I.i32Add + I.set(3)
                   + I.get(1) + I.i32(1_000_000) + Self.i32Mul + I.get(2) + I.i32(1000) + Self.i32Mul + I.i32Add + I.get(3) + I.i32Add)
        // fib(n) mod 2^32 with (a, b) = (b, a + b): the loop ends in one move, then `br 0`.
        b.function([.i32], [.i32], locals: [.i32, .i32, .i32], export: "fib",
                   I.i32(1) + I.set(2)
                   + I.block + I.loop + I.get(0) + Self.i32Eqz + I.brIf(1)
                   + I.get(1) + I.get(2) + I.i32Add + I.set(3) + I.get(2) + I.set(1)
                   + I.get(0) + I.i32(-1) + I.i32Add + I.set(0) + I.get(3) + I.set(2) + I.br(0) + I.end + I.end + I.get(1))
        // (x << 3) + 100, kept as a value (i32ShlAddImm), wrapping.
        b.function([.i32], [.i32], export: "shlAdd", I.get(0) + I.i32(3) + Self.i32Shl + I.i32(100) + I.i32Add)
        // *(*(p + 4) + 8): a pointer followed (i32LoadLoad).
        b.function([.i32], [.i32], export: "chase", I.get(0) + I.i32Load(offset: 4) + I.i32Load(offset: 8))
        // i64 loads from base + index and base + (index << 3) (i64LoadAddShl).
        b.function([.i32, .i32], [.i64], export: "loadSum64", I.get(0) + I.get(1) + I.i32Add + [0x29, 3, 4])
        b.function([.i32, .i32], [.i64], export: "loadScaled64", I.get(0) + I.get(1) + I.i32(3) + Self.i32Shl + I.i32Add + [0x29, 3, 0])
        // (i << 3) + (base + 32): the shift joins the add after the constant add (i32AddShl).
        b.function([.i32, .i32], [.i32], export: "shiftUnder", I.get(0) + I.i32(3) + Self.i32Shl + I.get(1) + I.i32(32) + I.i32Add + I.i32Add)
        // i64.extend_i32_u of a local, of a sum and of a constant: no instruction of its own.
        b.function([.i32], [.i64], export: "extend",
                   I.get(0) + [0xAD] + I.get(0) + I.i32(1) + I.i32Add + [0xAD] + I.i64Add + I.i32(-1) + [0xAD] + I.i64Add)
        // tee(x): local1 = local2 = x - 2 (local.tee 1; local.set 2: i32AddImmTee), returns
        // local1 * 1000 + local2 + x, wrapping; x = local2 + 5 afterwards shows local2 was written.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "tee",
                   I.get(0) + I.i32(-2) + I.i32Add + I.tee(1) + I.set(2)
                   + I.get(1) + I.i32(1000) + Self.i32Mul + I.get(2) + I.i32Add + I.get(0) + I.i32Add)
        // pick(c, a, b): a when c == 0 (a move into the block's result and `br 1`: copyBr), else b.
        b.function([.i32, .i32, .i32], [.i32], export: "pick",
                   [0x02, 0x7F] + I.block + I.get(0) + I.brIf(0) + I.get(1) + I.br(1) + I.end + I.get(2) + I.end)
        return try CompiledModule(bytes: b.build())
    }

    func fib(_ n: Int) -> Int32 {
        var (a, b): (UInt32, UInt32) = (0, 1)
        for _ in 0..<n { (a, b) = (b, a &+ b) }
        return Int32(bitPattern: a)
    }

    @Test(arguments: [false, true])
    func fusedFormsComputeTheSame(metering: Bool) throws {
        let compiled = try module()
        for (function, fused) in [(0, "i32LoadAddShl"), (1, "i32Load8UAddShl"), (2, "i32LoadAddShl"), (3, "i32AddImm2"),
                                  (4, "copyBrBack"), (5, "i32ShlAddImm"), (6, "i32LoadLoad"), (7, "i64LoadAddShl"),
                                  (8, "i64LoadAddShl"), (9, "i32AddShl"), (11, "i32AddImmTee"), (12, "copyBr ")] {
            let listing = try Disassembler.listing(compiled, functionIndex: function, metering: metering)
            #expect(listing.contains(fused), "\(listing)")
        }
        let shiftUnder = try Disassembler.listing(compiled, functionIndex: 9, metering: metering)
        #expect(!shiftUnder.contains("i32ShlImm"), "\(shiftUnder)")
        let extend = try Disassembler.listing(compiled, functionIndex: 10, metering: metering)
        #expect(!extend.contains("i64ExtendI32U"), "\(extend)")
        let (store, instance, memory) = try instantiateWithWords(compiled, metering: metering)

        #expect(try store.call(instance, "loadSum", [v(40), v(-4)]) == [v(10 * 1000 + 7)])
        // base + index wraps to 32 bits before the offset: 0xFFFFFFFF + 1 = 0, + 4.
        #expect(try store.call(instance, "loadSum", [v(-1), v(1)]) == [v(1007)])
        #expect(try store.call(instance, "byteSum", [v(7), v(0)]) == [v(2007 & 0xFF)])
        #expect(throws: Trap.self) { _ = try store.call(instance, "byteSum", [v(65535), v(0)]) }
        #expect(try store.call(instance, "loadScaled", [v(8), v(3)]) == [v(5 * 1000 + 7)])
        #expect(try store.call(instance, "loadScaled", [v(4), v(-1)]) == [v(7)])
        #expect(try store.call(instance, "adds", [v(10)]) == [v(12 * 1_000_000 + 13 * 1000 + 18)])
        #expect(try store.call(instance, "shlAdd", [v(5)]) == [v(140)])
        #expect(try store.call(instance, "shlAdd", [v(0x2000_0000)]) == [v(100)])
        #expect(try store.call(instance, "shlAdd", [v(-13)]) == [v(-4)])
        // Memory holds i * 1000 + 7 at 4 * i: the word at 44 is 11007, and at 11007 + 8 = 11015
        // (unaligned) the bytes of words 2753 and 2754.
        let inner = try memory.load(UInt32.self, at: 11015)
        #expect(try store.call(instance, "chase", [v(40)]) == [.i32(inner)])
        try memory.store(UInt32(65530), at: 104)
        #expect(throws: Trap.self) { _ = try store.call(instance, "chase", [v(100)]) }  // second load out of bounds
        #expect(throws: Trap.self) { _ = try store.call(instance, "chase", [v(65532)]) }  // first load out of bounds
        #expect(throws: Trap.self) { _ = try store.call(instance, "chase", [v(-4)]) }  // 0xFFFFFFFC + 4 does not wrap
        for n in [0, 1, 2, 10, 47, 100] {
            #expect(try store.call(instance, "fib", [v(Int32(n))]) == [v(fib(n))], "fib(\(n))")
        }
        // i64 loads: the word pair at 40 + 4 - 4 = 40 (words 10 and 11); base + index wraps.
        #expect(try store.call(instance, "loadSum64", [v(40), v(-4)]) == [.i64(try memory.load(UInt64.self, at: 40))])
        #expect(try store.call(instance, "loadSum64", [v(-1), v(1)]) == [.i64(try memory.load(UInt64.self, at: 4))])
        #expect(try store.call(instance, "loadScaled64", [v(4), v(5)]) == [.i64(try memory.load(UInt64.self, at: 44))])
        #expect(try store.call(instance, "loadScaled64", [v(16), v(-1)]) == [.i64(try memory.load(UInt64.self, at: 8))])
        #expect(throws: Trap.self) { _ = try store.call(instance, "loadSum64", [v(65_525), v(0)]) }
        #expect(try store.call(instance, "loadSum64", [v(65_524), v(0)]) == [.i64(try memory.load(UInt64.self, at: 65_528))])
        // (i << 3) + (base + 32), wrapping.
        #expect(try store.call(instance, "shiftUnder", [v(5), v(100)]) == [v(172)])
        #expect(try store.call(instance, "shiftUnder", [v(0x2000_0001), v(-40)]) == [v(0)])
        for x: UInt32 in [0, 1, 2, 7, 0x8000_0001, 0xFFFF_FFFF] {
            let sum = x &- 2
            #expect(try store.call(instance, "tee", [.i32(x)]) == [.i32(sum &* 1000 &+ sum &+ x)], "tee(\(x))")
        }
        for (c, want): (UInt32, Int32) in [(0, 11), (1, 22), (0xFFFF_FFFF, 22)] {
            #expect(try store.call(instance, "pick", [.i32(c), v(11), v(22)]) == [v(want)], "pick(\(c))")
        }
        for x: UInt32 in [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF] {
            let want = UInt64(x) + UInt64(x &+ 1) + 0xFFFF_FFFF
            #expect(try store.call(instance, "extend", [.i32(x)]) == [.i64(want)], "extend(\(x))")
        }
    }

    /// Fuel runs out on the `copyBrBack` over and over; every resume must continue the loop
    /// exactly (the move is not lost or done twice).
    @Test func movingBackEdgeResumesAfterFuelRunsOut() throws {
        let (values, refuels, _) = try runHandingOutFuel(try module(), "fib", [v(5000)], chunk: 37)
        #expect(values == [v(fib(5000))])
        #expect(refuels > 1000)
    }
}

/// Instantiates `compiled` with fuel metering on or off and fills its first KiB with the words
/// i * 1000 + 7 at address 4 * i (i below 256), for the load tests.
func instantiateWithWords(_ compiled: CompiledModule, metering: Bool) throws -> (Store, Instance, GuestMemory) {
    var configuration = StoreConfiguration()
    configuration.fuelMetering = metering
    let store = Store(configuration: configuration)
    let instance = try store.instantiate(compiled)
    let memory = try #require(store.defaultMemory(of: instance))
    for i in 0..<256 { try memory.store(UInt32(i * 1000 + 7), at: UInt32(i * 4)) }
    return (store, instance, memory)
}

/// A table indexed by a byte just loaded (`i32LoadByteIndexed`, a C `switch` on a bytecode),
/// a loop whose last step adds a small constant (`addImmBrBack`) and constants added one after
/// another compute what the separate instructions compute; shapes where the fused form could
/// wrap differently stay unfused.
@Suite("Byte-indexed tables and counting back edges keep Wasm semantics")
struct DispatchFusionTests {
    static let i32Shl: [UInt8] = [0x74]
    static let load8U: [UInt8] = [0x2D, 0, 0]

    func v(_ x: Int32) -> Value { .i32(UInt32(bitPattern: x)) }

    func module() throws -> CompiledModule {
        var b = WasmBuilder()
        b.memory = (1, 1)
        // table[byte at p] with table words at 512: mem32[(mem8[p] << 2) + 512]
        b.function([.i32], [.i32], export: "dispatch", I.get(0) + Self.load8U + I.i32(2) + Self.i32Shl + I.i32(512) + I.i32Add + I.i32Load())
        // A shift of 24 could wrap: stays an indexed load of the byte.
        b.function([.i32], [.i32], export: "wide", I.get(0) + Self.load8U + I.i32(24) + Self.i32Shl + I.i32(8) + I.i32Add + I.i32Load())
        // sum of i for i in 0..<n, counting up by 3 (the loop ends in `i += 3; br 0`)
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "count",
                   I.block + I.loop + I.get(1) + I.get(0) + [0x4E] + I.brIf(1)
                   + I.get(2) + I.get(1) + I.i32Add + I.set(2) + I.get(1) + I.i32(3) + I.i32Add + I.set(1) + I.br(0)
                   + I.end + I.end + I.get(2))
        // The same with a step too big for 16 bits: a plain add and brBack.
        b.function([.i32], [.i32], locals: [.i32, .i32], export: "countBig",
                   I.block + I.loop + I.get(1) + I.get(0) + [0x4E] + I.brIf(1)
                   + I.get(2) + I.i32(1) + I.i32Add + I.set(2) + I.get(1) + I.i32(100_000) + I.i32Add + I.set(1) + I.br(0)
                   + I.end + I.end + I.get(2))
        // ((x + -1) + 2) + 7: the constants fold into one add (wrapping the same way).
        b.function([.i32], [.i32], export: "adds", I.get(0) + I.i32(-1) + I.i32Add + I.i32(2) + I.i32Add + I.i32(7) + I.i32Add)
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func fusedFormsComputeTheSame(metering: Bool) throws {
        let compiled = try module()
        let listings = try (0..<5).map { try Disassembler.listing(compiled, functionIndex: $0, metering: metering) }
        #expect(listings[4].components(separatedBy: "i32AddImm").count == 2 && listings[4].contains(", 8\n"), "\(listings[4])")
        #expect(listings[0].contains("i32LoadByteIndexed"), "\(listings[0])")
        #expect(!listings[1].contains("i32LoadByteIndexed"), "\(listings[1])")
        #expect(listings[2].contains("addImmBrBack"), "\(listings[2])")
        #expect(!listings[3].contains("addImmBrBack"), "\(listings[3])")

        let (store, instance, memory) = try instantiateWithWords(compiled, metering: metering)
        // What the separate loads read: the word at 512 + 4 * (the byte at p).
        func expected(_ p: UInt32) throws -> [Value] {
            [.i32(try memory.load(UInt32.self, at: 512 + UInt32(try memory.read(at: p, count: 1)[0]) * 4))]
        }
        try memory.write([0xFF], at: 2000)
        try memory.store(UInt32(0xABCD_1234), at: 512 + 255 * 4)
        for p: UInt32 in [0, 1, 4, 5, 100, 2000] {
            #expect(try store.call(instance, "dispatch", [.i32(p)]) == (try expected(p)), "dispatch(\(p))")
        }
        #expect(try store.call(instance, "dispatch", [v(2000)]) == [.i32(0xABCD_1234)])
        #expect(throws: Trap.self) { _ = try store.call(instance, "dispatch", [v(65536)]) }  // the byte is out of bounds
        try memory.write([0xFF], at: 3000)
        // (255 << 24) + 8 wraps nowhere but is far out of bounds; 0 << 24 + 8 reads word 2.
        #expect(throws: Trap.self) { _ = try store.call(instance, "wide", [v(3000)]) }
        try memory.write([0], at: 3000)
        #expect(try store.call(instance, "wide", [v(3000)]) == [v(2007)])

        #expect(try store.call(instance, "count", [v(10)]) == [v(0 + 3 + 6 + 9)])
        #expect(try store.call(instance, "count", [v(3000)]) == [v(Int32((0..<1000).map { $0 * 3 }.reduce(0, +)))])
        #expect(try store.call(instance, "countBig", [v(1_000_000)]) == [v(10)])
        #expect(try store.call(instance, "adds", [v(5)]) == [v(13)])
        #expect(try store.call(instance, "adds", [v(-8)]) == [v(0)])
        #expect(try store.call(instance, "adds", [v(Int32.max)]) == [v(Int32.min &+ 7)])
    }

    /// Fuel runs out on the `addImmBrBack` again and again; each resume continues exactly.
    @Test func countingBackEdgeResumesAfterFuelRunsOut() throws {
        let (values, refuels, _) = try runHandingOutFuel(try module(), "count", [v(30_000)], chunk: 23)
        #expect(values == [v(Int32((0..<10_000).map { $0 * 3 }.reduce(0, +)))])
        #expect(refuels > 1000)
    }
}

/// i64 compares feeding a branch become one compare-and-branch (`brIfI64*`): taken when true
/// (`br_if`), when false (`if`), and backward (a loop's test), with signed and unsigned edges.
@Suite("i64 compare-and-branch keeps Wasm semantics")
struct I64BranchFusionTests {
    /// The ten i64 compares, by Wasm opcode, with what they compute.
    static let compares: [(opcode: UInt8, name: String, test: @Sendable (Int64, Int64) -> Bool)] = [
        (0x51, "eq", { $0 == $1 }), (0x52, "ne", { $0 != $1 }),
        (0x53, "lt_s", { $0 < $1 }), (0x54, "lt_u", { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) }),
        (0x55, "gt_s", { $0 > $1 }), (0x56, "gt_u", { UInt64(bitPattern: $0) > UInt64(bitPattern: $1) }),
        (0x57, "le_s", { $0 <= $1 }), (0x58, "le_u", { UInt64(bitPattern: $0) <= UInt64(bitPattern: $1) }),
        (0x59, "ge_s", { $0 >= $1 }), (0x5A, "ge_u", { UInt64(bitPattern: $0) >= UInt64(bitPattern: $1) }),
    ]

    static func module() throws -> CompiledModule {
        var b = WasmBuilder()
        for c in compares {
            // br_if out of a block when the compare holds: 1, else 0.
            b.function([.i64, .i64], [.i32], export: "br_" + c.name,
                       I.block + I.get(0) + I.get(1) + [c.opcode] + I.brIf(0) + I.i32(0) + [0x0F] + I.end + I.i32(1))
            // if/else on the compare (the lowering branches when it is false).
            b.function([.i64, .i64], [.i32], export: "if_" + c.name,
                       I.get(0) + I.get(1) + [c.opcode] + [0x04, 0x7F] + I.i32(1) + [0x05] + I.i32(0) + I.end)
        }
        // Iterations of `do { i += 1 } while i <u n` (a backward i64 branch).
        b.function([.i64], [.i64], locals: [.i64], export: "countTo",
                   I.loop + I.get(1) + I.i64(1) + I.i64Add + I.tee(1) + I.get(0) + [0x54] + I.brIf(0) + I.end + I.get(1))
        return try CompiledModule(bytes: b.build())
    }

    @Test(arguments: [false, true])
    func fusedComparesBranchTheSame(metering: Bool) throws {
        let compiled = try Self.module()
        for f in 0..<20 {
            let listing = try Disassembler.listing(compiled, functionIndex: f, metering: metering)
            #expect(listing.contains("brIfI64"), "function \(f): \(listing)")
        }
        // countTo's step joins its branch (`WideStepBranchFusionTests` covers that form).
        let countTo = try Disassembler.listing(compiled, functionIndex: 20, metering: metering)
        #expect(countTo.contains("i64AddImmBrIfLtU"), "countTo: \(countTo)")
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(compiled)
        let edges: [Int64] = [0, 1, -1, .min, .max, 0xFFFF_FFFF, 0x1_0000_0000, -0x1_0000_0000]
        for c in Self.compares {
            for a in edges {
                for b in edges {
                    let expected: [Value] = [.i32(c.test(a, b) ? 1 : 0)]
                    let arguments: [Value] = [.i64(UInt64(bitPattern: a)), .i64(UInt64(bitPattern: b))]
                    #expect(try store.call(instance, "br_" + c.name, arguments) == expected, "br_\(c.name)(\(a), \(b))")
                    #expect(try store.call(instance, "if_" + c.name, arguments) == expected, "if_\(c.name)(\(a), \(b))")
                }
            }
        }
        #expect(try store.call(instance, "countTo", [.i64(1000)]) == [.i64(1000)])
        #expect(try store.call(instance, "countTo", [.i64(0)]) == [.i64(1)])
    }

    /// Fuel runs out on the backward `i64AddImmBrIfLtU` (a loop of that one instruction) again
    /// and again; each resume continues exactly.
    @Test func backwardBranchResumesAfterFuelRunsOut() throws {
        let (values, refuels, _) = try runHandingOutFuel(try Self.module(), "countTo", [.i64(5000)], chunk: 7)
        #expect(values == [.i64(5000)])
        #expect(refuels > 1000)
    }
}
