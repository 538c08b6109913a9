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

    /// Writes the column matrix of one CHW image into `col` (rows `ld` apart).
    @inlinable
    public func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int) {
        let oh = outputHeight, ow = outputWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let dst = col + row * ld
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ki
                        let d = dst + oy * ow
                        if iy < 0 || iy >= height {
                            d.update(repeating: 0, count: ow)
                            continue
                        }
                        let src = plane + iy * width
                        if stride == 1 {
                            // Contiguous run: only the padded edges need care.
                            let shift = kj - padding
                            let lo = Swift.max(0, -shift), hi = Swift.min(ow, width - shift)
                            if lo > 0 { d.update(repeating: 0, count: Swift.min(lo, ow)) }
                            if hi > lo { (d + lo).update(from: src + lo + shift, count: hi - lo) }
                            if hi < ow { (d + Swift.max(hi, 0)).update(repeating: 0, count: ow - Swift.max(hi, 0)) }
                        } else {
                            for ox in 0..<ow {
                                let ix = ox * stride - padding + kj
                                d[ox] = (ix >= 0 && ix < width) ? src[ix] : 0
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Adds the column-matrix gradient back into a CHW image gradient (`image` is accumulated,
    /// so zero it first when it should hold only this gradient).
    @inlinable
    public func col2im(_ col: UnsafePointer<Float>, ld: Int, _ image: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let src = col + row * ld
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + ki
                        if iy < 0 || iy >= height { continue }
                        let dst = plane + iy * width
                        let s = src + oy * ow
                        for ox in 0..<ow {
                            let ix = ox * stride - padding + kj
                            if ix >= 0 && ix < width { dst[ix] += s[ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
