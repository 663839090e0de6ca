// A decoded, validated module, ready to instantiate; lowers function bodies on first use.

/// A validated module. Immutable and shareable across threads and stores; the lowered code of
/// each function is produced once, on its first call, and shared by every instance.
public final class CompiledModule: @unchecked Sendable {
    /// The decoded module.
    public let module: Module
    /// A copy of the binary at a stable address (data segments point into it). Never written.
    let stableBytes: UnsafeMutablePointer<UInt8>
    /// Its index spaces.
    let context: ModuleContext
    /// Process-wide type ids of `module.types`, for indirect-call signature checks.
    let typeIDs: [UInt32]
    /// Lowered code per defined function, with and without fuel metering.
    let loweredCode: LoweredCodeCache

    /// When function bodies are validated.
    public enum BodyValidation: Sendable {
        /// All of them, before the module exists (the spec's rule; the default).
        case eager
        /// Each when it is first lowered, which validates it anyway. Only for bytes whose
        /// validity is established otherwise, such as a module pinned by its SHA-256: the module
        /// structure is still validated now, and a body that fails later makes its first call
        /// trap (`TrapReason.loweringFailed`) instead of failing here. Decoding from bytes then
        /// also leaves each body's well-formedness check to its first lowering.
        case onFirstUse
    }

    /// Decodes and validates `bytes`.
    public convenience init(bytes: [UInt8], bodyValidation: BodyValidation = .eager) throws(ModuleError) {
        let module: Module
        do {
            module = try ModuleDecoder.decode(bytes, scanningBodies: bodyValidation == .eager)
        } catch {
            throw .malformed(error)
        }
        try self.init(module: module, bodyValidation: bodyValidation)
    }

    /// Validates a decoded module. Eager validation first checks the bodies of a module
    /// decoded without scanning them, so malformed code is still reported as malformed.
    public init(module: Module, bodyValidation: BodyValidation = .eager) throws(ModuleError) {
        switch bodyValidation {
        case .eager:
            if !module.bodiesScanned {
                for index in module.bodies.indices {
                    do { try ModuleDecoder.scanBody(index, of: module) } catch { throw .malformed(error) }
                }
            }
            try ModuleValidator.validate(module)
        case .onFirstUse: try ModuleValidator.validateStructure(module, ModuleContext(module))
        }
        self.module = module
        let copy = UnsafeMutablePointer<UInt8>.make(module.bytes.count, 0)
        module.bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { copy.update(from: base, count: b.count) }
        }
        stableBytes = copy
        self.context = ModuleContext(module)
        self.typeIDs = module.types.map { TypeRegistry.shared.id(of: $0) }
        self.loweredCode = LoweredCodeCache(count: module.bodies.count)
    }

    deinit { stableBytes.deallocate() }

    /// The exported function names and their types.
    public var exportedFunctions: [(name: String, type: FunctionType)] {
        module.exports.compactMap { e in
            guard e.kind == .function, let t = context.functionType(e.index) else { return nil }
            return (e.name, t)
        }
    }

    /// The type of function `index` (imports first), if it exists.
    public func functionType(_ index: Int) -> FunctionType? { context.functionType(UInt32(index)) }

    /// Returns the lowered code of defined function `definedIndex`, lowering it now if needed.
    func lowered(_ definedIndex: Int, metering: Bool) throws(ModuleError) -> LoweredFunction {
        if let f = loweredCode.get(definedIndex, metering: metering) { return f }
        if !module.bodiesScanned {
            do { try ModuleDecoder.scanBody(definedIndex, of: module) } catch { throw .malformed(error) }
        }
        let body = module.bodies[definedIndex]
        let functionIndex = context.importedFunctionCount + definedIndex
        let f: LoweredFunction = try module.bytes.withUnsafeBufferPointer { (buffer) throws(ModuleError) -> LoweredFunction in
            let reader = ByteReader(base: buffer.baseAddress!, count: buffer.count,
                                    offset: body.code.lowerBound, limit: body.code.upperBound)
            var t = try FunctionTranslator(context: context, functionIndex: functionIndex, body: body, reader: reader,
                                           lowering: true, metering: metering, typeIDs: typeIDs)
            try t.translateBody()
            try t.checkFrameSize()
            return t.finish()
        }
        return loweredCode.set(definedIndex, metering: metering, f)
    }
}
