// The guest's source of random bytes: the system generator, or a seeded deterministic one.
// `random_get`, `/dev/random` and `/dev/urandom` all draw from the same generator.

/// Produces the random bytes the guest sees.
final class RandomGenerator {
    private var system = SystemRandomNumberGenerator()
    private var seeded: Xoshiro256StarStar?

    init(_ source: RandomSource) {
        if case .seeded(let seed) = source { seeded = Xoshiro256StarStar(seed: seed) }
    }

    /// `count` random bytes.
    func bytes(_ count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var word = next()
            for _ in 0..<min(8, count - i) {
                result[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return result
    }

    private func next() -> UInt64 {
        if seeded != nil { return seeded!.next() }
        return system.next()
    }
}

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: fast, deterministic, and good
/// enough for simulations and tests. Not cryptographic.
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = rotate(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotate(s.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
