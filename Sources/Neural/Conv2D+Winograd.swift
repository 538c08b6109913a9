// Conv2D for 3×3, stride-1, padding-1 convolutions by Winograd F(2×2, 3×3)
// (Tensors/WinogradF2x3.swift), forward and backward, chunk by chunk on `Parallel.threads`
// workers. Backward recomputes each chunk's input transform rather than keeping the whole
// batch's. The transformed weights are cached with a copy of the weights they came from and
// rebuilt whenever the weights differ (a memcmp per call), so loading a checkpoint or a
// training step can never leave a stale transform behind.
import Foundation
import Tensors

/// Transformed weights U and the weights they were computed from.
protocol TransformedWeights {
    var u: Tensor { get set }
    var source: Tensor { get set }
}

/// Transformed weights shared by all workers.
struct WinogradWeights: TransformedWeights {
    var u = Tensor.empty
    /// The weights `u` was computed from.
    var source = Tensor.empty
    /// dU summed over workers (backward).
    var du = Tensor.empty
    var transform: WinogradF2x3?
    /// V elements per chunk of samples: 1 MB of floats, one Zen 5 core's L2 cache (10 samples
    /// of a 9×9 64-channel layer). With Dojo's AVX-512 products az-train ran 2.36–2.42
    /// steps/s against 2.24–2.25 at 512 KB and 2.03–2.22 at 2–4 MB (2026-12-05).
    static let chunkElements = 1 << 18
}

