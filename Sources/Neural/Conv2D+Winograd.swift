// Conv2D's 3×3, stride-1, padding-1 convolutions by Winograd (Tensors/WinogradTiling.swift):
// one forward for every tiling — F(2×2, 3×3) or F(3×3, 3×3) in training, any of the three in
// inference, chosen in Conv2D+Plan.swift — and the backward (Conv2D+WinogradBackward.swift).
// Forward, per chunk of samples on `Parallel.threads` workers: the input transform into V, one
// product per transformed point (M[ξ] = V[ξ]·U[ξ]ᵀ, or V[ξ]·U[ξ] when U is input-major), then
// each output plane from M with the bias. A batch too small to give every worker a chunk (batch
// 1 in a search) splits channels instead: each worker transforms a range of input channels into
// one shared V, then multiplies all of V by its range of output channels; every output element
// is computed exactly as in the one-chunk path, only by another thread (same threads ⇒ same
// bits). The transformed weights are cached with a copy of the weights they came from and
// rebuilt whenever the weights differ (a memcmp per call), so loading a checkpoint or a training
// step can never leave a stale transform behind.
import Foundation
import Tensors

/// One tiling's transformed weights U, the weights they came from, the transform for the
/// current image size, and where each worker keeps that tiling's padded input.
struct WinogradCache<Tiling: WinogradTiling> {
    var u = Tensor.empty
    var source = Tensor.empty
    var transform: Tiling?
    /// dU summed over workers (F(2×2) backward).
    var du = Tensor.empty
    /// The worker scratch buffer holding this tiling's interleaved padded input (zero border).
    let padded: ReferenceWritableKeyPath<ConvScratch, Tensor>
    /// V elements per chunk of samples in inference and in training (see `Conv2D.winograd2`,
    /// `winograd3` and `winograd4`).
    let chunkElements: Int
    let trainingChunkElements: Int

    init(padded: ReferenceWritableKeyPath<ConvScratch, Tensor>, chunkElements: Int, trainingChunkElements: Int? = nil) {
        self.padded = padded
        self.chunkElements = chunkElements
        self.trainingChunkElements = trainingChunkElements ?? chunkElements
    }
}

extension Conv2D {
    /// Recomputes U when the weights differ from the copy in `source` it was computed from.
    func refreshTransformedWeights<T>(_ cache: inout WinogradCache<T>) {
        let weights = weight.value
        guard cache.source.shape != weights.shape
                || memcmp(cache.source.pointer, weights.pointer, weights.count * MemoryLayout<Float>.size) != 0 else { return }
        Tensor.prepare(&cache.u, shape: T.weightsInputMajor ? [T.points, inChannels, outChannels] : [T.points, outChannels, inChannels])
        T.transformWeights(weights.pointer, out: outChannels, in: inChannels, cache.u.scratchPointer)
        Tensor.prepare(&cache.source, shape: weights.shape)
        cache.source.scratchPointer.update(from: weights.pointer, count: weights.count)
    }

    /// The transform for an h×w image (the padded buffers of every worker reset when it changes:
    /// their zero border moves with the image size).
    func tiling<T>(_ cache: inout WinogradCache<T>, height h: Int, width w: Int) -> T {
        if let f = cache.transform, f.height == h, f.width == w { return f }
        let f = T(height: h, width: w)
        cache.transform = f
        for s in scratch { s[keyPath: cache.padded] = Tensor.empty }
        return f
    }

    /// Worker `s`'s padded input and staging buffers for tiling `f`.
    func prepareTransformBuffers<T: WinogradTiling>(_ s: ConvScratch, _ f: T, padded: ReferenceWritableKeyPath<ConvScratch, Tensor>) {
        if s[keyPath: padded].count != f.interleavedPaddedArea { s[keyPath: padded] = Tensor(zeros: [f.interleavedPaddedArea]) }
        Tensor.prepare(&s.product, shape: [f.interleavedTileArea])
    }

