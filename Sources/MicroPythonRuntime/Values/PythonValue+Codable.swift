// Codable mapping between Swift values and `PythonValue`: structs become dicts, arrays lists,
// `Data` bytes, optionals None. Decoding checks types and ranges and names what was wrong.

public import Foundation

/// Why a `PythonValue` could not become the Swift type asked for. The description is worded
/// as Python's `TypeError`/`ValueError` would be.
public struct PythonConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `TypeError` or `ValueError`.
    public var pythonType: String
    /// Where in the value (e.g. `["note"]["title"]`), empty at the top.
    public var path: String
    /// What was expected.
    public var expected: String
    /// What was found.
    public var found: String

    /// `must be str, not int` style text (the caller prefixes the argument).
    public var description: String {
        let at = path.isEmpty ? "" : " at \(path)"
        if pythonType == "ValueError" { return "\(found)\(at)" }
        return "must be \(expected), not \(found)\(at)"
    }
}

/// Converts Encodable Swift values to Python values.
public enum PythonValueEncoder {
    /// Encodes `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> PythonValue {
        if let v = value as? PythonValue { return v }
        if let d = value as? Data { return .bytes([UInt8](d)) }
        let box = EncodingBox()
        try value.encode(to: ValueEncoder(box: box, codingPath: []))
        return box.value ?? .none
    }
}

/// Converts Python values to Decodable Swift values.
public enum PythonValueDecoder {
    /// Decodes a `T` from `value`.
    public static func decode<T: Decodable>(_ type: T.Type, from value: PythonValue) throws -> T {
        if T.self == PythonValue.self { return value as! T }
        if T.self == Data.self {
            guard case .bytes(let b) = value else {
                throw PythonConversionError(pythonType: "TypeError", path: "", expected: "bytes", found: value.typeName)
            }
            return Data(b) as! T
        }
        return try T(from: ValueDecoder(value: value, codingPath: []))
    }
}

/// The Python type name a Swift type maps to (for messages and `.pyi` stubs).
public protocol PythonTypeNamed {
    /// E.g. `int`, `str`, `list[str]`.
    static var pythonTypeName: String { get }
}

extension Int: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension Int64: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension Int32: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension UInt: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension UInt64: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension UInt32: PythonTypeNamed { public static var pythonTypeName: String { "int" } }
extension Double: PythonTypeNamed { public static var pythonTypeName: String { "float" } }
extension Float: PythonTypeNamed { public static var pythonTypeName: String { "float" } }
extension Bool: PythonTypeNamed { public static var pythonTypeName: String { "bool" } }
extension String: PythonTypeNamed { public static var pythonTypeName: String { "str" } }
extension Data: PythonTypeNamed { public static var pythonTypeName: String { "bytes" } }
extension PythonValue: PythonTypeNamed { public static var pythonTypeName: String { "Any" } }
extension Array: PythonTypeNamed {
    public static var pythonTypeName: String { "list[\(pythonTypeDescription(of: Element.self))]" }
}
extension Dictionary: PythonTypeNamed where Key == String {
    public static var pythonTypeName: String { "dict[str, \(pythonTypeDescription(of: Value.self))]" }
}
extension Optional: PythonTypeNamed {
    public static var pythonTypeName: String { "\(pythonTypeDescription(of: Wrapped.self)) | None" }
}

/// The Python name of a Swift type: `PythonTypeNamed`, or `dict` for other Codable types.
public func pythonTypeDescription(of type: Any.Type) -> String {
    if type == Void.self || type == EmptyResult.self { return "None" }
    if let named = type as? any PythonTypeNamed.Type { return named.pythonTypeName }
    return "dict"
}

/// The result type of functions that return nothing to Python.
public struct EmptyResult: Codable, Sendable, Equatable, PythonTypeNamed {
    /// Creates the empty result.
    public init() {}
    /// Encodes as `None`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encodeNil()
    }
    /// Decodes from anything.
    public init(from decoder: any Decoder) throws {}
    /// `None`.
    public static var pythonTypeName: String { "None" }
}

// MARK: Encoding

/// A node of the value being encoded; containers fill their node, nested ones their child.
final class EncodingNode {
    enum Content {
        case empty
        case value(PythonValue)
        case dict([String: EncodingNode])
        case list([EncodingNode])
    }

    var content = Content.empty

    var value: PythonValue {
        switch content {
        case .empty: return .none
        case .value(let v): return v
        case .dict(let d): return .dict(d.mapValues(\.value))
        case .list(let l): return .list(l.map(\.value))
        }
    }

    func makeDict() {
        if case .dict = content { return }
        content = .dict([:])
    }

    func makeList() {
        if case .list = content { return }
        content = .list([])
    }

    func child(forKey key: String) -> EncodingNode {
        makeDict()
        let node = EncodingNode()
        if case .dict(var d) = content {
            d[key] = node
            content = .dict(d)
        }
        return node
    }

    func appendChild() -> EncodingNode {
        makeList()
        let node = EncodingNode()
        if case .list(var l) = content {
            l.append(node)
            content = .list(l)
        }
        return node
    }

    var count: Int {
        if case .list(let l) = content { return l.count }
        return 0
    }
}

