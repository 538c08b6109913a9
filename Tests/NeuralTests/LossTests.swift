import Neural
import Tensors
import TestSupport
import XCTest

final class LossTests: XCTestCase {
    var g = SeededGenerator(seed: 77)
    let checker = GradientCheck()

    /// Gradient-checks a scalar loss of `x` whose gradient the closure writes.
    func checkLoss(_ name: String, _ x: Tensor, _ loss: @escaping (Tensor, inout Tensor) -> Float,
                   file: StaticString = #filePath, line: UInt = #line) {
        var gradient = Tensor.empty
        checker.check(name, input: x, parameters: [], forward: { Tensor([loss($0, &gradient)]) },
                      backward: { r in gradient.copy() * r[flat: 0] }, generator: &g, file: file, line: line)
    }

    func testRegressionLossesValuesAndGradients() {
        let p = Tensor([0.5, -2, 3]), t = Tensor([0, 0, 1])
        var grad = Tensor.empty
        XCTAssertEqual(MeanSquaredError()(p, t, gradient: &grad), (0.25 + 4 + 4) / 3, accuracy: 1e-6)
        XCTAssertEqual(grad.scalars, [1.0 / 3, -4.0 / 3, 4.0 / 3].map { Float($0) })
        // Huber δ=1: 0.5·0.25, 2−0.5, 2−0.5 → mean
        XCTAssertEqual(HuberLoss(delta: 1)(p, t, gradient: &grad), (0.125 + 1.5 + 1.5) / 3, accuracy: 1e-6)
        XCTAssertEqual(grad.scalars, [0.5 / 3, -1.0 / 3, 1.0 / 3].map { Float($0) })
        XCTAssertEqual(HuberLoss(delta: 2)(p, t, gradient: &grad), (0.125 + 2 + 2) / 3, accuracy: 1e-6)

        let x = awayFromZero(shape: [4, 3], margin: 0.1, generator: &g)
        let target = Tensor.uniform(shape: [4, 3], low: -0.01, high: 0.01, using: &g)
        checkLoss("mse", x) { MeanSquaredError()($0, target, gradient: &$1) }
        checkLoss("huber", x * 2) { HuberLoss(delta: 1)($0, target, gradient: &$1) }
    }

    func testCrossEntropyHardSoftAndMasked() {
        let logits = Tensor.uniform(shape: [3, 5], low: -2, high: 2, using: &g)
        let ce = SoftmaxCrossEntropy()
        var grad = Tensor.empty
        // Hard target equals −log softmax at the target.
        let lp = LogSoftmax().forward(logits)
        let loss = ce(logits, .hard([0, 4, 2]), gradient: &grad)
        XCTAssertEqual(loss, -(lp[0, 0] + lp[1, 4] + lp[2, 2]) / 3, accuracy: 1e-5)
        checkLoss("ce-hard", logits) { ce($0, .hard([0, 4, 2]), gradient: &$1) }

        var soft = Tensor.uniform(shape: [3, 5], low: 0, high: 1, using: &g)
        for r in 0..<3 { let s = soft.batch(r..<(r + 1)).sum(); for j in 0..<5 { soft[r, j] /= s } }
        checkLoss("ce-soft", logits) { ce($0, .soft(soft), gradient: &$1) }

        // A mask renormalises over legal moves; illegal logits get exactly zero gradient.
        let mask = Tensor(shape: [3, 5], values: [1, 1, 0, 1, 0,  0, 1, 1, 1, 1,  1, 0, 0, 0, 1])
        var maskedSoft = soft
        for r in 0..<3 {
            var s: Float = 0
            for j in 0..<5 { maskedSoft[r, j] *= mask[r, j]; s += maskedSoft[r, j] }
            for j in 0..<5 { maskedSoft[r, j] /= s }
        }
        _ = ce(logits, .soft(maskedSoft), mask: mask, gradient: &grad)
        for i in 0..<15 where mask[flat: i] == 0 { XCTAssertEqual(grad[flat: i], 0) }
        checkLoss("ce-masked", logits) { ce($0, .soft(maskedSoft), mask: mask, gradient: &$1) }
        // Changing an illegal logit changes nothing.
        var moved = logits
        moved[0, 2] += 100
        XCTAssertEqual(ce(moved, .hard([0, 1, 4]), mask: mask, gradient: &grad),
                       ce(logits, .hard([0, 1, 4]), mask: mask, gradient: &grad), accuracy: 1e-6)
    }

    func testPolicyGradientLoss() {
        let logits = Tensor.uniform(shape: [4, 3], low: -1, high: 1, using: &g)
        let pg = PolicyGradientLoss()
        var grad = Tensor.empty
        let lp = LogSoftmax().forward(logits)
        let advantages: [Float] = [1, -0.5, 2, 0]
        let actions = [0, 2, 1, 1]
        let expected = -(0..<4).map { advantages[$0] * lp[$0, actions[$0]] }.reduce(0, +) / 4
        XCTAssertEqual(pg(logits, actions: actions, advantages: advantages, gradient: &grad), expected, accuracy: 1e-5)
        checkLoss("policy-gradient", logits) { pg($0, actions: actions, advantages: advantages, gradient: &$1) }
        // Positive advantage pushes the chosen logit up (negative gradient).
        XCTAssertLessThan(grad[0, 0], 0)
        XCTAssertGreaterThan(grad[1, 2], 0)
    }
}
