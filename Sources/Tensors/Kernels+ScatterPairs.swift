// Scatter-add of rows through index pairs: the sparse first layer's kernel
// (Neural/Conv2D+SparseInput.swift). For every non-zero x[i] and each of its pairs
// k in start[i] ..< start[i + 1], the pair (p, q) = (pairs[2k], pairs[2k + 1]) — or
// (pairs[2k + 1], pairs[2k]) when the destination index comes second — adds
// x[i] · src[q·width ..< (q + 1)·width] to dst[p·width ..< (p + 1)·width].
// Pairs are applied in order, so the sums are deterministic; the vector kernel rounds each
// multiply-add once (fused), the portable one twice, so the two agree to rounding.
import CSIMD

extension Kernels {
    /// Use the AVX-512 kernel (CSIMD/SparseScatter.c) where the CPU has it; tests compare it
    /// with the portable loop by turning this off.
    nonisolated(unsafe) public static var usesVectorScatter = BLAS.hasSmallKernels

    @inlinable
    public static func scatterPairs(count: Int, _ x: UnsafePointer<Float>, start: UnsafePointer<Int32>,
                                    pairs: UnsafePointer<Int32>, destinationFirst: Bool, width: Int,
                                    _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
        if usesVectorScatter {
            return dojo_scatter_pairs(count, x, start, pairs, destinationFirst ? 1 : 0, width, src, dst)
        }
        let d = destinationFirst ? 0 : 1, s = 1 &- d
        @inline(__always) func visit(_ index: Int, _ v: Float) {
            var k = Int(start[index])
            let end = Int(start[index &+ 1])
            while k < end {
                axpy(width, v, src + Int(pairs[2 &* k &+ s]) &* width, dst + Int(pairs[2 &* k &+ d]) &* width)
                k &+= 1
            }
        }
        // Skip runs of eight zeros with one vector compare.
        var i = 0
        while i &+ 8 <= count {
            let v = SIMD8<Float>.load(x + i)
            if any(v .!= 0) { for j in 0..<8 where v[j] != 0 { visit(i &+ j, v[j]) } }
            i &+= 8
        }
        while i < count { if x[i] != 0 { visit(i, x[i]) }; i &+= 1 }
    }
}
