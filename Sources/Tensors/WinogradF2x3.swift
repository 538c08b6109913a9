// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016) for 3×3, stride-1, padding-1
// convolutions (cross-correlation, as in PyTorch). Each 2×2 output tile comes from a 4×4
// input tile with 16 multiplications per channel pair instead of 36:
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
// with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
// Aᵀ = [1 1 1 0; 0 1 −1 −1]. Summed over input channels, the elementwise products become 16
// matrix products U[ξ] (out × in) · V[ξ] (in × tiles), which is where the time goes.
//
// Layouts: U is [16][out][in]; V is [16][T][in] and M is [16][T][out], T = tiles of a chunk of
// samples, tile t of sample s at row s·tilesPerImage + t, tiles row-major over the image; the
// transforms work sixteen channels at a time (WinogradF2x3+Interleaved.swift).

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
}
