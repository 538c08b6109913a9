// Inference (isTraining == false) runs 3×3 stride-1 padding-1 convolutions as Winograd
// F(4×4, 3×3) (Tensors/WinogradF4x3.swift): 36 products of U[ξ] (out × in) · V[ξ] (in × tiles)
// per chunk of samples, then each output plane from its 36 M planes. Training and backward
// keep F(2×2, 3×3). The transformed weights are cached like F(2×2)'s (rebuilt when the
// weights differ from the copy they came from).
import Foundation
import Tensors

struct Winograd4Weights {
    var u = Tensor.empty
    var source = Tensor.empty
    var transform: WinogradF4x3?
}

extension Conv2D {
    /// F(4×4) only when its multiplications, partial tiles included, are at most 0.6 of
    /// F(2×2)'s: its transforms cost more, so on 9×9 (ratio 0.81) F(2×2) measured 20–25% faster
    /// (`dojo bench az-infer`), on 19×19 (ratio 0.56) F(4×4) about 30% faster (`mcts-nn`).
    static func largeTilesPay(height h: Int, width w: Int) -> Bool {
        let f4 = 36 * ((h + 3) / 4) * ((w + 3) / 4), f2 = 16 * ((h + 1) / 2) * ((w + 1) / 2)
        return Double(f4) <= 0.6 * Double(f2)
    }

    func winograd4Forward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], area = h * w
        let weights = weight.value
        if winograd4.source.shape != weights.shape
            || memcmp(winograd4.source.pointer, weights.pointer, weights.count * MemoryLayout<Float>.size) != 0 {
            Tensor.prepare(&winograd4.u, shape: [36, outChannels, inChannels])
            WinogradF4x3.transformWeights(weights.pointer, out: outChannels, in: inChannels, winograd4.u.scratchPointer)
            Tensor.prepare(&winograd4.source, shape: weights.shape)
            winograd4.source.scratchPointer.update(from: weights.pointer, count: weights.count)
        }
        if winograd4.transform?.height != h || winograd4.transform?.width != w {
            winograd4.transform = WinogradF4x3(height: h, width: w)
            for s in scratch { s.padded4 = Tensor.empty }
        }
        let f = winograd4.transform!, tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: 36 * inChannels * tiles, elementsPerChunk: 1 << 18)
        for s in scratch.prefix(Parallel.workers(for: chunks)) {
            if s.padded4.count != f.paddedArea { s.padded4 = Tensor(zeros: [f.paddedArea]) }
            Tensor.prepare(&s.v, shape: [36, inChannels, chunk * tiles])
            Tensor.prepare(&s.m, shape: [36, outChannels, chunk * tiles])
        }
        let u = winograd4.u.pointer, b = bias?.value.pointer
        Parallel.forEach(chunks) { index, worker in
            let s = scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
            let v = s.v.scratchPointer, m = s.m.scratchPointer, padded = s.padded4.scratchPointer
            let vStride = inChannels * columns, mStride = outChannels * columns
            for k in 0..<c {
                for i in 0..<inChannels {
                    f.pad(x.pointer + ((start + k) * inChannels + i) * area, into: padded)
                    f.transformInput(padded, v + i * columns + k * tiles, stride: vStride)
                }
            }
            for xi in 0..<36 {
                BLAS.gemm(.none, .none, m: outChannels, n: columns, k: inChannels,
                          a: u + xi * outChannels * inChannels, lda: inChannels,
                          b: v + xi * vStride, ldb: columns, c: m + xi * mStride, ldc: columns)
            }
            for k in 0..<c {
                for o in 0..<outChannels {
                    f.writeOutput(m + o * columns + k * tiles, stride: mStride, bias: b?[o] ?? 0,
                                  y + ((start + k) * outChannels + o) * area)
                }
            }
        }
    }
}
