// `dojo bench sequence`: the sequence layers at the RL-sized shapes of issue 23 §2, forward and
// backward, sequences/s — an LSTM and a GRU of 128 hidden units on 32 steps of 64 inputs, batch
// 16; 4-head self-attention of width 64 on 64 steps, batch 16 — beside
// scripts/torch_sequence_bench.py (the same shapes in PyTorch).
// GFLOP/s count the products a call makes, the input gradient's included: forward, then the
// weights' and the input's gradients, each as many as the forward (3× in all). A recurrent layer
// with G gate rows per unit makes 2·(T·B)·(G·H)·(I + H) a pass; attention 2·(T·B)·4E² for its
// projections and 2·2·B·T²·E for scores and weighted sums.
import Neural
import Tensors

enum SequenceWorkload {
    static let steps = 32, batch = 16, inputs = 64, hidden = 128

    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var g = SeededGenerator(seed: settings.seed)
        let x = Tensor.uniform(shape: [steps, batch, inputs], low: -1, high: 1, using: &g)
        let dy = Tensor.uniform(shape: [steps, batch, hidden], low: -1, high: 1, using: &g)
        let layers: [(String, any Layer)] = [
            ("lstm", LSTM(inputSize: inputs, hiddenSize: hidden, name: "lstm", generator: &g)),
            ("gru", GRU(inputSize: inputs, hiddenSize: hidden, name: "gru", generator: &g)),
        ]
        let attentionInput = Tensor.uniform(shape: [64, batch, 64], low: -1, high: 1, using: &g)
        let attentionGradient = Tensor.uniform(shape: [64, batch, 64], low: -1, high: 1, using: &g)
        let attention = MultiHeadAttention(embed: 64, heads: 4, name: "attention", generator: &g)
        let attentionSeconds = timeRepeats(settings) {
            attention.parameters.zeroGradients()
            _ = attention.forward(attentionInput)
            _ = attention.backward(attentionGradient)
        }
        let attentionFlops = 3 * (2.0 * 64 * Double(batch) * 4 * 64 * 64 + 4.0 * Double(batch) * 64 * 64 * 64)
        let attentionResult = makeResult("sequence", variant: "attention e64 h4 T64", batch: batch, unit: "sequences/s",
                                         itemsPerCall: Double(batch), flopsPerCall: attentionFlops, seconds: attentionSeconds, settings: settings)
        return layers.map { name, layer in
            let gates = name == "lstm" ? 4 : 3
            let flops = 3 * 2.0 * Double(steps * batch) * Double(gates * hidden) * Double(inputs + hidden)
            let parameters = layer.parameters
            let seconds = timeRepeats(settings) {
                parameters.zeroGradients()
                _ = layer.forward(x)
                _ = layer.backward(dy)
            }
            return makeResult("sequence", variant: "\(name) h\(hidden) T\(steps) in\(inputs)", batch: batch, unit: "sequences/s",
                              itemsPerCall: Double(batch), flopsPerCall: flops, seconds: seconds, settings: settings)
        } + [attentionResult]
    }
}
