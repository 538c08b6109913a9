// 2-D convolution over NCHW images by im2col + GEMM (3×3 stride-1 padding-1 ones by Winograd,
// Conv2D+Winograd.swift; mostly-zero first-layer inputs by scattering, Conv2D+SparseInput.swift;
// which one runs: Conv2D+Plan.swift).
// Weight [out, in, kh, kw] (PyTorch layout), optional bias [out]. Input [batch, in, H, W],
// output [batch, out, H', W'] with H' = (H + 2·padding − kh)/stride + 1.
//
// Samples are processed in chunks whose column matrix [in·kh·kw, chunk·H'·W'] stays around
// cache size: one GEMM per chunk (wide enough for BLAS to run near peak), then a cheap
// scatter of [out, chunk·H'·W'] into NCHW with the bias added. Chunks run on
// `Parallel.threads` workers, each with its own scratch. Backward recomputes each chunk's
// columns instead of keeping the whole batch's (48 MB for a 9×9 AlphaZero batch of 256),
// except when the whole batch was one chunk. A 1×1 stride-1 convolution multiplies each input
// sample directly.
import Tensors

/// One worker's scratch space (im2col and Winograd paths).
final class ConvScratch {
    var columns = Tensor.empty, product = Tensor.empty, columnGradient = Tensor.empty
    /// This worker's share of the weight gradient (im2col path) or of dU (Winograd path).
    var weightGradient = Tensor.empty
    var v = Tensor.empty, m = Tensor.empty, dv = Tensor.empty
    /// Each Winograd tiling's channel-interleaved padded input (zero border; one per tiling,
    /// since their borders differ).
    var paddedF2 = Tensor.empty, paddedF3 = Tensor.empty, paddedF4 = Tensor.empty
    /// Winograd backward: the output-gradient tiles (zero past the image) and the input-gradient sums.
    var gradientLanes = Tensor.empty, accumulatorLanes = Tensor.empty
    /// The tile side and image size `gradientLanes` is laid out for: its zeros past the image
    /// belong to that layout, and two tilings can need buffers of the same size (F(2×2) on 6×6
    /// and F(3×3) on 3×11 both 36 pixels) whose image parts differ.
    var gradientLanesLayout = (tileSide: 0, height: 0, width: 0)
}

public final class Conv2D: Layer {
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter
    public var bias: Parameter?
    public var isTraining = true
    /// False for a network's first layer: its input gradient is never used.
    public var propagatesInputGradient = true
    /// 3×3 stride-1 padding-1 convolutions run as Winograd F(2×2, 3×3), forward and backward
    /// (2.25× fewer multiplications per tile; see Conv2D+Winograd.swift). Off to compare paths.
    public var usesWinograd = true
    /// Which tiling inference (isTraining false) uses: by default F(3×3, 3×3) or F(4×4, 3×3)
    /// where one pays (fewer multiplications per image, larger transforms; Conv2D+Plan.swift),
    /// or one named to compare paths. Training always uses F(2×2), whose backward exists.
    public var inferenceTiles = InferenceTiles.automatic
    /// A first layer (no input gradient) whose input is mostly zero scatters the non-zero
    /// values instead (Conv2D+SparseInput.swift). Off to compare paths.
    public var usesSparseInput = true

