// GTrXL's GRU-type gate: gradients by central differences (both inputs and every parameter),
// and the identity it starts near (b_g = 2 keeps z small) — exactly the stream when z → 0.
import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class GRUGateTests: XCTestCase {
    var g = SeededGenerator(seed: 31)

    func testGradientsMatchCentralDifferences() {
        let gate = GRUGate(width: 5, gateBias: 0.5, name: "gate", generator: &g)
        let rows = 3, E = 5
        // Both inputs packed as [2, rows, E]: the stream, then the sublayer's output.
        func split(_ packed: Tensor) -> (Tensor, Tensor) {
            let values = packed.withUnsafeBufferPointer { Array($0) }
            return (Tensor(shape: [rows, E], values: Array(values[0..<(rows * E)])), Tensor(shape: [rows, E], values: Array(values[(rows * E)...])))
        }
        GradientCheck().check("GRUGate", input: .uniform(shape: [2, rows, E], low: -1, high: 1, using: &g), parameters: gate.parameters,
                              forward: { let (x, y) = split($0); return gate.forward(x, y) },
                              backward: { dg in
                                  let (dx, dy) = gate.backward(dg)
                                  return Tensor(shape: [2, rows, E], values: dx.withUnsafeBufferPointer { Array($0) } + dy.withUnsafeBufferPointer { Array($0) })
                              }, generator: &g)
    }

    func testAClosedGateIsTheStream() {
        let gate = GRUGate(width: 4, gateBias: 60, name: "", generator: &g)   // z = σ(… − 60) ≈ 0
        let x = Tensor.uniform(shape: [2, 4], low: -1, high: 1, using: &g), y = Tensor.uniform(shape: [2, 4], low: -1, high: 1, using: &g)
        let out = gate.forward(x, y)
        for i in 0..<8 { XCTAssertEqual(out[flat: i], x[flat: i], accuracy: 1e-6) }
        let open = GRUGate(width: 4, gateBias: 2, name: "", generator: &g)
        XCTAssertNotEqual(open.forward(x, y).withUnsafeBufferPointer { Array($0) }, x.withUnsafeBufferPointer { Array($0) }, "b_g = 2: near, not at, the identity")
    }
}
