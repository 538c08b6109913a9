// The actor-critic losses' gradients against central differences (clipped and unclipped rows,
// a mask, the entropy bonus, A2C's unclipped form, the clipped value loss), their statistics
// against values computed by hand, and the orthogonal initialisation.
import Neural
import Tensors
import XCTest

final class ActorCriticLossTests: XCTestCase {
    /// Logits of 4 rows × 5 actions, the last action masked in row 2.
    let logits: [Float] = [0.3, -0.2, 0.9, 0.1, -1.0,
                           1.2, 0.4, -0.3, 0.0, 0.2,
                           -0.5, 0.7, 0.1, 0.6, 0.0,
                           0.05, 0.0, -0.4, 0.8, 0.3]
    let actions = [2, 0, 3, 4]
    let advantages: [Float] = [1.5, -0.8, 0.6, -1.2]

    func mask() -> Tensor {
        var m = [Float](repeating: 1, count: 20)
        m[14] = 0
        return Tensor(shape: [4, 5], values: m)
    }

    /// Old log-probabilities chosen so that rows 0 and 1 are clipped (ratio far from 1 on the
    /// side the surrogate cuts) and rows 2 and 3 are not.
    func oldLogProbabilities(clip: Float) -> [Float] {
        let lp = PolicyLossReference.logSoftmax(logits, rows: 4, columns: 5, mask: mask())
        let ratios: [Float] = [1.6, 0.5, 1.05, 0.97]
        return (0..<4).map { lp[$0 * 5 + actions[$0]] - log(ratios[$0]) }
    }

    func loss(_ values: [Float], clip: Float, entropyCoefficient: Float, old: [Float]) -> (Float, PolicyLossStatistics, [Float]) {
        var gradient = Tensor.empty
        let s = ClippedSurrogateLoss()(Tensor(shape: [4, 5], values: values), mask: mask(), actions: actions, oldLogProbabilities: old,
                                       advantages: advantages, clip: clip, entropyCoefficient: entropyCoefficient, gradient: &gradient)
        return (s.policyLoss - entropyCoefficient * s.entropy, s, gradient.withUnsafeBufferPointer { Array($0) })
    }

    func checkGradient(clip: Float, entropyCoefficient: Float, file: StaticString = #filePath, line: UInt = #line) {
        let old = oldLogProbabilities(clip: clip)
        let (_, _, analytic) = loss(logits, clip: clip, entropyCoefficient: entropyCoefficient, old: old)
        let h: Float = 1e-3
        for i in logits.indices {
            var up = logits, down = logits
            up[i] += h; down[i] -= h
            let numeric = (loss(up, clip: clip, entropyCoefficient: entropyCoefficient, old: old).0
                           - loss(down, clip: clip, entropyCoefficient: entropyCoefficient, old: old).0) / (2 * h)
            XCTAssertEqual(analytic[i], numeric, accuracy: 2e-3, "d loss / d logit \(i) (clip \(clip), entropy \(entropyCoefficient))", file: file, line: line)
        }
        XCTAssertEqual(analytic[14], 0, "a masked action gets no gradient", file: file, line: line)
    }

    func testPolicyGradientMatchesCentralDifferences() {
        checkGradient(clip: 0.2, entropyCoefficient: 0)
        checkGradient(clip: 0.2, entropyCoefficient: 0.05)
        checkGradient(clip: 0, entropyCoefficient: 0.01)   // A2C
    }

    func testClippedRowsGetNoGradientAndStatisticsAreRight() {
        let old = oldLogProbabilities(clip: 0.2)
        let (_, s, g) = loss(logits, clip: 0.2, entropyCoefficient: 0, old: old)
        // Row 0: A > 0 and ratio 1.6 > 1.2: clipped. Row 1: A < 0 and ratio 0.5 < 0.8: clipped.
        for j in 0..<10 { XCTAssertEqual(g[j], 0, accuracy: 1e-7, "clipped rows 0 and 1 contribute nothing (entry \(j))") }
        XCTAssertEqual(s.clipFraction, 0.5, accuracy: 1e-6)
        let ratios: [Float] = [1.6, 0.5, 1.05, 0.97]
        let kl = ratios.map { ($0 - 1) - log($0) }.reduce(0, +) / 4
        XCTAssertEqual(s.approxKL, kl, accuracy: 1e-5)
        // −min(ρA, clip(ρ)A) per row.
        let expected = zip(ratios, advantages).map { r, a in -min(r * a, min(max(r, 0.8), 1.2) * a) }.reduce(0, +) / 4
        XCTAssertEqual(s.policyLoss, expected, accuracy: 1e-5)
    }

