// Geometry of a 2-D convolution and the im2col / col2im transforms behind it.
//
// Layout convention: images are CHW per sample (NCHW in a batch). The column matrix has one
// row per (input channel, kernel row, kernel column), in that order — matching PyTorch's
// weight layout [out, in, kh, kw] flattened to [out, in·kh·kw] — and one column per output
// position (oy·outWidth + ox). A batch can share one column matrix: sample b's columns start
// at b·outputArea and rows are `ld` apart.

public struct ConvGeometry: Equatable, Sendable {
    public let channels: Int, height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let stride: Int, padding: Int

    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        self.init(channels: channels, height: height, width: width,
                  kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
    }

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int, padding: Int) {
        precondition(stride >= 1 && padding >= 0 && kernelHeight >= 1 && kernelWidth >= 1,
                     "convolution needs stride ≥ 1, padding ≥ 0, kernel ≥ 1")
        self.channels = channels; self.height = height; self.width = width
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding
    }

    public var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    public var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    public var outputArea: Int { outputHeight * outputWidth }
    /// Rows of the column matrix: channels · kernel area.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    public var inputArea: Int { height * width }
    /// A 1×1, stride-1, unpadded convolution is a plain matrix product: no im2col needed.
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

    /// Output positions o in 0..<count whose input coordinate o·stride − padding + k lies in
    /// 0..<size: the range [lo, hi) (empty when none).
    @inlinable
    static func validRange(count: Int, size: Int, offset k: Int, stride: Int, padding: Int) -> (Int, Int) {
        // o·stride + k − padding ≥ 0  ⇔  o ≥ ceil((padding − k) / stride)
        let shift = padding &- k
        let lo = shift <= 0 ? 0 : (shift &+ stride &- 1) / stride
        // o·stride + k − padding < size  ⇔  o < ceil((size + padding − k) / stride)
        let limit = size &+ shift
        let hi = limit <= 0 ? 0 : (limit &+ stride &- 1) / stride
        let h = Swift.min(count, hi), l = Swift.min(lo, h)
        return (l, h)
    }

    /// Writes the column matrix of one CHW image into `col` (rows `ld` apart).
    /// Index arithmetic is wrapping (`&+`): every index is in range by construction, and rows of
    /// a few floats make overflow checks and memcpy calls cost more than the copying.
    @inlinable
    public func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int) {
        let oh = outputHeight, ow = outputWidth, s = stride, p = padding, w = width
        var row = 0
        for c in 0..<channels {
            let plane = image + c &* height &* width
            for ki in 0..<kernelHeight {
                let (yLo, yHi) = ConvGeometry.validRange(count: oh, size: height, offset: ki, stride: s, padding: p)
                for kj in 0..<kernelWidth {
                    let (xLo, xHi) = ConvGeometry.validRange(count: ow, size: width, offset: kj, stride: s, padding: p)
                    let dst = col + row &* ld
                    var oy = 0
                    while oy < yLo { for ox in 0..<ow { dst[oy &* ow &+ ox] = 0 }; oy &+= 1 }
                    while oy < yHi {
                        let d = dst + oy &* ow
                        let iy: Int = oy &* s &- p &+ ki
                        let src: UnsafePointer<Float> = plane + (iy &* w &+ kj &- p)
                        var ox = 0
                        while ox < xLo { d[ox] = 0; ox &+= 1 }
                        if s == 1 {
                            while ox &+ 8 <= xHi { SIMD8<Float>.load(src + ox).store(d + ox); ox &+= 8 }
                            while ox < xHi { d[ox] = src[ox]; ox &+= 1 }
                        } else {
                            while ox < xHi { d[ox] = src[ox &* s]; ox &+= 1 }
                        }
                        while ox < ow { d[ox] = 0; ox &+= 1 }
                        oy &+= 1
                    }
                    while oy < oh { for ox in 0..<ow { dst[oy &* ow &+ ox] = 0 }; oy &+= 1 }
                    row &+= 1
                }
            }
        }
    }

    /// Adds the column-matrix gradient back into a CHW image gradient (`image` is accumulated,
    /// so zero it first when it should hold only this gradient).
    @inlinable
    public func col2im(_ col: UnsafePointer<Float>, ld: Int, _ image: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth, s = stride, p = padding, w = width
        var row = 0
        for c in 0..<channels {
            let plane = image + c &* height &* width
            for ki in 0..<kernelHeight {
                let (yLo, yHi) = ConvGeometry.validRange(count: oh, size: height, offset: ki, stride: s, padding: p)
                for kj in 0..<kernelWidth {
                    let (xLo, xHi) = ConvGeometry.validRange(count: ow, size: width, offset: kj, stride: s, padding: p)
                    let src = col + row &* ld
                    var oy = yLo
                    while oy < yHi {
                        let g = src + oy &* ow
                        let iy: Int = oy &* s &- p &+ ki
                        let dst: UnsafeMutablePointer<Float> = plane + (iy &* w &+ kj &- p)
                        var ox = xLo
                        if s == 1 {
                            while ox &+ 8 <= xHi { (SIMD8<Float>.load(dst + ox) + SIMD8<Float>.load(g + ox)).store(dst + ox); ox &+= 8 }
                        }
                        while ox < xHi { dst[ox &* s] += g[ox]; ox &+= 1 }
                        oy &+= 1
                    }
                    row &+= 1
                }
            }
        }
    }
}
