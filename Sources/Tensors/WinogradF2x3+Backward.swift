// Backward transforms of Winograd F(2×2, 3×3): the exact gradient of the forward algorithm
// (not of the direct convolution computed differently), so training through it is consistent.
// With Y = Aᵀ M A, M[ξ] = U[ξ] · V[ξ], V = Bᵀ d B and U = G g Gᵀ:
//   dM = A dY Aᵀ,   dU[ξ] = dM[ξ] · V[ξ]ᵀ,   dV[ξ] = U[ξ]ᵀ · dM[ξ],
//   dd = B dV Bᵀ (tiles overlap: accumulated),   dg = Gᵀ dU G.
import CSIMD

extension WinogradF2x3 {
    /// dM[ξ][channel][column + t] = (A dY Aᵀ)[ξ] for every tile of one output-gradient plane
    /// (positions past the image edge count as zero); `stride` between ξ matrices.
    @inlinable
    public func transformOutputGradient(_ plane: UnsafePointer<Float>, _ dm: UnsafeMutablePointer<Float>, stride: Int) {
        if WinogradF2x3.usesVectorTransforms {
            return dojo_winograd2_output_gradient(plane, height, width, tilesY, tilesX, dm, stride)
        }
        var t = 0
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                let y = 2 &* ty, x = 2 &* tx
                let hasRight = x &+ 1 < width, hasBelow = y &+ 1 < height
                let row0 = plane + (y &* width &+ x)
                let g00 = row0[0], g01: Float = hasRight ? row0[1] : 0
                let g10: Float = hasBelow ? row0[width] : 0
                let g11: Float = hasRight && hasBelow ? row0[width &+ 1] : 0
                // A dY: four rows of two, then each times Aᵀ: four columns.
                let o = dm + t
                @inline(__always) func row(_ i: Int, _ a: Float, _ b: Float) {
                    o[(i &* 4) &* stride] = a
                    o[(i &* 4 &+ 1) &* stride] = a + b
                    o[(i &* 4 &+ 2) &* stride] = a - b
                    o[(i &* 4 &+ 3) &* stride] = -b
                }
                row(0, g00, g01)
                row(1, g00 + g10, g01 + g11)
                row(2, g00 - g10, g01 - g11)
                row(3, -g10, -g11)
                t &+= 1
            }
        }
    }

    /// Accumulates B dV Bᵀ of every tile into a padded input-gradient plane (zero it first);
    /// dV[ξ][channel][column + t] with `stride` between ξ matrices.
    @inlinable
    public func accumulateInputGradient(_ dv: UnsafePointer<Float>, stride: Int, into padded: UnsafeMutablePointer<Float>) {
        let pw = paddedWidth
        var t = 0
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                let q = dv + t
                @inline(__always) func at(_ k: Int) -> Float { q[k &* stride] }
                let offset: Int = (2 &* ty) &* pw &+ 2 &* tx
                let d = padded + offset
                @inline(__always) func emit(_ row: Int, _ c0: Float, _ c1: Float, _ c2: Float, _ c3: Float) {
                    // (B dV) Bᵀ: columns the same way.
                    let p = d + row &* pw
                    p[0] += c0
                    p[1] += c1 - c2 + c3
                    p[2] += -c0 + c1 + c2
                    p[3] += -c3
                }
                // B dV: rows q0 = v0, q1 = v1 − v2 + v3, q2 = −v0 + v1 + v2, q3 = −v3.
                let v0 = (at(0), at(1), at(2), at(3)), v1 = (at(4), at(5), at(6), at(7))
                let v2 = (at(8), at(9), at(10), at(11)), v3 = (at(12), at(13), at(14), at(15))
                emit(0, v0.0, v0.1, v0.2, v0.3)
                emit(1, v1.0 - v2.0 + v3.0, v1.1 - v2.1 + v3.1, v1.2 - v2.2 + v3.2, v1.3 - v2.3 + v3.3)
                emit(2, -v0.0 + v1.0 + v2.0, -v0.1 + v1.1 + v2.1, -v0.2 + v1.2 + v2.2, -v0.3 + v1.3 + v2.3)
                emit(3, -v3.0, -v3.1, -v3.2, -v3.3)
                t &+= 1
            }
        }
    }

    /// Adds the interior of a padded plane to an image-gradient plane.
    @inlinable
    public func addInterior(of padded: UnsafePointer<Float>, to plane: UnsafeMutablePointer<Float>) {
        for y in 0..<height {
            let src = padded + ((y &+ 1) &* paddedWidth &+ 1), dst = plane + y &* width
            for x in 0..<width { dst[x] += src[x] }
        }
    }

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