    private(set) var input = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty
    private var geometry: ConvGeometry?
    var scratch: [ConvScratch] = []
    /// F(2×2): V elements per chunk of samples, 1 MB of floats, one Zen 5 core's L2 cache (10
    /// samples of a 9×9 64-channel layer). With Dojo's AVX-512 products az-train ran 2.36–2.42
    /// steps/s against 2.24–2.25 at 512 KB and 2.03–2.22 at 2–4 MB (2026-12-05).
    var winograd2 = WinogradCache<WinogradF2x3>(padded: \.paddedF2, chunkElements: 1 << 18)
    /// F(4×4): V, M and U (36·in·out) together must stay in L2: a 9×9 sample of 64 channels is
    /// 20,736 floats of V (83 KB). On a Zen 5 core with 1 MB of L2, batch 8 in one chunk (V and M
    /// 663 KB each, beside U's 590 KB) was the slowest: chunks of two samples were 1.11× faster,
    /// of one sample 1.12× faster again (four: 0.91× of two), in paired runs of `dojo bench az-infer`.
    var winograd4 = WinogradCache<WinogradF4x3>(padded: \.paddedF4, chunkElements: 1 << 15)
    /// F(3×3): a 9×9 sample of 64 channels is 14,400 floats of V (58 KB). Chunks of one such
    /// sample beat chunks of two at batch 8 (median 2,486 vs 2,155 positions/s, 3 paired rounds
    /// of `dojo bench az-infer` on Zen 4) and were level at batch 64; four were slower still.
    /// In training, chunks of 1 MB of V as F(2×2)'s.
    var winograd3 = WinogradCache<WinogradF3x3>(padded: \.paddedF3, chunkElements: 1 << 14, trainingChunkElements: 1 << 18)
    /// The last forward's plan, which its backward follows.
    private var plan = ConvolutionPlan(forward: .im2col, backward: .im2col)
    /// Weights as [in·kh·kw, out] for the sparse-input scatter, refreshed on every such forward.
    var sparseWeights = Tensor.empty
    var sparseInputTable: SparseInputTable?
    /// True when the last forward was one chunk: backward reuses its columns.
    private var columnsHoldBatch = false

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

    /// Samples per chunk: at most `elementsPerChunk / elementsPerSample`, and small enough that
    /// every worker gets a chunk — unless that would leave a worker less than
    /// `minimumWorkerFlops` of work, where handing it out costs more than it saves.
    func chunking(batch n: Int, elementsPerSample: Int, elementsPerChunk: Int) -> (size: Int, count: Int) {
        let byCache = max(1, elementsPerChunk / max(1, elementsPerSample))
        let flopsPerSample = 2 * outChannels * inChannels * kernel * kernel * max(1, output.count / max(1, n * outChannels))
        let minimumSamples = (Conv2D.minimumWorkerFlops + flopsPerSample - 1) / flopsPerSample
        let byWorkers = max((n + Parallel.threads - 1) / Parallel.threads, minimumSamples)
        let size = max(1, min(n, byCache, byWorkers))
        let count = (n + size - 1) / size
        while scratch.count < Parallel.workers(for: count) { scratch.append(ConvScratch()) }
        return (size, count)
    }

    /// Below this much work per worker (multiply-adds × 2), a chunk stays on the calling thread.
    static let minimumWorkerFlops = 4_000_000

