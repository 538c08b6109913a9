@testable import Neural
import Tensors
import TestSupport
import XCTest

final class LayerGradientTests: XCTestCase {
    var g = SeededGenerator(seed: 2024)
    let checker = GradientCheck()

    func testDense() {
        let layer = Dense(inputs: 7, outputs: 5, name: "fc", generator: &g)
        layer.bias!.value = Tensor.uniform(shape: [5], low: -1, high: 1, using: &g)
        checker.check(layer, input: Tensor.uniform(shape: [3, 7], low: -1, high: 1, using: &g), generator: &g)
    }

    func testLayerNorm() {
        let layer = LayerNorm(features: 5, name: "ln")
        layer.weight.value = Tensor.uniform(shape: [5], low: 0.5, high: 1.5, using: &g)
        layer.bias.value = Tensor.uniform(shape: [5], low: -1, high: 1, using: &g)
        checker.check(layer, input: Tensor.uniform(shape: [2, 3, 5], low: -2, high: 2, using: &g), generator: &g)
    }

    func testConv2DWithPaddingStrideAndBias() {
        for (kernel, stride, padding) in [(3, 1, 1), (3, 2, 0), (2, 2, 1), (1, 1, 0), (3, 1, 0)] {
            let layer = Conv2D(inChannels: 3, outChannels: 4, kernel: kernel, stride: stride, padding: padding,
                               name: "conv", generator: &g)
            layer.bias!.value = Tensor.uniform(shape: [4], low: -1, high: 1, using: &g)
            checker.check(layer, input: Tensor.uniform(shape: [2, 3, 6, 5], low: -1, high: 1, using: &g), generator: &g)
        }
    }

    func testActivations() {
        let x = awayFromZero(shape: [4, 6], generator: &g)
        checker.check(ReLU(), input: x, generator: &g)
        checker.check(LeakyReLU(slope: 0.1), input: x, generator: &g)
        checker.check(Tanh(), input: x, generator: &g)
        checker.check(Sigmoid(), input: x, generator: &g)
        checker.check(SiLU(), input: x, generator: &g)
    }

    func testSoftmaxAndLogSoftmax() {
        let x = Tensor.uniform(shape: [3, 5], low: -2, high: 2, using: &g)
        checker.check(Softmax(), input: x, generator: &g)
        checker.check(LogSoftmax(), input: x, generator: &g)
        let p = Softmax().forward(x)
        for r in 0..<3 { XCTAssertEqual(p.batch(r..<(r + 1)).sum(), 1, accuracy: 1e-5) }
    }

    func testBias() {
        let layer = Bias(features: 5, name: "policy")
        for j in 0..<5 { layer.bias.value.scratchPointer[j] = Float(j) * 0.3 - 0.5 }
        let x = Tensor.uniform(shape: [3, 5], low: -1, high: 1, using: &g)
        checker.check(layer, input: x, generator: &g)
        let y = layer.forward(Tensor(shape: [1, 5], values: [1, 1, 1, 1, 1])).scalars
        for (got, want) in zip(y, [0.5, 0.8, 1.1, 1.4, 1.7] as [Float]) { XCTAssertEqual(got, want, accuracy: 1e-6) }
    }

