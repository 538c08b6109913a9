// Convolution of a mostly-zero input by scattering its non-zero values (Conv2D's third path,
// beside im2col + GEMM and Winograd).
//
// A network's first layer sees observations, and RL observations are mostly zero: MinAtar's
// planes are bits with 1–10% set, a grid world's one-hot cells fewer still. Each non-zero
// input value x[c, iy, ix] touches at most kh·kw output positions, and at each it adds
// x · w[:, c, ky, kx] to all output channels at once. That is nnz·kh·kw·out multiply-adds
// instead of C·H·W·kh·kw·out, with no column matrix to build and nothing for BLAS to pack:
// on the MinAtar DQN's input (4×10×10, 16 filters, batch 32) the scatter replaces two
// im2col + GEMM forwards and the weight-gradient GEMM of every update.
//
// Layout: the scatter accumulates position-major ([oy·OW + ox][out], so one input value adds
// one contiguous vector of `out` floats) with the weights transposed to [c, ky, kx][out];
// the result is transposed back to NCHW. The weight gradient is the same scatter run
// backwards: dW[:, c, ky, kx] += x[c, iy, ix] · dY[:, oy, ox] over the same (input, output)
// pairs.
//
// The path is taken only for a layer that returns no input gradient (a network's first
// layer, `propagatesInputGradient == false`: nothing upstream needs dX, so the scatter never
// has to be inverted) and only when few enough inputs are non-zero — one limit for the
// forward pass, a lower one for the weight gradient; between them the backward pass runs
// im2col + GEMM on the kept input. Which path runs depends on the input alone, so results
// stay deterministic; the sums run in another order than the GEMM's, so the paths agree to
// rounding (tested).
import Tensors

extension Conv2D {
    /// Largest fraction of non-zero inputs for which the scatter beats im2col + GEMM, forward
    /// and for the weight gradient (measured on the MinAtar DQN's layer, batch 32, with Dojo's
    /// AVX-512 products: `dojo bench conv`). Forward: 3.5× faster at 5% non-zero, 1.5× at 10%,
    /// 1.2× at 15%, 0.9× at 25%. Weight gradient after a scattered forward, whose alternative
    /// must first build the columns: 68 against 49 GFLOP/s at 10%, even at 15%. MinAtar's
    /// observations are 2–10% non-zero (Breakout's bricks make it the densest).
    static let sparseForwardDensityLimit = 0.2
    static let sparseGradientDensityLimit = 0.15

    /// The fraction of `x` that is non-zero, when the layer may scatter it at all (nil if not).
    func sparseInputDensity(_ x: Tensor) -> Double? {
        guard usesSparseInput && !propagatesInputGradient && !winogradApplies && x.count > 0 else { return nil }
        return Double(Kernels.countNonZero(x.count, x.pointer)) / Double(x.count)
    }

    /// Whether the forward pass scatters `x`.
    func usesSparsePath(_ x: Tensor) -> Bool {
        sparseInputDensity(x).map { $0 <= Conv2D.sparseForwardDensityLimit } ?? false
    }

    /// The (output position, weight row) pairs of every input element, built once per geometry.
    func sparseTable(for g: ConvGeometry) -> SparseInputTable {
        if let t = sparseInputTable, t.geometry == g { return t }
        let t = SparseInputTable(g)
        sparseInputTable = t
        return t
    }

    /// Adds each non-zero value of one CHW sample times a row of `src` to a row of `dst`, for
    /// every (output position, weight row) pair the table lists for it: rows of `dst` are
    /// positions when `toPositions`, else weight rows (and `src`'s the other).
    @inline(__always)
    func scatter(_ table: SparseInputTable, _ sample: UnsafePointer<Float>, toPositions: Bool,
                 _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>) {
        Kernels.scatterPairs(count: table.inputCount, sample, start: table.start, pairs: table.pairs,
                             destinationFirst: toPositions, width: outChannels, src, dst)
    }

    /// Samples of the batch spread over workers only when the scatter is big enough to pay for
    /// handing it out (nnz is unknown here; the dense work bounds it).
    private func sparseWorkers(batch n: Int, nonZeroBound: Int) -> Int {
        let flops = 2 * nonZeroBound * kernel * kernel * outChannels
        return flops >= Conv2D.minimumWorkerFlops * 2 ? Parallel.workers(for: n) : 1
    }