    public func forward(_ x: Tensor) -> Tensor {
        let g = geometry(for: x)
        let n = x.shape[0], area = g.outputArea, patch = g.patchSize
        input = x
        Tensor.prepare(&output, shape: [n, outChannels, g.outputHeight, g.outputWidth])
        columnsHoldBatch = false
        plan = plan(for: x, g)
        let y = output.scratchPointer, w = weight.value.pointer
        let b = bias?.value.pointer
        switch plan.forward {
        case .sparseInput:
            sparseForward(x, g, into: y)
            return output
        case .winograd2:
            winogradForward(x, &winograd2, into: y)
            return output
        case .winograd3:
            winogradForward(x, &winograd3, into: y)
            return output
        case .winograd4:
            winogradForward(x, &winograd4, into: y)
            return output
        case .pointwise:
            for s in 0..<n {
                let ys = y + s * outChannels * area
                if let b { for o in 0..<outChannels { (ys + o * area).update(repeating: b[o], count: area) } }
                BLAS.gemm(.none, .none, m: outChannels, n: area, k: patch, a: w, lda: patch,
                          b: x.pointer + s * patch * area, ldb: area, beta: b == nil ? 0 : 1, c: ys, ldc: area)
            }
            return output
        case .im2col:
            break
        }
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: patch * area, elementsPerChunk: Conv2D.chunkElements)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            Tensor.prepare(&s.columns, shape: [patch, chunk * area])
            Tensor.prepare(&s.product, shape: [outChannels, chunk * area])
        }
        Parallel.forEach(chunks) { index, worker in
            let start = index * chunk, c = min(chunk, n - start), ld = c * area
            let col = scratch[worker].columns.scratchPointer, yt = scratch[worker].product.scratchPointer
            for s in 0..<c { g.im2col(x.pointer + (start + s) * inChannels * g.inputArea, col + s * area, ld: ld) }
            BLAS.splitGemm(.none, .none, m: outChannels, n: ld, k: patch, a: w, lda: patch, b: col, ldb: ld, c: yt, ldc: ld)
            // Scatter [out, c·area] into NCHW, adding the bias on the way.
            for s in 0..<c {
                let ys = y + (start + s) * outChannels * area
                for o in 0..<outChannels {
                    let src = yt + o * ld + s * area, dst = ys + o * area
                    let bias = b?[o] ?? 0
                    for i in 0..<area { dst[i] = src[i] + bias }
                }
            }
        }
        columnsHoldBatch = chunks == 1
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
        switch plan.backward {
        case .sparseInput:
            sparseWeightGradient(dy, g)
            return .empty
        case .winograd2, .winograd3, .winograd4:
            winogradBackward(dy, path: plan.backward, inputGradient: wantInput ? dx : nil)
            return wantInput ? inputGradient : .empty
        case .pointwise:
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
        case .im2col:
            break
        }
        if wantInput { Kernels.fill(dx, inputGradient.count, 0) }
        let reuse = columnsHoldBatch
        let (chunk, chunks) = reuse ? (n, 1)
            : chunking(batch: n, elementsPerSample: patch * area, elementsPerChunk: Conv2D.chunkElements)
        let workers = Parallel.workers(for: chunks)
        for s in scratch.prefix(workers) {
            Tensor.prepare(&s.columns, shape: [patch, chunk * area])
            Tensor.prepare(&s.product, shape: [outChannels, chunk * area])
            if wantInput { Tensor.prepare(&s.columnGradient, shape: [patch, chunk * area]) }
            if workers > 1 {
                Tensor.prepare(&s.weightGradient, shape: [outChannels, patch])
                Kernels.fill(s.weightGradient.scratchPointer, outChannels * patch, 0)
            }
        }
        Parallel.forEach(chunks) { index, worker in
            let start = index * chunk, c = min(chunk, n - start), ld = c * area
            let scratch = scratch[worker]
            let col = scratch.columns.scratchPointer, dyt = scratch.product.scratchPointer
            for s in 0..<c {
                if !reuse { g.im2col(input.pointer + (start + s) * inChannels * g.inputArea, col + s * area, ld: ld) }
                for o in 0..<outChannels {
                    (dyt + o * ld + s * area).update(from: dyp + ((start + s) * outChannels + o) * area, count: area)
                }
            }
            // dW += dYᵀ-chunk · colᵀ (into this worker's share when there are several)
            let target = workers > 1 ? scratch.weightGradient.scratchPointer : dW
            BLAS.splitGemm(.none, .transposed, m: outChannels, n: patch, k: ld, a: dyt, lda: ld, b: col, ldb: ld,
                           beta: 1, c: target, ldc: patch)
            if wantInput {
                let dcol = scratch.columnGradient.scratchPointer
                BLAS.splitGemm(.transposed, .none, m: patch, n: ld, k: outChannels, a: w, lda: patch, b: dyt, ldb: ld,
                               c: dcol, ldc: ld)
                for s in 0..<c { g.col2im(dcol + s * area, ld: ld, dx + (start + s) * inChannels * g.inputArea) }
            }
        }
        if workers > 1 {
            for s in scratch.prefix(workers) { Kernels.axpy(outChannels * patch, 1, s.weightGradient.pointer, dW) }
        }
        return wantInput ? inputGradient : .empty
    }
}