    func testValueLossGradientAndClipping() {
        let returns: [Float] = [1.0, -0.5, 0.2], old: [Float] = [0.5, 0.0, 0.25]
        let values: [Float] = [0.9, 0.3, 0.21]
        for clip: Float in [0, 0.2] {
            var gradient = Tensor.empty
            _ = valueLoss(Tensor(shape: [3, 1], values: values), returns: returns, oldValues: old, clip: clip, gradient: &gradient)
            let analytic = gradient.withUnsafeBufferPointer { Array($0) }
            for i in 0..<3 {
                var up = values, down = values
                up[i] += 1e-3; down[i] -= 1e-3
                var unused = Tensor.empty
                let numeric = (valueLoss(Tensor(shape: [3, 1], values: up), returns: returns, oldValues: old, clip: clip, gradient: &unused)
                               - valueLoss(Tensor(shape: [3, 1], values: down), returns: returns, oldValues: old, clip: clip, gradient: &unused)) / 2e-3
                XCTAssertEqual(analytic[i], numeric, accuracy: 1e-3, "value \(i), clip \(clip)")
            }
        }
        // Row 1 moved 0.3 from its old value, away from its return: the clipped error (0.2 + 0.5)
        // is smaller than the real one (0.8), so the pessimistic max keeps the real one.
        var gradient = Tensor.empty
        let clipped = valueLoss(Tensor(shape: [3, 1], values: values), returns: returns, oldValues: old, clip: 0.2, gradient: &gradient)
        let plain = valueLoss(Tensor(shape: [3, 1], values: values), returns: returns, oldValues: old, clip: 0, gradient: &gradient)
        // Row 0 moved 0.4 toward its return: clipped to old + 0.2 = 0.7, error 0.3 > 0.1.
        XCTAssertEqual(clipped - plain, 0.5 * (0.3 * 0.3 - 0.1 * 0.1) / 3, accuracy: 1e-6)
    }

    func testOrthogonalInitialisation() {
        var g = SeededGenerator(seed: 5)
        for shape in [[4, 9], [9, 4], [16, 4, 3, 3], [6, 6]] {
            let w = Tensor.orthogonal(shape: shape, gain: 1.5, using: &g)
            let rows = shape[0], columns = w.count / rows, p = w.withUnsafeBufferPointer { Array($0) }
            // Gram matrix over the shorter side.
            let short = min(rows, columns)
            for a in 0..<short {
                for b in 0..<short {
                    var dot: Float = 0
                    if rows <= columns { for c in 0..<columns { dot += p[a * columns + c] * p[b * columns + c] } }
                    else { for r in 0..<rows { dot += p[r * columns + a] * p[r * columns + b] } }
                    XCTAssertEqual(dot, a == b ? 2.25 : 0, accuracy: 1e-4, "shape \(shape): entry (\(a), \(b)) of the Gram matrix")
                }
            }
        }
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        let a = Tensor.orthogonal(shape: [4, 9], gain: 1, using: &first), b = Tensor.orthogonal(shape: [4, 9], gain: 1, using: &second)
        XCTAssertEqual(a.withUnsafeBufferPointer { Array($0) }, b.withUnsafeBufferPointer { Array($0) }, "the same seed draws the same matrix")
    }
}

/// A plain masked log-softmax, written independently of the library's, for building inputs.
enum PolicyLossReference {
    static func logSoftmax(_ x: [Float], rows: Int, columns: Int, mask: Tensor) -> [Float] {
        let m = mask.withUnsafeBufferPointer { Array($0) }
        var out = [Float](repeating: -.infinity, count: x.count)
        for r in 0..<rows {
            let legal = (0..<columns).filter { m[r * columns + $0] != 0 }
            let top = legal.map { x[r * columns + $0] }.max()!
            let lse = top + log(legal.map { exp(x[r * columns + $0] - top) }.reduce(0, +))
            for j in legal { out[r * columns + j] = x[r * columns + j] - lse }
        }
        return out
    }
}
