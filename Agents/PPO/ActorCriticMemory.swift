// What a recurrent actor-critic remembers: the layer between the trunk and the heads when
// `PPOConfig.memory` is not none.
// - lstm / gru: a recurrent layer of `memoryUnits` over the trunk's outputs; its state is
//   carried from step to step and zeroed where an episode starts (CleanRL's ppo_atari_lstm).
// - attention: y = x + Attention(LayerNorm(x)) over the trunk's outputs (pre-norm, as
//   Transformer-XL's and GTrXL's memory blocks), each step attending to the last
//   `memoryLength` steps of its own episode (itself included); with `memoryGate`, y =
//   GRUGate(x, Attention(LayerNorm(x))), GTrXL's gated form. No positional encoding: the
//   window slides, and the same step must look the same whether it is the newest of a window
//   at acting time or the 100th row of a training sequence.
//
// Convention: rows are time-major, row s·B + b is sequence b's step s. A sequence is `context`
// steps the agent remembers from before (attention only: the window's older steps, outputs not
// returned) followed by `steps` steps that produce outputs. `episodes` holds each row's episode
// number; memory never crosses a change of number, and a negative number marks an empty slot
// (before the first step). The recurrent state before the first step is `initial` (nil: zeros)
// and must already be zeroed for sequences whose episode starts there. With `memoryPositions`,
// attention adds to each row the positional encoding of its step's index in its episode:
// `firstPositions[b]` is sequence b's first row's index, and the index counts up from there,
// starting again at 0 where the episode number changes (a row of an earlier episode than the
// sequence's last may carry any index: no row that matters attends to it).
import Neural
import Tensors

public final class ActorCriticMemory {
    public let kind: PPOConfig.Memory
    /// Width of the trunk's outputs (the input) and of the memory's outputs.
    public let inputWidth: Int, outputWidth: Int
    /// Steps an acting agent keeps from before the current one: memoryLength − 1 for attention,
    /// 0 for the recurrent layers (their state holds the past).
    public let contextLength: Int
    /// The layers: a recurrent one, or attention with its norm and optional gate.
    private enum Core {
        case recurrent(any RecurrentLayer)
        case attention(norm: LayerNorm, attention: MultiHeadAttention, gate: GRUGate?)
    }
    private let core: Core
    private var steps = 0, batch = 0, context = 0
    private var output = Tensor.empty, fullGradient = Tensor.empty, inputGradient = Tensor.empty, resets: [Bool] = []
    private var segments: [Int] = [], padding: [Bool] = []
    private let positional: Bool
    /// PositionalEncoding's rows for indices 0..<positionTable.count / inputWidth, grown on demand.
    private var positionTable: [Float] = []
    private var encoded = Tensor.empty

    /// The memory `config` asks for, or nil when it asks for none.
    init?(_ config: PPOConfig, inputWidth: Int, generator: inout SeededGenerator) {
        kind = config.memory
        self.inputWidth = inputWidth
        switch config.memory {
        case .none: return nil
        case .lstm, .gru:
            let layer: any RecurrentLayer = config.memory == .lstm
                ? LSTM(inputSize: inputWidth, hiddenSize: config.memoryUnits, name: "ac.memory.lstm", generator: &generator)
                : GRU(inputSize: inputWidth, hiddenSize: config.memoryUnits, name: "ac.memory.gru", generator: &generator)
            // Orthogonal weights (gain 1) and zero biases, as CleanRL initialises its LSTM.
            for p in layer.parameters {
                p.value = p.value.rank == 2 ? .orthogonal(shape: p.value.shape, gain: 1, using: &generator) : Tensor(zeros: p.value.shape)
            }
            core = .recurrent(layer)
            outputWidth = config.memoryUnits
            contextLength = 0
        case .attention:
            let norm = LayerNorm(features: inputWidth, name: "ac.memory.norm")
            let attention = MultiHeadAttention(embed: inputWidth, heads: config.attentionHeads, name: "ac.memory.attention", generator: &generator)
            let gate = config.memoryGate ? GRUGate(width: inputWidth, name: "ac.memory.gate", generator: &generator) : nil
            core = .attention(norm: norm, attention: attention, gate: gate)
            outputWidth = inputWidth
            contextLength = config.memoryLength - 1
        }
        positional = config.memory == .attention && config.memoryPositions
    }

    public var parameters: [Parameter] {
        switch core {
        case .recurrent(let layer): layer.parameters
        case .attention(let norm, let attention, let gate): norm.parameters + attention.parameters + (gate?.parameters ?? [])
        }
    }

    public var isRecurrent: Bool { kind == .lstm || kind == .gru }

    /// Zeros for `batch` sequences (recurrent kinds; empty for attention).
    public func zeroState(batch: Int) -> RecurrentState {
        isRecurrent ? RecurrentState(layers: 1, batch: batch, hidden: outputWidth, cell: kind == .lstm) : .empty
    }

    /// The recurrent state after the last step of the latest `forward` (empty for attention).
    public var finalState: RecurrentState {
        if case .recurrent(let layer) = core { return layer.finalState }
        return .empty
    }

