// Winograd F(2×2, 3×3), F(3×3, 3×3) and F(4×4, 3×3) against the direct im2col convolution,
// forward and backward.
@testable import Neural
import Tensors
import XCTest

final class WinogradTests: XCTestCase {
    /// The inference paths (Winograd F(2×2, 3×3), F(3×3, 3×3) and F(4×4, 3×3)) equal the direct
    /// im2col convolution on odd and even image sizes, whole and partial tiles, with and without
    /// bias, across chunks.
    func testWinogradMatchesDirectConvolution() {
        var g = SeededGenerator(seed: 31)
        // (batch, channels, size, bias); 64 channels × 12 samples spans several chunks.
        for (batch, channels, size, bias) in [(1, 5, 9, true), (3, 5, 8, false), (2, 5, 5, true), (12, 64, 9, true),
                                              (1, 5, 19, false), (2, 5, 1, true), (2, 5, 15, true), (3, 64, 19, false)] {
            // 7 outputs leave a partial group of sixteen; 20 add a full one (the 8×8 transposes).
            let outputs = channels == 64 ? 20 : 7
            let conv = Conv2D(inChannels: channels, outChannels: outputs, kernel: 3, padding: 1, bias: bias, name: "c", generator: &g)
            if bias { conv.bias!.value = Tensor.uniform(shape: [outputs], low: -1, high: 1, using: &g) }
            let x = Tensor.uniform(shape: [batch, channels, size, size + 1], low: -1, high: 1, using: &g)
            conv.isTraining = false
            conv.usesWinograd = false
            let direct = conv.forward(x).copy()
            conv.usesWinograd = true
            for tiles in [InferenceTiles.f4x4, .f3x3, .f2x2] {
                conv.inferenceTiles = tiles
                let fast = conv.forward(x)
                XCTAssertEqual(fast.shape, direct.shape)
                XCTAssertLessThan(fast.maxAbsDifference(direct), 1e-4, "batch \(batch) size \(size)x\(size + 1), \(tiles)")
            }
        }
    }

    /// A backward after an inference forward by a tiling training does not use (F(4×4)) runs the
    /// training tiling's with transformed weights of its own (it once read F(2×2)'s, never made).
    func testBackwardAfterALargeTileForwardMatchesDirectConvolution() {
        var g = SeededGenerator(seed: 33)
        for (size, tiles, backward) in [(19, InferenceTiles.automatic, ConvolutionPlan.Path.winograd2), (9, .f4x4, .winograd3)] {
            let conv = Conv2D(inChannels: 8, outChannels: 8, kernel: 3, padding: 1, name: "c", generator: &g)
            conv.isTraining = false
            conv.inferenceTiles = tiles
            let x = Tensor.uniform(shape: [8, 8, size, size], low: -1, high: 1, using: &g)
            let dy = Tensor.uniform(shape: [8, 8, size, size], low: -1, high: 1, using: &g)
            if tiles == .automatic { XCTAssertEqual(Conv2D.inferenceTiling(height: size, width: size, batch: 8), .winograd4) }
            XCTAssertEqual(Conv2D.trainingTiling(height: size, width: size), backward)
            let tiling = backward
            var results: [(Tensor, Tensor)] = []
            for winograd in [false, true] {
                conv.usesWinograd = winograd
                conv.parameters.zeroGradients()
                _ = conv.forward(x)
                results.append((conv.backward(dy).copy(), conv.weight.gradient.copy()))
            }
            XCTAssertLessThan(results[1].0.maxAbsDifference(results[0].0), 1e-4, "input gradient, \(tiling)")
            XCTAssertLessThan(results[1].1.maxAbsDifference(results[0].1) / max(1, results[0].1.max()), 1e-4, "weight gradient, \(tiling)")
        }
    }

    /// One layer trained on images of two sizes, one by F(3×3) (3×11) and one by F(2×2) (6×6),
    /// whose output-gradient buffers have the same size but different image parts: going back to
    /// the first size, the second's values must not stand where the first has zeros past the image.
    func testTrainingOnTwoSizesKeepsEachTilingsZerosPastTheImage() {
        var g = SeededGenerator(seed: 34)
        XCTAssertEqual(Conv2D.trainingTiling(height: 3, width: 11), .winograd3)
        XCTAssertEqual(Conv2D.trainingTiling(height: 6, width: 6), .winograd2)
        let conv = Conv2D(inChannels: 4, outChannels: 4, kernel: 3, padding: 1, name: "c", generator: &g)
        func gradients(_ x: Tensor, _ dy: Tensor, winograd: Bool) -> Tensor {
            conv.usesWinograd = winograd
            conv.parameters.zeroGradients()
            _ = conv.forward(x)
            _ = conv.backward(dy)
            return conv.weight.gradient.copy()
        }
        let small = Tensor.uniform(shape: [2, 4, 3, 11], low: -1, high: 1, using: &g), dySmall = Tensor.uniform(shape: [2, 4, 3, 11], low: -1, high: 1, using: &g)
        let square = Tensor.uniform(shape: [2, 4, 6, 6], low: -1, high: 1, using: &g), dySquare = Tensor.uniform(shape: [2, 4, 6, 6], low: -1, high: 1, using: &g)
        let direct = gradients(small, dySmall, winograd: false)
        for (x, dy) in [(small, dySmall), (square, dySquare), (small, dySmall)] {
            let fast = gradients(x, dy, winograd: true)
            if x.shape == small.shape { XCTAssertLessThan(fast.maxAbsDifference(direct) / max(1, direct.max()), 1e-4, "weight gradient on 3×11") }
        }
    }

