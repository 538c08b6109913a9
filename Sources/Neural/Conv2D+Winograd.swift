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
            for s in scratch { s.paddedLanes = Tensor.empty; s.gradientLanes = Tensor.empty }
        }
        let f = winograd.transform!, tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: 16 * inChannels * tiles,
                                       elementsPerChunk: WinogradWeights.chunkElements)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            // Interleaved buffers whose borders must stay zero are allocated zeroed and never
            // written there; `product` stages output tiles.
            if s.paddedLanes.count != f.interleavedPaddedArea { s.paddedLanes = Tensor(zeros: [f.interleavedPaddedArea]) }
            Tensor.prepare(&s.product, shape: [f.interleavedTileArea])
            if backward && s.gradientLanes.count != f.interleavedTileArea { s.gradientLanes = Tensor(zeros: [f.interleavedTileArea]) }
            if inputGradient { Tensor.prepare(&s.accumulatorLanes, shape: [f.interleavedPaddedArea]) }
            Tensor.prepare(&s.v, shape: [16, chunk * tiles, inChannels])
            Tensor.prepare(&s.m, shape: [16, chunk * tiles, outChannels])
            if backward {
                Tensor.prepare(&s.weightGradient, shape: [16, outChannels, inChannels])
                Kernels.fill(s.weightGradient.scratchPointer, s.weightGradient.count, 0)
            }
            if inputGradient { Tensor.prepare(&s.dv, shape: [16, chunk * tiles, inChannels]) }
        }
        return (f, chunk, chunks)
    }

    /// V for samples start..<start+c of `x` into `s.v` as [16][c·tiles][in], sixteen channels
    /// at a time (WinogradF2x3+Interleaved.swift).
    func winogradInputTransform(_ x: Tensor, _ f: WinogradF2x3, start: Int, count c: Int, _ s: ConvScratch) {
        let tiles = f.tilesPerImage, area = f.height * f.width, lanes = ChannelInterleaving.lanes
        let v = s.v.scratchPointer, padded = s.paddedLanes.scratchPointer, vStride = inChannels * c * tiles
        for k in 0..<c {
            for c0 in Swift.stride(from: 0, to: inChannels, by: lanes) {
                f.transformInputInterleaved(x.pointer + ((start + k) * inChannels + c0) * area, count: min(lanes, inChannels - c0),
                                            padded: padded, v + k * tiles * inChannels + c0, tileStride: inChannels, xiStride: vStride)
            }
        }
    }

    func winogradForward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        refreshTransformedWeights(&winograd, planes: 16, transform: WinogradF2x3.transformWeights)
        let (f, chunk, chunks) = winogradSetup(batch: n, height: h, width: w, backward: false, inputGradient: false)
        let splitWorkers = channelSplitWorkers(chunks: chunks, batch: n, area: area)
        if splitWorkers > 1 { return winogradForwardSplittingChannels(x, f, workers: splitWorkers, into: y) }
        let tiles = f.tilesPerImage, u = winograd.u.pointer, b = bias?.value.pointer, lanes = ChannelInterleaving.lanes
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let v = s.v.scratchPointer, m = s.m.scratchPointer
            let vStride = inChannels * columns, mStride = outChannels * columns
            winogradInputTransform(x, f, start: start, count: c, s)
            // Mᵀ[ξ] = V[ξ] · U[ξ]ᵀ ([tiles][out]); OpenBLAS clears C with a slow scalar loop
            // when beta is 0, so there C is cleared first and added to (Dojo's kernels need neither).
            let clearsFirst = !BLAS.smallKernelsTake(.none, .transposed, m: columns, n: outChannels, k: inChannels)
            if clearsFirst { Kernels.fill(m, 16 * mStride, 0) }
            for xi in 0..<16 {
                BLAS.gemm(.none, .transposed, m: columns, n: outChannels, k: inChannels,
                          a: v + xi * vStride, lda: inChannels, b: u + xi * outChannels * inChannels, ldb: inChannels,
                          beta: clearsFirst ? 1 : 0, c: m + xi * mStride, ldc: outChannels)
            }
            let staging = s.product.scratchPointer
            for k in 0..<c {
                for o0 in Swift.stride(from: 0, to: outChannels, by: lanes) {
                    let count = min(lanes, outChannels - o0)
                    f.writeOutputInterleaved(m + k * tiles * outChannels + o0, count: count, tileStride: outChannels, xiStride: mStride,
                                             bias: Self.biasLanes(b, from: o0, count: count), staging: staging,
                                             y + ((start + k) * outChannels + o0) * area)
                }
            }
        }
    }

    /// Weight (and optionally input) gradients through the Winograd algorithm; the bias
    /// gradient is done by the caller. `winograd.u` holds the forward's transformed weights.
    func winogradBackward(_ dy: Tensor, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let x = input, n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        let (f, chunk, chunks) = winogradSetup(batch: n, height: h, width: w, backward: true, inputGradient: dx != nil)
        let tiles = f.tilesPerImage, u = winograd.u.pointer, lanes = ChannelInterleaving.lanes
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let vStride = inChannels * columns, mStride = outChannels * columns
            let v = s.v.pointer, dm = s.m.scratchPointer, du = s.weightGradient.scratchPointer
            winogradInputTransform(x, f, start: start, count: c, s)
            for k in 0..<c {
                for o0 in Swift.stride(from: 0, to: outChannels, by: lanes) {
                    f.transformOutputGradientInterleaved(dy.pointer + ((start + k) * outChannels + o0) * area,
                                                         count: min(lanes, outChannels - o0), staging: s.gradientLanes.scratchPointer,
                                                         dm + k * tiles * outChannels + o0, tileStride: outChannels, xiStride: mStride)
                }
            }
            let clearsFirst = dx != nil && !BLAS.smallKernelsTake(.none, .none, m: columns, n: inChannels, k: outChannels)
            if clearsFirst { Kernels.fill(s.dv.scratchPointer, 16 * vStride, 0) }
            for xi in 0..<16 {
                // dU[ξ] += dM[ξ]ᵀ · V[ξ] ([out][in])
                BLAS.gemm(.transposed, .none, m: outChannels, n: inChannels, k: columns,
                          a: dm + xi * mStride, lda: outChannels, b: v + xi * vStride, ldb: inChannels,
                          beta: 1, c: du + xi * outChannels * inChannels, ldc: inChannels)
                // dV[ξ] = dM[ξ] · U[ξ] ([tiles][in])
                if dx != nil {
                    BLAS.gemm(.none, .none, m: columns, n: inChannels, k: outChannels,
                              a: dm + xi * mStride, lda: outChannels, b: u + xi * outChannels * inChannels, ldb: inChannels,
                              beta: clearsFirst ? 1 : 0, c: s.dv.scratchPointer + xi * vStride, ldc: inChannels)
                }
            }
            if let dx {
                // Every input-gradient plane comes from exactly one chunk: written, not added.
                for k in 0..<c {
                    for c0 in Swift.stride(from: 0, to: inChannels, by: lanes) {
                        f.inputGradientInterleaved(s.dv.pointer + k * tiles * inChannels + c0, count: min(lanes, inChannels - c0),
                                                   tileStride: inChannels, xiStride: vStride, padded: s.accumulatorLanes.scratchPointer,
                                                   dx + ((start + k) * inChannels + c0) * area)
                    }
                }
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
