// Profiling aid: counts executed instructions and adjacent pairs when the package is built with
// `-Xswiftc -DSANDPIPER_OP_HISTOGRAM` (never in normal builds; the counters are not thread-safe).

#if SANDPIPER_OP_HISTOGRAM
/// Executed-instruction counts, indexed by `Op` tag, and pair counts (previous tag * 512 + tag).
public enum OpHistogram {
    nonisolated(unsafe) static var counts = [Int](repeating: 0, count: 512)
    nonisolated(unsafe) static var pairs = [Int](repeating: 0, count: 512 * 512)
    nonisolated(unsafe) static var previous = 0
    /// Executed instructions per function index (imports included).
    nonisolated(unsafe) static var perFunction = [Int](repeating: 0, count: 1 << 16)

    @inline(__always) static func record(_ word: UInt64, function: Int) {
        record(word)
        if function < perFunction.count { perFunction[function] += 1 }
    }

    /// The `limit` functions that executed the most instructions.
    public static func functionReport(limit: Int = 30) -> String {
        let total = max(perFunction.reduce(0, +), 1)
        return perFunction.enumerated().sorted { $0.1 > $1.1 }.prefix(limit).filter { $0.1 > 0 }
            .map { "  function \($0.0): \($0.1) (\(Double($0.1 * 1000 / total) / 10)%)" }.joined(separator: "\n")
    }

    @inline(__always) static func record(_ word: UInt64) {
        let tag = Int(Op.decode(word).index)
        counts[tag] += 1
        pairs[previous * 512 + tag] += 1
        previous = tag
    }

    /// The `limit` most frequent instructions and pairs, with shares of all executed.
    public static func report(limit: Int = 40) -> String {
        let total = max(counts.reduce(0, +), 1)
        func pct(_ n: Int) -> String { String(Double(n * 1000 / total) / 10) + "%" }
        var lines = ["\(total) instructions executed"]
        for (tag, n) in counts.enumerated().sorted(by: { $0.1 > $1.1 }).prefix(limit) where n > 0 {
            lines.append("  \(Op.allCases[tag]) \(n) \(pct(n))")
        }
        lines.append("pairs:")
        for (i, n) in pairs.enumerated().sorted(by: { $0.1 > $1.1 }).prefix(limit) where n > 0 {
            lines.append("  \(Op.allCases[i / 512]) -> \(Op.allCases[i % 512]) \(n) \(pct(n))")
        }
        return lines.joined(separator: "\n")
    }

    /// Clears the counters.
    public static func reset() {
        for i in counts.indices { counts[i] = 0 }
        for i in pairs.indices { pairs[i] = 0 }
        for i in perFunction.indices { perFunction[i] = 0 }
    }
}
#endif
