// exp, the logistic sigmoid and tanh over arrays, 16 lanes at a time: the recurrent layers' gates
// spend most of their time here, and libm's scalar tanhf/expf (through expm1f) took about half
// of an LSTM step. exp is Cephes's single-precision method — x = n·ln 2 + r, e^r by a degree-6
// polynomial on |r| ≤ ln 2 / 2, 2^n put in the exponent bits — within 2 ulp on [−87, 88] and
// clamped outside. sigmoid(x) = 1/(1 + e^−x); tanh(x) = 1 − 2/(e^2x + 1), within 2e-7 absolute.
import Tensors

enum VectorMath {
    typealias Lanes = SIMD16<Float>

    @inline(__always) static func exp(_ v: Lanes) -> Lanes {
        let x = pointwiseMax(pointwiseMin(v, Lanes(repeating: 88.3)), Lanes(repeating: -87.3))
        // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits,
        // both as a float (t − magic) and as an integer (bits of t − bits of magic), without the
        // generic float-to-integer conversions, which do not vectorise.
        let magic = Lanes(repeating: 12_582_912)
        let t = x * 1.442_695_04 + magic
        let n = t - magic
        // r = x − n·ln 2, with ln 2 in two parts so the subtraction is exact
        let r = x - n * 0.693_359_375 - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        let scale = (unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(scale, to: Lanes.self)
    }

    @inline(__always) static func sigmoid(_ v: Lanes) -> Lanes { 1 / (1 + exp(-v)) }
    @inline(__always) static func tanh(_ v: Lanes) -> Lanes { 1 - 2 / (exp(v + v) + 1) }

    /// Applies `f` to `count` floats from `x` into `y` (which may be `x`).
    @inline(__always) static func map(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ f: (Lanes) -> Lanes) {
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: f(v), as: Lanes.self)
            i += 16
        }
        guard i < count else { return }
        var tail = Lanes(repeating: 0)
        for j in 0..<(count - i) { tail[j] = x[i + j] }
        let out = f(tail)
        for j in 0..<(count - i) { y[i + j] = out[j] }
    }

    static func sigmoid(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) { map(count, x, y, sigmoid) }
    static func tanh(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) { map(count, x, y, tanh) }
}
