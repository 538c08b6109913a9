// The sparse-input convolution (Conv2D+SparseInput.swift) against im2col + GEMM: outputs and
// weight gradients on observation-like inputs, for the DQN's valid 3×3 layer and for strides
// and paddings the scatter's index table must get right; and when the path is (not) taken.
@testable import Neural
import Tensors
import XCTest

final class SparseInputConvTests: XCTestCase {
    /// Bits with `density` of them set, and a few other non-zero values (the scatter multiplies
    /// by the value, so inputs need not be binary).
    func observation(_ shape: [Int], density: Float, _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape: shape, low: 0, high: 1, using: &g).map { u in
            u < density / 2 ? 1 : u < density ? (u * 7).rounded() - 0.5 : 0
        }
    }

    func testScatterMatchesIm2colForwardAndWeightGradient() {
        var g = SeededGenerator(seed: 41)
        // (batch, channels, height, width, outputs, kernel, stride, padding, threads)
        let cases = [(32, 4, 10, 10, 16, 3, 1, 0, 1), (5, 10, 10, 10, 16, 3, 1, 0, 2), (3, 3, 9, 7, 5, 3, 2, 1, 1),
                     (4, 2, 8, 11, 9, 5, 1, 2, 3), (2, 8, 6, 6, 12, 1, 1, 0, 1), (3, 3, 12, 12, 20, 4, 3, 1, 2)]
        defer { Parallel.threads = 1; Kernels.usesVectorScatter = BLAS.hasSmallKernels }
        // Both scatter kernels where the CPU has the vector one (CSIMD/SparseScatter.c).
        for (vector, (batch, channels, height, width, outputs, kernel, stride, padding, threads))
            in (BLAS.hasSmallKernels ? [false, true] : [false]).flatMap({ v in cases.map { (v, $0) } }) {
            Kernels.usesVectorScatter = vector
            Parallel.threads = threads
            let conv = Conv2D(inChannels: channels, outChannels: outputs, kernel: kernel, stride: stride,
                              padding: padding, name: "c", generator: &g)
            conv.bias!.value = Tensor.uniform(shape: [outputs], low: -1, high: 1, using: &g)
            conv.propagatesInputGradient = false
            let x = observation([batch, channels, height, width], density: 0.05, &g)
            let label = (vector ? "vector, " : "portable, ") + "\(channels)×\(height)×\(width) → \(outputs), kernel \(kernel) stride \(stride) padding \(padding), \(threads) threads"
            // Sparse enough for both scatters, forward and weight gradient.
            XCTAssertLessThanOrEqual(conv.sparseInputDensity(x) ?? 1, Conv2D.sparseGradientDensityLimit, label)
            let dy = Tensor.uniform(shape: conv.forward(x).shape, low: -1, high: 1, using: &g)
            var results: [(output: Tensor, weight: Tensor, bias: Tensor)] = []
            for sparse in [false, true] {
                conv.usesSparseInput = sparse
                conv.parameters.zeroGradients()
                let y = conv.forward(x).copy()
                _ = conv.backward(dy)
                results.append((y, conv.weight.gradient.copy(), conv.bias!.gradient.copy()))
            }
            let (dense, sparse) = (results[0], results[1])
            XCTAssertEqual(sparse.output.shape, dense.output.shape, label)
            XCTAssertLessThan(sparse.output.maxAbsDifference(dense.output), 1e-4, "output, " + label)
            XCTAssertLessThan(sparse.weight.maxAbsDifference(dense.weight), 1e-3, "weight gradient, " + label)
            XCTAssertLessThan(sparse.bias.maxAbsDifference(dense.bias), 1e-4, "bias gradient, " + label)
        }
    }

    /// Dense inputs, layers that must return an input gradient, and 3×3 padding-1 layers (the
    /// Winograd path) keep their algorithms; the sparse path repeats bit for bit.
    func testPathChoiceAndRepeatability() {
        var g = SeededGenerator(seed: 42)
        let conv = Conv2D(inChannels: 4, outChannels: 16, kernel: 3, name: "c", generator: &g)
        let sparse = observation([8, 4, 10, 10], density: 0.1, &g)
        let dense = observation([8, 4, 10, 10], density: 0.6, &g)
        XCTAssertFalse(conv.usesSparsePath(sparse), "a layer that returns an input gradient never scatters")
        conv.propagatesInputGradient = false
        XCTAssertTrue(conv.usesSparsePath(sparse))
        XCTAssertFalse(conv.usesSparsePath(dense), "60% non-zero is above the density limit")
        conv.usesSparseInput = false
        XCTAssertFalse(conv.usesSparsePath(sparse))
        conv.usesSparseInput = true
        let first = conv.forward(sparse).copy()
        XCTAssertEqual(conv.forward(sparse).scalars, first.scalars)

        let padded = Conv2D(inChannels: 4, outChannels: 8, kernel: 3, padding: 1, name: "p", generator: &g)
        padded.propagatesInputGradient = false
        XCTAssertFalse(padded.usesSparsePath(sparse), "3×3 padding-1 layers stay on Winograd")
    }
}