    /// Inference takes the tiling with the fewest multiplications that pays for its transforms:
    /// F(3×3) where the sides are multiples of three, F(4×4) on 19×19, F(2×2) for small images
    /// and, at batch 1, where a larger tile saves too little.
    func testInferenceTakesTheTilingWithTheFewestProductsThatPays() {
        XCTAssertEqual(Conv2D.inferenceTiling(height: 9, width: 9, batch: 1), .winograd3)     // 225 vs 400 and 324
        XCTAssertEqual(Conv2D.inferenceTiling(height: 9, width: 9, batch: 64), .winograd3)
        XCTAssertEqual(Conv2D.inferenceTiling(height: 19, width: 19, batch: 1), .winograd4)   // 900 vs 1,600 and 1,225
        XCTAssertEqual(Conv2D.inferenceTiling(height: 10, width: 10, batch: 1), .winograd2)   // 324 is 0.81 of 400
        XCTAssertEqual(Conv2D.inferenceTiling(height: 10, width: 10, batch: 8), .winograd4)
        XCTAssertEqual(Conv2D.inferenceTiling(height: 2, width: 2, batch: 64), .winograd2)
        // Training: F(3×3) or F(2×2), the only tilings with a backward.
        XCTAssertEqual(Conv2D.trainingTiling(height: 9, width: 9), .winograd3)
        XCTAssertEqual(Conv2D.trainingTiling(height: 3, width: 3), .winograd3)
        XCTAssertEqual(Conv2D.trainingTiling(height: 19, width: 19), .winograd2)
        XCTAssertEqual(Conv2D.trainingTiling(height: 10, width: 10), .winograd2)     // MinAtar: 400 both ways
        XCTAssertEqual(Conv2D.trainingTiling(height: 9, width: 8), .winograd2)       // 225 is 0.70 of 320
    }

    /// Training through Winograd — F(3×3) on 9×9 and 3×3, F(2×2) elsewhere — gives the same
    /// gradients as the direct convolution.
    func testWinogradBackwardMatchesDirectConvolution() {
        var g = SeededGenerator(seed: 32)
        // (batch, in, out, height, width, input gradient): channel groups of sixteen full and
        // partial (17 → 16 + 1, 20 → 16 + 4), odd and even sides, several chunks (40 × 64).
        for (batch, channels, outputs, height, width, inputGradient) in
            [(2, 3, 5, 9, 9, true), (40, 64, 5, 9, 9, true), (3, 4, 5, 6, 6, false), (1, 2, 5, 7, 7, true),
             (3, 17, 20, 9, 8, true), (3, 17, 20, 9, 9, true), (2, 16, 16, 5, 7, true), (1, 1, 1, 1, 1, true),
             (4, 32, 32, 3, 3, true), (12, 64, 5, 10, 10, true)] {
            let conv = Conv2D(inChannels: channels, outChannels: outputs, kernel: 3, padding: 1, name: "c", generator: &g)
            conv.bias!.value = Tensor.uniform(shape: [outputs], low: -1, high: 1, using: &g)
            conv.propagatesInputGradient = inputGradient
            let x = Tensor.uniform(shape: [batch, channels, height, width], low: -1, high: 1, using: &g)
            let dy = Tensor.uniform(shape: [batch, outputs, height, width], low: -1, high: 1, using: &g)
            var results: [(Tensor, Tensor, Tensor, Tensor)] = []
            for winograd in [false, true] {
                conv.usesWinograd = winograd
                conv.parameters.zeroGradients()
                let y = conv.forward(x).copy()
                let dx = conv.backward(dy).copy()
                results.append((y, dx, conv.weight.gradient.copy(), conv.bias!.gradient.copy()))
            }
            let (direct, fast) = (results[0], results[1])
            let label = "batch \(batch), \(channels) → \(outputs), \(height)×\(width)"
            XCTAssertLessThan(fast.0.maxAbsDifference(direct.0), 1e-4, "output, " + label)
            if inputGradient { XCTAssertLessThan(fast.1.maxAbsDifference(direct.1), 1e-4, "input gradient, " + label) }
            XCTAssertLessThan(fast.2.maxAbsDifference(direct.2) / max(1, direct.2.max()), 1e-4, "weight gradient, " + label)
            XCTAssertLessThan(fast.3.maxAbsDifference(direct.3), 1e-4, "bias gradient, " + label)
        }
    }
}

/// Data-parallel layers: results do not depend on scheduling, and several workers agree with one.
final class ParallelLayerTests: XCTestCase {
    override func tearDown() { Parallel.threads = 1 }

