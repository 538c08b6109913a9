// The Transformer encoder block (pre-norm) against PyTorch's nn.TransformerEncoderLayer with
// norm_first=True and the same causal and padding masks (fixture from
// scripts/make_torch_fixtures.py transformer), central differences, a checkpoint round trip
// under PyTorch's names; the sinusoidal positional encoding against Vaswani et al.'s formula.
import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class TransformerTests: XCTestCase {
    var g = SeededGenerator(seed: 21)

    func testBlockMatchesPyTorch() throws {
        let f = try torchFixture("transformer")
        let block = TransformerEncoderBlock(embed: 8, heads: 2, feedForward: 16, name: "", generator: &g)
        block.attention.causal = true
        block.attention.padding = try XCTUnwrap(f["padding"]).withUnsafeBufferPointer { Array($0) }.map { $0 != 0 }
        try checkAgainstTorch(block, f, tolerance: 2e-5)
    }

    func testBlockGradientsMatchCentralDifferences() {
        for masked in [false, true] {
            let block = TransformerEncoderBlock(embed: 6, heads: 2, feedForward: 10, name: "block", generator: &g)
            block.linear1.bias?.value = .uniform(shape: [10], low: 0.05, high: 0.3, using: &g)   // ReLU kinks away from 0
            block.attention.causal = masked
            block.attention.window = masked ? 2 : nil
            GradientCheck().check(block, input: .uniform(shape: [4, 2, 6], low: -1, high: 1, using: &g), generator: &g)
        }
    }

    func testBlockCheckpointRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("block-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let x = Tensor.uniform(shape: [3, 2, 8], low: -1, high: 1, using: &g)
        let saved = TransformerEncoderBlock(embed: 8, heads: 4, feedForward: 12, name: "encoder", generator: &g)
        saved.norm2.bias.value = .uniform(shape: [8], low: -1, high: 1, using: &g)
        try Checkpoint.save(to: path, parameters: saved.parameters)
        let loaded = TransformerEncoderBlock(embed: 8, heads: 4, feedForward: 12, name: "encoder", generator: &g)
        XCTAssertNotEqual(loaded.forward(x).withUnsafeBufferPointer { Array($0) }, saved.forward(x).withUnsafeBufferPointer { Array($0) })
        try Checkpoint.load(from: path, into: loaded.parameters)
        XCTAssertEqual(loaded.forward(x).withUnsafeBufferPointer { Array($0) }, saved.forward(x).withUnsafeBufferPointer { Array($0) })
        XCTAssertEqual(Set(saved.parameters.map(\.name)), ["encoder.self_attn.in_proj_weight", "encoder.self_attn.in_proj_bias",
            "encoder.self_attn.out_proj.weight", "encoder.self_attn.out_proj.bias", "encoder.linear1.weight", "encoder.linear1.bias",
            "encoder.linear2.weight", "encoder.linear2.bias", "encoder.norm1.weight", "encoder.norm1.bias", "encoder.norm2.weight", "encoder.norm2.bias"])
    }

    func testPositionalEncodingIsVaswanisSinusoid() {
        let layer = PositionalEncoding(embed: 6)
        let x = Tensor.uniform(shape: [4, 2, 6], low: -1, high: 1, using: &g)
        for offset in [0, 7] {
            layer.offset = offset
            let y = layer.forward(x).copy()
            for t in 0..<4 {
                for b in 0..<2 {
                    for j in 0..<6 {
                        let angle = Double(offset + t) / Foundation.pow(10_000, Double(2 * (j / 2)) / 6)
                        let pe = j % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle)
                        XCTAssertEqual(Double(y[flat: (t * 2 + b) * 6 + j] - x[flat: (t * 2 + b) * 6 + j]), pe, accuracy: 1e-6, "t \(t) j \(j) offset \(offset)")
                    }
                }
            }
        }
        XCTAssertEqual(PositionalEncoding.value(position: 0, index: 1, embed: 6), 1)
        GradientCheck().check(layer, input: x, generator: &g)
    }
}
