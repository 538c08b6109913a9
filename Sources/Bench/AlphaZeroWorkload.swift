// The AlphaGo Zero-shaped 9×9 network (17 planes, stem 64, 6 residual blocks of 64, policy and
// value heads with 256 hidden units): a training step at batch 256 (soft-target policy
// cross-entropy + value MSE, Adam lr 1e-3) and eval-mode inference at batch 1, 8 and 64 —
// reference/perf/torch_bench.py workload (c). The KataGo shape (`kata-*`) is the same trunk with
// global pooling in blocks 3 and 6 (16 of 64 channels pooled) and the ownership and score
// heads, trained with their losses (weights 1.5 and 1) — scripts/torch_katago_bench.py is its
// PyTorch twin. `--blocks`/`--filters` change the trunk (kata pools a quarter of the
// filters) and `--batch` the batch sizes (training: 256 by default); the PyTorch twins have the
// default shapes only.
import Neural
import Tensors

enum AlphaZeroWorkload {
    static let board = 9, planes = 17

    enum Shape {
        case alphaGoZero, kataGo
        var name: String { self == .kataGo ? "kata" : "az" }
        func variant(_ settings: BenchmarkSettings) -> String {
            let trunk = "9x9 \(settings.blocks)x\(settings.filters)"
            return self == .kataGo ? trunk + " + pool \(pooled(settings)), ownership, score" : trunk
        }
        /// Global pooling channels of the kata shape: a quarter of the filters (16 of 64).
        func pooled(_ settings: BenchmarkSettings) -> Int { self == .kataGo ? max(1, settings.filters / 4) : 0 }
    }

    static func network(_ shape: Shape, _ settings: BenchmarkSettings, generator: inout SeededGenerator) -> TwoHeadNetwork {
        let kata = shape == .kataGo
        return TwoHeadNetwork.policyValue(height: board, width: board, planes: planes, actions: board * board + 1, filters: settings.filters,
                                          blocks: settings.blocks, valueHidden: 256, globalPooling: shape.pooled(settings),
                                          ownership: kata, score: kata, generator: &generator)
    }

    /// Forward FLOPs per position counted from the weights (1 MAC = 2 FLOP, like torch's
    /// counter): a convolution's weights once per board point, a dense layer's once. 73.3e6 for
    /// the AlphaGo Zero shape. `auxiliaryHeads: false` leaves those heads out (inference skips
    /// them).
    static func forwardFlops(_ net: TwoHeadNetwork, auxiliaryHeads: Bool) -> Double {
        let chains = [net.trunk, net.policyHead, net.valueHead] + (auxiliaryHeads ? [net.ownershipHead, net.scoreHead].compactMap { $0 } : [])
        return chains.flatMap(\.parameters).filter(\.isTrainable).reduce(0.0) { total, p in
            let s = p.value.shape
            if s.count == 4 { return total + 2 * Double(p.value.count * board * board) }   // conv weight
            if s.count == 2 { return total + 2 * Double(p.value.count) }                   // dense weight
            return total
        }
    }

    static func inputs(batch: Int, generator: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape: [batch, planes, board, board], low: 0, high: 1, using: &generator).map { $0 < 0.3 ? 1 : 0 }
    }

    static func runTraining(_ settings: BenchmarkSettings) -> [BenchmarkResult] { training(.alphaGoZero, settings) }
    static func runInference(_ settings: BenchmarkSettings) -> [BenchmarkResult] { inference(.alphaGoZero, settings) }
    static func runKataTraining(_ settings: BenchmarkSettings) -> [BenchmarkResult] { training(.kataGo, settings) }
    static func runKataInference(_ settings: BenchmarkSettings) -> [BenchmarkResult] { inference(.kataGo, settings) }

    static func training(_ shape: Shape, _ settings: BenchmarkSettings) -> [BenchmarkResult] {
        (settings.batches ?? [256]).map { training(shape, batch: $0, settings) }
    }

    static func training(_ shape: Shape, batch: Int, _ settings: BenchmarkSettings) -> BenchmarkResult {
        var g = SeededGenerator(seed: settings.seed &+ 4)
        let net = network(shape, settings, generator: &g)
        let moves = board * board + 1, area = board * board
        let x = inputs(batch: batch, generator: &g)
        let pi = Tensor.uniform(shape: [batch, moves], low: 0, high: 1, using: &g)
        let piPointer = pi.scratchPointer
        for r in 0..<batch {   // rows of a distribution
            let s = Kernels.sum(moves, piPointer + r * moves)
            Kernels.scale(moves, 1 / s, piPointer + r * moves)
        }
        let z = Tensor(shape: [batch, 1], values: (0..<batch).map { _ in Float(g.nextInt(below: 3) - 1) })
        let owners = Tensor(shape: [batch, area], values: (0..<batch * area).map { _ in Float(g.nextInt(below: 3) - 1) })
        let margins = Tensor.uniform(shape: [batch, 1], low: -1, high: 1, using: &g)
        let parameters = net.parameters
        let optimizer = Adam(parameters: parameters, learningRate: 1e-3)
        let crossEntropy = SoftmaxCrossEntropy(), mse = MeanSquaredError()
        var dp = Tensor.empty, dv = Tensor.empty, dOwnership = Tensor.empty, dScore = Tensor.empty
        let seconds = timeRepeats(settings, warmup: 2) {
            let o = net.forwardAll(x)
            _ = crossEntropy(o.policy, .soft(pi), gradient: &dp) + mse(o.value, z, gradient: &dv)
            if let ownership = o.ownership, let score = o.score {
                _ = mse(ownership, owners, gradient: &dOwnership) + mse(score, margins, gradient: &dScore)
                Kernels.scale(dOwnership.count, 1.5, dOwnership.scratchPointer)
            }
            parameters.zeroGradients()
            _ = net.backward(policyGradient: dp, valueGradient: dv, ownershipGradient: o.ownership == nil ? nil : dOwnership,
                             scoreGradient: o.score == nil ? nil : dScore)
            optimizer.step()
        }
        // Backward costs about twice the forward, minus the stem's unused input gradient.
        let stem = 2.0 * Double(planes * settings.filters * 9 * area)
        let flops = Double(batch) * (3 * forwardFlops(net, auxiliaryHeads: true) - stem)
        return makeResult("\(shape.name)-train", variant: "\(shape.variant(settings)) Adam", batch: batch, unit: "steps/s",
                          itemsPerCall: 1, flopsPerCall: flops, seconds: seconds, settings: settings)
    }

    static func inference(_ shape: Shape, _ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var g = SeededGenerator(seed: settings.seed &+ 5)
        let net = network(shape, settings, generator: &g)
        net.isTraining = false
        net.foldBatchNorm()
        let perPosition = forwardFlops(net, auxiliaryHeads: false)
        return (settings.batches ?? [1, 8, 64]).map { batch in
            let x = inputs(batch: batch, generator: &g)
            let seconds = timeRepeats(settings) { _ = net.forward(x) }
            return makeResult("\(shape.name)-infer", variant: "\(shape.variant(settings)) eval, BN folded", batch: batch, unit: "positions/s",
                              itemsPerCall: Double(batch), flopsPerCall: perPosition * Double(batch),
                              seconds: seconds, settings: settings)
        }
    }
}
