// Inference (isTraining == false) runs 3×3 stride-1 padding-1 convolutions as Winograd
// F(4×4, 3×3) (Tensors/WinogradF4x3.swift): 36 products of V[ξ] (tiles × in) · U[ξ] (in × out)
// per chunk of samples, then each output plane from its 36 M planes. Training and backward
// keep F(2×2, 3×3). The transformed weights are cached like F(2×2)'s (rebuilt when the
// weights differ from the copy they came from).
import Foundation
import Tensors

struct Winograd4Weights: TransformedWeights {
    var u = Tensor.empty
    var source = Tensor.empty
    var transform: WinogradF4x3?
}

extension Conv2D {
    /// F(4×4) only when its multiplications, partial tiles included, are at most 0.6 of
    /// F(2×2)'s, or at most 0.85 from batches of 8 on: its transforms cost more. Measured with
    /// `dojo bench az-infer` on 9×9 (ratio 0.81): F(2×2) 805 vs 600 positions/s at batch 1,
    /// F(4×4) 967 vs 917 at batch 8 and 1,130 vs 1,048 at batch 64; on 19×19 (ratio 0.56)
    /// F(4×4) is about 30% faster at batch 8 (`dojo bench mcts-nn`).
    static func largeTilesPay(height h: Int, width w: Int, batch: Int) -> Bool {
        let f4 = 36 * ((h + 3) / 4) * ((w + 3) / 4), f2 = 16 * ((h + 1) / 2) * ((w + 1) / 2)
        let ratio = Double(f4) / Double(f2)
        return ratio <= 0.6 || (ratio <= 0.85 && batch >= 8)
    }

    /// V's size per chunk of samples (floats). V, M and U (36·in·out) together must stay in L2:
    /// a 9×9 sample of 64 channels is 20,736 floats of V (83 KB). On a Zen 5 core with 1 MB of
    /// L2, batch 8 in one chunk (V and M 663 KB each, beside U's 590 KB) was the slowest:
    /// chunks of two samples were 1.11× faster, of one sample 1.12× faster again (four: 0.91×
    /// of two), in paired runs of `dojo bench az-infer`.
    static let winograd4ChunkElements = 1 << 15

    func winograd4Forward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        refreshTransformedWeights(&winograd4, planes: 36, transform: WinogradF4x3.transformWeights)
        if winograd4.transform?.height != h || winograd4.transform?.width != w {
            winograd4.transform = WinogradF4x3(height: h, width: w)
            for s in scratch { s.padded4 = Tensor.empty }
        }
        let f = winograd4.transform!, tiles = f.tilesPerImage, lanes = WinogradF4x3.laneCount
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: 36 * inChannels * tiles, elementsPerChunk: Self.winograd4ChunkElements)
        let splitWorkers = channelSplitWorkers(chunks: chunks, batch: n, area: area)
        if splitWorkers > 1 { return winograd4ForwardSplittingChannels(x, f, workers: splitWorkers, into: y) }
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            if s.padded4.count != f.interleavedArea { s.padded4 = Tensor(zeros: [f.interleavedArea]) }
            Tensor.prepare(&s.product, shape: [f.interleavedOutputArea])
            Tensor.prepare(&s.v, shape: [36, inChannels, chunk * tiles])
            Tensor.prepare(&s.m, shape: [36, outChannels, chunk * tiles])
        }
        let u = winograd4.u.pointer, b = bias?.value.pointer
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let v = s.v.scratchPointer, m = s.m.scratchPointer, padded = s.padded4.scratchPointer
            let vStride = inChannels * columns, mStride = outChannels * columns
            // V as [36][tiles][in]: sixteen channels per vector (WinogradF4x3+Interleaved.swift).
            for k in 0..<c {
                for c0 in Swift.stride(from: 0, to: inChannels, by: lanes) {
                    f.transformInputInterleaved(x.pointer + ((start + k) * inChannels + c0) * area, count: min(lanes, inChannels - c0),
                                                interleaved: padded, v + k * tiles * inChannels + c0, tileStride: inChannels,
                                                xiStride: vStride)
                }
            }
            // M as [36][tiles][out]: Mᵀ[ξ] = V[ξ] · U[ξ] (U kept as [ξ][in][out]), so output
            // channels are contiguous too.
            // OpenBLAS clears C with a slow scalar loop when beta is 0 (9% of a 19×19 search);
            // a vector fill and beta 1 give the same products. Dojo's own kernels need neither.
            let clearsFirst = !BLAS.smallKernelsTake(.none, .none, m: columns, n: outChannels, k: inChannels)
            if clearsFirst { Kernels.fill(m, 36 * mStride, 0) }
            for xi in 0..<36 {
                BLAS.gemm(.none, .none, m: columns, n: outChannels, k: inChannels,
                          a: v + xi * vStride, lda: inChannels, b: u + xi * outChannels * inChannels, ldb: outChannels,
                          beta: clearsFirst ? 1 : 0, c: m + xi * mStride, ldc: outChannels)
            }
            let staging = s.product.scratchPointer
            for k in 0..<c {
                for o0 in Swift.stride(from: 0, to: outChannels, by: lanes) {
                    let count = min(lanes, outChannels - o0)
                    f.writeOutputInterleaved(m + k * tiles * outChannels + o0, count: count, tileStride: outChannels, xiStride: mStride,
                                   bias: Self.biasLanes(b, from: o0, count: count), interleaved: staging, y + ((start + k) * outChannels + o0) * area)
                }
            }
        }
    }

    /// Bias values o0..<o0+count in the lanes of the interleaved output transform (zeros past
    /// `count` or without a bias).
    static func biasLanes(_ bias: UnsafePointer<Float>?, from o0: Int, count: Int) -> WinogradLanes {
        var lanes = WinogradLanes(repeating: 0)
        if let bias { for j in 0..<count { lanes[j] = bias[o0 + j] } }
        return lanes
    }
}
