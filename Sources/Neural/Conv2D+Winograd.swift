// Inference path of Conv2D for 3×3, stride-1, padding-1 convolutions: Winograd F(2×2, 3×3)
// (Tensors/WinogradF2x3.swift). The transformed weights are cached together with a copy of
// the weights they came from and rebuilt whenever the weights differ (a memcmp per call), so
// loading a checkpoint or a training step can never leave a stale transform behind.
import Foundation
import Tensors

/// Scratch space of the Winograd path, kept between calls.
struct WinogradBuffers {
    var u = Tensor.empty, v = Tensor.empty, m = Tensor.empty, padded = Tensor.empty
    /// The weights `u` was computed from.
    var source = Tensor.empty
    var transform: WinogradF2x3?
    /// V elements per chunk of samples (512 KB of floats, about one core's L2 cache).
    static let chunkElements = 1 << 17
}

extension Conv2D {
    func winogradForward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        if winograd.transform?.height != h || winograd.transform?.width != w {
            winograd.transform = WinogradF2x3(height: h, width: w)
            winograd.padded = Tensor(zeros: [winograd.transform!.paddedArea])   // border stays zero
        }
        let f = winograd.transform!
        let tiles = f.tilesPerImage, area = h * w
        let weights = weight.value
        if winograd.source.shape != weights.shape
            || memcmp(winograd.source.pointer, weights.pointer, weights.count * MemoryLayout<Float>.size) != 0 {
            Tensor.prepare(&winograd.u, shape: [16, outChannels, inChannels])
            WinogradF2x3.transformWeights(weights.pointer, out: outChannels, in: inChannels, winograd.u.scratchPointer)
            winograd.source = weights.copy()
        }
        let chunk = max(1, min(n, WinogradBuffers.chunkElements / (16 * inChannels * tiles)))
        Tensor.prepare(&winograd.v, shape: [16, inChannels, chunk * tiles])
        Tensor.prepare(&winograd.m, shape: [16, outChannels, chunk * tiles])
        let u = winograd.u.pointer, v = winograd.v.scratchPointer, m = winograd.m.scratchPointer
        let padded = winograd.padded.scratchPointer
        let b = bias?.value.pointer
        var start = 0
        while start < n {
            let c = min(chunk, n - start), columns = c * tiles
            // V's ξ matrices are `in × columns`, laid out with row stride `columns`.
            let vStride = inChannels * columns
            for s in 0..<c {
                for i in 0..<inChannels {
                    f.pad(x.pointer + ((start + s) * inChannels + i) * area, into: padded)
                    f.transformInput(padded, v + i * columns + s * tiles, stride: vStride)
                }
            }
            let mStride = outChannels * columns
            for xi in 0..<16 {
                BLAS.gemm(.none, .none, m: outChannels, n: columns, k: inChannels,
                          a: u + xi * outChannels * inChannels, lda: inChannels,
                          b: v + xi * vStride, ldb: columns, c: m + xi * mStride, ldc: columns)
            }
            for s in 0..<c {
                for o in 0..<outChannels {
                    f.transformOutput(m + o * columns + s * tiles, stride: mStride, bias: b?[o] ?? 0,
                                      y + ((start + s) * outChannels + o) * area)
                }
            }
            start += c
        }
    }
}