    func testPooling() {
        // Distinct values so the max is unique and stays so under ±ε.
        var values = (0..<(2 * 2 * 6 * 6)).map { Float($0) * 0.1 }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, g.nextInt(below: i + 1)) }
        let x = Tensor(shape: [2, 2, 6, 6], values: values)
        checker.check(Pool2D.max(kernel: 2), input: x, generator: &g)
        checker.check(Pool2D.max(kernel: 3, stride: 2), input: x, generator: &g)
        checker.check(Pool2D.average(kernel: 2), input: x, generator: &g)
        checker.check(Pool2D.average(kernel: 3, stride: 1), input: x, generator: &g)
        checker.check(GlobalAvgPool(), input: x, generator: &g)
        checker.check(Flatten(), input: x, generator: &g)
        XCTAssertEqual(Pool2D.max(kernel: 2).forward(Tensor(shape: [1, 1, 2, 2], values: [1, 4, 3, 2])).scalars, [4])
    }

    func testDropoutWithFixedMaskAndIdentityInEval() {
        let layer = Dropout(probability: 0.3, generator: SeededGenerator(seed: 1))
        let start = layer.generator
        let x = Tensor.uniform(shape: [4, 10], low: -1, high: 1, using: &g)
        checker.check("Dropout", input: x, parameters: [], forward: { layer.generator = start; return layer.forward($0) },
                      backward: { layer.backward($0) }, generator: &g)
        let y = layer.forward(Tensor(repeating: 1, shape: [1, 10_000]))
        let kept = y.scalars.filter { $0 != 0 }
        XCTAssertEqual(Double(kept.count) / 10_000, 0.7, accuracy: 0.02)
        XCTAssertEqual(kept.first!, 1 / 0.7, accuracy: 1e-5)
        layer.isTraining = false
        XCTAssertEqual(layer.forward(x), x)
    }

    func testBatchNormTrainingAndEvaluation() {
        let bn = BatchNorm2D(channels: 3, name: "bn")
        bn.weight.value = Tensor.uniform(shape: [3], low: 0.5, high: 1.5, using: &g)
        bn.bias.value = Tensor.uniform(shape: [3], low: -1, high: 1, using: &g)
        let x = Tensor.uniform(shape: [4, 3, 3, 2], low: -2, high: 2, using: &g)
        checker.check(bn, input: x, generator: &g)
        bn.isTraining = false
        checker.check(bn, input: x, generator: &g)
    }

    func testBatchNormNormalisesAndTracksRunningStatistics() {
        let bn = BatchNorm2D(channels: 2, name: "bn")
        let x = Tensor.normal(shape: [8, 2, 4, 4], mean: 3, std: 2, using: &g)
        let y = bn.forward(x)
        for c in 0..<2 {
            var values: [Float] = []
            for b in 0..<8 { values += y.sample(b).sample(c).scalars }
            let mean = values.reduce(0, +) / Float(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            XCTAssertEqual(variance, 1, accuracy: 1e-3)
        }
        XCTAssertEqual(bn.runningMean.value[0], 0.3, accuracy: 0.08, "momentum 0.1 toward the batch mean 3")
    }

    /// Batches large enough to be split over workers: the statistics, outputs and every
    /// gradient are the same bits with one worker and with three (the per-channel sums are
    /// reduced in batch order whatever the split).
    func testBatchNormIsTheSameBitsAtAnyThreadCount() {
        defer { Parallel.threads = 1 }
        let x = Tensor.normal(shape: [37, 8, 17, 17], mean: 1, std: 3, using: &g)
        let dy = Tensor.normal(shape: x.shape, using: &g)
        XCTAssertGreaterThanOrEqual(x.count, BatchNorm2D.parallelElements, "large enough to split")
        func run(threads: Int) -> [Tensor] {
            Parallel.threads = threads
            let bn = BatchNorm2D(channels: 8, name: "bn")
            let y = bn.forward(x).copy(), dx = bn.backward(dy).copy()
            return [y, dx, bn.weight.gradient.copy(), bn.bias.gradient.copy(),
                    bn.runningMean.value.copy(), bn.runningVariance.value.copy()]
        }
        let one = run(threads: 1), three = run(threads: 3)
        let names = ["output", "input gradient", "γ gradient", "β gradient", "running mean", "running variance"]
        for (name, (a, b)) in zip(names, zip(one, three)) { XCTAssertTrue(a.scalars == b.scalars, "\(name) differs") }
    }

    func testBatchNormFoldsIntoConvolution() {
        let conv = Conv2D(inChannels: 2, outChannels: 3, kernel: 3, padding: 1, bias: false, name: "c", generator: &g)
        let bn = BatchNorm2D(channels: 3, name: "bn")
        for _ in 0..<5 { _ = bn.forward(conv.forward(Tensor.normal(shape: [4, 2, 5, 5], using: &g))) }
        bn.weight.value = Tensor.uniform(shape: [3], low: 0.5, high: 1.5, using: &g)
        bn.bias.value = Tensor.uniform(shape: [3], low: -1, high: 1, using: &g)
        bn.isTraining = false
        let x = Tensor.normal(shape: [2, 2, 5, 5], using: &g)
        let expected = bn.forward(conv.forward(x)).copy()
        bn.fold(into: conv)
        XCTAssertTrue(bn.isFolded)
        XCTAssertLessThan(bn.forward(conv.forward(x)).maxAbsDifference(expected), 1e-4)
    }

    func testResidualBlockSequentialAndTwoHeadNetwork() {
        let block = ResidualBlock(channels: 3, name: "block", generator: &g)
        checker.check(block, input: Tensor.uniform(shape: [2, 3, 4, 4], low: -1, high: 1, using: &g), generator: &g)

        let net = Sequential(
            Conv2D(inChannels: 2, outChannels: 4, kernel: 3, name: "conv", generator: &g), Tanh(), Flatten(),
            Dense(inputs: 4 * 3 * 3, outputs: 6, name: "fc1", generator: &g), SiLU(),
            Dense(inputs: 6, outputs: 3, name: "fc2", generator: &g))
        checker.check(net, input: Tensor.uniform(shape: [3, 2, 5, 5], low: -1, high: 1, using: &g), generator: &g)

        // Probe both heads at once: y = [policy | value] concatenated per row.
        func checkTwoHeads(_ az: TwoHeadNetwork, _ x: Tensor, generator g: inout SeededGenerator) {
            var rPolicy = Tensor.empty, rValue = Tensor.empty
            checker.check("TwoHeadNetwork", input: x, parameters: az.parameters, forward: { input in
                let (p, v) = az.forward(input)
                var joined = Tensor(zeros: [p.shape[0], p.shape[1] + 1])
                for r in 0..<p.shape[0] {
                    for j in 0..<p.shape[1] { joined[r, j] = p[r, j] }
                    joined[r, p.shape[1]] = v[r, 0]
                }
                return joined
            }, backward: { r in
                let n = r.shape[0], k = r.shape[1] - 1
                rPolicy = Tensor(zeros: [n, k]); rValue = Tensor(zeros: [n, 1])
                for i in 0..<n { for j in 0..<k { rPolicy[i, j] = r[i, j] }; rValue[i, 0] = r[i, k] }
                return az.backward(policyGradient: rPolicy, valueGradient: rValue)
            }, checkInput: false, generator: &g)
        }
        let az = TwoHeadNetwork.alphaGoZero(board: 3, planes: 2, filters: 4, blocks: 1, valueHidden: 5, generator: &g)
        checkTwoHeads(az, Tensor.uniform(shape: [3, 2, 3, 3], low: -1, high: 1, using: &g), generator: &g)
        // Any grid game: a 2×3 board, 3 actions (Connect-Four-like: one per column).
        let grid = TwoHeadNetwork.policyValue(height: 2, width: 3, planes: 3, actions: 3, filters: 4, blocks: 1, valueHidden: 5, generator: &g)
        XCTAssertEqual(grid.forward(Tensor(zeros: [2, 3, 2, 3])).policy.shape, [2, 3])
        checkTwoHeads(grid, Tensor.uniform(shape: [3, 3, 2, 3], low: -1, high: 1, using: &g), generator: &g)
        XCTAssertEqual(az.parameters.map(\.name).filter { $0.hasPrefix("trunk.block0.conv1") }, ["trunk.block0.conv1.weight"])
    }

    func testGlobalPoolingResidualBlock() {
        let block = GlobalPoolingResidualBlock(channels: 5, pooled: 2, name: "block", generator: &g)
        checker.check(block, input: Tensor.uniform(shape: [2, 5, 4, 3], low: -1, high: 1, using: &g), generator: &g)
        // In a network: every third block pools (and the last one of a shorter trunk).
        let names = { (blocks: Int) in
            TwoHeadNetwork.policyValue(height: 3, width: 3, planes: 2, actions: 10, filters: 6, blocks: blocks, valueHidden: 4,
                                       globalPooling: 2, generator: &self.g)
                .parameters.map(\.name).filter { $0.hasSuffix("pool.fc.weight") }
        }
        XCTAssertEqual(names(1), ["trunk.block0.pool.fc.weight"])
        XCTAssertEqual(names(6), ["trunk.block2.pool.fc.weight", "trunk.block5.pool.fc.weight"])
        // Folding BatchNorm leaves the inference output as it was.
        let net = TwoHeadNetwork.policyValue(height: 3, width: 3, planes: 2, actions: 10, filters: 6, blocks: 3, valueHidden: 4,
                                             globalPooling: 2, generator: &g)
        let x = Tensor.uniform(shape: [2, 2, 3, 3], low: -1, high: 1, using: &g)
        net.isTraining = true
        _ = net.forward(x)   // moves the running statistics away from their start
        net.isTraining = false
        let before = net.forward(x).policy.scalars
        net.foldBatchNorm()
        for (a, b) in zip(before, net.forward(x).policy.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    /// KataGo's auxiliary heads: all four outputs probed at once, y = [policy | value |
    /// ownership | score] per row, so the trunk's summed gradient is checked too.
    func testAuxiliaryHeadsOfTheTwoHeadNetwork() {
        let net = TwoHeadNetwork.policyValue(height: 3, width: 3, planes: 2, actions: 10, filters: 4, blocks: 1, valueHidden: 5,
                                             ownership: true, score: true, generator: &g)
        let widths = [10, 1, 9, 1]
        checker.check("TwoHeadNetwork+auxiliary", input: Tensor.uniform(shape: [3, 2, 3, 3], low: -1, high: 1, using: &g),
                      parameters: net.parameters, forward: { input in
            let o = net.forwardAll(input)
            let parts = [o.policy, o.value, o.ownership!, o.score!]
            var joined = Tensor(zeros: [o.policy.shape[0], widths.reduce(0, +)])
            for r in 0..<o.policy.shape[0] {
                var at = 0
                for (part, w) in zip(parts, widths) { for j in 0..<w { joined[r, at + j] = part[r, j] }; at += w }
            }
            return joined
        }, backward: { r in
            let n = r.shape[0]
            var parts = widths.map { Tensor(zeros: [n, $0]) }
            for i in 0..<n {
                var at = 0
                for k in parts.indices { for j in 0..<widths[k] { parts[k][i, j] = r[i, at + j] }; at += widths[k] }
            }
            return net.backward(policyGradient: parts[0], valueGradient: parts[1], ownershipGradient: parts[2], scoreGradient: parts[3])
        }, checkInput: false, generator: &g)
        XCTAssertEqual(net.parameters.filter { $0.name.hasPrefix("ownership.") || $0.name.hasPrefix("score.") }.count, 11)   // weights, biases and BatchNorm statistics
        let plain = TwoHeadNetwork.policyValue(height: 3, width: 3, planes: 2, actions: 10, filters: 4, blocks: 1, valueHidden: 5, generator: &g)
        XCTAssertFalse(plain.parameters.contains { $0.name.hasPrefix("ownership.") || $0.name.hasPrefix("score.") }, "off: the network is as before")
    }
}
