// One module instantiated in its own store under fuzzing limits, with helpers to call its
// exports and summarise its state (results, trap kinds, memory digests, global values).

import WasmInterpreter

/// The limits modules run under while fuzzing.
public struct HarnessLimits: Sendable {
    /// Fuel for each call (Wasm instructions).
    public var fuelPerCall: Int64 = 10_000
    /// Largest linear memory.
    public var maxMemoryBytes = 16 << 20
    /// Largest table.
    public var maxTableElements = 100_000
    /// Deepest call nesting.
    public var maxCallDepth = 300
    /// Value stack size, in slots.
    public var valueStackSlots = 1 << 16

    /// The defaults.
    public init() {}
}

/// How one call ended.
public enum CallOutcome: Sendable, Equatable, CustomStringConvertible {
    /// It returned these values.
    case returned([Value])
    /// It trapped; the kind is one of `trapKind(_:)`'s names.
    case trapped(String)
    /// The fuel ran out (the suspended execution was abandoned).
    case outOfFuel
    /// The call could not be made (no instance, unknown export, wrong arguments).
    case notRun(String)

    public var description: String {
        switch self {
        case .returned(let values): return "returned [\(values.map(\.description).joined(separator: ", "))]"
        case .trapped(let kind): return "trapped: \(kind)"
        case .outOfFuel: return "out of fuel"
        case .notRun(let why): return "not run: \(why)"
        }
    }
}

/// A short, engine-neutral name for a trap reason (the differential test maps wasmtime's
/// trap codes to the same names).
public func trapKind(_ reason: TrapReason) -> String {
    switch reason {
    case .unreachable: return "unreachable"
    case .memoryOutOfBounds: return "memory_oob"
    case .tableOutOfBounds, .undefinedElement: return "table_oob"
    case .uninitializedElement: return "null_call"
    case .indirectCallTypeMismatch: return "signature"
    case .integerDivideByZero: return "div_by_zero"
    case .integerOverflow: return "int_overflow"
    case .invalidConversionToInteger: return "bad_conversion"
    case .callStackExhausted: return "stack"
    case .nullReference: return "null_reference"
    case .outOfFuel: return "fuel"
    case .deadlineExceeded: return "deadline"
    case .cancelled: return "cancelled"
    case .hostError: return "host"
    case .uncaughtException: return "exception"
    case .invalidInvocation: return "invalid_invocation"
    case .loweringFailed: return "lowering"
    }
}

/// A module instantiated with stub imports in a fresh store.
public final class ModuleHarness {
    /// The module.
    public let compiled: CompiledModule
    /// Its store.
    public let store: Store
    /// The limits.
    public let limits: HarnessLimits
    /// The instance, unless instantiation failed.
    public private(set) var instance: Instance?
    /// Why instantiation failed: `unlinkable`, `unlinkable:limit` (past the store's limits), or `trap:KIND`.
    public private(set) var instantiationFailure: String?

    /// Instantiates `compiled` in a new store; `metering` turns fuel metering on (one tank of
    /// `limits.fuelPerCall` for the start function); `deadline` bounds the start function's time.
    public init(_ compiled: CompiledModule, limits: HarnessLimits, metering: Bool, deadline: Duration? = nil) {
        self.compiled = compiled
        self.limits = limits
        var configuration = StoreConfiguration()
        configuration.fuelMetering = metering
        configuration.maxMemoryBytes = limits.maxMemoryBytes
        configuration.maxTableElements = limits.maxTableElements
        configuration.maxCallDepth = limits.maxCallDepth
        configuration.valueStackSlots = limits.valueStackSlots
        store = Store(configuration: configuration)
        store.fuel = metering ? limits.fuelPerCall : Int64.max
        guard let imports = StubImports.make(for: compiled.module, in: store, limits: limits) else {
            instantiationFailure = "unlinkable"
            return
        }
        store.deadline = deadline.map { ContinuousClock.now + $0 }
        defer { store.deadline = nil }
        do {
            instance = try store.instantiate(compiled, imports: imports)
        } catch {
            switch error {
            case .trap(let trap): instantiationFailure = "trap:" + trapKind(trap.reason)
            case .unknownImport, .incompatibleImportType: instantiationFailure = "unlinkable"
            case .limitExceeded: instantiationFailure = "unlinkable:limit"
            }
            if store.hasSuspendedExecution { store.abandonSuspendedExecution() }
        }
    }

