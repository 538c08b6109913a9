// Multi-head self-attention: outputs and every gradient against PyTorch's
// nn.MultiheadAttention with a causal and a padding mask (fixture from
// scripts/make_torch_fixtures.py attention), central differences with and without masks, and
// what the masks mean: no step sees a later one, nobody sees padding.
import Foundation
import Neural
import Tensors
import XCTest

final class AttentionTests: XCTestCase {
    var g = SeededGenerator(seed: 11)

    func testMatchesPyTorchWithCausalAndPaddingMasks() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "attention", withExtension: "safetensors", subdirectory: "Fixtures"))
        let f = try SafeTensorsFile.read(from: url.path)
        let layer = MultiHeadAttention(embed: 8, heads: 2, name: "", generator: &g)
        for p in layer.parameters { p.value = try XCTUnwrap(f[p.name], p.name) }
        layer.causal = true
        // PyTorch's key_padding_mask is [B, T]; Dojo's padding is [B·T] in the same order.
        layer.padding = Array(try XCTUnwrap(f["padding"]).withUnsafeBufferPointer { $0 }).map { $0 != 0 }
        layer.parameters.zeroGradients()
        func close(_ got: Tensor, _ expected: Tensor?, _ what: String) {
            guard let expected else { return XCTFail("fixture lacks \(what)") }
            XCTAssertEqual(got.shape, expected.shape, what)
            XCTAssertLessThan(got.maxAbsDifference(expected), 1e-5, "\(what): ours \(got) vs PyTorch \(expected)")
        }
        close(layer.forward(f["x"]!), f["y"], "y")
        close(layer.backward(f["dy"]!), f["dx"], "dx")
        for p in layer.parameters { close(p.gradient, f["grad." + p.name], "d " + p.name) }
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

    func testMasksHideTheFutureAndThePadding() {
        let layer = MultiHeadAttention(embed: 4, heads: 2, name: "", generator: &g)
        layer.causal = true
        layer.padding = [false, false, true, true]   // one sequence of 4 steps, the last two padding
        let x = Tensor.uniform(shape: [4, 1, 4], low: -1, high: 1, using: &g)
        let before = Array(layer.forward(x).withUnsafeBufferPointer { $0 })
        var changed = x
        for i in 8..<16 { changed[flat: i] += 5 }   // steps 2 and 3: the padding, and the future of steps 0–1
        let after = Array(layer.forward(changed).withUnsafeBufferPointer { $0 })
        XCTAssertEqual(Array(before[0..<8]), Array(after[0..<8]), "steps 0 and 1 see neither the future nor padding")
        var early = x
        early[flat: 0] += 1
        let moved = Array(layer.forward(early).withUnsafeBufferPointer { $0 })
        XCTAssertNotEqual(Array(moved[4..<8]), Array(before[4..<8]), "step 1 sees step 0")
    }
}
