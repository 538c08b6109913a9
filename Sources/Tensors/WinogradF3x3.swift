// Winograd's F(3×3, 3×3) (Lavin & Gray 2016) for boards whose sides are multiples
// of three: each 3×3 output tile comes from a 5×5 input tile with 25 multiplications per channel
// pair instead of 81 (3.24× fewer). A 9×9 board is exactly nine tiles, where F(4×4, 3×3) pads it
// to 12×12 (324 products per channel pair against 225 here) and F(2×2, 3×3) to 10×10 (400).
// Training uses it too where it pays (Neural/Conv2D+Plan.swift; backward in
// WinogradF3x3+Backward.swift).
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A, points 0, 1, −1, 2, ∞ (derived by Toom-Cook: Aᵀ evaluates
//   the output polynomial, Bᵀ is the transposed interpolation, rows scaled to integers and G
//   divided by the same factors)
//   Bᵀ = [2 −1 −2 1 0; 0 2 1 −1 0; 0 −2 3 −1 0; 0 −1 0 1 0; 0 2 −1 −2 1]
//   G  = [½ 0 0; ½ ½ ½; ⅙ −⅙ ⅙; ⅙ ⅓ ⅔; 0 0 1]
//   Aᵀ = [1 1 1 1 0; 0 1 −1 2 0; 0 1 1 4 1]
// Layouts: U [25][in][out], V [25][T][in], M [25][T][out] (channels contiguous; the transforms
// work sixteen channels at a time, WinogradF3x3+Interleaved.swift), ξ = 5·row + column.

public struct WinogradF3x3: Sendable {
    public let height: Int, width: Int
    public let tilesY: Int, tilesX: Int
    /// One zero pixel top/left, enough bottom/right for whole 5×5 tiles.
    public let paddedHeight: Int, paddedWidth: Int

    public init(height: Int, width: Int) {
        self.height = height; self.width = width
        tilesY = (height + 2) / 3; tilesX = (width + 2) / 3
        paddedHeight = 3 * tilesY + 2; paddedWidth = 3 * tilesX + 2
    }

    public var tilesPerImage: Int { tilesY * tilesX }
    public var paddedArea: Int { paddedHeight * paddedWidth }

    static let g: [[Float]] = [[0.5, 0, 0], [0.5, 0.5, 0.5], [1.0 / 6, -1.0 / 6, 1.0 / 6], [1.0 / 6, 1.0 / 3, 2.0 / 3], [0, 0, 1]]

    /// U[ξ][i][o] = (G g Gᵀ)[ξ] for weights [out][in][3][3] (input-major).
    public static func transformWeights(_ w: UnsafePointer<Float>, out: Int, in inputs: Int, _ u: UnsafeMutablePointer<Float>) {
        transformWeightsInputMajor(w, out: out, in: inputs, g: g, u)
    }
}
