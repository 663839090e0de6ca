// Swift functions exposed to Python as importable modules, written as typed closures.

/// A parameter of a Swift function callable from Python: its Python name and optional default.
public struct Param<T: Decodable & Encodable & Sendable>: Sendable {
    /// The Python parameter name (keyword arguments use it).
    public let name: String
    /// The default, if the parameter is optional.
    public let defaultValue: T?

    /// A required parameter.
    public init(_ name: String) {
        self.name = name
        defaultValue = nil
    }

    /// An optional parameter with a default.
    public init(_ name: String, default value: T) {
        self.name = name
        defaultValue = value
    }

    var descriptor: PythonParameter {
        PythonParameter(name: name, typeName: pythonTypeDescription(of: T.self),
                        defaultValue: defaultValue.flatMap { try? PythonValueEncoder.encode($0) })
    }
}

/// A parameter as the runtime sees it (for binding, signatures and stubs).
public struct PythonParameter: Sendable, Equatable {
    /// The Python name.
    public var name: String
    /// The Python type, such as `int` or `list[str]`.
    public var typeName: String
    /// The default, if optional.
    public var defaultValue: PythonValue?
}

/// An error a Swift capability can throw to choose the Python exception raised.
public protocol PythonMappableError: Error {
    /// The Python exception class name, such as `ValueError` or `PermissionError`.
    var pythonExceptionType: String { get }
    /// The exception's message.
    var pythonMessage: String { get }
}

/// A ready-made `PythonMappableError`.
public struct PythonException: PythonMappableError, Sendable, Equatable, CustomStringConvertible {
    /// The Python exception class name.
    public var pythonExceptionType: String
    /// The message.
    public var pythonMessage: String

    /// Creates an exception of `type` with `message`.
    public init(_ type: String, _ message: String) {
        pythonExceptionType = type
        pythonMessage = message
    }

    /// `ValueError: message`.
    public var description: String { "\(pythonExceptionType): \(pythonMessage)" }
}

/// A Swift function Python code can call.
public struct PythonFunction: Sendable {
    /// How the function runs.
    enum Body: Sendable {
        case sync(@Sendable ([PythonValue]) throws -> PythonValue)
        case async(@Sendable ([PythonValue]) async throws -> PythonValue)
    }

    /// The Python name.
    public let name: String
    /// Documentation shown by `help()` and in stubs.
    public let doc: String
    /// Parameters in order.
    public let parameters: [PythonParameter]
    /// The Python return type.
    public let returnType: String
    /// An opaque requirement the embedder checks before every call (PluginHost uses it for
    /// permission names); nil for none.
    public let requirement: String?
    let body: Body

    /// Whether the function is `async` in Swift (its guest waits suspended while it runs).
    public var isAsync: Bool { if case .async = body { return true } else { return false } }

    /// `add(title: str, body: str = '') -> int`
    public var signature: String {
        let params = parameters.map { p in
            var text = "\(p.name): \(p.typeName)"
            if let d = p.defaultValue { text += " = \(d.description)" }
            return text
        }
        return "\(name)(\(params.joined(separator: ", "))) -> \(returnType)"
    }
}

/// A module of Swift functions, importable from Python by `name`.
public struct PythonModule: Sendable {
    /// The import name.
    public let name: String
    /// Module documentation.
    public var doc: String
    /// The functions, in the order they were added.
    public private(set) var functions: [PythonFunction] = []

    /// Creates an empty module.
    public init(_ name: String, doc: String = "") {
        self.name = name
        self.doc = doc
    }

    /// The function named `name`, if any.
    public func function(named name: String) -> PythonFunction? { functions.first { $0.name == name } }

    /// Adds a synchronous function with typed parameters. Arguments are checked and converted
    /// in Swift before `body` runs; what it returns is converted back to Python.
    public mutating func add<each P: Decodable & Encodable & Sendable, R: Encodable & Sendable>(
        _ name: String, doc: String = "", requires requirement: String? = nil,
        _ parameters: repeat Param<each P>, returns: R.Type = R.self,
        _ body: @escaping @Sendable (repeat each P) throws -> R
    ) {
        let descriptors = Self.describe(repeat each parameters)
        let function = PythonFunction(
            name: name, doc: doc, parameters: descriptors, returnType: pythonTypeDescription(of: R.self),
            requirement: requirement,
            body: .sync({ values in
                var index = 0
                let args = (repeat try Self.argument(each parameters, values, &index))
                return try PythonValueEncoder.encode(try body(repeat each args))
            }))
        functions.append(function)
    }

    /// Adds an `async` function. While it runs, the calling guest stays suspended (just memory)
    /// and other sessions keep running.
    public mutating func addAsync<each P: Decodable & Encodable & Sendable, R: Encodable & Sendable>(
        _ name: String, doc: String = "", requires requirement: String? = nil,
        _ parameters: repeat Param<each P>, returns: R.Type = R.self,
        _ body: @escaping @Sendable (repeat each P) async throws -> R
    ) {
        let descriptors = Self.describe(repeat each parameters)
        let function = PythonFunction(
            name: name, doc: doc, parameters: descriptors, returnType: pythonTypeDescription(of: R.self),
            requirement: requirement,
            body: .async({ values in
                var index = 0
                let args = (repeat try Self.argument(each parameters, values, &index))
                return try PythonValueEncoder.encode(try await body(repeat each args))
            }))
        functions.append(function)
    }

    static func describe<each P: Decodable & Encodable & Sendable>(_ parameters: repeat Param<each P>) -> [PythonParameter] {
        var list: [PythonParameter] = []
        for p in repeat each parameters { list.append(p.descriptor) }
        return list
    }

    /// Converts bound argument `index` to the parameter's type.
    static func argument<T: Decodable & Encodable & Sendable>(_ parameter: Param<T>, _ values: [PythonValue],
                                                               _ index: inout Int) throws -> T {
        defer { index += 1 }
        do {
            return try PythonValueDecoder.decode(T.self, from: values[index])
        } catch let error as PythonConversionError {
            throw ArgumentTypeError(parameter: parameter.name, conversion: error)
        }
    }
}

/// A wrong argument type, reported as a Python `TypeError` (or `ValueError` for an out-of-range int).
struct ArgumentTypeError: Error {
    let parameter: String
    let conversion: PythonConversionError
}
