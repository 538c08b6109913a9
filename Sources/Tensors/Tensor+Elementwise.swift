// Elementwise and reduction kernels. Pointer-level versions (`Kernels`) are what layers call in
// their hot paths (no allocation, no bounds checks); the Tensor methods are conveniences built on
// them for tests and cold code.

import CSIMD

public enum Kernels {
    @inlinable public static func fill(_ x: UnsafeMutablePointer<Float>, _ n: Int, _ value: Float) {
        x.update(repeating: value, count: n)
    }

    /// y += alpha · x (explicit lanes: the compiler's version checks for aliasing and uses
    /// four lanes, which showed at the sparse-input scatter's sixteen floats per call).
    @inlinable public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        @inline(__always) func step<L: FloatLanes>(_ i: Int, _: L.Type) {
            (L.load(y + i) + L(repeating: alpha) * L.load(x + i)).store(y + i)
        }
        Lanes.forEach(n, step, step)
    }

    /// y = x for short runs (explicit lanes; `update(from:)` calls memmove, which costs more
    /// than sixteen floats do).
    @inlinable public static func copy(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        @inline(__always) func step<L: FloatLanes>(_ i: Int, _: L.Type) { L.load(x + i).store(y + i) }
        Lanes.forEach(n, step, step)
    }

    /// z = x + y (z may alias x or y)
    @inlinable public static func add(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        for i in 0..<n { z[i] = x[i] + y[i] }
    }

    /// x *= alpha
    @inlinable public static func scale(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        for i in 0..<n { x[i] *= alpha }
    }

    @inlinable public static func sum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        // Four partial sums: vectorises and loses less precision than one running sum.
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i + 4 <= n { s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]; i += 4 }
        while i < n { s0 += x[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    @inlinable public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i + 4 <= n {
            s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1]; s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3]
            i += 4
        }
        while i < n { s0 += x[i] * y[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// How many of `n` values are not zero (explicit lanes: the plain loop did not vectorise
    /// and took 7% of a DQN step, deciding whether its first layer scatters).
    @inlinable public static func countNonZero(_ n: Int, _ x: UnsafePointer<Float>) -> Int {
        var lanes = SIMD16<Int32>(), i = 0
        while i &+ 16 <= n {
            lanes.replace(with: lanes &+ 1, where: SIMD16<Float>.load(x + i) .!= 0)
            i &+= 16
        }
        var count = Int(lanes.wrappedSum())
        while i < n { if x[i] != 0 { count &+= 1 }; i &+= 1 }
        return count
    }

    /// Index of the largest of `n` values (first on ties).
    @inlinable public static func argmax(_ n: Int, _ x: UnsafePointer<Float>) -> Int {
        var best = 0
        for i in 1..<max(n, 1) where x[i] > x[best] { best = i }
        return best
    }
}

extension Tensor {
    public mutating func fill(_ value: Float) {
        withUnsafeMutableBufferPointer { Kernels.fill($0.baseAddress!, $0.count, value) }
    }

    /// Applies `f` to every element, in place.
    public mutating func apply(_ f: (Float) -> Float) {
        withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = f(p[i]) } }
    }

    /// A new tensor with `f` applied to every element.
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = self
        out.apply(f)
        return out
    }

    /// self += alpha · other (same shape).
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(other.count == count, "add: shapes \(shape) and \(other.shape) differ")
        other.withUnsafeBufferPointer { x in
            withUnsafeMutableBufferPointer { y in Kernels.axpy(y.count, alpha, x.baseAddress!, y.baseAddress!) }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { var c = a; c.add(b); return c }
    public static func - (a: Tensor, b: Tensor) -> Tensor { var c = a; c.add(b, scaledBy: -1); return c }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }

    public func sum() -> Float { withUnsafeBufferPointer { Kernels.sum(count, $0.baseAddress!) } }
    public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }
    public func max() -> Float { withUnsafeBufferPointer { $0.max() ?? -.infinity } }
    public func min() -> Float { withUnsafeBufferPointer { $0.min() ?? .infinity } }
    public func dot(_ other: Tensor) -> Float {
        precondition(other.count == count, "dot: shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { x in other.withUnsafeBufferPointer { y in Kernels.dot(count, x.baseAddress!, y.baseAddress!) } }
    }
    public func squaredNorm() -> Float { dot(self) }

    /// Largest absolute elementwise difference (for tests against references).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(other.count == count, "compare: shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { x in
            other.withUnsafeBufferPointer { y in zip(x, y).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) } }
        }
    }
}

extension Kernels {
    /// dst[j·dstStride + i] = src[i·srcStride + j] for a rows × cols block: 8×8 tiles through
    /// vector shuffles, the ragged edges one element at a time.
    @inlinable
    public static func transpose(rows: Int, cols: Int, _ src: UnsafePointer<Float>, srcStride: Int,
                                 _ dst: UnsafeMutablePointer<Float>, dstStride: Int) {
        let fullRows = rows & ~7, fullCols = cols & ~7
        var i = 0
        while i < fullRows {
            var j = 0
            while j < fullCols {
                dojo_transpose8x8(src + (i &* srcStride &+ j), srcStride, dst + (j &* dstStride &+ i), dstStride)
                j &+= 8
            }
            while j < cols {
                for r in i..<(i &+ 8) { dst[j &* dstStride &+ r] = src[r &* srcStride &+ j] }
                j &+= 1
            }
            i &+= 8
        }
        while i < rows {
            for j in 0..<cols { dst[j &* dstStride &+ i] = src[i &* srcStride &+ j] }
            i &+= 1
        }
    }
}
