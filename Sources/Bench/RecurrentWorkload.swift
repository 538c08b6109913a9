// `dojo bench rnn`: an LSTM and a GRU of 128 hidden units on sequences of 32 steps, batch 16,
// 64 inputs — forward and backward (sequences/s) — the RL-sized shape of issue 23 §2, beside
// scripts/torch_rnn_bench.py (the same shapes in PyTorch).
import Neural
import Tensors

enum RecurrentWorkload {
    static let steps = 32, batch = 16, inputs = 64, hidden = 128

    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var g = SeededGenerator(seed: settings.seed)
        let x = Tensor.uniform(shape: [steps, batch, inputs], low: -1, high: 1, using: &g)
        let dy = Tensor.uniform(shape: [steps, batch, hidden], low: -1, high: 1, using: &g)
        let layers: [(String, any Layer)] = [
            ("lstm", LSTM(inputSize: inputs, hiddenSize: hidden, name: "lstm", generator: &g)),
            ("gru", GRU(inputSize: inputs, hiddenSize: hidden, name: "gru", generator: &g)),
        ]
        return layers.map { name, layer in
            let parameters = layer.parameters
            let seconds = timeRepeats(settings) {
                parameters.zeroGradients()
                _ = layer.forward(x)
                _ = layer.backward(dy)
            }
            return makeResult("rnn", variant: "\(name) h\(hidden) T\(steps) in\(inputs)", batch: batch, unit: "sequences/s",
                              itemsPerCall: Double(batch), seconds: seconds, settings: settings)
        }
    }
}
