// Backward transforms of Winograd F(2×2, 3×3): the exact gradient of the forward algorithm
// (not of the direct convolution computed differently), so training through it is consistent.
// With Y = Aᵀ M A, M[ξ] = U[ξ] · V[ξ], V = Bᵀ d B and U = G g Gᵀ:
//   dM = A dY Aᵀ,   dU[ξ] = dM[ξ] · V[ξ]ᵀ,   dV[ξ] = U[ξ]ᵀ · dM[ξ],
//   dd = B dV Bᵀ (tiles overlap: accumulated),   dg = Gᵀ dU G.
// dM and dd are computed sixteen channels at a time (WinogradF2x3+Interleaved.swift).

extension WinogradF2x3 {
    /// dW[o][i][3][3] += (Gᵀ dU G) for dU [16][out][in].
    @inlinable
    public static func accumulateWeightGradient(_ du: UnsafePointer<Float>, out: Int, in inputs: Int,
                                                _ dw: UnsafeMutablePointer<Float>) {
        let plane = out &* inputs
        for at in 0..<plane {
            @inline(__always) func u(_ r: Int, _ c: Int) -> Float { du[(r &* 4 &+ c) &* plane &+ at] }
            // Gᵀ dU: three rows from four (per column c).
            @inline(__always) func rowCombination(_ c: Int) -> (Float, Float, Float) {
                (u(0, c) + 0.5 * (u(1, c) + u(2, c)), 0.5 * (u(1, c) - u(2, c)), 0.5 * (u(1, c) + u(2, c)) + u(3, c))
            }
            let c0 = rowCombination(0), c1 = rowCombination(1), c2 = rowCombination(2), c3 = rowCombination(3)
            let k = dw + (at &* 9)
            // (Gᵀ dU) G: three columns from four, for each of the three rows.
            @inline(__always) func emit(_ row: Int, _ a: Float, _ b: Float, _ c: Float, _ d: Float) {
                k[row &* 3] += a + 0.5 * (b + c)
                k[row &* 3 &+ 1] += 0.5 * (b - c)
                k[row &* 3 &+ 2] += 0.5 * (b + c) + d
            }
            emit(0, c0.0, c1.0, c2.0, c3.0)
            emit(1, c0.1, c1.1, c2.1, c3.1)
            emit(2, c0.2, c1.2, c2.2, c3.2)
        }
    }
}
