// The backward of a 3×3 stride-1 padding-1 convolution through Winograd F(2×2, 3×3)
// (Tensors/WinogradF2x3+Backward.swift), chunk by chunk on `Parallel.threads` workers: each
// chunk recomputes its input transform rather than keeping the whole batch's, transforms its
// output gradient into dM, and adds dU[ξ] += dM[ξ]ᵀ·V[ξ] into its worker's share (summed in
// worker order at the end, so the bits do not depend on scheduling); with an input gradient,
// dV[ξ] = dM[ξ]·U[ξ] goes back to the input planes. U is the forward's (`winograd2.u`).
import Foundation
import Tensors

extension Conv2D {
    /// Weight (and optionally input) gradients; the bias gradient is done by the caller.
    func winogradBackward(_ dy: Tensor, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let x = input, n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        refreshTransformedWeights(&winograd2)   // a no-op after an F(2×2) forward; needed after an F(4×4) one
        let f = tiling(&winograd2, height: h, width: w), tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: 16 * inChannels * tiles, elementsPerChunk: winograd2.chunkElements)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            prepareTransformBuffers(s, f, padded: winograd2.padded)
            // The output-gradient tiles past the image stay zero: allocated zeroed, never written there.
            if s.gradientLanes.count != f.interleavedTileArea { s.gradientLanes = Tensor(zeros: [f.interleavedTileArea]) }
            Tensor.prepare(&s.v, shape: [16, chunk * tiles, inChannels])
            Tensor.prepare(&s.m, shape: [16, chunk * tiles, outChannels])
            Tensor.prepare(&s.weightGradient, shape: [16, outChannels, inChannels])
            Kernels.fill(s.weightGradient.scratchPointer, s.weightGradient.count, 0)
            if dx != nil {
                Tensor.prepare(&s.accumulatorLanes, shape: [f.interleavedPaddedArea])
                Tensor.prepare(&s.dv, shape: [16, chunk * tiles, inChannels])
            }
        }
        let u = winograd2.u.pointer, lanes = ChannelInterleaving.lanes, padded = winograd2.padded
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
        Tensor.prepare(&winograd2.du, shape: [16, outChannels, inChannels])
        let total = winograd2.du.scratchPointer, count = winograd2.du.count
        total.update(from: scratch[0].weightGradient.pointer, count: count)
        for s in scratch.dropFirst().prefix(workers - 1) { Kernels.axpy(count, 1, s.weightGradient.pointer, total) }
        WinogradF2x3.accumulateWeightGradient(total, out: outChannels, in: inChannels, weight.gradient.scratchPointer)
    }
}
