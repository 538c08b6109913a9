// Winograd's F(4×4, 3×3) (Lavin & Gray 2016) for inference: each 4×4 output tile comes from a
// 6×6 input tile with 36 multiplications per channel pair instead of 144 (4× fewer; F(2×2, 3×3)
// saves 2.25×), at the price of larger transforms and rounding errors around 1e-6 relative
// (points 0, ±1, ±2, ∞). Forward only: training keeps F(2×2, 3×3), whose backward exists.
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
// Layouts as F(2×2, 3×3): U [36][out][in], V [36][in][T], M [36][out][T], ξ = 6·row + column.

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

    /// U[ξ][i][o] = (G g Gᵀ)[ξ] for weights [out][in][3][3].
    public static func transformWeights(_ w: UnsafePointer<Float>, out: Int, in inputs: Int, _ u: UnsafeMutablePointer<Float>) {
        let plane = out * inputs
        var gg = [Float](repeating: 0, count: 18)   // G·g, 6×3
        for at in 0..<plane {
            let k = w + at * 9
            // Filter (o, i) lands at [ξ][i][o]: input-major, so Mᵀ[ξ] = V[ξ] · U[ξ] reads U's
            // rows with output channels contiguous (no transposed operand in the product).
            let o = at / inputs, i = at - o * inputs, to = i * out + o
            for r in 0..<6 { for c in 0..<3 {
                gg[r * 3 + c] = g[r][0] * k[c] + g[r][1] * k[3 + c] + g[r][2] * k[6 + c]
            } }
            for r in 0..<6 { for c in 0..<6 {
                u[(r * 6 + c) * plane + to] = gg[r * 3] * g[c][0] + gg[r * 3 + 1] * g[c][1] + gg[r * 3 + 2] * g[c][2]
            } }
        }
    }

    /// Copies one image plane into `padded` (whose border must already be zero).
    @inlinable
    public func pad(_ plane: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        for y in 0..<height {
            (padded + ((y &+ 1) &* paddedWidth &+ 1)).update(from: plane + y &* width, count: width)
        }
    }

    /// V[ξ][channel][column + t] = (Bᵀ d B)[ξ] for every tile of one padded plane; `stride` is
    /// the distance between V's ξ matrices (in·T). Bᵀ d runs along whole padded rows (one
    /// vectorisable loop per tile row), then each tile's 6×6 block gets B on the right.
    @inlinable
    public func transformInput(_ padded: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, stride: Int) {
        let pw = paddedWidth
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 6 * pw) { buffer in
            let t = buffer.baseAddress!
            var tile = 0
            for ty in 0..<tilesY {
                let d = padded + (4 &* ty) &* pw
                let r0 = d, r1 = d + pw, r2 = d + 2 &* pw, r3 = d + 3 &* pw, r4 = d + 4 &* pw, r5 = d + 5 &* pw
                let t0 = t, t1 = t + pw, t2 = t + 2 &* pw, t3 = t + 3 &* pw, t4 = t + 4 &* pw, t5 = t + 5 &* pw
                for x in 0..<pw {
                    let x0 = r0[x], x1 = r1[x], x2 = r2[x], x3 = r3[x], x4 = r4[x], x5 = r5[x]
                    t0[x] = 4 * x0 - 5 * x2 + x4
                    t1[x] = -4 * (x1 + x2) + x3 + x4
                    t2[x] = 4 * (x1 - x2) - x3 + x4
                    t3[x] = 2 * (x3 - x1) - x2 + x4
                    t4[x] = 2 * (x1 - x3) - x2 + x4
                    t5[x] = 4 * x1 - 5 * x3 + x5
                }
                // Row r of every tile in this tile row: six output planes, written in order.
                for r in 0..<6 {
                    let row = t + r &* pw, o = v + ((r &* 6) &* stride &+ tile)
                    for tx in 0..<tilesX {
                        let q = row + 4 &* tx
                        let x0 = q[0], x1 = q[1], x2 = q[2], x3 = q[3], x4 = q[4], x5 = q[5]
                        o[tx] = 4 * x0 - 5 * x2 + x4
                        o[stride &+ tx] = -4 * (x1 + x2) + x3 + x4
                        o[2 &* stride &+ tx] = 4 * (x1 - x2) - x3 + x4
                        o[3 &* stride &+ tx] = 2 * (x3 - x1) - x2 + x4
                        o[4 &* stride &+ tx] = 2 * (x1 - x3) - x2 + x4
                        o[5 &* stride &+ tx] = 4 * x1 - 5 * x3 + x5
                    }
                }
                tile &+= tilesX
            }
        }
    }

    /// One output plane from its 36 M planes (`stride` apart; this plane's tiles start at `m`),
    /// Y = Aᵀ M A per tile, clipped to the image, plus `bias`. Aᵀ M runs across all tiles at
    /// once (M's tiles are contiguous), then each tile's 4×6 block gets A on the right.
    @inlinable
    public func writeOutput(_ m: UnsafePointer<Float>, stride: Int, bias: Float, _ plane: UnsafeMutablePointer<Float>) {
        let tiles = tilesPerImage
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 24 * tiles) { buffer in
            let t = buffer.baseAddress!   // [4 rows][6 columns][tiles]
            for c in 0..<6 {
                let p0 = m + c &* stride, p1 = m + (6 &+ c) &* stride, p2 = m + (12 &+ c) &* stride
                let p3 = m + (18 &+ c) &* stride, p4 = m + (24 &+ c) &* stride, p5 = m + (30 &+ c) &* stride
                let q0 = t + c &* tiles, q1 = t + (6 &+ c) &* tiles, q2 = t + (12 &+ c) &* tiles, q3 = t + (18 &+ c) &* tiles
                for k in 0..<tiles {
                    let s12 = p1[k] + p2[k], d12 = p1[k] - p2[k], s34 = p3[k] + p4[k], d34 = p3[k] - p4[k]
                    q0[k] = p0[k] + s12 + s34
                    q1[k] = d12 + 2 * d34
                    q2[k] = s12 + 4 * s34
                    q3[k] = d12 + 8 * d34 + p5[k]
                }
            }
            var tile = 0
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let y0 = 4 &* ty, x0 = 4 &* tx
                    for r in 0..<4 where y0 &+ r < height {
                        let row = t + ((r &* 6) &* tiles &+ tile)
                        let a0 = row[0], a1 = row[tiles], a2 = row[2 &* tiles], a3 = row[3 &* tiles], a4 = row[4 &* tiles], a5 = row[5 &* tiles]
                        let s12 = a1 + a2, d12 = a1 - a2, s34 = a3 + a4, d34 = a3 - a4
                        let dst = plane + ((y0 &+ r) &* width &+ x0)
                        dst[0] = a0 + s12 + s34 + bias
                        if x0 &+ 1 < width { dst[1] = d12 + 2 * d34 + bias }
                        if x0 &+ 2 < width { dst[2] = s12 + 4 * s34 + bias }
                        if x0 &+ 3 < width { dst[3] = d12 + 8 * d34 + a5 + bias }
                    }
                    tile &+= 1
                }
            }
        }
    }
}
