// Functions the embedder provides to Wasm code, and their view of the call.

/// What a host function tells the interpreter after it ran.
public enum HostAction {
    /// Continue the Wasm code with the results set on the `HostCall`.
    case `return`
    /// Stop the interpreter here: `Store.invoke` or `Store.resume` returns `.suspended` with
    /// this payload, and a later `Store.resume(with:)` supplies the results and continues.
    case suspend(any Sendable)
}

/// The body of a host function: reads its arguments from the call, sets results, and returns
/// what to do next. Throwing traps the Wasm code with the error (see `TrapReason.hostError`);
/// throwing a `WasmException` raises it as a Wasm exception at the call site instead.
public typealias HostFunctionBody = (inout HostCall) throws -> HostAction

/// A native version of a Wasm function that covers the common cases: it either sets the
/// call's results and returns true, or returns false having changed nothing, and the
/// function's own Wasm code runs instead. Throwing traps as for `HostFunctionBody`.
public typealias NativeFastPath = (inout HostCall) throws -> Bool

/// A function implemented in Swift with a Wasm signature.
public struct HostFunction {
    /// The Wasm type callers see.
    public var type: FunctionType
    /// The implementation.
    public var body: HostFunctionBody
    /// For a native fast path (`Store.replace(_:function:withFastPath:name:)`): runs instead
    /// of `body`, and returning false runs the replaced function's own code.
    var fastPath: NativeFastPath?

    /// Creates a host function.
    public init(_ type: FunctionType, _ body: @escaping HostFunctionBody) {
        self.type = type
        self.body = body
    }

    /// Creates a host function from parameter and result types.
    public init(parameters: [ValueType], results: [ValueType], _ body: @escaping HostFunctionBody) {
        self.init(FunctionType(parameters: parameters, results: results), body)
    }
}

/// One call of a host function: typed access to the arguments, the results to return, and the
/// calling instance's memory. Valid only during the call.
public struct HostCall {
    let arguments: UnsafeMutablePointer<UInt64>
    let resultSlots: UnsafeMutablePointer<UInt64>
    /// Which of the store's host functions runs (its `type` is read from there on demand, so
    /// making a call copies no arrays).
    let hostIndex: Int
    /// The calling instance's memory 0 (empty if it has none).
    public let memory: GuestMemory
    /// The store running the call (for nested invocations).
    public unowned(unsafe) let store: Store

    /// The function's type.
    public var type: FunctionType { store.hostFunctions[hostIndex].function.type }

    /// Argument `i` as an unsigned 32-bit integer.
    @inline(__always) public func u32(_ i: Int) -> UInt32 { UInt32(truncatingIfNeeded: arguments[i]) }
    /// Argument `i` as a signed 32-bit integer.
    @inline(__always) public func i32(_ i: Int) -> Int32 { Int32(truncatingIfNeeded: arguments[i]) }
    /// Argument `i` as an unsigned 64-bit integer.
    @inline(__always) public func u64(_ i: Int) -> UInt64 { arguments[i] }
    /// Argument `i` as a signed 64-bit integer.
    @inline(__always) public func i64(_ i: Int) -> Int64 { Int64(bitPattern: arguments[i]) }
    /// Argument `i` as a float.
    @inline(__always) public func f32(_ i: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: arguments[i])) }
    /// Argument `i` as a double.
    @inline(__always) public func f64(_ i: Int) -> Double { Double(bitPattern: arguments[i]) }
    /// Argument `i` as a typed value.
    public func argument(_ i: Int) -> Value { Value(bits: arguments[i], type: type.parameters[i]) }
    /// All arguments as typed values.
    public var allArguments: [Value] {
        let parameters = type.parameters
        return parameters.indices.map { Value(bits: arguments[$0], type: parameters[$0]) }
    }

    /// Sets result `i` to a 32-bit integer.
    @inline(__always) public func setResult(_ i: Int, i32 v: Int32) { resultSlots[i] = UInt64(UInt32(bitPattern: v)) }
    /// Sets result `i` to a 32-bit integer given as unsigned.
    @inline(__always) public func setResult(_ i: Int, u32 v: UInt32) { resultSlots[i] = UInt64(v) }
    /// Sets result `i` to a 64-bit integer.
    @inline(__always) public func setResult(_ i: Int, i64 v: Int64) { resultSlots[i] = UInt64(bitPattern: v) }
    /// Sets result `i` to a typed value (its type must match the signature).
    public func setResult(_ i: Int, _ v: Value) { resultSlots[i] = v.bits }
}

/// Bounds-checked access to a Wasm linear memory from Swift.
public struct GuestMemory {
    let storage: UnsafeMutablePointer<MemoryStorage>?

    /// Current size in bytes.
    public var size: Int { storage?.pointee.byteCount ?? 0 }

    /// Why an access failed.
    public struct OutOfBounds: Error, Sendable, CustomStringConvertible {
        /// The first byte accessed.
        public var address: UInt64
        /// The number of bytes.
        public var count: Int
        /// The memory size at the time.
        public var size: Int
        /// A one-line explanation.
        public var description: String { "memory access at \(address) of \(count) bytes is outside the \(size)-byte memory" }
    }

    @inline(__always)
    func check(_ address: UInt64, _ count: Int) throws(OutOfBounds) -> UnsafeMutableRawPointer {
        guard let storage, count >= 0, address <= UInt64(Int.max),
              Int(address) <= storage.pointee.byteCount - count else {
            throw OutOfBounds(address: address, count: count, size: size)
        }
        return storage.pointee.base + Int(address)
    }

    /// Loads a little-endian integer.
    public func load<T: FixedWidthInteger>(_ type: T.Type, at address: UInt32) throws(OutOfBounds) -> T {
        T(littleEndian: try check(UInt64(address), MemoryLayout<T>.size).loadUnaligned(as: T.self))
    }

    /// Stores a little-endian integer.
    public func store<T: FixedWidthInteger>(_ value: T, at address: UInt32) throws(OutOfBounds) {
        try check(UInt64(address), MemoryLayout<T>.size).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// Copies `count` bytes out.
    public func read(at address: UInt32, count: Int) throws(OutOfBounds) -> [UInt8] {
        let p = try check(UInt64(address), count)
        return [UInt8](UnsafeRawBufferPointer(start: p, count: count))
    }

    /// Copies bytes in.
    public func write(_ bytes: some Collection<UInt8>, at address: UInt32) throws(OutOfBounds) {
        let p = try check(UInt64(address), bytes.count)
        var i = 0
        for b in bytes {
            p.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Calls `body` with the bytes in place (valid only inside `body`).
    public func withBytes<R>(at address: UInt32, count: Int,
                             _ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        let p = try check(UInt64(address), count)
        return try body(UnsafeMutableRawBufferPointer(start: p, count: count))
    }

    /// Decodes `count` bytes as UTF-8 (invalid sequences are replaced).
    public func string(at address: UInt32, count: Int) throws(OutOfBounds) -> String {
        let p = try check(UInt64(address), count)
        return String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self)
    }
}
