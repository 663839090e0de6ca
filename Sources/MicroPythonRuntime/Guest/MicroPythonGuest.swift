// Finding, verifying and compiling the guest, once per process.

import Foundation
public import WasmInterpreter
import Synchronization

/// Why the guest cannot be used.
public enum GuestError: Error, Sendable, CustomStringConvertible {
    /// No guest file at any searched location.
    case notFound(searched: [String])
    /// The file is there but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file's SHA-256 is not the pinned one.
    case hashMismatch(path: String, expected: String, actual: String)
    /// The file does not decode or validate.
    case invalid(path: String, error: ModuleError)

    /// What is wrong and the fix.
    public var description: String {
        switch self {
        case .notFound(let searched):
            return "MicroPython guest not found (looked in: \(searched.joined(separator: ", "))); \(PinnedGuest.fetchHint)"
        case .unreadable(let path, let reason):
            return "cannot read the MicroPython guest at \(path): \(reason)"
        case .hashMismatch(let path, let expected, let actual):
            return "the MicroPython guest at \(path) has SHA-256 \(actual), not the pinned \(expected); \(PinnedGuest.fetchHint) to fetch the right one"
        case .invalid(let path, let error):
            return "the MicroPython guest at \(path) is not a valid module: \(error)"
        }
    }
}

/// The loaded, verified and compiled guest. Share it: compiling takes milliseconds and the
/// lowered code is reused by every run and session.
public final class MicroPythonGuest: Sendable {
    /// Where it was loaded from.
    public let path: String
    /// The compiled module.
    public let module: CompiledModule
    /// Whether the collector's functions match the pinned guest, so root spilling is safe to
    /// install. False only for a file loaded with `verifyHash: false` that differs.
    public let collectorVerified: Bool
    /// Whether the functions run natively (`qstr_find_strn` and the functions it calls,
    /// `mp_decompress_rom_string`, and the heap allocator with the `memset` and `memcpy` it
    /// calls) match the pinned guest, so `NativeQstrLookup`, `NativeRomText` and `NativeHeap`
    /// compute what they compute and may replace them.
    public let nativeFunctionsVerified: Bool
    /// The guest booted into the session prelude, per boot settings, for sessions to fork.
    let preludes = PreludeCache()

    /// `nativeFunctions: false` keeps the guest's own functions (for comparisons).
    init(path: String, module: CompiledModule, collectorVerified: Bool, nativeFunctions: Bool = true) {
        self.path = path
        self.module = module
        self.collectorVerified = collectorVerified
        self.nativeFunctionsVerified = nativeFunctions && GuestVerifier.nativeFunctionsMatch(module)
    }

    /// Installs what runs on every instance of this guest: GC root spilling and the native
    /// functions, each only where the functions it relies on were verified.
    func prepare(_ store: Store, _ instance: Instance) throws(Trap) {
        if collectorVerified { try GCRootSpiller.install(in: store, instance: instance) }
        if nativeFunctionsVerified {
            try NativeQstrLookup.install(in: store, instance: instance)
            try NativeRomText.install(in: store, instance: instance)
            try NativeHeap.install(in: store, instance: instance)
        }
    }

    private static let cache = Mutex<[String: MicroPythonGuest]>([:])

