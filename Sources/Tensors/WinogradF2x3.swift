// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016) for 3×3, stride-1, padding-1
// convolutions (cross-correlation, as in PyTorch). Each 2×2 output tile comes from a 4×4
// input tile with 16 multiplications per channel pair instead of 36:
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
// with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
// Aᵀ = [1 1 1 0; 0 1 −1 −1]. Summed over input channels, the elementwise products become 16
// matrix products U[ξ] (out × in) · V[ξ] (in × tiles), which is where the time goes.
//
// Layouts: U is [16][out][in]; here, one plane at a time (inference split over channels), V is
// [16][in][T] and M is [16][out][T], T = tiles of a chunk of samples, tile t of sample s at
// column s·tilesPerImage + t, tiles row-major over the image. Training transforms sixteen
// channels at a time into [16][T][channels] (WinogradF2x3+Interleaved.swift).

import CSIMD

public struct WinogradF2x3: Sendable {
    public let height: Int, width: Int
    public let tilesY: Int, tilesX: Int
    /// The image copied into a zero border: one pixel top/left, enough bottom/right for whole tiles.
    public let paddedHeight: Int, paddedWidth: Int

    public init(height: Int, width: Int) {
        self.height = height; self.width = width
        tilesY = (height + 1) / 2; tilesX = (width + 1) / 2
        paddedHeight = 2 * tilesY + 2; paddedWidth = 2 * tilesX + 2
    }

    public var tilesPerImage: Int { tilesY * tilesX }
    public var paddedArea: Int { paddedHeight * paddedWidth }

    /// U[ξ][o][i] = (G g Gᵀ)[ξ] for weights [out][in][3][3].
    @inlinable
    public static func transformWeights(_ g: UnsafePointer<Float>, out: Int, in inputs: Int,
                                        _ u: UnsafeMutablePointer<Float>) {
        let plane = out &* inputs
        for at in 0..<plane {
            let k = g + (at &* 9)
            // Rows of G g (4×3), then each row times Gᵀ gives four values.
            @inline(__always) func emit(_ row: Int, _ a: Float, _ b: Float, _ c: Float) {
                u[(row &* 4) &* plane &+ at] = a
                u[(row &* 4 &+ 1) &* plane &+ at] = 0.5 * (a + b + c)
                u[(row &* 4 &+ 2) &* plane &+ at] = 0.5 * (a - b + c)
                u[(row &* 4 &+ 3) &* plane &+ at] = c
            }
            emit(0, k[0], k[1], k[2])
            emit(1, 0.5 * (k[0] + k[3] + k[6]), 0.5 * (k[1] + k[4] + k[7]), 0.5 * (k[2] + k[5] + k[8]))
            emit(2, 0.5 * (k[0] - k[3] + k[6]), 0.5 * (k[1] - k[4] + k[7]), 0.5 * (k[2] - k[5] + k[8]))
            emit(3, k[6], k[7], k[8])
        }
    }

    /// Copies one image plane into `padded` (whose border must already be zero).
    @inlinable
    public func pad(_ plane: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        for y in 0..<height {
            let dst = padded + ((y &+ 1) &* paddedWidth &+ 1), src = plane + y &* width
            for x in 0..<width { dst[x] = src[x] }
        }
    }

    /// Whether the per-plane input transform runs as AVX-512 vectors over a row of
    /// tiles (CSIMD/WinogradF2x3.c; the same bits) rather than the scalar tile-at-a-time code
    /// here. Tests compare the two.
    nonisolated(unsafe) public static var usesVectorTransforms = BLAS.hasSmallKernels

