// 2-D convolution over NCHW images by im2col + GEMM.
// Weight [out, in, kh, kw] (PyTorch layout), optional bias [out]. Input [batch, in, H, W],
// output [batch, out, H', W'] with H' = (H + 2·padding − kh)/stride + 1.
//
// Samples are processed in chunks whose column matrix [in·kh·kw, chunk·H'·W'] stays around
// cache size: one GEMM per chunk (wide enough for BLAS to run near peak), then a cheap
// scatter of [out, chunk·H'·W'] into NCHW with the bias added. Backward recomputes each
// chunk's columns instead of keeping the whole batch's (48 MB for a 9×9 AlphaZero batch of
// 256). A 1×1 stride-1 convolution multiplies each input sample directly.
import Tensors

public final class Conv2D: Layer {
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter
    public var bias: Parameter?
    public var isTraining = true
    /// False for a network's first layer: its input gradient is never used.
    public var propagatesInputGradient = true

    private(set) var input = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty
    private var columns = Tensor.empty        // one chunk's im2col
    private var product = Tensor.empty        // one chunk's [out, chunk·area]
    private var columnGradient = Tensor.empty
    private var geometry: ConvGeometry?
    /// True when the last forward fit the whole batch in one chunk: backward reuses its columns.
    private var columnsHoldBatch = false
    /// 3×3 stride-1 padding-1 convolutions run as Winograd F(2×2, 3×3), forward and backward
    /// (2.25× fewer multiplications per tile; see Conv2D+Winograd.swift). Off to compare paths.
    public var usesWinograd = true
    var winogradApplies: Bool { usesWinograd && kernel == 3 && stride == 1 && padding == 1 }
    var winograd = WinogradBuffers()

    /// Column-matrix elements per chunk: 512 KB of floats, about one core's L2 cache, measured
    /// best among 2^16…2^18 for 9×9 AlphaZero inference.
    static let chunkElements = 1 << 17

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

    func chunkSize(_ g: ConvGeometry, batch: Int) -> Int {
        max(1, min(batch, Conv2D.chunkElements / max(1, g.patchSize * g.outputArea)))
    }

    public func forward(_ x: Tensor) -> Tensor {
        let g = geometry(for: x)
        let n = x.shape[0], area = g.outputArea, patch = g.patchSize
        input = x
        Tensor.prepare(&output, shape: [n, outChannels, g.outputHeight, g.outputWidth])
        columnsHoldBatch = false
        if winogradApplies {
            winogradForward(x, into: output.scratchPointer)
            return output
        }
        let y = output.scratchPointer, w = weight.value.pointer
        let b = bias?.value.pointer
        if g.isPointwise {
            for s in 0..<n {
                let ys = y + s * outChannels * area
                if let b { for o in 0..<outChannels { (ys + o * area).update(repeating: b[o], count: area) } }
                BLAS.gemm(.none, .none, m: outChannels, n: area, k: patch, a: w, lda: patch,
                          b: x.pointer + s * patch * area, ldb: area, beta: b == nil ? 0 : 1, c: ys, ldc: area)
            }
            return output
        }
        let chunk = chunkSize(g, batch: n)
        Tensor.prepare(&columns, shape: [patch, chunk * area])
        Tensor.prepare(&product, shape: [outChannels, chunk * area])
        var start = 0
        while start < n {
            let c = min(chunk, n - start), ld = c * area
            let col = columns.scratchPointer, yt = product.scratchPointer
            for s in 0..<c { g.im2col(x.pointer + (start + s) * inChannels * g.inputArea, col + s * area, ld: ld) }
            BLAS.gemm(.none, .none, m: outChannels, n: ld, k: patch, a: w, lda: patch, b: col, ldb: ld, c: yt, ldc: ld)
            // Scatter [out, c·area] into NCHW, adding the bias on the way.
            for s in 0..<c {
                let ys = y + (start + s) * outChannels * area
                for o in 0..<outChannels {
                    let src = yt + o * ld + s * area, dst = ys + o * area
                    let bias = b?[o] ?? 0
                    for i in 0..<area { dst[i] = src[i] + bias }
                }
            }
            start += c
        }
        columnsHoldBatch = chunk >= n
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let g = geometry else { preconditionFailure("\(weight.name): backward before forward") }
        let n = input.shape[0], area = g.outputArea, patch = g.patchSize
        expectShape(dy.shape == output.shape, weight.name, "output gradient \(dy.shape) does not match output \(output.shape)")
        let dyp = dy.pointer, w = weight.value.pointer, dW = weight.gradient.scratchPointer
        if let bias {
            let db = bias.gradient.scratchPointer
            for s in 0..<n {
                for o in 0..<outChannels { db[o] += Kernels.sum(area, dyp + (s * outChannels + o) * area) }
            }
        }
        let wantInput = propagatesInputGradient
        if wantInput { Tensor.prepare(&inputGradient, shape: input.shape) }
        let dx = inputGradient.scratchPointer
        if winogradApplies {
            winogradBackward(dy, inputGradient: wantInput ? dx : nil)
            return wantInput ? inputGradient : .empty
        }
        if g.isPointwise {
            for s in 0..<n {
                let dys = dyp + s * outChannels * area, xs = input.pointer + s * patch * area
                BLAS.gemm(.none, .transposed, m: outChannels, n: patch, k: area, a: dys, lda: area,
                          b: xs, ldb: area, beta: 1, c: dW, ldc: patch)
                if wantInput {
                    BLAS.gemm(.transposed, .none, m: patch, n: area, k: outChannels, a: w, lda: patch,
                              b: dys, ldb: area, c: dx + s * patch * area, ldc: area)
                }
            }
            return wantInput ? inputGradient : .empty
        }
        if wantInput { Kernels.fill(dx, inputGradient.count, 0) }
        let chunk = chunkSize(g, batch: n)
        Tensor.prepare(&columns, shape: [patch, chunk * area])
        Tensor.prepare(&product, shape: [outChannels, chunk * area])
        if wantInput { Tensor.prepare(&columnGradient, shape: [patch, chunk * area]) }
        var start = 0
        while start < n {
            let c = min(chunk, n - start), ld = c * area
            let col = columns.scratchPointer, dyt = product.scratchPointer
            for s in 0..<c {
                if !columnsHoldBatch {
                    g.im2col(input.pointer + (start + s) * inChannels * g.inputArea, col + s * area, ld: ld)
                }
                for o in 0..<outChannels {
                    (dyt + o * ld + s * area).update(from: dyp + ((start + s) * outChannels + o) * area, count: area)
                }
            }
            // dW += dYᵀ-chunk · colᵀ
            BLAS.gemm(.none, .transposed, m: outChannels, n: patch, k: ld, a: dyt, lda: ld, b: col, ldb: ld,
                      beta: 1, c: dW, ldc: patch)
            if wantInput {
                let dcol = columnGradient.scratchPointer
                BLAS.gemm(.transposed, .none, m: patch, n: ld, k: outChannels, a: w, lda: patch, b: dyt, ldb: ld,
                          c: dcol, ldc: ld)
                for s in 0..<c { g.col2im(dcol + s * area, ld: ld, dx + (start + s) * inChannels * g.inputArea) }
            }
            start += c
        }
        return wantInput ? inputGradient : .empty
    }
}