    init(compiled: CompiledModule, store: Store, limits: HarnessLimits, instance: Instance) {
        self.compiled = compiled
        self.store = store
        self.limits = limits
        self.instance = instance
    }

    /// A harness over a fork of this one's store (the same instance in the copy), or nil when
    /// there is no instance or the store cannot fork.
    public func forked() -> ModuleHarness? {
        guard let instance, let copy = try? store.fork() else { return nil }
        return ModuleHarness(compiled: compiled, store: copy, limits: limits, instance: instance)
    }

    /// The exported functions, in export order, with their types.
    public var exportedFunctions: [(name: String, type: FunctionType)] { compiled.exportedFunctions }

    /// Calls export `name` with `arguments` under a fresh tank of fuel (when metering), and
    /// under `deadline` if given.
    public func call(_ name: String, _ arguments: [Value], deadline: Duration? = nil) -> CallOutcome {
        guard let instance else { return .notRun("not instantiated") }
        if store.configuration.fuelMetering { store.fuel = limits.fuelPerCall }
        store.deadline = deadline.map { ContinuousClock.now + $0 }
        defer { store.deadline = nil }
        do {
            switch try store.invoke(instance, name, arguments) {
            case .finished(let values): return .returned(values)
            case .outOfFuel:
                store.abandonSuspendedExecution()
                return .outOfFuel
            case .suspended:
                store.abandonSuspendedExecution()
                return .notRun("suspended")
            }
        } catch {
            if case .invalidInvocation(let why) = error.reason { return .notRun(why) }
            return .trapped(trapKind(error.reason))
        }
    }

    /// The exported memories' sizes and CRC-32 digests (zlib's), by export name.
    public func memoryDigests() -> [(name: String, size: Int, digest: UInt64)] {
        guard let instance else { return [] }
        var out: [(String, Int, UInt64)] = []
        for e in compiled.module.exports where e.kind == .memory {
            guard case .memory(let index)? = store.export(instance, e.name) else { continue }
            let memory = store.memory(index)
            let size = memory.size
            let digest = (try? memory.withBytes(at: 0, count: size) { crc32($0) }) ?? 0
            out.append((e.name, size, digest))
        }
        return out
    }

    /// The exported globals' values, by export name.
    public func globalValues() -> [(name: String, value: Value)] {
        guard let instance else { return [] }
        var out: [(String, Value)] = []
        for e in compiled.module.exports where e.kind == .global {
            guard case .global(let index)? = store.export(instance, e.name) else { continue }
            out.append((e.name, store.globalValue(index)))
        }
        return out
    }
}

/// CRC-32 (IEEE, as zlib's `crc32`) of a byte buffer; the differential test compares it with
/// Python's `zlib.crc32` of the same memory.
public func crc32(_ bytes: UnsafeMutableRawBufferPointer) -> UInt64 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc = crcTable[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8)
    }
    return UInt64(crc ^ 0xFFFF_FFFF)
}

let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// Simple argument values for a type, `variant` 0 being zero.
public func simpleValue(_ type: ValueType, variant: Int) -> Value {
    let ints: [UInt64] = [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 7, 0x7FFF_FFFF, 0x8000_0000, 65536, 0x8000_0000_0000_0000]
    let floats: [Double] = [0, 1.5, -1, 0.5, -0.0, 1e10, 65536, .infinity]
    let i = variant % ints.count
    switch type {
    case .i32: return .i32(UInt32(truncatingIfNeeded: ints[i]))
    case .i64: return .i64(ints[i])
    case .f32: return .f32(Float(floats[i]).bitPattern)
    case .f64: return .f64(floats[i].bitPattern)
    default: return zeroValue(type)
    }
}
