// The AlphaGo Zero-shaped 9×9 network (17 planes, stem 64, 6 residual blocks of 64, policy and
// value heads with 256 hidden units): a training step at batch 256 (soft-target policy
// cross-entropy + value MSE, Adam lr 1e-3) and eval-mode inference at batch 1, 8 and 64 —
// reference/perf/torch_bench.py workload (c).
import Neural
import Tensors

enum AlphaZeroWorkload {
    static let board = 9, planes = 17, filters = 64, blocks = 6
    /// Forward FLOPs per position (conv + dense, 1 MAC = 2 FLOP), counted like torch's counter.
    static let forwardFlops = 73.3e6

    static func inputs(batch: Int, generator: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape: [batch, planes, board, board], low: 0, high: 1, using: &generator).map { $0 < 0.3 ? 1 : 0 }
    }

    static func runTraining(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var g = SeededGenerator(seed: settings.seed &+ 4)
        let net = TwoHeadNetwork.alphaGoZero(board: board, planes: planes, filters: filters, blocks: blocks, generator: &g)
        let batch = 256, moves = board * board + 1
        let x = inputs(batch: batch, generator: &g)
        let pi = Tensor.uniform(shape: [batch, moves], low: 0, high: 1, using: &g)
        let piPointer = pi.scratchPointer
        for r in 0..<batch {   // rows of a distribution
            let s = Kernels.sum(moves, piPointer + r * moves)
            Kernels.scale(moves, 1 / s, piPointer + r * moves)
        }
        let z = Tensor(shape: [batch, 1], values: (0..<batch).map { _ in Float(g.nextInt(below: 3) - 1) })
        let parameters = net.parameters
        let optimizer = Adam(parameters: parameters, learningRate: 1e-3)
        let crossEntropy = SoftmaxCrossEntropy(), mse = MeanSquaredError()
        var dp = Tensor.empty, dv = Tensor.empty
        let seconds = timeRepeats(settings, warmup: 2) {
            let (p, v) = net.forward(x)
            _ = crossEntropy(p, .soft(pi), gradient: &dp) + mse(v, z, gradient: &dv)
            parameters.zeroGradients()
            _ = net.backward(policyGradient: dp, valueGradient: dv)
            optimizer.step()
        }
        // Backward costs about twice the forward, minus the stem's unused input gradient.
        let flops = 55.9e9
        return [makeResult("az-train", variant: "9x9 6x64 Adam", batch: batch, unit: "steps/s",
                           itemsPerCall: 1, flopsPerCall: flops, seconds: seconds, settings: settings)]
    }

    static func runInference(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var g = SeededGenerator(seed: settings.seed &+ 5)
        let net = TwoHeadNetwork.alphaGoZero(board: board, planes: planes, filters: filters, blocks: blocks, generator: &g)
        net.isTraining = false
        net.foldBatchNorm()
        return settings.inferenceBatches.map { batch in
            let x = inputs(batch: batch, generator: &g)
            let seconds = timeRepeats(settings) { _ = net.forward(x) }
            return makeResult("az-infer", variant: "9x9 6x64 eval, BN folded", batch: batch, unit: "positions/s",
                              itemsPerCall: Double(batch), flopsPerCall: forwardFlops * Double(batch),
                              seconds: seconds, settings: settings)
        }
    }
}