    /// V for samples start..<start+c of `x` into `v` ([ξ][c·tiles][in]), sixteen channels at a time.
    func winogradInputTransform<T: WinogradTiling>(_ x: Tensor, _ f: T, start: Int, count c: Int, padded: UnsafeMutablePointer<Float>,
                                                   channels: Range<Int>, into v: UnsafeMutablePointer<Float>, vStride: Int) {
        let tiles = f.tilesPerImage, area = f.height * f.width, lanes = ChannelInterleaving.lanes
        for k in 0..<c {
            for c0 in Swift.stride(from: channels.lowerBound, to: channels.upperBound, by: lanes) {
                f.transformInputInterleaved(x.pointer + ((start + k) * inChannels + c0) * area, count: min(lanes, channels.upperBound - c0),
                                            padded: padded, v + k * tiles * inChannels + c0, tileStride: inChannels, xiStride: vStride)
            }
        }
    }

    /// M's columns `outputs` for all `columns` tiles: M[ξ] = V[ξ]·U[ξ]ᵀ (or V[ξ]·U[ξ]).
    /// OpenBLAS clears C with a slow scalar loop when beta is 0 (9% of a 19×19 search), so there
    /// C is cleared first and added to; Dojo's own kernels need neither.
    func winogradProducts<T: WinogradTiling>(_: T.Type, v: UnsafePointer<Float>, u: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                                             columns: Int, outputs: Range<Int>) {
        let vStride = inChannels * columns, mStride = outChannels * columns, n = outputs.count
        let transB: Transpose = T.weightsInputMajor ? .none : .transposed
        let clearsFirst = !BLAS.smallKernelsTake(.none, transB, m: columns, n: n, k: inChannels)
        if clearsFirst && n == outChannels { Kernels.fill(m, T.points * mStride, 0) }
        for xi in 0..<T.points {
            let c = m + xi * mStride + outputs.lowerBound
            if clearsFirst && n < outChannels { for t in 0..<columns { Kernels.fill(c + t * outChannels, n, 0) } }
            let b = T.weightsInputMajor ? u + xi * outChannels * inChannels + outputs.lowerBound
                                        : u + (xi * outChannels + outputs.lowerBound) * inChannels
            BLAS.gemm(.none, transB, m: columns, n: n, k: inChannels, a: v + xi * vStride, lda: inChannels,
                      b: b, ldb: T.weightsInputMajor ? outChannels : inChannels, beta: clearsFirst ? 1 : 0, c: c, ldc: outChannels)
        }
    }

    /// Output planes `outputs` of samples start..<start+c from M, the bias added.
    func winogradOutputTransform<T: WinogradTiling>(_ f: T, m: UnsafePointer<Float>, columns: Int, start: Int, count c: Int,
                                                    outputs: Range<Int>, staging: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let tiles = f.tilesPerImage, area = f.height * f.width, lanes = ChannelInterleaving.lanes, b = bias?.value.pointer
        for k in 0..<c {
            for o0 in Swift.stride(from: outputs.lowerBound, to: outputs.upperBound, by: lanes) {
                let count = min(lanes, outputs.upperBound - o0)
                f.writeOutputInterleaved(m + k * tiles * outChannels + o0, count: count, tileStride: outChannels, xiStride: outChannels * columns,
                                         bias: Self.biasLanes(b, from: o0, count: count), staging: staging, y + ((start + k) * outChannels + o0) * area)
            }
        }
    }

