// The one random number generator of Dojo: xoshiro256** (Blackman & Vigna, 2018), seeded
// through SplitMix64 so that nearby seeds give unrelated streams. Every random draw in library
// code goes through a `SeededGenerator` passed in explicitly; nothing uses the system
// generator. Its whole state is four words (`state`), which checkpoints store so that a resumed
// run draws exactly the numbers the uninterrupted run would have drawn.

public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from `stateWords` (four words, as saved from `stateWords`).
    public init?(stateWords: [UInt64]) {
        guard stateWords.count == 4, stateWords.contains(where: { $0 != 0 }) else { return nil }
        state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
    }

    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A generator for sub-stream `index` (per environment copy, per worker), derived from this
    /// one's seed material without advancing it.
    public func derived(stream index: UInt64) -> SeededGenerator {
        SeededGenerator(seed: state.0 ^ (index &* 0xD1B5_4A32_D192_ED03) ^ rotl(state.2, 29))
    }

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool { a.stateWords == b.stateWords }

    /// Uniform in [0, 1) with 24 random bits (every Float in the range is equally spaced).
    @inlinable
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    @inlinable
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextUniform() }

    /// Standard normal draw (Box–Muller, one value per call so the stream has no hidden cache).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let r = (-2 * log(1 - u1)).squareRoot()
        return Float(r * cos(2 * Double.pi * u2))
    }

    /// Uniform integer in 0..<bound (unbiased, Lemire's method via the standard library).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
