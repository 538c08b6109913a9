// Each optimizer's update against steps worked out by hand (one parameter, value 1,
// gradient 0.5, learning rate 0.1 unless stated).
import Neural
import Tensors
import XCTest

final class OptimizerTests: XCTestCase {
    func parameter(_ value: Float = 1) -> Parameter { Parameter(name: "w", value: Tensor([value])) }

    func run(_ optimizer: any Optimizer, _ p: Parameter, gradients: [Float]) -> [Float] {
        gradients.map { grad in
            p.gradient[flat: 0] = grad
            optimizer.step()
            return p.value[flat: 0]
        }
    }

    func testSGDVariants() {
        var p = parameter()
        XCTAssertEqual(run(SGD(parameters: [p], learningRate: 0.1), p, gradients: [0.5])[0], 0.95, accuracy: 1e-6)
        p = parameter()
        // Momentum 0.9: buffer 0.5 then 0.9·0.5 + 0.5 = 0.95.
        let momentum = run(SGD(parameters: [p], learningRate: 0.1, momentum: 0.9), p, gradients: [0.5, 0.5])
        XCTAssertEqual(momentum[0], 0.95, accuracy: 1e-6)
        XCTAssertEqual(momentum[1], 0.855, accuracy: 1e-6)
        p = parameter()
        // Nesterov: step = g + μ·buffer = 0.5 + 0.45.
        XCTAssertEqual(run(SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true), p, gradients: [0.5])[0], 0.905, accuracy: 1e-6)
        p = parameter()
        // Weight decay adds λ·w to the gradient: 0.5 + 0.1.
        XCTAssertEqual(run(SGD(parameters: [p], learningRate: 0.1, weightDecay: 0.1), p, gradients: [0.5])[0], 0.94, accuracy: 1e-6)
    }

    func testRMSpropPlainAndCentered() {
        var p = parameter()
        // v = 0.05·0.25 = 0.0125; step = 0.1·0.5/(√0.0125 + 0.01)
        XCTAssertEqual(run(RMSprop(parameters: [p], learningRate: 0.1, alpha: 0.95, epsilon: 0.01), p, gradients: [0.5])[0],
                       1 - 0.05 / (Float(0.0125).squareRoot() + 0.01), accuracy: 1e-5)
        p = parameter()
        // Centered: ḡ = 0.025, denominator √(0.0125 − 0.000625) + 0.01 (ε outside the root).
        let centered = RMSprop(parameters: [p], learningRate: 0.1, alpha: 0.95, epsilon: 0.01, centered: true)
        let values = run(centered, p, gradients: [0.5, -0.25])
        XCTAssertEqual(values[0], 1 - 0.05 / (Float(0.0125 - 0.000625).squareRoot() + 0.01), accuracy: 1e-5)
        let v2 = 0.95 * 0.0125 + 0.05 * 0.0625, g2 = 0.95 * 0.025 + 0.05 * -0.25
        XCTAssertEqual(Double(values[1]), Double(values[0]) + 0.1 * 0.25 / ((v2 - g2 * g2).squareRoot() + 0.01), accuracy: 1e-5)
    }

    func testAdamAndAdamW() {
        var p = parameter()
        // Bias-corrected first steps move by lr·sign(g) when the gradient is constant.
        let adam = run(Adam(parameters: [p], learningRate: 0.1), p, gradients: [0.5, 0.5])
        XCTAssertEqual(adam[0], 0.9, accuracy: 1e-5)
        XCTAssertEqual(adam[1], 0.8, accuracy: 1e-5)
        p = parameter()
        // AdamW decays the weight first: 1·(1 − 0.1·0.1) − 0.1.
        XCTAssertEqual(run(Adam.adamW(parameters: [p], learningRate: 0.1, weightDecay: 0.1), p, gradients: [0.5])[0], 0.89, accuracy: 1e-5)
        p = parameter()
        // Adam's L2 decay is part of the gradient, so the first step is still lr·sign.
        XCTAssertEqual(run(Adam(parameters: [p], learningRate: 0.1, weightDecay: 0.1), p, gradients: [0.5])[0], 0.9, accuracy: 1e-5)
    }

    func testBuffersAreNotOptimised() {
        let bn = BatchNorm2D(channels: 2, name: "bn")
        let sgd = SGD(parameters: bn.parameters, learningRate: 1)
        XCTAssertEqual(sgd.parameters.map(\.name), ["bn.weight", "bn.bias"])
    }

    func testGradientClippingByGlobalNorm() {
        let a = Parameter(name: "a", value: Tensor([0, 0])), b = Parameter(name: "b", value: Tensor([0]))
        a.gradient = Tensor([3, 0]); b.gradient = Tensor([4])
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-5)
        XCTAssertEqual(a.gradient[flat: 0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(b.gradient[flat: 0], 0.8, accuracy: 1e-5)
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 1, accuracy: 1e-5)
        XCTAssertEqual(b.gradient[flat: 0], 0.8, accuracy: 1e-5, "no change under the limit")
    }

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant(0.1).rate(at: 1000), 0.1)
        let linear = LearningRateSchedule.linear(start: 1, end: 0.1, steps: 10)
        XCTAssertEqual(linear.rate(at: 0), 1)
        XCTAssertEqual(linear.rate(at: 5), 0.55, accuracy: 1e-6)
        XCTAssertEqual(linear.rate(at: 50), 0.1, accuracy: 1e-6)
        let cosine = LearningRateSchedule.cosine(start: 1, end: 0, steps: 100)
        XCTAssertEqual(cosine.rate(at: 50), 0.5, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(at: 100), 0, accuracy: 1e-6)
        let step = LearningRateSchedule.step(start: 1, factor: 0.1, every: 10)
        XCTAssertEqual(step.rate(at: 9), 1)
        XCTAssertEqual(step.rate(at: 25), 0.01, accuracy: 1e-7)
    }

    func testStateRoundTripsThroughNamedTensors() throws {
        let p = parameter()
        let a = Adam(parameters: [p], learningRate: 0.1)
        _ = run(a, p, gradients: [0.5, 0.2])
        let saved = Dictionary(uniqueKeysWithValues: a.stateTensors.map { ($0.name, $0.tensor.copy()) })
        XCTAssertEqual(Set(saved.keys), ["optim.adam.m.w", "optim.adam.v.w"])
        let p2 = parameter(p.value[flat: 0])
        let b = Adam(parameters: [p2], learningRate: 0.1)
        try b.loadState(saved)
        b.stepCount = a.stepCount
        XCTAssertEqual(run(a, p, gradients: [0.3]), run(b, p2, gradients: [0.3]))
        XCTAssertThrowsError(try SGD(parameters: [p2], learningRate: 0.1, momentum: 0.9).loadState(saved)) { error in
            XCTAssertTrue("\(error)".contains("optim.sgd.momentum.w is missing"), "\(error)")
        }
    }

    /// The optimizers' work pieces cover every value of every parameter exactly once, in
    /// runs of at most UpdatePieces.elements.
    func testUpdatePiecesPartitionEveryParameter() {
        var g = SeededGenerator(seed: 5)
        let counts = [1, UpdatePieces.elements, UpdatePieces.elements + 1, 3 * UpdatePieces.elements - 7, 0, 17]
        let parameters = counts.map { Parameter(name: "p\($0)", value: Tensor.uniform(shape: [$0], low: 0, high: 1, using: &g)) }
        var seen = counts.map { [Int](repeating: 0, count: $0) }
        UpdatePieces(parameters).forEach { i, range in
            XCTAssertLessThanOrEqual(range.count, UpdatePieces.elements)
            for j in range { seen[i][j] += 1 }
        }
        for (i, marks) in seen.enumerated() { XCTAssertTrue(marks.allSatisfy { $0 == 1 }, "parameter of \(counts[i]) values") }
    }
}