    /// The forward of `x` by the tiling `cache` describes, chunk by chunk or, for a small batch,
    /// channels split over the workers.
    func winogradForward<T>(_ x: Tensor, _ cache: inout WinogradCache<T>, into y: UnsafeMutablePointer<Float>) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        refreshTransformedWeights(&cache)
        let f = tiling(&cache, height: h, width: w), tiles = f.tilesPerImage
        let (chunk, chunks) = chunking(batch: n, elementsPerSample: T.points * inChannels * tiles,
                                       elementsPerChunk: isTraining ? cache.trainingChunkElements : cache.chunkElements)
        let u = cache.u.pointer, padded = cache.padded
        let splitWorkers = channelSplitWorkers(chunks: chunks, batch: n, area: h * w)
        // Local functions, not closures kept in constants: nothing is allocated per forward.
        func splittingChannels() {
            let columns = n * tiles
            Tensor.prepare(&self.scratch[0].v, shape: [T.points, columns, self.inChannels])
            Tensor.prepare(&self.scratch[0].m, shape: [T.points, columns, self.outChannels])
            for s in self.scratch.prefix(splitWorkers) { self.prepareTransformBuffers(s, f, padded: padded) }
            let v = self.scratch[0].v.scratchPointer, m = self.scratch[0].m.scratchPointer
            Parallel.forEach(splitWorkers) { worker, _ in
                let inputs = Parallel.share(of: worker, workers: splitWorkers, count: self.inChannels, group: ChannelInterleaving.lanes)
                self.winogradInputTransform(x, f, start: 0, count: n, padded: self.scratch[worker][keyPath: padded].scratchPointer,
                                            channels: inputs, into: v, vStride: self.inChannels * columns)
            }
            Parallel.forEach(splitWorkers) { worker, _ in
                let outputs = Parallel.share(of: worker, workers: splitWorkers, count: self.outChannels, group: ChannelInterleaving.lanes)
                guard !outputs.isEmpty else { return }
                self.winogradProducts(T.self, v: v, u: u, m: m, columns: columns, outputs: outputs)
                self.winogradOutputTransform(f, m: m, columns: columns, start: 0, count: n, outputs: outputs,
                                             staging: self.scratch[worker].product.scratchPointer, into: y)
            }
        }
        func byChunks() {
            for s in self.scratch.prefix(Parallel.workers(for: chunks)) {
                self.prepareTransformBuffers(s, f, padded: padded)
                Tensor.prepare(&s.v, shape: [T.points, chunk * tiles, self.inChannels])
                Tensor.prepare(&s.m, shape: [T.points, chunk * tiles, self.outChannels])
            }
            Parallel.forEach(chunks) { index, worker in
                let s = self.scratch[worker], start = index * chunk, c = min(chunk, n - start), columns = c * tiles
                let v = s.v.scratchPointer, m = s.m.scratchPointer
                self.winogradInputTransform(x, f, start: start, count: c, padded: s[keyPath: padded].scratchPointer,
                                            channels: 0..<self.inChannels, into: v, vStride: self.inChannels * columns)
                self.winogradProducts(T.self, v: v, u: u, m: m, columns: columns, outputs: 0..<self.outChannels)
                self.winogradOutputTransform(f, m: m, columns: columns, start: start, count: c, outputs: 0..<self.outChannels,
                                             staging: s.product.scratchPointer, into: y)
            }
        }
        guard splitWorkers > 1 else { return byChunks() }
        while scratch.count < splitWorkers { scratch.append(ConvScratch()) }
        // Whether the split pays is measured on this CPU when both ways give the same bits (Dojo's
        // own kernels take the products); otherwise the split is taken.
        let transB: Transpose = T.weightsInputMajor ? .none : .transposed
        guard BLAS.smallKernelsTake(.none, transB, m: n * tiles, n: outChannels, k: inChannels) else { return splittingChannels() }
        SplitCalibration.shared.run(SplitCalibration.Key(kind: 16 + T.points, n * tiles, inChannels, outChannels, workers: splitWorkers),
                                    whole: byChunks, split: splittingChannels)
    }

    /// Workers for a channel split of this batch (1: do not split). Worth it only when the batch
    /// makes fewer chunks than there are workers and the convolution is big enough to pay for
    /// two hand-offs.
    func channelSplitWorkers(chunks: Int, batch n: Int, area: Int) -> Int {
        let workers = Parallel.workers(for: outChannels / 8)
        guard workers > 1, chunks < workers else { return 1 }
        let flops = 2 * n * outChannels * inChannels * 9 * area
        return flops >= Conv2D.minimumWorkerFlops ? workers : 1
    }

    /// Bias values o0..<o0+count in the lanes of the interleaved output transform (zeros past
    /// `count` or without a bias).
    static func biasLanes(_ bias: UnsafePointer<Float>?, from o0: Int, count: Int) -> WinogradLanes {
        var lanes = WinogradLanes(repeating: 0)
        if let bias { for j in 0..<count { lanes[j] = bias[o0 + j] } }
        return lanes
    }
}
