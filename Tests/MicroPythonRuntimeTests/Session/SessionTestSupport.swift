// Shared set-up for the session tests: the guest, one booted template with a Swift test module
// (forked per test: boot once, fork in milliseconds), and helpers to catch session errors.

import Foundation
import Synchronization
import Testing
@testable import MicroPythonRuntime

/// Every guest-dependent session suite, one test at a time: they share two cores, and the
/// timing checks (async interleaving, fork cost) mean something only without each other's load.
@Suite("Sessions", .serialized, .enabled(if: SessionGuest.isAvailable, SessionGuest.missing))
struct SessionSuites {}

/// Where the guest is, and whether it has been fetched.
enum SessionGuest {
    /// `$SANDPIPER_GUEST`, or `Guest/micropython-wasi.wasm` in the package.
    static let path: String = {
        if let env = ProcessInfo.processInfo.environment["SANDPIPER_GUEST"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Guest/micropython-wasi.wasm").path
    }()

    /// Whether the guest is there.
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path) }

    /// Why guest-dependent tests are skipped.
    static let missing: Comment = "MicroPython guest not fetched: run `make guest` (Guest/micropython-wasi.wasm)"

    /// The loaded guest (cached per process by MicroPythonGuest).
    static func load() throws -> MicroPythonGuest { try MicroPythonGuest.load(path: path) }
}

/// A Swift error that chooses its Python exception.
struct SessionMappedError: PythonMappableError, Sendable {
    var pythonExceptionType: String
    var pythonMessage: String
}

/// A Swift error that does not (becomes RuntimeError).
struct SessionPlainError: Error, CustomStringConvertible {
    var description: String { "the disk is on fire" }
}

/// Any Python value as a capability parameter or result. (`PythonValue` itself is not Codable,
/// so `Param<PythonValue>` does not compile; this wrapper reaches into the bridge's own coders.)
struct SessionAnyValue: Codable, Sendable, PythonTypeNamed {
    var value: PythonValue
    static var pythonTypeName: String { "Any" }

    init(from decoder: any Decoder) throws {
        guard let d = decoder as? ValueDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "only the Python bridge"))
        }
        value = d.value
    }

    func encode(to encoder: any Encoder) throws {
        guard let e = encoder as? ValueEncoder else {
            throw EncodingError.invalidValue(value, .init(codingPath: encoder.codingPath, debugDescription: "only the Python bridge"))
        }
        e.node.content = .value(value)
    }
}

/// What the `notes.nap` async function saw: how many naps were in flight at most.
final class SessionNapTracker: Sendable {
    private let state = Mutex<(inFlight: Int, maxInFlight: Int, total: Int)>((0, 0, 0))
    func begin() { state.withLock { $0.inFlight += 1; $0.total += 1; $0.maxInFlight = max($0.maxInFlight, $0.inFlight) } }
    func end() { state.withLock { $0.inFlight -= 1 } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var total: Int { state.withLock { $0.total } }
}

/// The shared template and the test module.
enum SessionFixture {
    static let naps = SessionNapTracker()

    /// The `notes` module every test session can import.
    static var notesModule: PythonModule {
        var m = PythonModule("notes", doc: "Test notes.")
        m.add("add", doc: "Creates a note and returns its id.", Param<String>("title"), Param<String>("body", default: ""),
              returns: Int.self) { title, body in title.count * 1000 + body.count }
        m.add("echo", doc: "Returns its argument.", Param<SessionAnyValue>("value"), returns: SessionAnyValue.self) { $0 }
        m.add("fail", doc: "Raises the error named by kind.", Param<String>("kind"), returns: EmptyResult.self) { kind in
            switch kind {
            case "value": throw SessionMappedError(pythonExceptionType: "ValueError", pythonMessage: "bad value from Swift")
            case "permission": throw PythonException("PermissionError", "not allowed from Swift")
            case "key": throw SessionMappedError(pythonExceptionType: "KeyError", pythonMessage: "no note 3")
            case "made-up": throw SessionMappedError(pythonExceptionType: "NoSuchPythonError", pythonMessage: "odd")
            default: throw SessionPlainError()
            }
        }
        m.add("big", doc: "Returns n x's.", Param<Int>("n"), returns: String.self) { String(repeating: "x", count: $0) }
        m.add("small", doc: "Takes an Int8.", Param<Int8>("n"), returns: Int.self) { Int($0) * 2 }
        m.add("blob", doc: "Reverses bytes.", Param<Data>("data"), returns: Data.self) { Data($0.reversed()) }
        m.add("retitle", doc: "Uppercases a note's title.", Param<SessionCodableNote>("note"), returns: SessionCodableNote.self) { note in
            var n = note
            n.title = n.title.uppercased()
            return n
        }
        m.addAsync("nap", doc: "Sleeps ms milliseconds, then returns tag.", Param<Int>("ms"), Param<Int>("tag"),
                   returns: Int.self) { ms, tag in
            naps.begin()
            defer { naps.end() }
            try await Task.sleep(for: .milliseconds(ms))
            return tag
        }
        m.addAsync("explode", doc: "Fails after a yield.", returns: EmptyResult.self) {
            await Task.yield()
            throw SessionMappedError(pythonExceptionType: "ValueError", pythonMessage: "async failure")
        }
        return m
    }

    static var configuration: SessionConfiguration {
        var c = SessionConfiguration()
        c.modules = [notesModule]
        c.clock = .real
        return c
    }

    private static let template = Mutex<Task<SessionTemplate, any Error>?>(nil)

    /// The shared template, booted on first use.
    static func sharedTemplate() async throws -> SessionTemplate {
        let task = template.withLock { t -> Task<SessionTemplate, any Error> in
            if let t { return t }
            let made = Task { () async throws -> SessionTemplate in
                try await SessionTemplate.make(guest: try SessionGuest.load(), configuration: configuration)
            }
            t = made
            return made
        }
        return try await task.value
    }

    /// A fresh session forked from the shared template (all modules granted).
    static func session(gate: CapabilityGate? = nil, observer: CapabilityObserver? = nil) async throws -> PythonSession {
        try await sharedTemplate().makeSession(gate: gate, observer: observer)
    }

    /// A session booted on its own with other limits.
    static func session(limits: PythonLimits) async throws -> PythonSession {
        var c = configuration
        c.limits = limits
        return try await PythonSession.start(guest: try SessionGuest.load(), configuration: c)
    }
}

/// The session error `body` threw, or nil if it succeeded.
func sessionError(_ body: () async throws -> Void) async -> SessionError? {
    do {
        try await body()
        return nil
    } catch let error as SessionError {
        return error
    } catch {
        Issue.record("expected a SessionError, got \(error)")
        return nil
    }
}

/// The Python exception `body` raised, or nil.
func pythonException(_ body: () async throws -> Void) async -> PythonError? {
    guard let error = await sessionError(body) else { return nil }
    if case .exception(let e, _, _) = error { return e }
    Issue.record("expected a Python exception, got \(error)")
    return nil
}

extension PythonSession {
    /// `eval` that returns only the value.
    func value(_ expression: String) async throws -> PythonValue { try await eval(expression).value }
}

/// Milliseconds in a duration.
func sessionMilliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}