    func sparseForward(_ x: Tensor, _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], area = g.outputArea, out = outChannels, patch = g.patchSize
        // Weights as [c, ky, kx][out]: one contiguous vector per kernel offset.
        Tensor.prepare(&sparseWeights, shape: [patch, out])
        let wt = sparseWeights.scratchPointer, w = weight.value.pointer
        for o in 0..<out { for r in 0..<patch { wt[r &* out &+ o] = w[o &* patch &+ r] } }
        let b = bias?.value.pointer, table = sparseTable(for: g)
        let workers = sparseWorkers(batch: n, nonZeroBound: Int(Conv2D.sparseForwardDensityLimit * Double(x.count)))
        while scratch.count < workers { scratch.append(ConvScratch()) }
        for s in scratch.prefix(workers) { Tensor.prepare(&s.product, shape: [area, out]) }
        Parallel.forEach(workers, split: workers > 1) { part, worker in
            let acc = scratch[worker].product.scratchPointer
            for sample in Parallel.share(of: part, workers: workers, count: n, group: 1) {
                if let b { for pos in 0..<area { Kernels.copy(out, b, acc + pos &* out) } } else { Kernels.fill(acc, area * out, 0) }
                scatter(table, x.pointer + sample &* inChannels &* g.inputArea, toPositions: true, wt, acc)
                Kernels.transpose(rows: area, cols: out, acc, srcStride: out, y + sample &* out &* area, dstStride: area)
            }
        }
    }

    /// dW += the scatter's weight gradient for the last (sparse) forward's input.
    func sparseWeightGradient(_ dy: Tensor, _ g: ConvGeometry) {
        let n = input.shape[0], area = g.outputArea, out = outChannels, patch = g.patchSize
        let table = sparseTable(for: g)
        let workers = sparseWorkers(batch: n, nonZeroBound: Int(Conv2D.sparseGradientDensityLimit * Double(input.count)))
        while scratch.count < workers { scratch.append(ConvScratch()) }
        for s in scratch.prefix(workers) {
            Tensor.prepare(&s.product, shape: [area, out])
            Tensor.prepare(&s.weightGradient, shape: [patch, out])
            Kernels.fill(s.weightGradient.scratchPointer, patch * out, 0)
        }
        Parallel.forEach(workers, split: workers > 1) { part, worker in
            let dyt = scratch[worker].product.scratchPointer, gt = scratch[worker].weightGradient.scratchPointer
            for sample in Parallel.share(of: part, workers: workers, count: n, group: 1) {
                Kernels.transpose(rows: out, cols: area, dy.pointer + sample &* out &* area, srcStride: area,
                                  dyt, dstStride: out)
                scatter(table, input.pointer + sample &* inChannels &* g.inputArea, toPositions: false, dyt, gt)
            }
        }
        // Reduce in worker order (deterministic for a given thread count) and transpose back.
        let dW = weight.gradient.scratchPointer
        for s in scratch.prefix(workers) {
            let gt = s.weightGradient.pointer
            for o in 0..<out { for r in 0..<patch { dW[o &* patch &+ r] += gt[r &* out &+ o] } }
        }
    }
}

/// For every input element i = (c, iy, ix) of one sample, the pairs (output position
/// oy·OW + ox, weight row (c·kh + ky)·kw + kx) with iy = oy·stride − padding + ky and
/// ix = ox·stride − padding + kx: `pairs[2k]`, `pairs[2k + 1]` for k in start[i]..<start[i + 1].
/// It is im2col's index map turned around, so any stride and padding work.
final class SparseInputTable {
    let geometry: ConvGeometry
    let inputCount: Int
    let start: UnsafeMutablePointer<Int32>, pairs: UnsafeMutablePointer<Int32>

    init(_ g: ConvGeometry) {
        geometry = g
        inputCount = g.channels * g.inputArea
        let kh = g.kernelHeight, kw = g.kernelWidth, oh = g.outputHeight, ow = g.outputWidth
        var lists = [[(Int32, Int32)]](repeating: [], count: inputCount)
        for c in 0..<g.channels {
            for ky in 0..<kh {
                for kx in 0..<kw {
                    let row = Int32((c * kh + ky) * kw + kx)
                    for oy in 0..<oh {
                        let iy = oy * g.stride - g.padding + ky
                        guard iy >= 0 && iy < g.height else { continue }
                        for ox in 0..<ow {
                            let ix = ox * g.stride - g.padding + kx
                            guard ix >= 0 && ix < g.width else { continue }
                            lists[(c * g.height + iy) * g.width + ix].append((Int32(oy * ow + ox), row))
                        }
                    }
                }
            }
        }
        start = .allocate(capacity: inputCount + 1)
        let total = lists.reduce(0) { $0 + $1.count }
        pairs = .allocate(capacity: max(1, 2 * total))
        var k = 0
        for (i, list) in lists.enumerated() {
            start[i] = Int32(k)
            for (position, row) in list { pairs[2 * k] = position; pairs[2 * k + 1] = row; k += 1 }
        }
        start[inputCount] = Int32(k)
    }

    deinit { start.deallocate(); pairs.deallocate() }
}
