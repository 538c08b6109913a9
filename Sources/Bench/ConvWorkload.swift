// Conv2D layer throughput (im2col + GEMM + bias/col2im) on the two shapes that matter:
// the MinAtar DQN's first layer and an AlphaZero 9×9 trunk convolution. The DQN layer is also
// timed as it runs in training — a first layer (no input gradient) on observation-like bits,
// 10% set — where it scatters the non-zero inputs (Conv2D+SparseInput.swift).
import Neural
import Tensors

enum ConvWorkload {
    struct Case {
        let name: String, batch: Int, inChannels: Int, outChannels: Int, size: Int, padding: Int
        /// Bits with this fraction set, into a first layer: sparse scatter against im2col.
        var bitDensity: Float? = nil
    }

    static let cases: [Case] = [
        Case(name: "minatar 4->16 3x3 valid 10x10", batch: 32, inChannels: 4, outChannels: 16, size: 10, padding: 0),
        Case(name: "minatar first layer, 10% bits", batch: 32, inChannels: 4, outChannels: 16, size: 10, padding: 0,
             bitDensity: 0.1),
        Case(name: "az9 64->64 3x3 pad1 9x9", batch: 256, inChannels: 64, outChannels: 64, size: 9, padding: 1),
        Case(name: "az9 64->64 3x3 pad1 9x9", batch: 8, inChannels: 64, outChannels: 64, size: 9, padding: 1),
        Case(name: "az9 64->64 3x3 pad1 9x9", batch: 1, inChannels: 64, outChannels: 64, size: 9, padding: 1),
    ]

    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var rows: [BenchmarkResult] = []
        for c in cases {
            var generator = SeededGenerator(seed: settings.seed &+ 2)
            let conv = Conv2D(inChannels: c.inChannels, outChannels: c.outChannels, kernel: 3, padding: c.padding,
                              name: "conv", generator: &generator)
            var x = Tensor.uniform(shape: [c.batch, c.inChannels, c.size, c.size], low: -1, high: 1, using: &generator)
            if let density = c.bitDensity {
                x = x.map { abs($0) < density ? 1 : 0 }
                conv.propagatesInputGradient = false
            }
            let y = conv.forward(x)
            let dy = Tensor.uniform(shape: y.shape, low: -1, high: 1, using: &generator)
            let outArea = y.shape[2] * y.shape[3]
            let flops = 2.0 * Double(c.batch * c.outChannels * outArea * c.inChannels * 9)
            // 3×3 padding-1 layers and sparse first layers have two algorithms: time both.
            for fast in c.padding == 1 || c.bitDensity != nil ? [true, false] : [false] {
                conv.usesWinograd = fast
                conv.usesSparseInput = fast
                let algorithm = c.padding == 1 ? (fast ? " winograd" : " im2col")
                    : c.bitDensity != nil ? (fast ? " sparse" : " im2col") : ""
                let forward = timeRepeats(settings) { _ = conv.forward(x) }
                rows.append(makeResult("conv", variant: "\(c.name)\(algorithm) forward", batch: c.batch, unit: "GFLOP/s",
                                       itemsPerCall: flops / 1e9, flopsPerCall: flops, seconds: forward, settings: settings))
                _ = conv.forward(x)
                let backward = timeRepeats(settings) { _ = conv.backward(dy) }
                let backwardFlops = conv.propagatesInputGradient ? 2 * flops : flops
                rows.append(makeResult("conv", variant: "\(c.name)\(algorithm) backward (\(conv.propagatesInputGradient ? "dW + dX" : "dW"))", batch: c.batch,
                                       unit: "GFLOP/s", itemsPerCall: backwardFlops / 1e9, flopsPerCall: backwardFlops,
                                       seconds: backward, settings: settings))
            }
        }
        return rows
    }
}
