import Tensors
import XCTest

final class ConvGeometryTests: XCTestCase {
    func testIm2colGemmEqualsDirectConvolution() {
        var g = SeededGenerator(seed: 5)
        for (size, kernel, stride, padding) in [(5, 3, 1, 1), (7, 3, 2, 0), (6, 2, 2, 1), (4, 1, 1, 0), (9, 5, 1, 2)] {
            let geo = ConvGeometry(channels: 3, height: size, width: size + 1, kernel: kernel, stride: stride, padding: padding)
            let image = Tensor.uniform(shape: [3, size, size + 1], low: -1, high: 1, using: &g)
            let weights = Tensor.uniform(shape: [2, geo.patchSize], low: -1, high: 1, using: &g)
            var col = Tensor(zeros: [geo.patchSize, geo.outputArea])
            geo.im2col(image.pointer, col.scratchPointer, ld: geo.outputArea)
            let y = BLAS.matmul(weights, col)
            for o in 0..<2 {
                for oy in 0..<geo.outputHeight {
                    for ox in 0..<geo.outputWidth {
                        var s: Float = 0
                        for c in 0..<3 {
                            for ki in 0..<kernel {
                                for kj in 0..<kernel {
                                    let iy = oy * stride - padding + ki, ix = ox * stride - padding + kj
                                    guard iy >= 0, iy < size, ix >= 0, ix < size + 1 else { continue }
                                    s += weights[o, (c * kernel + ki) * kernel + kj] * image[c, iy, ix]
                                }
                            }
                        }
                        XCTAssertEqual(y[o, oy * geo.outputWidth + ox], s, accuracy: 1e-4,
                                       "size \(size) kernel \(kernel) stride \(stride) padding \(padding)")
                    }
                }
            }
        }
    }

    /// col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩.
    func testCol2imIsAdjointOfIm2col() {
        var g = SeededGenerator(seed: 6)
        for (kernel, stride, padding) in [(3, 1, 1), (3, 2, 0), (2, 2, 1)] {
            let geo = ConvGeometry(channels: 2, height: 6, width: 5, kernel: kernel, stride: stride, padding: padding)
            let x = Tensor.uniform(shape: [2, 6, 5], low: -1, high: 1, using: &g)
            let c = Tensor.uniform(shape: [geo.patchSize, geo.outputArea], low: -1, high: 1, using: &g)
            var col = Tensor(zeros: c.shape)
            geo.im2col(x.pointer, col.scratchPointer, ld: geo.outputArea)
            var back = Tensor(zeros: x.shape)
            geo.col2im(c.pointer, ld: geo.outputArea, back.scratchPointer)
            XCTAssertEqual(col.dot(c), x.dot(back), accuracy: 1e-3)
        }
    }
}