    /// V[ξ][channel][column + t] = (Bᵀ d B)[ξ] for every tile t of one padded plane;
    /// `stride` is the distance between V's ξ matrices (in·T).
    @inlinable
    public func transformInput(_ padded: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, stride: Int) {
        if WinogradF2x3.usesVectorTransforms {
            return dojo_winograd2_input(padded, paddedWidth, tilesY, tilesX, v, stride)
        }
        let pw = paddedWidth
        var t = 0
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                let offset: Int = (2 &* ty) &* pw &+ 2 &* tx
                let d = padded + offset
                let r0 = d, r1 = d + pw, r2 = d + 2 &* pw, r3 = d + 3 &* pw
                // Bᵀ d: combine rows, four columns at a time.
                let a0 = r0[0] - r2[0], a1 = r0[1] - r2[1], a2 = r0[2] - r2[2], a3 = r0[3] - r2[3]
                let b0 = r1[0] + r2[0], b1 = r1[1] + r2[1], b2 = r1[2] + r2[2], b3 = r1[3] + r2[3]
                let c0 = r2[0] - r1[0], c1 = r2[1] - r1[1], c2 = r2[2] - r1[2], c3 = r2[3] - r1[3]
                let e0 = r1[0] - r3[0], e1 = r1[1] - r3[1], e2 = r1[2] - r3[2], e3 = r1[3] - r3[3]
                // (Bᵀ d) B: combine columns of each row.
                let o = v + t
                @inline(__always) func row(_ i: Int, _ x0: Float, _ x1: Float, _ x2: Float, _ x3: Float) {
                    o[(i &* 4) &* stride] = x0 - x2
                    o[(i &* 4 &+ 1) &* stride] = x1 + x2
                    o[(i &* 4 &+ 2) &* stride] = x2 - x1
                    o[(i &* 4 &+ 3) &* stride] = x1 - x3
                }
                row(0, a0, a1, a2, a3)
                row(1, b0, b1, b2, b3)
                row(2, c0, c1, c2, c3)
                row(3, e0, e1, e2, e3)
                t &+= 1
            }
        }
    }
}

extension WinogradF2x3 {
    /// Aᵀ[i][r]: how transform row (or column) r enters output row (or column) i.
    @inlinable
    static func outputCoefficient(_ i: Int, _ r: Int) -> Float {
        i == 0 ? (r == 3 ? 0 : 1) : (r == 0 ? 0 : (r == 1 ? 1 : -1))
    }

    /// The output transform is linear in M, so it can consume one ξ product at a time:
    /// acc[2i + j] += Aᵀ[i][r] · Aᵀ[j][c] · Mξ for ξ = 4r + c, where acc holds four planes of
    /// `count` values (the 2×2 output positions of every tile) and Mξ one plane. Keeping one
    /// Mξ and four accumulators instead of all sixteen M planes keeps the working set in cache.
    @inlinable
    public static func accumulateOutput(_ mx: UnsafePointer<Float>, xi: Int, into acc: UnsafeMutablePointer<Float>, count: Int) {
        let r = xi / 4, c = xi % 4
        for target in 0..<4 {
            let coefficient = outputCoefficient(target / 2, r) * outputCoefficient(target % 2, c)
            if coefficient == 0 { continue }
            let dst = acc + target &* count
            if coefficient > 0 {
                @inline(__always) func add<L: FloatLanes>(_ k: Int, _: L.Type) { (L.load(dst + k) + L.load(mx + k)).store(dst + k) }
                Lanes.forEach(count, add, add)
            } else {
                @inline(__always) func sub<L: FloatLanes>(_ k: Int, _: L.Type) { (L.load(dst + k) - L.load(mx + k)).store(dst + k) }
                Lanes.forEach(count, sub, sub)
            }
        }
    }

    /// Writes one output plane from the four accumulated planes (`stride` apart; this plane's
    /// tiles start at `acc`), adding `bias`.
    @inlinable
    public func writeOutput(_ acc: UnsafePointer<Float>, stride: Int, bias: Float, _ plane: UnsafeMutablePointer<Float>) {
        var t = 0
        for ty in 0..<tilesY {
            let y = 2 &* ty
            for tx in 0..<tilesX {
                let x = 2 &* tx
                let row0 = plane + (y &* width &+ x)
                row0[0] = acc[t] + bias
                if x &+ 1 < width { row0[1] = acc[stride &+ t] + bias }
                if y &+ 1 < height {
                    let row1 = row0 + width
                    row1[0] = acc[2 &* stride &+ t] + bias
                    if x &+ 1 < width { row1[1] = acc[3 &* stride &+ t] + bias }
                }
                t &+= 1
            }
        }
    }
}