    /// The places searched, in order: `explicit`, `$SANDPIPER_GUEST`, `Guest/` under the current
    /// directory, and `Guest/` beside or above the running executable (a checkout's build folder).
    public static func candidatePaths(explicit: String? = nil) -> [String] {
        var paths: [String] = []
        if let explicit { paths.append(explicit) }
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"], !env.isEmpty { paths.append(env) }
        let cwd = FileManager.default.currentDirectoryPath
        paths.append(cwd + "/Guest/" + PinnedGuest.fileName)
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? cwd).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            paths.append(dir.appendingPathComponent("Guest/" + PinnedGuest.fileName).path)
            dir.deleteLastPathComponent()
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// Finds, verifies and compiles the guest (cached per process by path).
    public static func load(path explicit: String? = nil, verifyHash: Bool = true) throws(GuestError) -> MicroPythonGuest {
        let searched = candidatePaths(explicit: explicit)
        let candidates = explicit.map { [$0] } ?? searched
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .notFound(searched: explicit.map { [$0] } ?? searched)
        }
        if let cached = cache.withLock({ $0[path] }) { return cached }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        // The hash on another thread while this one decodes (decoding is safe on any bytes).
        // Bodies are not scanned now: the pinned guest's are checked as each is first lowered,
        // and any other module's all before validation (`CompiledModule` with `.eager`).
        let digestSlot = DigestSlot()
        let hashed = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            digestSlot.value = SHA256.hash(bytes).hex
            hashed.signal()
        }
        let decoded: Result<Module, WasmInterpreter.DecodingError>
        do { decoded = .success(try ModuleDecoder.decode(bytes, scanningBodies: false)) } catch { decoded = .failure(error) }
        hashed.wait()
        let digest = digestSlot.value
        if verifyHash && digest != PinnedGuest.sha256 {
            throw .hashMismatch(path: path, expected: PinnedGuest.sha256, actual: digest)
        }
        let module: CompiledModule
        do {
            // The pinned guest's bytes are known valid, so its bodies are validated as they are
            // first lowered (most are never called) instead of all before the first run.
            let validation: CompiledModule.BodyValidation = digest == PinnedGuest.sha256 ? .onFirstUse : .eager
            module = try CompiledModule(module: decoded.mapError { ModuleError.malformed($0) }.get(), bodyValidation: validation)
        } catch {
            throw .invalid(path: path, error: error)
        }
        let guest = MicroPythonGuest(path: path, module: module, collectorVerified: GuestVerifier.collectorMatches(module))
        return cache.withLock { table in
            if let existing = table[path] { return existing }
            table[path] = guest
            return guest
        }
    }
}

/// Checks that the guest functions Sandpiper hooks (the collector) or replaces (the qstr
/// lookup) are the pinned guest's, byte for byte.
public enum GuestVerifier {
    /// Whether functions 1271, 1284 and 51 have the recorded body hashes.
    public static func collectorMatches(_ module: CompiledModule) -> Bool {
        bodiesMatch(module, [PinnedGuest.Collector.collect, PinnedGuest.Collector.scanStack, PinnedGuest.Collector.markRoots])
    }

    /// Whether the functions `NativeQstrLookup`, `NativeRomText` and `NativeHeap` replace and
    /// reproduce have the recorded bodies.
    public static func nativeFunctionsMatch(_ module: CompiledModule) -> Bool {
        bodiesMatch(module, [PinnedGuest.Native.qstrFindStrn, PinnedGuest.Native.strncmp, PinnedGuest.Native.memcmp,
                             PinnedGuest.Native.decompressRomString, PinnedGuest.Native.gcAlloc, PinnedGuest.Native.gcFree,
                             PinnedGuest.Native.gcRealloc, PinnedGuest.Native.memcpy, PinnedGuest.Native.memset])
    }

    /// Whether each function (index counting imports) has the recorded body hash.
    static func bodiesMatch(_ module: CompiledModule, _ pinned: [(index: Int, bodySHA256: String)]) -> Bool {
        let m = module.module
        let imported = m.importedFunctionCount
        return pinned.allSatisfy { function in
            let defined = function.index - imported
            return defined >= 0 && defined < m.bodies.count && bodyHash(m, defined) == function.bodySHA256
        }
    }

    /// SHA-256 of a body's bytes after its size field (locals and code).
    static func bodyHash(_ m: Module, _ defined: Int) -> String {
        let body = m.bodies[defined]
        var i = body.entryOffset
        while i < m.bytes.count && m.bytes[i] & 0x80 != 0 { i += 1 }
        let start = i + 1
        return SHA256.hash(Array(m.bytes[start..<body.code.upperBound])).hex
    }
}

/// The guest's digest, written by the hashing thread before it signals and read after the wait.
private final class DigestSlot: @unchecked Sendable {
    var value = ""
}
