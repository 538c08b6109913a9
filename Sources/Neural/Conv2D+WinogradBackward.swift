// The backward of a 3×3 stride-1 padding-1 convolution through Winograd F(2×2, 3×3) or
// F(3×3, 3×3) (Tensors/WinogradF2x3+Backward.swift, WinogradF3x3+Backward.swift; which one:
// Conv2D+Plan.swift), chunk by chunk on `Parallel.threads` workers: each chunk recomputes its
// input transform rather than keeping the whole batch's, transforms its output gradient into
// dM, and adds dU[ξ] += dM[ξ]ᵀ·V[ξ] into its worker's share (summed in worker order at the end,
// so the bits do not depend on scheduling); with an input gradient, dV[ξ] = dM[ξ]·U[ξ]ᵀ (U
// [ξ][out][in] for F(2×2), [ξ][in][out] for F(3×3)) goes back to the input planes. U is the
// forward's when the forward used the same tiling.
import Foundation
import Tensors

extension Conv2D {
    /// Weight (and optionally input) gradients by the tiling `path` names; the bias gradient is
    /// done by the caller.
    func winogradBackward(_ dy: Tensor, path: ConvolutionPlan.Path, inputGradient dx: UnsafeMutablePointer<Float>?) {
        if path == .winograd3 { winogradBackward(dy, &winograd3, inputGradient: dx) } else { winogradBackward(dy, &winograd2, inputGradient: dx) }
    }

    func winogradBackward<T: WinogradTrainingTiling>(_ dy: Tensor, _ cache: inout WinogradCache<T>, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let x = input, n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w, points = T.points
        refreshTransformedWeights(&cache)   // a no-op after a forward by the same tiling; needed after another
        let f = tiling(&cache, height: h, width: w), tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: points * inChannels * tiles, elementsPerChunk: cache.trainingChunkElements)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            prepareTransformBuffers(s, f, padded: cache.padded)
            // The output-gradient tiles past the image stay zero: allocated zeroed for this layout,
            // never written there.
            if s.gradientLanesLayout != (T.tileSide, h, w) {
                s.gradientLanes = Tensor(zeros: [f.interleavedTileArea])
                s.gradientLanesLayout = (T.tileSide, h, w)
            }
            Tensor.prepare(&s.v, shape: [points, chunk * tiles, inChannels])
            Tensor.prepare(&s.m, shape: [points, chunk * tiles, outChannels])
            Tensor.prepare(&s.weightGradient, shape: [points, outChannels, inChannels])
            Kernels.fill(s.weightGradient.scratchPointer, s.weightGradient.count, 0)
            if dx != nil {
                Tensor.prepare(&s.accumulatorLanes, shape: [f.interleavedPaddedArea])
                Tensor.prepare(&s.dv, shape: [points, chunk * tiles, inChannels])
            }
        }
        let u = cache.u.pointer, lanes = ChannelInterleaving.lanes, padded = cache.padded
        let transU: Transpose = T.weightsInputMajor ? .transposed : .none, ldu = T.weightsInputMajor ? outChannels : inChannels
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let vStride = inChannels * columns, mStride = outChannels * columns
            let v = s.v.scratchPointer, dm = s.m.scratchPointer, du = s.weightGradient.scratchPointer
            winogradInputTransform(x, f, start: start, count: c, padded: s[keyPath: padded].scratchPointer,
                                   channels: 0..<inChannels, into: v, vStride: vStride)
            for k in 0..<c {
                for o0 in Swift.stride(from: 0, to: outChannels, by: lanes) {
                    f.transformOutputGradientInterleaved(dy.pointer + ((start + k) * outChannels + o0) * area,
                                                         count: min(lanes, outChannels - o0), staging: s.gradientLanes.scratchPointer,
                                                         dm + k * tiles * outChannels + o0, tileStride: outChannels, xiStride: mStride)
                }
            }
            let clearsFirst = dx != nil && !BLAS.smallKernelsTake(.none, transU, m: columns, n: inChannels, k: outChannels)
            if clearsFirst { Kernels.fill(s.dv.scratchPointer, points * vStride, 0) }
            for xi in 0..<points {
                // dU[ξ] += dM[ξ]ᵀ · V[ξ] ([out][in])
                BLAS.gemm(.transposed, .none, m: outChannels, n: inChannels, k: columns,
                          a: dm + xi * mStride, lda: outChannels, b: v + xi * vStride, ldb: inChannels,
                          beta: 1, c: du + xi * outChannels * inChannels, ldc: inChannels)
                // dV[ξ] = dM[ξ] · U[ξ]ᵀ ([tiles][in]; U[ξ] as [out][in])
                if dx != nil {
                    BLAS.gemm(.none, transU, m: columns, n: inChannels, k: outChannels,
                              a: dm + xi * mStride, lda: outChannels, b: u + xi * outChannels * inChannels, ldb: ldu,
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
        Tensor.prepare(&cache.du, shape: [points, outChannels, inChannels])
        let total = cache.du.scratchPointer, count = cache.du.count
        total.update(from: scratch[0].weightGradient.pointer, count: count)
        for s in scratch.dropFirst().prefix(workers - 1) { Kernels.axpy(count, 1, s.weightGradient.pointer, total) }
        T.accumulateWeightGradient(total, out: outChannels, in: inChannels, weight.gradient.scratchPointer)
    }
}
