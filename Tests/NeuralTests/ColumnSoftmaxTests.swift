// The column softmax attention keeps its scores in (VectorMath+ColumnSoftmax.swift): forward,
// masked forward and backward against a plain per-column computation in Double, on widths with
// full groups of 16 columns and a narrower last group, with a column that may attend to nothing.
import Foundation
@testable import Neural
import Tensors
import XCTest

final class ColumnSoftmaxTests: XCTestCase {
    var g = SeededGenerator(seed: 31)

    /// Block [rows, columns] with entries in ±spread.
    private func block(_ rows: Int, _ columns: Int, spread: Float) -> [Float] {
        (0..<(rows * columns)).map { _ in Float.random(in: -spread...spread, using: &g) }
    }

    /// Softmax of column i over the rows allowed by `mask` (all when nil), in Double.
    private func expected(_ x: [Float], _ rows: Int, _ columns: Int, mask: [Float]?) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for i in 0..<columns {
            let keys = (0..<rows).filter { (mask?[$0 * columns + i] ?? 1) == 1 }
            guard let top = keys.map({ Double(x[$0 * columns + i]) }).max() else { continue }
            let sum = keys.reduce(0.0) { $0 + Foundation.exp(Double(x[$1 * columns + i]) - top) }
            for j in keys { y[j * columns + i] = Foundation.exp(Double(x[j * columns + i]) - top) / sum }
        }
        return y
    }

    func testForwardMaskedForwardAndBackwardMatchAPlainSoftmaxPerColumn() {
        for (rows, columns, spread) in [(5, 37, Float(1)), (64, 64, 1), (3, 7, 40), (17, 16, 40), (1, 20, 1)] {
            let x = block(rows, columns, spread: spread)
            var scratch = [Float](repeating: .nan, count: VectorMath.columnScratchCount(rows: rows))
            var y = x
            VectorMath.columnSoftmax(rows: rows, columns: columns, &y, scratch: &scratch)
            for (a, b) in zip(y, expected(x, rows, columns, mask: nil)) { XCTAssertEqual(Double(a), b, accuracy: 2e-6, "\(rows)×\(columns)") }

            // A random mask; column 2 sees nothing (it must become zeros, not NaN).
            var mask = (0..<(rows * columns)).map { _ in Float(Bool.random(using: &g) ? 1 : 0) }
            for j in 0..<rows { mask[j * columns + 2] = 0 }
            var masked = x
            VectorMath.maskedColumnSoftmax(rows: rows, columns: columns, &masked, mask: &mask, scratch: &scratch)
            for (a, b) in zip(masked, expected(x, rows, columns, mask: mask)) { XCTAssertEqual(Double(a), b, accuracy: 2e-6, "masked \(rows)×\(columns)") }

            // Backward: d ← P ⊙ (d − Σⱼ Pⱼ dⱼ) · scale, column by column.
            let dy = block(rows, columns, spread: 1)
            var d = dy
            VectorMath.columnSoftmaxBackward(rows: rows, columns: columns, probabilities: &y, &d, scale: 0.5, scratch: &scratch)
            for i in 0..<columns {
                let dot = (0..<rows).reduce(0.0) { $0 + Double(y[$1 * columns + i]) * Double(dy[$1 * columns + i]) }
                for j in 0..<rows {
                    let k = j * columns + i
                    XCTAssertEqual(Double(d[k]), Double(y[k]) * (Double(dy[k]) - dot) * 0.5, accuracy: 1e-6, "backward \(rows)×\(columns) [\(j), \(i)]")
                }
            }
        }
    }
}
