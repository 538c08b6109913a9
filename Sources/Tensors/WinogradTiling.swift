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
    init(height: Int, width: Int)
    var height: Int { get }
    var width: Int { get }
    var tilesPerImage: Int { get }
    /// Floats of the interleaved padded input buffer (its border must stay zero).
    var interleavedPaddedArea: Int { get }
    /// Floats of an interleaved buffer of whole output tiles.
    var interleavedTileArea: Int { get }
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
    public static var points: Int { 16 }
    public static var weightsInputMajor: Bool { false }
}

extension WinogradF4x3: WinogradTiling {
    public static var points: Int { 36 }
    public static var weightsInputMajor: Bool { true }
}

extension WinogradF3x3: WinogradTiling {
    public static var points: Int { 25 }
    public static var weightsInputMajor: Bool { true }
}