/// Kept for the top level: the root node.
final class EncodingBox {
    let root = EncodingNode()
    var value: PythonValue? { root.value }
}

struct ValueEncoder: Encoder {
    let node: EncodingNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(box: EncodingBox, codingPath: [any CodingKey]) {
        node = box.root
        self.codingPath = codingPath
    }

    init(node: EncodingNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeDict()
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeList()
        return UnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoder(node: node, codingPath: codingPath) }
}

struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .value(.none) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.child(forKey: key.stringValue).content = .value(try PythonValueEncoder.encode(value))
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        node.child(forKey: key.stringValue).content = .value(try value.map { try PythonValueEncoder.encode($0) } ?? .none)
    }
    // The protocol's default implementations for these skip nil; a nil optional is None in Python.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOptional(value, key) }
    private func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
        node.child(forKey: key.stringValue).content = .value(try value.map { try PythonValueEncoder.encode($0) } ?? .none)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.makeDict()
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.makeList()
        return UnkeyedEncoder(node: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath) }
}

struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .value(.none) }
    mutating func encode<T: Encodable>(_ value: T) throws { node.appendChild().content = .value(try PythonValueEncoder.encode(value)) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendChild()
        child.makeDict()
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = node.appendChild()
        child.makeList()
        return UnkeyedEncoder(node: child, codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.appendChild(), codingPath: codingPath) }
}

struct SingleEncoder: SingleValueEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey]

    mutating func set(_ v: PythonValue) { node.content = .value(v) }
    mutating func encodeNil() throws { set(.none) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.float(value)) }
    mutating func encode(_ value: Float) throws { set(.float(Double(value))) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { set(value <= UInt(Int64.max) ? .int(Int64(value)) : .bigInt(String(value))) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(value <= UInt64(Int64.max) ? .int(Int64(value)) : .bigInt(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { set(try PythonValueEncoder.encode(value)) }
}

// MARK: Decoding

struct ValueDecoder: Decoder {
    let value: PythonValue
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var pathText: String { codingPath.map { $0.intValue.map { "[\($0)]" } ?? "[\"\($0.stringValue)\"]" }.joined() }

    func mismatch(_ expected: String) -> PythonConversionError {
        PythonConversionError(pythonType: "TypeError", path: pathText, expected: expected, found: value.typeName)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .dict(let d) = value else { throw mismatch("dict") }
        return KeyedDecodingContainer(KeyedDecoder<Key>(dict: d, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .list(let items), .tuple(let items): return UnkeyedDecoder(items: items, codingPath: codingPath)
        default: throw mismatch("list")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleDecoder(decoder: self) }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ i: Int) { intValue = i }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}

struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let dict: [String: PythonValue]
    var codingPath: [any CodingKey]
    var allKeys: [Key] { dict.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { dict[key.stringValue] != nil }

    func child(_ key: Key) throws -> ValueDecoder {
        guard let v = dict[key.stringValue] else {
            let path = ValueDecoder(value: .none, codingPath: codingPath).pathText
            throw PythonConversionError(pythonType: "TypeError", path: path, expected: "a dict with key '\(key.stringValue)'", found: "a dict without it")
        }
        return ValueDecoder(value: v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let v = dict[key.stringValue] else { return true }
        return v == .none
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let d = try child(key)
        if T.self == Data.self {
            guard case .bytes(let b) = d.value else { throw d.mismatch("bytes") }
            return Data(b) as! T
        }
        if T.self == PythonValue.self { return d.value as! T }
        return try T(from: d)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = dict[key.stringValue], v != .none else { return nil }
        return try decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { ValueDecoder(value: .dict(dict), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let items: [PythonValue]
    var codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [PythonValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw PythonConversionError(pythonType: "TypeError", path: "", expected: "more items", found: "a list of \(items.count)")
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .none else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let d = try next()
        if T.self == PythonValue.self { return d.value as! T }
        if T.self == Data.self {
            guard case .bytes(let b) = d.value else { throw d.mismatch("bytes") }
            return Data(b) as! T
        }
        return try T(from: d)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleDecoder: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var value: PythonValue { decoder.value }

    func decodeNil() -> Bool { value == .none }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw decoder.mismatch("bool") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw decoder.mismatch("str") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .float(let d): return d
        case .int(let i): return Double(i)
        default: throw decoder.mismatch("float")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .int(let i):
            guard let v = T(exactly: i) else {
                throw PythonConversionError(pythonType: "ValueError", path: decoder.pathText, expected: "int",
                                            found: "int \(i) out of range for \(T.self) (\(T.min) to \(T.max))")
            }
            return v
        case .bigInt(let digits):
            if let v = T(digits) { return v }
            throw PythonConversionError(pythonType: "ValueError", path: decoder.pathText, expected: "int",
                                        found: "int \(digits.prefix(40)) out of range for \(T.self) (\(T.min) to \(T.max))")
        default:
            throw decoder.mismatch("int")
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == PythonValue.self { return value as! T }
        if T.self == Data.self {
            guard case .bytes(let b) = value else { throw decoder.mismatch("bytes") }
            return Data(b) as! T
        }
        return try T(from: decoder)
    }
}
