// numpy's legacy `RandomState` (MT19937), reproduced bit for bit for the draws MinAtar 1.0.15
// makes, so that a seeded game here follows the reference's exact trajectory
// (reference/minatar/SPEC.md §2).
//
// - Seeding is Matsumoto–Nishimura `init_genrand(s)` for a 32-bit seed; the first draw twists.
// - `rand()`: 53-bit double from two outputs, (a>>5)·2^26 + (b>>6), scaled by 2^-53.
// - `randint(low, high)`: r = high−1−low; r == 0 returns low without drawing; otherwise masked
//   rejection on the low bits of one output per attempt.
// This is the reference's generator only; everything else in Dojo uses `SeededGenerator`.

public struct NumpyRandomState: Sendable, Equatable {
    private var state: [UInt32]
    private var index: Int

    public init(seed: UInt32) {
        var mt = [UInt32](repeating: 0, count: 624)
        mt[0] = seed
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        state = mt
        index = 624
    }

    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
                let y = (mt[i] & 0x8000_0000) | (mt[next] & 0x7FFF_FFFF)
                mt[i] = mt[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_B0DF)
            }
            for i in 0..<227 { mix(i, i + 1, i + 397) }
            for i in 227..<623 { mix(i, i + 1, i - 227) }
            mix(623, 0, 396)
        }
        index = 0
    }

    /// The next tempered 32-bit output.
    @inline(__always)
    public mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// numpy `rand()`: uniform double in [0, 1) from two outputs.
    @inline(__always)
    public mutating func rand() -> Double {
        let a = next32() >> 5, b = next32() >> 6
        return (Double(a) * 67_108_864.0 + Double(b)) / 9_007_199_254_740_992.0
    }

    /// numpy `randint(high)`: uniform in 0..<high.
    @inline(__always)
    public mutating func randint(_ high: Int) -> Int { randint(0, high) }

    /// numpy `randint(low, high)`: uniform in low..<high.
    public mutating func randint(_ low: Int, _ high: Int) -> Int {
        precondition(high > low, "randint needs high > low, got \(low)..<\(high)")
        let range = UInt32(high - 1 - low)
        if range == 0 { return low }
        var mask = range
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let v = next32() & mask
            if v <= range { return low + Int(v) }
        }
    }
}
