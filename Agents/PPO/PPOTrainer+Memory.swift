// PPO with memory (PPOConfig.memory): what the trainer keeps so that the update sees each
// step exactly as the acting copies saw it.
// - Recurrent: the rollout keeps the state before its first step; a minibatch is the whole
//   rollouts of `environments / minibatches` copies, run through the network from their
//   initial states, the state zeroed where a copy's episode number changes (CleanRL's
//   ppo_atari_lstm).
// - Attention: the copies' last `contextLength` observations before the rollout go through the
//   trunk again with the current weights (the window's features at acting time came from the
//   same weights), and each sequence is that context followed by the rollout.
// Checkpoints hold the recurrent state (a replay of the actions rebuilds everything else,
// attention's window included).
import Foundation
import Neural
import RL
import Tensors

extension PPOTrainer {
    var contextLength: Int { network.memory?.contextLength ?? 0 }

    /// Before a rollout: the state the rollout starts from, or attention's window of context.
    func beginRollout() {
        guard let memory = network.memory else { return }
        if memory.isRecurrent {
            carry.forgetEndedEpisodes(episodeIndex)
            rollout.initialState = carry.state.copy()
            return
        }
        let n = config.environments, C = contextLength, count = shape.count
        guard C > 0 else { return }
        // The ring, oldest step first.
        var observations = [Float](), episodes = [Int]()
        observations.reserveCapacity(contextRing.count); episodes.reserveCapacity(contextRingEpisodes.count)
        for s in 0..<C {
            let slot = (contextHead + s) % C
            observations += contextRing[(slot * n * count)..<((slot + 1) * n * count)]
            episodes += contextRingEpisodes[(slot * n)..<((slot + 1) * n)]
        }
        rollout.contextObservations = observations
        rollout.contextEpisodes = episodes
        rollout.firstPositions = episodeLengths.map { max(0, $0 - C) }
        let s = shape
        Tensor.prepare(&batch, shape: [C * n, s.channels, s.height, s.width])
        observations.withUnsafeBufferPointer { batch.scratchPointer.update(from: $0.baseAddress!, count: $0.count) }
        let features = network.encoder.forward(batch)
        carry.features = features.withUnsafeBufferPointer { Array($0) }
        carry.episodes = episodes
    }

    /// Attention: the copies' current observations into the ring (called by `step`, before it
    /// steps them, so a resume's replay rebuilds the ring).
    func rememberObservations() {
        let C = contextLength
        guard C > 0 else { return }
        let n = config.environments, count = shape.count
        contextRing.withUnsafeMutableBufferPointer { ring in
            copies.observations.withUnsafeBufferPointer { (ring.baseAddress! + contextHead * n * count).update(from: $0.baseAddress!, count: n * count) }
        }
        for i in 0..<n { contextRingEpisodes[contextHead * n + i] = episodeIndex[i] }
        contextHead = (contextHead + 1) % C
    }

    /// One gradient step on the whole rollouts of `list`'s copies.
    func sequenceStep(copies list: ArraySlice<Int>) -> (policy: PolicyLossStatistics, value: Float) {
        let rows = sequenceRows(list)
        var advantages = rows.map { rollout.advantages[$0] }
        if config.normalizeAdvantages { Self.normalize(&advantages) }
        parameters.zeroGradients()
        let (logits, values) = sequenceForward(list)
        let result = lossAndBackward(rows: rows, advantages: advantages[...], logits: logits, values: values, share: 1)
        finishStep()
        return result
    }

    /// Rollout rows of `list`'s copies in the network's output order (time-major).
    func sequenceRows(_ list: ArraySlice<Int>) -> [Int] {
        let n = config.environments
        return (0..<config.steps).flatMap { t in list.map { t * n + $0 } }
    }

    /// The training forward pass over `list`'s copies: their context, then their rollouts.
    func sequenceForward(_ list: ArraySlice<Int>) -> (policy: Tensor, value: Tensor) {
        let n = config.environments, T = config.steps, C = contextLength, B = list.count
        let s = shape, count = s.count
        Tensor.prepare(&batch, shape: [(C + T) * B, s.channels, s.height, s.width])
        let x = batch.scratchPointer
        var episodes = [Int](repeating: 0, count: (C + T) * B)
        for (j, copy) in list.enumerated() {
            for step in 0..<C {
                let r = step * B + j, source = step * n + copy
                rollout.contextObservations.withUnsafeBufferPointer { (x + r * count).update(from: $0.baseAddress! + source * count, count: count) }
                episodes[r] = rollout.contextEpisodes[source]
            }
            for t in 0..<T {
                let r = (C + t) * B + j, source = t * n + copy
                rollout.observations.withUnsafeBufferPointer { (x + r * count).update(from: $0.baseAddress! + source * count, count: count) }
                episodes[r] = rollout.episodes[source]
            }
        }
        let initial = network.memory?.isRecurrent == true ? rollout.initialState.rows(Array(list)) : nil
        let first = network.memory?.isRecurrent == false ? list.map { rollout.firstPositions.isEmpty ? 0 : rollout.firstPositions[$0] } : nil
        return network.forward(batch, steps: T, batch: B, episodes: episodes, firstPositions: first, initial: initial)
    }

    /// The rollout's log-probabilities and values as the update's first pass computes them, in
    /// rollout row order: equal to those the copies acted with when memory is replayed right.
    func replayedRollout() -> (logProbabilities: [Float], values: [Float]) {
        let k = actionCount
        var logProbabilities = [Float](repeating: 0, count: rollout.rows), values = logProbabilities
        let all = network.memory == nil ? nil : Array(0..<config.environments)[...]
        let rows = all.map(sequenceRows) ?? Array(0..<rollout.rows)
        let (logits, v) = all.map(sequenceForward) ?? network.forward(Tensor(shape: [rollout.rows, shape.channels, shape.height, shape.width], values: rollout.observations))
        for (j, row) in rows.enumerated() {
            let z = logits.pointer + j * k
            let legal = rollout.masks.isEmpty ? nil : Array(rollout.masks[(row * k)..<((row + 1) * k)])
            var top = -Float.infinity
            for a in 0..<k where legal?[a] ?? 1 > 0 { top = max(top, z[a]) }
            var sum: Float = 0
            for a in 0..<k where legal?[a] ?? 1 > 0 { sum += Foundation.exp(z[a] - top) }
            logProbabilities[row] = z[rollout.actions[row]] - top - Foundation.log(sum)
            values[row] = v.pointer[j]
        }
        return (logProbabilities, values)
    }

    // MARK: Checkpoints

    /// The copies' recurrent state as checkpoint entries (`PPOCheckpointInfo.memoryStatePrefix`
    /// + "h" and "c"; non-trainable, as DQN keeps its replay priorities), ended episodes
    /// already forgotten. Empty without recurrent memory.
    func memoryStateParameters() -> [Parameter] {
        guard network.memory?.isRecurrent == true else { return [] }
        carry.forgetEndedEpisodes(episodeIndex)
        return [("h", carry.state.h), ("c", carry.state.c)].filter { $0.1.count > 0 }.map { name, tensor in
            Parameter(name: PPOCheckpointInfo.memoryStatePrefix + name, value: tensor.copy(), isTrainable: false)
        }
    }

    /// Takes the recurrent state back from the entries `memoryStateParameters` made and a
    /// checkpoint filled.
    func restoreMemoryState(_ entries: [Parameter]) {
        guard entries.count > 0 else { return }
        carry.state = RecurrentState(h: entries[0].value, c: entries.count > 1 ? entries[1].value : .empty)
    }
}
