// 2-D convolution over NCHW images by im2col + one GEMM per sample.
// Weight [out, in, kh, kw] (PyTorch layout), optional bias [out]. Input [batch, in, H, W],
// output [batch, out, H', W'] with H' = (H + 2·padding − kh)/stride + 1.
//
// The batch shares one column matrix [in·kh·kw, batch·H'·W'], kept for backward. A 1×1
// stride-1 convolution skips im2col and multiplies the input directly.
import Tensors

public final class Conv2D: Layer {
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter
    public var bias: Parameter?
    public var isTraining = true
    /// False for a network's first layer: its input gradient is never used.
    public var propagatesInputGradient = true

    private var input = Tensor.empty
    private var columns = Tensor.empty
    private var output = Tensor.empty
    private var columnGradient = Tensor.empty
    private var inputGradient = Tensor.empty
    private var geometry: ConvGeometry?

    public init(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, name: String, generator: inout SeededGenerator) {
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding
        let fanIn = inChannels * kernel * kernel
        weight = Parameter(name: joinName(name, "weight"),
                           value: .kaimingUniform(shape: [outChannels, inChannels, kernel, kernel],
                                                  fanIn: fanIn, using: &generator))
        self.bias = bias ? Parameter(name: joinName(name, "bias"), value: Tensor(zeros: [outChannels])) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// Geometry for one input sample shape, cached across calls.
    func geometry(for x: Tensor) -> ConvGeometry {
        expectShape(x.rank == 4 && x.shape[1] == inChannels, weight.name,
                    "expected input [batch, \(inChannels), height, width], got \(x.shape)")
        if let g = geometry, g.height == x.shape[2], g.width == x.shape[3] { return g }
        let g = ConvGeometry(channels: inChannels, height: x.shape[2], width: x.shape[3],
                             kernel: kernel, stride: stride, padding: padding)
        expectShape(g.outputHeight > 0 && g.outputWidth > 0, weight.name,
                    "kernel \(kernel) with padding \(padding) does not fit input \(x.shape)")
        geometry = g
        return g
    }

    public func forward(_ x: Tensor) -> Tensor {
        let g = geometry(for: x)
        let n = x.shape[0], area = g.outputArea, patch = g.patchSize
        input = x
        Tensor.prepare(&output, shape: [n, outChannels, g.outputHeight, g.outputWidth])
        let y = output.scratchPointer
        if let bias {
            for b in 0..<n {
                for o in 0..<outChannels { (y + (b * outChannels + o) * area).update(repeating: bias.value.pointer[o], count: area) }
            }
        }
        let beta: Float = bias == nil ? 0 : 1
        if g.isPointwise {
            for b in 0..<n {
                BLAS.gemm(.none, .none, m: outChannels, n: area, k: patch, a: weight.value.pointer, lda: patch,
                          b: x.pointer + b * patch * area, ldb: area, beta: beta,
                          c: y + b * outChannels * area, ldc: area)
            }
            return output
        }
        Tensor.prepare(&columns, shape: [patch, n * area])
        let col = columns.scratchPointer, ld = n * area
        for b in 0..<n {
            g.im2col(x.pointer + b * inChannels * g.inputArea, col + b * area, ld: ld)
            BLAS.gemm(.none, .none, m: outChannels, n: area, k: patch, a: weight.value.pointer, lda: patch,
                      b: col + b * area, ldb: ld, beta: beta, c: y + b * outChannels * area, ldc: area)
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("\(weight.name): backward before forward") }
        let n = input.shape[0], area = g.outputArea, patch = g.patchSize
        expectShape(dy.shape == output.shape, weight.name, "output gradient \(dy.shape) does not match output \(output.shape)")
        let dyp = dy.pointer
        if let bias {
            let db = bias.gradient.scratchPointer
            for b in 0..<n {
                for o in 0..<outChannels { db[o] += Kernels.sum(area, dyp + (b * outChannels + o) * area) }
            }
        }
        // Columns of each sample: the input itself for 1×1 convolutions, else the saved im2col.
        let pointwise = g.isPointwise
        let col = pointwise ? input.pointer : columns.pointer
        let ld = pointwise ? area : n * area
        let sampleStride = pointwise ? patch * area : area
        // dW += dy_b · col_bᵀ
        for b in 0..<n {
            BLAS.gemm(.none, .transposed, m: outChannels, n: patch, k: area, a: dyp + b * outChannels * area, lda: area,
                      b: col + b * sampleStride, ldb: ld, beta: 1, c: weight.gradient.scratchPointer, ldc: patch)
        }
        guard propagatesInputGradient else { return .empty }
        Tensor.prepare(&inputGradient, shape: input.shape)
        let dx = inputGradient.scratchPointer
        if pointwise {
            for b in 0..<n {
                BLAS.gemm(.transposed, .none, m: patch, n: area, k: outChannels, a: weight.value.pointer, lda: patch,
                          b: dyp + b * outChannels * area, ldb: area, c: dx + b * patch * area, ldc: area)
            }
            return inputGradient
        }
        Tensor.prepare(&columnGradient, shape: [patch, area])
        Kernels.fill(dx, inputGradient.count, 0)
        for b in 0..<n {
            BLAS.gemm(.transposed, .none, m: patch, n: area, k: outChannels, a: weight.value.pointer, lda: patch,
                      b: dyp + b * outChannels * area, ldb: area, c: columnGradient.scratchPointer, ldc: area)
            g.col2im(columnGradient.pointer, ld: area, dx + b * inChannels * g.inputArea)
        }
        return inputGradient
    }
}