extension Conv2D {
    /// Recomputes transformed weights U ([planes][out][in]; F(4×4) writes [planes][in][out])
    /// when the weights differ from the copy in `source` they were computed from (a memcmp per call).
    func refreshTransformedWeights(_ cache: inout some TransformedWeights, planes: Int,
                                   transform: (UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        let weights = weight.value
        guard cache.source.shape != weights.shape
                || memcmp(cache.source.pointer, weights.pointer, weights.count * MemoryLayout<Float>.size) != 0 else { return }
        Tensor.prepare(&cache.u, shape: [planes, outChannels, inChannels])
        transform(weights.pointer, outChannels, inChannels, cache.u.scratchPointer)
        Tensor.prepare(&cache.source, shape: weights.shape)
        cache.source.scratchPointer.update(from: weights.pointer, count: weights.count)
    }

    /// The transform for this input size, the chunking, and every worker's buffers ready.
    func winogradSetup(batch n: Int, height h: Int, width w: Int, backward: Bool, inputGradient: Bool)
        -> (f: WinogradF2x3, chunk: Int, chunks: Int) {
        if winograd.transform?.height != h || winograd.transform?.width != w {
            winograd.transform = WinogradF2x3(height: h, width: w)
            for s in scratch { s.padded = Tensor.empty }
        }
        let f = winograd.transform!, tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: 16 * inChannels * tiles,
                                       elementsPerChunk: WinogradWeights.chunkElements)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            if s.padded.count != f.paddedArea { s.padded = Tensor(zeros: [f.paddedArea]) }
            Tensor.prepare(&s.v, shape: [16, inChannels, chunk * tiles])
            Tensor.prepare(&s.m, shape: [16, outChannels, chunk * tiles])
            if backward {
                Tensor.prepare(&s.weightGradient, shape: [16, outChannels, inChannels])
                Kernels.fill(s.weightGradient.scratchPointer, s.weightGradient.count, 0)
            }
            if inputGradient { Tensor.prepare(&s.dv, shape: [16, inChannels, chunk * tiles]) }
        }
        return (f, chunk, chunks)
    }

    /// V for samples start..<start+c of `x` into `s.v` (ξ matrices `in × c·tiles`).
    func winogradInputTransform(_ x: Tensor, _ f: WinogradF2x3, start: Int, count c: Int, _ s: ConvScratch) {
        let tiles = f.tilesPerImage, columns = c * tiles, area = f.height * f.width
        let v = s.v.scratchPointer, padded = s.padded.scratchPointer
        for k in 0..<c {
            for i in 0..<inChannels {
                f.pad(x.pointer + ((start + k) * inChannels + i) * area, into: padded)
                f.transformInput(padded, v + i * columns + k * tiles, stride: inChannels * columns)
            }
        }
    }

    func winogradForward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        refreshTransformedWeights(&winograd, planes: 16, transform: WinogradF2x3.transformWeights)
        let (f, chunk, chunks) = winogradSetup(batch: n, height: h, width: w, backward: false, inputGradient: false)
        let splitWorkers = channelSplitWorkers(chunks: chunks, batch: n, area: area)
        if splitWorkers > 1 { return winogradForwardSplittingChannels(x, f, workers: splitWorkers, into: y) }
        let tiles = f.tilesPerImage, u = winograd.u.pointer, b = bias?.value.pointer
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let v = s.v.scratchPointer, m = s.m.scratchPointer
            let vStride = inChannels * columns, mStride = outChannels * columns
            winogradInputTransform(x, f, start: start, count: c, s)
            // One ξ product at a time into M's plane 4, folded straight into the four output
            // accumulators (M's planes 0–3): the sixteen M planes never exist at once.
            let accumulators = m, product = m + 4 * mStride
            Kernels.fill(accumulators, 4 * mStride, 0)
            for xi in 0..<16 {
                BLAS.gemm(.none, .none, m: outChannels, n: columns, k: inChannels,
                          a: u + xi * outChannels * inChannels, lda: inChannels,
                          b: v + xi * vStride, ldb: columns, c: product, ldc: columns)
                WinogradF2x3.accumulateOutput(product, xi: xi, into: accumulators, count: mStride)
            }
            for k in 0..<c {
                for o in 0..<outChannels {
                    f.writeOutput(accumulators + o * columns + k * tiles, stride: mStride, bias: b?[o] ?? 0,
                                  y + ((start + k) * outChannels + o) * area)
                }
            }
        }
    }

    /// Weight (and optionally input) gradients through the Winograd algorithm; the bias
    /// gradient is done by the caller. `winograd.u` holds the forward's transformed weights.
    func winogradBackward(_ dy: Tensor, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let x = input, n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        let (f, chunk, chunks) = winogradSetup(batch: n, height: h, width: w, backward: true, inputGradient: dx != nil)
        let tiles = f.tilesPerImage, u = winograd.u.pointer
        if let dx { Kernels.fill(dx, n * inChannels * area, 0) }
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let vStride = inChannels * columns, mStride = outChannels * columns
            let v = s.v.pointer, dm = s.m.scratchPointer, du = s.weightGradient.scratchPointer
            winogradInputTransform(x, f, start: start, count: c, s)
            for k in 0..<c {
                for o in 0..<outChannels {
                    f.transformOutputGradient(dy.pointer + ((start + k) * outChannels + o) * area,
                                              dm + o * columns + k * tiles, stride: mStride)
                }
            }
            for xi in 0..<16 {
                // dU[ξ] += dM[ξ] · V[ξ]ᵀ
                BLAS.gemm(.none, .transposed, m: outChannels, n: inChannels, k: columns,
                          a: dm + xi * mStride, lda: columns, b: v + xi * vStride, ldb: columns,
                          beta: 1, c: du + xi * outChannels * inChannels, ldc: inChannels)
                // dV[ξ] = U[ξ]ᵀ · dM[ξ]
                if dx != nil {
                    BLAS.gemm(.transposed, .none, m: inChannels, n: columns, k: outChannels,
                              a: u + xi * outChannels * inChannels, lda: inChannels, b: dm + xi * mStride, ldb: columns,
                              c: s.dv.scratchPointer + xi * vStride, ldc: columns)
                }
            }
            if let dx {
                let padded = s.padded.scratchPointer
                for k in 0..<c {
                    for i in 0..<inChannels {
                        Kernels.fill(padded, f.paddedArea, 0)
                        f.accumulateInputGradient(s.dv.pointer + i * columns + k * tiles, stride: vStride, into: padded)
                        f.addInterior(of: padded, to: dx + ((start + k) * inChannels + i) * area)
                    }
                }
                // The padded plane is the forward's scratch too: its border must be zero again.
                Kernels.fill(padded, f.paddedArea, 0)
            }
        }
        // Sum the workers' dU in worker order, then back to 3×3 weights.
        let workers = Parallel.workers(for: chunks)
        Tensor.prepare(&winograd.du, shape: [16, outChannels, inChannels])
        let total = winograd.du.scratchPointer, count = winograd.du.count
        total.update(from: scratch[0].weightGradient.pointer, count: count)
        for s in scratch.dropFirst().prefix(workers - 1) { Kernels.axpy(count, 1, s.weightGradient.pointer, total) }
        WinogradF2x3.accumulateWeightGradient(total, out: outChannels, in: inChannels, weight.gradient.scratchPointer)
    }
}
