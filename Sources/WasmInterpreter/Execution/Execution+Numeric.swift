// Numeric semantics that need more than one Swift operator: float min/max/nearest with Wasm's
// NaN and signed-zero rules, and float-to-integer conversions.
// https://webassembly.github.io/spec/core/exec/numerics.html

enum Numeric {
    // MARK: Floats

    @inline(__always)
    static func f32(_ bits: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: bits)) }

    @inline(__always)
    static func f64(_ bits: UInt64) -> Double { Double(bitPattern: bits) }

    /// The bits of `v`, zero-extended. `Store.run` must use this, not `.bitPattern`: in a
    /// function that large the optimiser stops inlining, and `bitPattern` became a call
    /// through the PLT on every `f64AddInPlace`.
    @inline(__always)
    static func bits(_ v: Float) -> UInt64 { UInt64(v.bitPattern) }

    /// The bits of `v` (see `bits(_: Float)`).
    @inline(__always)
    static func bits(_ v: Double) -> UInt64 { v.bitPattern }

    /// A quiet NaN with the payload of `x` (for operations whose result must be an arithmetic NaN).
    @inline(__always)
    static func quiet(_ x: Float) -> Float { Float(bitPattern: x.bitPattern | 0x0040_0000) }

    @inline(__always)
    static func quiet(_ x: Double) -> Double { Double(bitPattern: x.bitPattern | 0x0008_0000_0000_0000) }

    @inline(__always)
    static func min(_ a: Float, _ b: Float) -> Float {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    @inline(__always)
    static func max(_ a: Float, _ b: Float) -> Float {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    @inline(__always)
    static func min(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    @inline(__always)
    static func max(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    @inline(__always)
    static func round(_ x: Float, _ rule: FloatingPointRoundingRule) -> Float {
        x.isNaN ? quiet(x) : x.rounded(rule)
    }

    @inline(__always)
    static func round(_ x: Double, _ rule: FloatingPointRoundingRule) -> Double {
        x.isNaN ? quiet(x) : x.rounded(rule)
    }

    // MARK: Float to integer (trapping): nil means "invalid conversion" (NaN) is signalled by
    // the caller checking `isNaN` first; these return nil when out of range.

    @inline(__always)
    static func i32S(_ x: Double) -> Int32? {
        guard x > -2147483649.0, x < 2147483648.0 else { return nil }
        return Int32(x)
    }

    @inline(__always)
    static func i32U(_ x: Double) -> UInt32? {
        guard x > -1.0, x < 4294967296.0 else { return nil }
        return UInt32(x)
    }

    @inline(__always)
    static func i64S(_ x: Double) -> Int64? {
        guard x >= -9223372036854775808.0, x < 9223372036854775808.0 else { return nil }
        return Int64(x)
    }

    @inline(__always)
    static func i64U(_ x: Double) -> UInt64? {
        guard x > -1.0, x < 18446744073709551616.0 else { return nil }
        return UInt64(x)
    }

    // MARK: Saturating

    @inline(__always)
    static func satI32S(_ x: Double) -> Int32 {
        if x.isNaN { return 0 }
        if x <= -2147483648.0 { return Int32.min }
        if x >= 2147483647.0 { return Int32.max }
        return Int32(x)
    }

    @inline(__always)
    static func satI32U(_ x: Double) -> UInt32 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 4294967295.0 { return UInt32.max }
        return UInt32(x)
    }

    @inline(__always)
    static func satI64S(_ x: Double) -> Int64 {
        if x.isNaN { return 0 }
        if x <= -9223372036854775808.0 { return Int64.min }
        if x >= 9223372036854775808.0 { return Int64.max }
        return Int64(x)
    }

    @inline(__always)
    static func satI64U(_ x: Double) -> UInt64 {
        if x.isNaN || x <= 0 { return 0 }
        if x >= 18446744073709551616.0 { return UInt64.max }
        return UInt64(x)
    }
}