    func run(_ conv: Conv2D, _ x: Tensor, _ dy: Tensor) -> [Tensor] {
        conv.parameters.zeroGradients()
        let y = conv.forward(x).copy()
        let dx = conv.backward(dy).copy()
        return [y, dx, conv.weight.gradient.copy(), conv.bias!.gradient.copy()]
    }

    func testWorkersAgreeWithOneThreadAndRepeatBitForBit() {
        var g = SeededGenerator(seed: 41)
        for (kernel, padding, winograd) in [(3, 1, true), (3, 1, false), (3, 0, false)] {
            let conv = Conv2D(inChannels: 64, outChannels: 8, kernel: kernel, padding: padding, name: "c", generator: &g)
            conv.usesWinograd = winograd
            let x = Tensor.uniform(shape: [23, 64, 9, 9], low: -1, high: 1, using: &g)
            let dy = Tensor.uniform(shape: conv.forward(x).shape, low: -1, high: 1, using: &g)
            Parallel.threads = 1
            let single = run(conv, x, dy)
            for threads in [2, 3] {
                Parallel.threads = threads
                let first = run(conv, x, dy), second = run(conv, x, dy)
                for (a, b) in zip(first, second) { XCTAssertEqual(a, b, "\(threads) threads, run twice: bit for bit") }
                for (a, b) in zip(first, single) {
                    XCTAssertLessThan(a.maxAbsDifference(b) / max(1, b.max()), 1e-5, "\(threads) threads vs 1, winograd \(winograd)")
                }
            }
        }
    }

    /// Batches too small to split by samples split channels (Conv2D+Winograd.swift):
    /// F(2×2), F(3×3) and F(4×4), uneven channel shares, agree with one thread and repeat bit for bit.
    func testChannelSplitInferenceAgreesWithOneThread() {
        var g = SeededGenerator(seed: 43)
        // (batch, in, out, height, width, tiling); 20 inputs leave a partial sixteen-channel group.
        for (batch, inputs, outputs, h, w, tiles) in [(1, 64, 48, 9, 9, InferenceTiles.f2x2), (1, 20, 40, 19, 19, .f4x4),
                                                      (2, 64, 48, 9, 10, .f2x2), (1, 64, 56, 16, 15, .f4x4), (1, 64, 64, 9, 9, .f3x3)] {
            let conv = Conv2D(inChannels: inputs, outChannels: outputs, kernel: 3, padding: 1, name: "c", generator: &g)
            conv.bias!.value = Tensor.uniform(shape: [outputs], low: -1, high: 1, using: &g)
            conv.isTraining = false
            conv.inferenceTiles = tiles
            let x = Tensor.uniform(shape: [batch, inputs, h, w], low: -1, high: 1, using: &g)
            Parallel.threads = 1
            let single = conv.forward(x).copy()
            // These sizes make one chunk per sample: two samples need three workers to split channels.
            for threads in batch == 1 ? [2, 3] : [3] {
                Parallel.threads = threads
                XCTAssertEqual(conv.channelSplitWorkers(chunks: batch, batch: batch, area: h * w), threads, "channels split")
                let first = conv.forward(x).copy(), second = conv.forward(x).copy()
                XCTAssertEqual(first, second, "\(threads) threads, run twice: bit for bit")
                XCTAssertLessThan(first.maxAbsDifference(single), 1e-5, "\(threads) threads vs 1, \(h)×\(w), \(tiles)")
            }
        }
    }

    /// BatchNorm splits channels and optimizers split parameters: each piece is computed exactly
    /// as on one thread, so the results are bit for bit the same.
    func testChannelAndParameterSplitsAreExact() {
        var g = SeededGenerator(seed: 42)
        let x = Tensor.normal(shape: [64, 16, 9, 9], using: &g)
        let dy = Tensor.normal(shape: x.shape, using: &g)
        var results: [[Tensor]] = []
        for threads in [1, 2] {
            Parallel.threads = threads
            var gen = SeededGenerator(seed: 7)
            let net = TwoHeadNetwork.alphaGoZero(board: 9, planes: 16, filters: 16, blocks: 1, valueHidden: 8, generator: &gen)
            let bn = BatchNorm2D(channels: 16, name: "bn")
            let y = bn.forward(x).copy(), dx = bn.backward(dy).copy()
            let adam = Adam(parameters: net.parameters, learningRate: 0.01)
            for p in net.parameters where p.isTrainable { p.gradient = Tensor.normal(shape: p.value.shape, using: &gen) }
            adam.step()
            // A matrix larger than one update piece (UpdatePieces.elements), cut across workers.
            let dense = Dense(inputs: 1024, outputs: 128, name: "fc", generator: &gen)
            let rmsprop = RMSprop(parameters: dense.parameters, learningRate: 0.01, alpha: 0.95, epsilon: 0.01, centered: true)
            for _ in 0..<2 {
                for p in dense.parameters { p.gradient = Tensor.normal(shape: p.value.shape, using: &gen) }
                rmsprop.step()
            }
            results.append([y, dx, bn.weight.gradient.copy(), bn.runningVariance.value.copy()]
                           + (net.parameters + dense.parameters).map { $0.value.copy() })
        }
        XCTAssertEqual(results[0], results[1])
    }
}
