// One description of a Winograd tiling F(m×m, 3×3) (Lavin & Gray 2016) of an H×W image — all a
// convolution layer needs to run it (Neural/Conv2D+Winograd.swift): how many products a tile
// costs, how the transformed weights U are laid out, the sizes of its scratch buffers, and the
// three transforms (weights; input to V; M to output, bias added). F(2×2, 3×3) (WinogradF2x3,
// training and inference, backward in WinogradF2x3+Backward.swift), F(3×3, 3×3) (WinogradF3x3,
// training and inference on boards it tiles well, backward in WinogradF3x3+Backward.swift) and
// F(4×4, 3×3) (WinogradF4x3, inference) are its values.
// Layouts shared by all: V [ξ][T][in] and M [ξ][T][out] with channels contiguous, T = tiles of a
// chunk of samples (tile t of sample s at row s·tilesPerImage + t); the transforms work
// `ChannelInterleaving.lanes` channels at a time. U is [ξ][out][in] unless `weightsInputMajor`
// ([ξ][in][out]: the product then reads U's rows with output channels contiguous).

public protocol WinogradTiling: Sendable {
    /// Points of a transformed tile, (m + 2)²: the number of matrix products per chunk.
    static var points: Int { get }
    /// Whether U is [ξ][in][out] (M = V·U) rather than [ξ][out][in] (M = V·Uᵀ).
    static var weightsInputMajor: Bool { get }
    /// Output pixels along a tile's side: m of F(m×m, 3×3).
    static var tileSide: Int { get }
    init(height: Int, width: Int)
    var height: Int { get }
    var width: Int { get }
    var tilesY: Int { get }
    var tilesX: Int { get }
    var tilesPerImage: Int { get }
    /// Pixels of the padded input: one zero pixel top/left, enough bottom/right for whole tiles.
    var paddedArea: Int { get }
    /// U from weights [out][in][3][3].
    static func transformWeights(_ w: UnsafePointer<Float>, out: Int, in inputs: Int, _ u: UnsafeMutablePointer<Float>)
    /// V[ξ][tile][c] for channels c0..<c0+count (count ≤ lanes) of one sample; `planes` at channel
    /// c0's plane, `padded` scratch of `interleavedPaddedArea` floats whose border is zero, `v` at
    /// V[0][first tile][c0], `tileStride` = in, `xiStride` = T·in.
    func transformInputInterleaved(_ planes: UnsafePointer<Float>, count: Int, padded: UnsafeMutablePointer<Float>,
                                   _ v: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int)
    /// Output planes o0..<o0+count of one sample from M (`m` at M[0][first tile][o0],
    /// `tileStride` = out, `xiStride` = T·out), `bias` added, through `staging`
    /// (`interleavedTileArea` floats) into the NCHW planes at `planes`.
    func writeOutputInterleaved(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                                bias: WinogradLanes, staging: UnsafeMutablePointer<Float>, _ planes: UnsafeMutablePointer<Float>)
}

extension WinogradTiling {
    /// Floats of the interleaved padded input buffer (its border must stay zero).
    @inlinable public var interleavedPaddedArea: Int { paddedArea * ChannelInterleaving.lanes }
    /// Floats of an interleaved buffer of whole output tiles ([m·tilesY][m·tilesX][16]).
    @inlinable public var interleavedTileArea: Int { Self.tileSide * Self.tileSide * tilesPerImage * ChannelInterleaving.lanes }

    /// `body(tile, corner)` for every tile, row-major, with `corner` the float offset of the
    /// tile's top-left pixel in an interleaved buffer of `rowPixels` pixels per row (tiles start
    /// `tileSide` pixels apart in the padded input and in the output alike).
    @inlinable @inline(__always)
    func forEachTile(rowPixels: Int, _ body: (_ tile: Int, _ corner: Int) -> Void) {
        var tile = 0
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                body(tile, ((Self.tileSide &* ty) &* rowPixels &+ Self.tileSide &* tx) &* ChannelInterleaving.lanes)
                tile &+= 1
            }
        }
    }

    /// U[ξ][i][o] = (G g Gᵀ)[ξ], ξ = α·row + column, for weights [out][in][3][3] and `g` (α×3):
    /// input-major, so M[ξ] = V[ξ] · U[ξ] reads U's rows with output channels contiguous.
    static func transformWeightsInputMajor(_ w: UnsafePointer<Float>, out: Int, in inputs: Int, g: [[Float]], _ u: UnsafeMutablePointer<Float>) {
        let plane = out * inputs, alpha = g.count
        var gg = [Float](repeating: 0, count: alpha * 3)   // G·g, α×3
        for at in 0..<plane {
            let k = w + at * 9
            let o = at / inputs, i = at - o * inputs, to = i * out + o
            for r in 0..<alpha { for c in 0..<3 {
                gg[r * 3 + c] = g[r][0] * k[c] + g[r][1] * k[3 + c] + g[r][2] * k[6 + c]
            } }
            for r in 0..<alpha { for c in 0..<alpha {
                u[(r * alpha + c) * plane + to] = gg[r * 3] * g[c][0] + gg[r * 3 + 1] * g[c][1] + gg[r * 3 + 2] * g[c][2]
            } }
        }
    }
}

/// A tiling training can run: the transforms of its backward. dU is [ξ][out][in] whatever U's
/// layout (dU[ξ] = dM[ξ]ᵀ · V[ξ]).
public protocol WinogradTrainingTiling: WinogradTiling {
    /// dM[ξ][tile][o] = (A dY Aᵀ)[ξ] for output-gradient planes o0..<o0+count of one sample,
    /// through `staging` (`interleavedTileArea` floats, zero past the image).
    func transformOutputGradientInterleaved(_ planes: UnsafePointer<Float>, count: Int, staging: UnsafeMutablePointer<Float>,
                                            _ dm: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int)
    /// Input-gradient planes c0..<c0+count of one sample (written) from dV, B dV Bᵀ summed where
    /// tiles overlap, through `padded` (`interleavedPaddedArea` floats, cleared here).
    func inputGradientInterleaved(_ dv: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                                  padded: UnsafeMutablePointer<Float>, _ planes: UnsafeMutablePointer<Float>)
    /// dW[o][i][3][3] += Gᵀ dU G for dU [points][out][in].
    static func accumulateWeightGradient(_ du: UnsafePointer<Float>, out: Int, in inputs: Int, _ dw: UnsafeMutablePointer<Float>)
}

extension WinogradF2x3: WinogradTrainingTiling {}
extension WinogradF3x3: WinogradTrainingTiling {}

extension WinogradF2x3: WinogradTiling {
    public static var tileSide: Int { 2 }
    public static var points: Int { 16 }
    public static var weightsInputMajor: Bool { false }
}

extension WinogradF4x3: WinogradTiling {
    public static var tileSide: Int { 4 }
    public static var points: Int { 36 }
    public static var weightsInputMajor: Bool { true }
}

extension WinogradF3x3: WinogradTiling {
    public static var tileSide: Int { 3 }
    public static var points: Int { 25 }
    public static var weightsInputMajor: Bool { true }
}
