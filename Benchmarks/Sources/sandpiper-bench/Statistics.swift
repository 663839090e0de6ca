// Robust summaries of repeated timings: median and median absolute deviation (MAD).
import Foundation

/// A set of timings, in seconds.
struct Summary: Codable, Equatable {
    /// The median.
    var median: Double
    /// The median absolute deviation from the median.
    var mad: Double
    /// The fastest repetition.
    var min: Double
    /// Every timed repetition, in order.
    var samples: [Double]

    init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "a summary needs at least one sample")
        self.samples = samples
        let median = Self.median(samples)
        self.median = median
        mad = Self.median(samples.map { abs($0 - median) })
        min = samples.min()!
    }

    /// The relative standard error of the median: σ ≈ 1.4826 · MAD (robust against the odd slow
    /// repetition), and the median of n samples varies by about 1.2533 · σ / √n.
    var relativeStandardError: Double {
        guard median > 0 else { return 0 }
        return 1.2533 * 1.4826 * mad / median / Double(samples.count).squareRoot()
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// The geometric mean of positive values (the fair average of ratios).
func geometricMean(_ values: [Double]) -> Double? {
    guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { return nil }
    return exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
}
