// The JSON command format of the converted spec tests (wasm-tools json-from-wast).
// See ../shared/wasm-spec/README.md, "JSON format".

/// One `{"type": T, "value": S}` argument or expected value.
public struct SpecValue: Decodable, Sendable, Hashable {
    /// `i32`, `i64`, `f32`, `f64`, `funcref`, `externref`, `exnref`.
    public var type: String
    /// The value as a string (see the README's value encoding); absent for "any reference".
    public var value: String?
}

/// An action: invoke an export or read a global.
public struct SpecAction: Decodable, Sendable {
    /// `invoke` or `get`.
    public var type: String
    /// The export name.
    public var field: String
    /// The named module, or nil for the current one.
    public var module: String?
    /// Arguments (invoke only).
    public var args: [SpecValue]?
}

/// One command of a spec script.
public struct SpecCommand: Decodable, Sendable {
    /// The command type, such as `module` or `assert_return`.
    public var type: String
    /// The line in the `.wast` script.
    public var line: Int
    /// Module name for `module` and `register`.
    public var name: String?
    /// Module file, relative to the JSON file's folder.
    public var filename: String?
    /// `binary` or `text`.
    public var module_type: String?
    /// The binary encoding of a text module.
    public var binary_filename: String?
    /// The registration name (`register`).
    public var `as`: String?
    /// The action to perform.
    public var action: SpecAction?
    /// Expected results (`assert_return`).
    public var expected: [SpecValue]?
    /// Expected error text.
    public var text: String?
}

/// A whole spec script as JSON.
public struct SpecScript: Decodable, Sendable {
    /// The `.wast` file it came from.
    public var source_filename: String
    /// Its commands, in order.
    public var commands: [SpecCommand]
}
