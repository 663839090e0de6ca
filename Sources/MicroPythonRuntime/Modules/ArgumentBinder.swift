// Binding Python call arguments to parameters the way CPython does, with CPython's messages.

/// A call that does not fit the function's parameters, worded like CPython's `TypeError`.
public struct ArgumentBindingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, e.g. `add() missing 1 required positional argument: 'title'`.
    public var message: String
    /// The message.
    public var description: String { message }
}

enum ArgumentBinder {
    /// Returns one value per parameter (defaults filled in), or CPython's error for the call.
    static func bind(_ function: PythonFunction, positional: [PythonValue], keywords: [String: PythonValue])
        throws(ArgumentBindingError) -> [PythonValue] {
        let params = function.parameters
        let name = function.name + "()"
        var bound = [PythonValue?](repeating: nil, count: params.count)
        for (i, v) in positional.prefix(params.count).enumerated() { bound[i] = v }
        // Like CPython, keywords are checked before the positional count.
        for key in keywords.keys.sorted() {
            guard let i = params.firstIndex(where: { $0.name == key }) else {
                throw ArgumentBindingError(message: "\(name) got an unexpected keyword argument '\(key)'")
            }
            guard bound[i] == nil else {
                throw ArgumentBindingError(message: "\(name) got multiple values for argument '\(key)'")
            }
            bound[i] = keywords[key]
        }
        if positional.count > params.count {
            let required = params.filter { $0.defaultValue == nil }.count
            let takes: String
            if required == params.count {
                takes = "\(params.count) positional argument\(params.count == 1 ? "" : "s")"
            } else {
                takes = "from \(required) to \(params.count) positional arguments"
            }
            let given = positional.count == 1 ? "1 was given" : "\(positional.count) were given"
            throw ArgumentBindingError(message: "\(name) takes \(takes) but \(given)")
        }
        var missing: [String] = []
        for (i, p) in params.enumerated() where bound[i] == nil {
            if let d = p.defaultValue { bound[i] = d } else { missing.append("'\(p.name)'") }
        }
        if !missing.isEmpty {
            let list: String
            switch missing.count {
            case 1: list = missing[0]
            case 2: list = "\(missing[0]) and \(missing[1])"
            default: list = missing.dropLast().joined(separator: ", ") + ", and " + missing.last!
            }
            throw ArgumentBindingError(message: "\(name) missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        return bound.map { $0! }
    }
}
