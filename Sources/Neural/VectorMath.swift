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

    /// Softmax of `row` in place over the entries whose `mask` is 1 (the others, 0, become 0);
    /// false, with the row left as it was, when the mask has no 1. Arithmetic with the 0/1
    /// mask: Swift's lane masks and pointwiseMax were measured slower here than a scalar loop.
    static func maskedSoftmax(_ count: Int, _ row: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>) -> Bool {
        let far: Float = 1e30
        var top = -far, any: Float = 0
        for j in 0..<count {
            top = Swift.max(top, row[j] * mask[j] - (1 - mask[j]) * far)
            any = Swift.max(any, mask[j])
        }
        guard any > 0 else { return false }
        var sums = Lanes(repeating: 0), sum: Float = 0
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self), m = UnsafeRawPointer(mask + i).loadUnaligned(as: Lanes.self)
            // Masked entries take exp(0)·0: never −∞ or an overflow.
            let e = exp((v - top) * m) * m
            UnsafeMutableRawPointer(row + i).storeBytes(of: e, as: Lanes.self)
            sums += e
            i += 16
        }
        sum = sums.sum()
        if i < count {
            var v = Lanes(repeating: 0), m = Lanes(repeating: 0)
            for j in i..<count { v[j - i] = row[j]; m[j - i] = mask[j] }
            let e = exp((v - top) * m) * m
            for j in i..<count { row[j] = e[j - i]; sum += e[j - i] }
        }
        let scale = 1 / sum
        for j in 0..<count { row[j] *= scale }
        return true
    }

    /// Softmax of `row` in place, every entry allowed (attention without masks): the maximum,
    /// the exponentials and the scaling all 16 lanes at a time.
    static func softmax(_ count: Int, _ row: UnsafeMutablePointer<Float>) {
        // The maximum in four independent chains (one chain of `count` compares is latency-bound;
        // Swift's pointwiseMax and lane reductions compiled slower still).
        var i = 0, t0 = row[0], t1 = row[0], t2 = row[0], t3 = row[0]
        while i + 4 <= count {
            let a = row[i], b = row[i + 1], c = row[i + 2], d = row[i + 3]
            t0 = a > t0 ? a : t0; t1 = b > t1 ? b : t1; t2 = c > t2 ? c : t2; t3 = d > t3 ? d : t3
            i += 4
        }
        while i < count { let v = row[i]; t0 = v > t0 ? v : t0; i += 1 }
        t0 = t1 > t0 ? t1 : t0; t2 = t3 > t2 ? t3 : t2
        let top = t2 > t0 ? t2 : t0
        let shift = Lanes(repeating: top)
        var sums = Lanes(repeating: 0)
        i = 0
        while i + 16 <= count {
            let e = exp(UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self) - shift)
            UnsafeMutableRawPointer(row + i).storeBytes(of: e, as: Lanes.self)
            sums += e
            i += 16
        }
        var sum = sums.sum()
        let tailStart = i
        if i < count {
            var v = Lanes(repeating: 0)
            for j in i..<count { v[j - i] = row[j] - top }
            let e = exp(v)
            for j in i..<count { row[j] = e[j - i]; sum += e[j - i] }
        }
        let scale = 1 / sum, scaleLanes = Lanes(repeating: 1 / sum)
        i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(row + i).storeBytes(of: UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self) * scaleLanes, as: Lanes.self)
            i += 16
        }
        for j in tailStart..<count { row[j] *= scale }
    }

    /// Softmax backward for one row, in place: d ← P ⊙ (d − Σⱼ Pⱼ dⱼ) · scale.
    static func softmaxBackward(_ count: Int, probabilities p: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, scale: Float) {
        var dots = Lanes(repeating: 0), i = 0
        while i + 16 <= count {
            dots += UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) * UnsafeRawPointer(d + i).loadUnaligned(as: Lanes.self)
            i += 16
        }
        var dot = dots.sum()
        for j in i..<count { dot += p[j] * d[j] }
        i = 0
        let dotLanes = Lanes(repeating: dot)
        while i + 16 <= count {
            let pv = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self), dv = UnsafeRawPointer(d + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(d + i).storeBytes(of: pv * (dv - dotLanes) * scale, as: Lanes.self)
            i += 16
        }
        for j in i..<count { d[j] = p[j] * (d[j] - dot) * scale }
    }

    static func sigmoid(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) { map(count, x, y, sigmoid) }
    static func tanh(_ count: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) { map(count, x, y, tanh) }
}
