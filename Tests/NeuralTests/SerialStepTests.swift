// A training step run inside `Parallel.serially` (every split done by the calling thread,
// worker by worker) gives the same bits as on the pool: SplitCalibration.runStep picks between
// the two by speed alone. The network has each kind of per-worker work: an im2col convolution
// whose weight gradient is summed per worker, a Winograd one with channel splits, batch
// normalisation over a split batch, split products and an optimizer updated in pieces.
import Neural
import Tensors
import XCTest

final class SerialStepTests: XCTestCase {
    override func tearDown() { Parallel.threads = 1 }

    func steps(serially: Bool) -> [[Float]] {
        var g = SeededGenerator(seed: 77)
        let net = Sequential(
            Conv2D(inChannels: 4, outChannels: 16, kernel: 3, name: "c1", generator: &g), ReLU(),
            Conv2D(inChannels: 16, outChannels: 16, kernel: 3, padding: 1, bias: false, name: "c2", generator: &g),
            BatchNorm2D(channels: 16, name: "bn"), ReLU(), Flatten(),
            Dense(inputs: 16 * 10 * 10, outputs: 64, name: "fc1", generator: &g), ReLU(),
            Dense(inputs: 64, outputs: 5, name: "fc2", generator: &g))
        let parameters = net.parameters
        let optimizer = RMSprop(parameters: parameters, learningRate: 1e-3, alpha: 0.95, epsilon: 0.01, centered: true)
        var outputs: [[Float]] = []
        for _ in 0..<3 {
            let x = Tensor.uniform(shape: [64, 4, 12, 12], low: -1, high: 1, using: &g)
            let dy = Tensor.normal(shape: [64, 5], using: &g)
            func step() {
                outputs.append(net.forward(x).scalars)
                parameters.zeroGradients()
                _ = net.backward(dy)
                optimizer.step()
            }
            if serially { Parallel.serially(step) } else { step() }
        }
        return outputs + parameters.map(\.value.scalars)
    }

    func testAStepRunSeriallyIsTheSameBitsAsOnThePool() {
        Parallel.threads = 2
        let pooled = steps(serially: false), serial = steps(serially: true)
        XCTAssertEqual(pooled.count, serial.count)
        for (i, (a, b)) in zip(pooled, serial).enumerated() { XCTAssertTrue(a == b, "result \(i) differs") }
        Parallel.threads = 1
        let one = steps(serially: false)
        XCTAssertFalse(zip(one, pooled).allSatisfy { $0 == $1 }, "one thread sums the weight gradient in another order (the test sees per-worker work)")
    }
}
