// Winograd's F(4×4, 3×3) (Lavin & Gray 2016) for inference: each 4×4 output tile comes from a
// 6×6 input tile with 36 multiplications per channel pair instead of 144 (4× fewer; F(2×2, 3×3)
// saves 2.25×), at the price of larger transforms and rounding errors around 1e-6 relative
// (points 0, ±1, ±2, ∞). Forward only: training keeps F(2×2, 3×3), whose backward exists.
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
// Layouts: U [36][in][out], V [36][T][in], M [36][T][out] (channels contiguous; the transforms
// work sixteen channels at a time, WinogradF4x3+Interleaved.swift), ξ = 6·row + column.

public struct WinogradF4x3: Sendable {
    public let height: Int, width: Int
    public let tilesY: Int, tilesX: Int
    /// One zero pixel top/left, enough bottom/right for whole 6×6 tiles.
    public let paddedHeight: Int, paddedWidth: Int

    public init(height: Int, width: Int) {
        self.height = height; self.width = width
        tilesY = (height + 3) / 4; tilesX = (width + 3) / 4
        paddedHeight = 4 * tilesY + 2; paddedWidth = 4 * tilesX + 2
    }

    public var tilesPerImage: Int { tilesY * tilesX }
    public var paddedArea: Int { paddedHeight * paddedWidth }

    static let g: [[Float]] = [[0.25, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                               [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]

    /// U[ξ][i][o] = (G g Gᵀ)[ξ] for weights [out][in][3][3] (input-major).
    public static func transformWeights(_ w: UnsafePointer<Float>, out: Int, in inputs: Int, _ u: UnsafeMutablePointer<Float>) {
        transformWeightsInputMajor(w, out: out, in: inputs, g: g, u)
    }
}
