// Winograd inference when the batch is too small to give every worker its own samples (batch 1
// in a search, the last few leaves): the workers split channels instead. Phase one: each worker
// transforms a contiguous range of input channels into one shared V. Phase two: each worker
// multiplies all of V by its range of U's output rows and writes those output planes. Every
// output element is computed exactly as in the one-chunk path, only by another thread, so the
// result does not depend on scheduling (same threads ⇒ same bits).
import Foundation
import Tensors

extension Conv2D {
    /// Workers for a channel split of this batch (1: do not split). Worth it only when the batch
    /// makes fewer chunks than there are workers and the convolution is big enough to pay for
    /// two hand-offs.
    func channelSplitWorkers(chunks: Int, batch n: Int, area: Int) -> Int {
        let workers = Parallel.workers(for: outChannels / 8)
        guard workers > 1, chunks < workers else { return 1 }
        let flops = 2 * n * outChannels * inChannels * 9 * area
        return flops >= Conv2D.minimumWorkerFlops ? workers : 1
    }

    /// F(2×2, 3×3) forward of the whole batch with channels split over `workers` (groups of
    /// sixteen channels, the width of the interleaved transforms; the layouts of the main path).
    func winogradForwardSplittingChannels(_ x: Tensor, _ f: WinogradF2x3, workers: Int, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], area = x.shape[2] * x.shape[3], tiles = f.tilesPerImage, columns = n * tiles
        let lanes = ChannelInterleaving.lanes
        while scratch.count < workers { scratch.append(ConvScratch()) }
        Tensor.prepare(&scratch[0].v, shape: [16, columns, inChannels])
        Tensor.prepare(&scratch[0].m, shape: [16, columns, outChannels])
        for s in scratch.prefix(workers) {
            if s.paddedLanes.count != f.interleavedPaddedArea { s.paddedLanes = Tensor(zeros: [f.interleavedPaddedArea]) }
            Tensor.prepare(&s.product, shape: [f.interleavedTileArea])
        }
        let v = scratch[0].v.scratchPointer, m = scratch[0].m.scratchPointer
        let u = winograd.u.pointer, b = bias?.value.pointer
        let vStride = inChannels * columns, mStride = outChannels * columns
        Parallel.forEach(workers) { worker, _ in
            let padded = scratch[worker].paddedLanes.scratchPointer
            let inputs = Parallel.share(of: worker, workers: workers, count: inChannels, group: lanes)
            for c0 in Swift.stride(from: inputs.lowerBound, to: inputs.upperBound, by: lanes) {
                for k in 0..<n {
                    f.transformInputInterleaved(x.pointer + (k * inChannels + c0) * area, count: min(lanes, inChannels - c0),
                                                padded: padded, v + k * tiles * inChannels + c0, tileStride: inChannels,
                                                xiStride: vStride)
                }
            }
        }
        Parallel.forEach(workers) { worker, _ in
            let outputs = Parallel.share(of: worker, workers: workers, count: outChannels, group: lanes)
            guard !outputs.isEmpty else { return }
            // Mᵀ[ξ] columns of this worker's outputs = V[ξ] · (their rows of U[ξ])ᵀ.
            let clearsFirst = !BLAS.smallKernelsTake(.none, .transposed, m: columns, n: outputs.count, k: inChannels)
            for xi in 0..<16 {
                let c = m + xi * mStride + outputs.lowerBound
                if clearsFirst { for t in 0..<columns { Kernels.fill(c + t * outChannels, outputs.count, 0) } }
                BLAS.gemm(.none, .transposed, m: columns, n: outputs.count, k: inChannels,
                          a: v + xi * vStride, lda: inChannels,
                          b: u + (xi * outChannels + outputs.lowerBound) * inChannels, ldb: inChannels,
                          beta: clearsFirst ? 1 : 0, c: c, ldc: outChannels)
            }
            let staging = scratch[worker].product.scratchPointer
            for k in 0..<n {
                for o0 in Swift.stride(from: outputs.lowerBound, to: outputs.upperBound, by: lanes) {
                    let count = min(lanes, outputs.upperBound - o0)
                    f.writeOutputInterleaved(m + k * tiles * outChannels + o0, count: count, tileStride: outChannels, xiStride: mStride,
                                             bias: Self.biasLanes(b, from: o0, count: count), staging: staging,
                                             y + (k * outChannels + o0) * area)
                }
            }
        }
    }

    /// F(4×4, 3×3) forward of the whole batch with channels split over `workers` (groups of
    /// `WinogradF4x3.laneCount` channels, the width of the interleaved transforms).
    func winograd4ForwardSplittingChannels(_ x: Tensor, _ f: WinogradF4x3, workers: Int, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], area = x.shape[2] * x.shape[3], tiles = f.tilesPerImage, columns = n * tiles
        let lanes = WinogradF4x3.laneCount
        while scratch.count < workers { scratch.append(ConvScratch()) }
        Tensor.prepare(&scratch[0].v, shape: [36, inChannels, columns])
        Tensor.prepare(&scratch[0].m, shape: [36, outChannels, columns])
        for s in scratch.prefix(workers) {
            if s.padded4.count != f.interleavedArea { s.padded4 = Tensor(zeros: [f.interleavedArea]) }
            Tensor.prepare(&s.product, shape: [f.interleavedOutputArea])
        }
        let v = scratch[0].v.scratchPointer, m = scratch[0].m.scratchPointer
        let u = winograd4.u.pointer, b = bias?.value.pointer
        let vStride = inChannels * columns, mStride = outChannels * columns
        Parallel.forEach(workers) { worker, _ in
            let padded = scratch[worker].padded4.scratchPointer
            let inputs = Parallel.share(of: worker, workers: workers, count: inChannels, group: lanes)
            for c0 in Swift.stride(from: inputs.lowerBound, to: inputs.upperBound, by: lanes) {
                for k in 0..<n {
                    f.transformInputInterleaved(x.pointer + (k * inChannels + c0) * area, count: min(lanes, inChannels - c0),
                                                interleaved: padded, v + k * tiles * inChannels + c0, tileStride: inChannels,
                                                xiStride: vStride)
                }
            }
        }
        Parallel.forEach(workers) { worker, _ in
            let outputs = Parallel.share(of: worker, workers: workers, count: outChannels, group: lanes)
            for xi in 0..<36 {
                BLAS.gemm(.none, .none, m: columns, n: outputs.count, k: inChannels,
                          a: v + xi * vStride, lda: inChannels,
                          b: u + xi * outChannels * inChannels + outputs.lowerBound, ldb: outChannels,
                          c: m + xi * mStride + outputs.lowerBound, ldc: outChannels)
            }
            let staging = scratch[worker].product.scratchPointer
            for k in 0..<n {
                for o0 in Swift.stride(from: outputs.lowerBound, to: outputs.upperBound, by: lanes) {
                    let count = min(lanes, outputs.upperBound - o0)
                    f.writeOutputInterleaved(m + k * tiles * outChannels + o0, count: count, tileStride: outChannels, xiStride: mStride,
                                   bias: Self.biasLanes(b, from: o0, count: count), interleaved: staging, y + (k * outChannels + o0) * area)
                }
            }
        }
    }
}