    /// features [(context + steps)·batch, inputWidth] → [steps·batch, outputWidth].
    public func forward(_ features: Tensor, steps: Int, batch: Int, episodes: [Int], firstPositions: [Int]?, initial: RecurrentState?) -> Tensor {
        let rows = features.shape[0]
        precondition(features.rank == 2 && features.shape[1] == inputWidth && rows % batch == 0 && rows / batch >= steps,
                     "memory input \(features.shape) does not hold \(steps) steps of \(batch) sequences")
        precondition(episodes.count == rows, "one episode number per row")
        self.steps = steps; self.batch = batch; context = rows / batch - steps
        let norm: LayerNorm, attention: MultiHeadAttention, gate: GRUGate?
        switch core {
        case .recurrent(let layer):
            precondition(context == 0, "recurrent memory takes no context rows")
            layer.initialState = initial
            layer.resets = nil   // taken back first, so `resets` is rewritten in place, not copied
            layer.resets = episodeStarts(episodes)
            return layer.forward(features.reshaped([steps, batch, inputWidth])).reshaped([steps * batch, outputWidth])
        case .attention(let n, let a, let g): (norm, attention, gate) = (n, a, g)
        }
        let sequence = context + steps, F = inputWidth
        // The layer's masks are batch-major: entry b·S + s. (Taken back from the layer first, so
        // the arrays are written in place, not copied.)
        attention.segments = nil; attention.padding = nil
        if segments.count != rows { segments = [Int](repeating: 0, count: rows); padding = [Bool](repeating: false, count: rows) }
        for s in 0..<sequence { for b in 0..<batch { segments[b * sequence + s] = episodes[s * batch + b]; padding[b * sequence + s] = episodes[s * batch + b] < 0 } }
        attention.causal = true
        attention.window = contextLength + 1
        attention.segments = segments
        attention.padding = padding
        let input = positional ? encode(features, sequence: sequence, batch: batch, episodes: episodes, firstPositions: firstPositions) : features
        let attended = attention.forward(norm.forward(input.reshaped([sequence, batch, F])))
        let kept = (context * batch)..<(sequence * batch)
        if let gate {
            return gate.forward(input.batch(kept), attended.reshaped([sequence * batch, F]).batch(kept))
        }
        Tensor.prepare(&output, shape: [steps * batch, F])
        let skip = context * batch * F
        Kernels.add(steps * batch * F, input.pointer + skip, attended.pointer + skip, output.scratchPointer)
        return output
    }

    /// features + the positional encoding of each row's index in its episode.
    func encode(_ features: Tensor, sequence: Int, batch: Int, episodes: [Int], firstPositions: [Int]?) -> Tensor {
        precondition(firstPositions?.count == batch, "positional attention needs each sequence's first index")
        let F = inputWidth
        Tensor.prepare(&encoded, shape: features.shape)
        let out = encoded.scratchPointer
        for b in 0..<batch {
            var position = max(0, firstPositions?[b] ?? 0)
            for s in 0..<sequence {
                let r = s * batch + b
                if s > 0 { position = episodes[r] == episodes[r - batch] ? position + 1 : 0 }
                if position < Self.tabledPositions {
                    growTable(to: position)
                    positionTable.withUnsafeBufferPointer { Kernels.add(F, features.pointer + r * F, $0.baseAddress! + position * F, out + r * F) }
                } else {
                    for j in 0..<F { out[r * F + j] = features.pointer[r * F + j] + PositionalEncoding.value(position: position, index: j, embed: F) }
                }
            }
        }
        return encoded
    }

    /// Indices below this come from the table (at most 32 MB for a width of 128); an endless
    /// episode's later ones are computed each time instead of growing it without bound.
    static let tabledPositions = 65_536

    private func growTable(to position: Int) {
        let F = inputWidth, have = positionTable.count / F
        guard position >= have else { return }
        let target = min(Self.tabledPositions, max(position + 1, 2 * have, 256))
        positionTable.reserveCapacity(target * F)
        for p in have..<target { for j in 0..<F { positionTable.append(PositionalEncoding.value(position: p, index: j, embed: F)) } }
    }

    /// d loss/d output [steps·batch, outputWidth] → d loss/d features [(context + steps)·batch, inputWidth].
    public func backward(_ dy: Tensor) -> Tensor {
        let F = inputWidth
        let norm: LayerNorm, attention: MultiHeadAttention, gate: GRUGate?
        switch core {
        case .recurrent(let layer): return layer.backward(dy.reshaped([steps, batch, outputWidth])).reshaped([steps * batch, F])
        case .attention(let n, let a, let g): (norm, attention, gate) = (n, a, g)
        }
        let sequence = context + steps, skip = context * batch * F
        // The context rows' outputs were not returned: their gradient is 0. With the gate, the
        // stream's and the attention's gradients differ; without it both are dy.
        let (toStream, toAttention) = gate.map { $0.backward(dy) } ?? (dy, dy)
        Tensor.prepare(&fullGradient, shape: [sequence, batch, F])
        let g = fullGradient.scratchPointer
        Kernels.fill(g, skip, 0)
        (g + skip).update(from: toAttention.pointer, count: steps * batch * F)
        let throughAttention = norm.backward(attention.backward(fullGradient))
        Tensor.prepare(&inputGradient, shape: [sequence * batch, F])
        let d = inputGradient.scratchPointer
        d.update(from: throughAttention.pointer, count: sequence * batch * F)
        Kernels.add(steps * batch * F, d + skip, toStream.pointer, d + skip)
        return inputGradient
    }

    /// Rows where a sequence's episode changes from the step before (the recurrent layers'
    /// `resets`, time-major like the rows).
    private func episodeStarts(_ episodes: [Int]) -> [Bool]? {
        guard steps > 1 else { return nil }
        if resets.count != episodes.count { resets = [Bool](repeating: false, count: episodes.count) }
        var any = false
        for r in batch..<episodes.count {
            resets[r] = episodes[r] != episodes[r - batch]
            any = any || resets[r]
        }
        return any ? resets : nil
    }
}
