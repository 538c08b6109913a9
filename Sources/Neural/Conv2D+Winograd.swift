// Conv2D for 3×3, stride-1, padding-1 convolutions by Winograd F(2×2, 3×3)
// (Tensors/WinogradF2x3.swift), forward and backward. Backward recomputes each chunk's input
// transform rather than keeping the whole batch's (as the im2col path does with its columns). The transformed weights are cached together with a copy of
// the weights they came from and rebuilt whenever the weights differ (a memcmp per call), so
// loading a checkpoint or a training step can never leave a stale transform behind.
import Foundation
import Tensors

/// Scratch space of the Winograd path, kept between calls.
struct WinogradBuffers {
    var u = Tensor.empty, v = Tensor.empty, m = Tensor.empty, padded = Tensor.empty
    var du = Tensor.empty, dv = Tensor.empty
    /// The weights `u` was computed from.
    var source = Tensor.empty
    var transform: WinogradF2x3?
    /// V elements per chunk of samples (512 KB of floats, about one core's L2 cache).
    static let chunkElements = 1 << 17
}

extension Conv2D {
    /// Transform for this input size, and the padded scratch plane (border zero).
    func winogradTransform(height h: Int, width w: Int) -> WinogradF2x3 {
        if winograd.transform?.height != h || winograd.transform?.width != w {
            winograd.transform = WinogradF2x3(height: h, width: w)
            winograd.padded = Tensor(zeros: [winograd.transform!.paddedArea])
        }
        return winograd.transform!
    }

    /// Samples per chunk so that V stays around cache size.
    func winogradChunk(_ f: WinogradF2x3, batch n: Int) -> Int {
        max(1, min(n, WinogradBuffers.chunkElements / (16 * inChannels * f.tilesPerImage)))
    }

    /// V for samples start..<start+c of `x` (columns c·tiles, ξ matrices `in × columns`).
    func winogradInputTransform(_ x: Tensor, _ f: WinogradF2x3, start: Int, count c: Int) {
        let tiles = f.tilesPerImage, columns = c * tiles, area = f.height * f.width
        let v = winograd.v.scratchPointer, padded = winograd.padded.scratchPointer
        for s in 0..<c {
            for i in 0..<inChannels {
                f.pad(x.pointer + ((start + s) * inChannels + i) * area, into: padded)
                f.transformInput(padded, v + i * columns + s * tiles, stride: inChannels * columns)
            }
        }
    }

    func winogradForward(_ x: Tensor, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let f = winogradTransform(height: h, width: w)
        let tiles = f.tilesPerImage, area = h * w
        let weights = weight.value
        if winograd.source.shape != weights.shape
            || memcmp(winograd.source.pointer, weights.pointer, weights.count * MemoryLayout<Float>.size) != 0 {
            Tensor.prepare(&winograd.u, shape: [16, outChannels, inChannels])
            WinogradF2x3.transformWeights(weights.pointer, out: outChannels, in: inChannels, winograd.u.scratchPointer)
            Tensor.prepare(&winograd.source, shape: weights.shape)
            winograd.source.scratchPointer.update(from: weights.pointer, count: weights.count)
        }
        let chunk = winogradChunk(f, batch: n)
        Tensor.prepare(&winograd.v, shape: [16, inChannels, chunk * tiles])
        Tensor.prepare(&winograd.m, shape: [16, outChannels, chunk * tiles])
        let u = winograd.u.pointer, v = winograd.v.scratchPointer, m = winograd.m.scratchPointer
        let b = bias?.value.pointer
        var start = 0
        while start < n {
            let c = min(chunk, n - start), columns = c * tiles
            // V's ξ matrices are `in × columns`, laid out with row stride `columns`.
            let vStride = inChannels * columns
            winogradInputTransform(x, f, start: start, count: c)
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

    /// Weight (and optionally input) gradients through the Winograd algorithm; the bias
    /// gradient is done by the caller. `winograd.u` holds the forward's transformed weights.
    func winogradBackward(_ dy: Tensor, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let x = input, n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let f = winogradTransform(height: h, width: w)
        let tiles = f.tilesPerImage, area = h * w
        let chunk = winogradChunk(f, batch: n)
        Tensor.prepare(&winograd.v, shape: [16, inChannels, chunk * tiles])
        Tensor.prepare(&winograd.m, shape: [16, outChannels, chunk * tiles])
        Tensor.prepare(&winograd.du, shape: [16, outChannels, inChannels])
        if dx != nil { Tensor.prepare(&winograd.dv, shape: [16, inChannels, chunk * tiles]) }
        let u = winograd.u.pointer, v = winograd.v.pointer, dm = winograd.m.scratchPointer
        let du = winograd.du.scratchPointer, dv = winograd.dv.scratchPointer
        let padded = winograd.padded.scratchPointer
        Kernels.fill(du, winograd.du.count, 0)
        if let dx { Kernels.fill(dx, n * inChannels * area, 0) }
        var start = 0
        while start < n {
            let c = min(chunk, n - start), columns = c * tiles
            let vStride = inChannels * columns, mStride = outChannels * columns
            winogradInputTransform(x, f, start: start, count: c)
            for s in 0..<c {
                for o in 0..<outChannels {
                    f.transformOutputGradient(dy.pointer + ((start + s) * outChannels + o) * area,
                                              dm + o * columns + s * tiles, stride: mStride)
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
                              c: dv + xi * vStride, ldc: columns)
                }
            }
            if let dx {
                for s in 0..<c {
                    for i in 0..<inChannels {
                        Kernels.fill(padded, f.paddedArea, 0)
                        f.accumulateInputGradient(dv + i * columns + s * tiles, stride: vStride, into: padded)
                        f.addInterior(of: padded, to: dx + ((start + s) * inChannels + i) * area)
                    }
                }
                // The padded plane is the forward's scratch too: its border must be zero again.
                Kernels.fill(padded, f.paddedArea, 0)
            }
            start += c
        }
        WinogradF2x3.accumulateWeightGradient(du, out: outChannels, in: inChannels, weight.gradient.scratchPointer)
    }
}
