// Multi-head self-attention: outputs and every gradient against PyTorch's
// nn.MultiheadAttention with a causal and a padding mask (fixture from
// scripts/make_torch_fixtures.py attention), central differences with and without masks, and
// what the masks mean: no step sees a later one, nobody sees padding, a window is the sequence
// cut to its last steps, segments are sequences run apart; without masks the fast softmax agrees
// with the masked one.
import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class AttentionTests: XCTestCase {
    var g = SeededGenerator(seed: 11)

    func testMatchesPyTorchWithCausalAndPaddingMasks() throws {
        let f = try torchFixture("attention")
        let layer = MultiHeadAttention(embed: 8, heads: 2, name: "", generator: &g)
        layer.causal = true
        // PyTorch's key_padding_mask is [B, T]; Dojo's padding is [B·T] in the same order.
        layer.padding = try XCTUnwrap(f["padding"]).withUnsafeBufferPointer { Array($0) }.map { $0 != 0 }
        try checkAgainstTorch(layer, f)
    }

    func testWithoutMasksTheFastSoftmaxMatchesTheMaskedOne() {
        // No mask at all takes its own softmax; a padding mask that hides nothing takes the
        // masked one: both must agree, also past a multiple of 16 steps and for scores large
        // enough that an unshifted exponential would overflow.
        var g = SeededGenerator(seed: 12)
        for (steps, spread) in [(20, Float(1)), (64, 1), (7, 40), (33, 40)] {
            let layer = MultiHeadAttention(embed: 16, heads: 2, name: "a", generator: &g)
            let x = Tensor.uniform(shape: [steps, 3, 16], low: -spread, high: spread, using: &g)
            let fast = layer.forward(x).withUnsafeBufferPointer { Array($0) }
            layer.padding = [Bool](repeating: false, count: steps * 3)
            let masked = layer.forward(x).withUnsafeBufferPointer { Array($0) }
            XCTAssertTrue(fast.allSatisfy(\.isFinite), "steps \(steps)")
            for (a, b) in zip(fast, masked) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "steps \(steps), spread \(spread)") }
        }
    }

    func testGradientsMatchCentralDifferences() {
        for masked in [false, true] {
            let layer = MultiHeadAttention(embed: 6, heads: 3, name: "attention", generator: &g)
            layer.inBias.value = .uniform(shape: [18], low: -0.2, high: 0.2, using: &g)
            layer.causal = masked
            layer.padding = masked ? [false, false, false, true, false, false, false, false] : nil
            GradientCheck().check(layer, input: .uniform(shape: [4, 2, 6], low: -1, high: 1, using: &g), generator: &g)
        }
    }

    func testGradientsMatchCentralDifferencesPastSixteenSteps() {
        // 19 steps: the softmax runs one full group of 16 queries and a narrower last one.
        for masked in [false, true] {
            let layer = MultiHeadAttention(embed: 4, heads: 2, name: "attention", generator: &g)
            layer.inBias.value = .uniform(shape: [12], low: -0.2, high: 0.2, using: &g)
            layer.causal = masked
            layer.window = masked ? 6 : nil
            var check = GradientCheck()
            check.samples = 24
            check.check(layer, input: .uniform(shape: [19, 2, 4], low: -1, high: 1, using: &g), generator: &g)
        }
    }

    func testMasksHideTheFutureAndThePadding() {
        let layer = MultiHeadAttention(embed: 4, heads: 2, name: "", generator: &g)
        layer.causal = true
        layer.padding = [false, false, true, true]   // one sequence of 4 steps, the last two padding
        let x = Tensor.uniform(shape: [4, 1, 4], low: -1, high: 1, using: &g)
        let before = layer.forward(x).withUnsafeBufferPointer { Array($0) }
        var changed = x
        for i in 8..<16 { changed[flat: i] += 5 }   // steps 2 and 3: the padding, and the future of steps 0–1
        let after = layer.forward(changed).withUnsafeBufferPointer { Array($0) }
        XCTAssertEqual(Array(before[0..<8]), Array(after[0..<8]), "steps 0 and 1 see neither the future nor padding")
        var early = x
        early[flat: 0] += 1
        let moved = layer.forward(early).withUnsafeBufferPointer { Array($0) }
        XCTAssertNotEqual(Array(moved[4..<8]), Array(before[4..<8]), "step 1 sees step 0")
    }

    /// Rows [t, b, ·] of a [T, B, E] tensor.
    private func rows(_ x: Tensor, step t: Int, sequence b: Int) -> [Float] {
        let B = x.shape[1], E = x.shape[2]
        return Array(x.withUnsafeBufferPointer { $0[((t * B + b) * E)..<((t * B + b + 1) * E)] })
    }

    /// Steps from..<to of sequence b as a [to − from, 1, E] tensor.
    private func slice(_ x: Tensor, sequence b: Int, from: Int, to: Int) -> Tensor {
        Tensor(shape: [to - from, 1, x.shape[2]], values: (from..<to).flatMap { rows(x, step: $0, sequence: b) })
    }

    func testWindowIsTheSequenceCutToItsLastSteps() {
        let layer = MultiHeadAttention(embed: 8, heads: 2, name: "", generator: &g)
        layer.inBias.value = .uniform(shape: [24], low: -0.2, high: 0.2, using: &g)
        layer.causal = true
        let x = Tensor.uniform(shape: [7, 2, 8], low: -1, high: 1, using: &g)
        layer.window = 3
        let windowed = layer.forward(x).copy()   // a layer's output is its buffer until the next call
        layer.window = nil
        for b in 0..<2 {
            for t in 0..<7 {
                let alone = layer.forward(slice(x, sequence: b, from: max(0, t - 2), to: t + 1))
                let last = rows(alone, step: alone.shape[0] - 1, sequence: 0)
                for (u, v) in zip(rows(windowed, step: t, sequence: b), last) { XCTAssertEqual(u, v, accuracy: 1e-5, "step \(t) of sequence \(b)") }
            }
        }
    }

    func testSegmentsAreSequencesRunApart() {
        let layer = MultiHeadAttention(embed: 4, heads: 2, name: "", generator: &g)
        layer.causal = true
        let x = Tensor.uniform(shape: [6, 2, 4], low: -1, high: 1, using: &g)
        // Sequence 0: segments 0 0 1 1 1 2; sequence 1: one segment.
        layer.segments = [0, 0, 1, 1, 1, 2] + [5, 5, 5, 5, 5, 5]
        let packed = layer.forward(x).copy()
        layer.segments = nil
        let whole = layer.forward(x).copy()
        for (from, to) in [(0, 2), (2, 5), (5, 6)] {
            let alone = layer.forward(slice(x, sequence: 0, from: from, to: to))
            for t in from..<to {
                for (u, v) in zip(rows(packed, step: t, sequence: 0), rows(alone, step: t - from, sequence: 0)) { XCTAssertEqual(u, v, accuracy: 1e-5, "step \(t)") }
            }
        }
        for t in 0..<6 { XCTAssertEqual(rows(packed, step: t, sequence: 1), rows(whole, step: t, sequence: 1), "one segment is no mask") }
    }

    func testWindowAndSegmentGradientsMatchCentralDifferences() {
        let layer = MultiHeadAttention(embed: 6, heads: 3, name: "attention", generator: &g)
        layer.causal = true
        layer.window = 2
        layer.segments = [0, 0, 1, 1, 3, 3, 3, 4]
        GradientCheck().check(layer, input: .uniform(shape: [4, 2, 6], low: -1, high: 1, using: &g), generator: &g)
    }
}
