// An actor-critic network: a trunk (`encoder`, observations → features), optionally a memory
// (ActorCriticMemory.swift), a policy head (logits, one per action) and a value head. With
// separate trunks (`sharedTrunk` false) the encoder is empty and each head holds its own trunk.
//
// Three ways through it:
// - `forward(_:)`: rows that remember nothing (feed-forward networks).
// - `forward(_:steps:batch:episodes:firstPositions:initial:)` and `backward`: training on whole sequences
//   (time-major rows, ActorCriticMemory's convention), context rows first for attention.
// - `act(_:episodes:positions:carry:commit:)`: one step of every copy with what they remember in a
//   `MemoryCarry`, for the trainer's rollouts and for a policy playing.
import Neural
import Tensors

public final class ActorCritic {
    public let encoder: Sequential
    public let memory: ActorCriticMemory?
    public let policyHead: Sequential, valueHead: Sequential
    private var featureGradient = Tensor.empty, encoderGradient = Tensor.empty
    private var window = Tensor.empty, windowEpisodes: [Int] = [], windowPositions: [Int] = []

    init(encoder: Sequential, memory: ActorCriticMemory?, policyHead: Sequential, valueHead: Sequential) {
        self.encoder = encoder; self.memory = memory; self.policyHead = policyHead; self.valueHead = valueHead
    }

    public var parameters: [Parameter] { encoder.parameters + (memory?.parameters ?? []) + policyHead.parameters + valueHead.parameters }

    /// Observations [N, C, H, W] → (logits [N, actions], values [N, 1]); feed-forward networks only.
    public func forward(_ x: Tensor) -> (policy: Tensor, value: Tensor) {
        precondition(memory == nil, "a network with memory acts through act(_:episodes:positions:carry:commit:)")
        return heads(encoder.forward(x))
    }

    private func heads(_ features: Tensor) -> (policy: Tensor, value: Tensor) {
        (policyHead.forward(features), valueHead.forward(features))
    }

    /// Training pass over `batch` sequences: observations [(context + steps)·batch, C, H, W]
    /// (time-major) → outputs for the last `steps`·batch rows.
    public func forward(_ x: Tensor, steps: Int, batch: Int, episodes: [Int], firstPositions: [Int]?, initial: RecurrentState?) -> (policy: Tensor, value: Tensor) {
        let features = encoder.forward(x)
        guard let memory else { return heads(features) }
        return heads(memory.forward(features, steps: steps, batch: batch, episodes: episodes, firstPositions: firstPositions, initial: initial))
    }

    /// After either training forward: the heads' output gradients back through the network.
    public func backward(policyGradient: Tensor, valueGradient: Tensor) {
        let gp = policyHead.backward(policyGradient), gv = valueHead.backward(valueGradient)
        Tensor.prepare(&featureGradient, shape: gp.shape)
        Kernels.add(gp.count, gp.pointer, gv.pointer, featureGradient.scratchPointer)
        let g = memory?.backward(featureGradient) ?? featureGradient
        _ = encoder.backward(g)
    }

    /// One step of `episodes.count` copies: observations [n, C, H, W]; `episodes[i]`, the
    /// number of copy i's current episode (a change of number forgets); `positions[i]`, the
    /// index of this step in that episode (0 at its first observation). `commit` moves the
    /// carry on by this step; without it the step is a look ahead (a bootstrap value) and the
    /// carry stays as it was.
    public func act(_ x: Tensor, episodes: [Int], positions: [Int], carry: inout MemoryCarry, commit: Bool) -> (policy: Tensor, value: Tensor) {
        let features = encoder.forward(x)
        guard let memory else { return heads(features) }
        let n = episodes.count
        if memory.isRecurrent {
            carry.forgetEndedEpisodes(episodes)
            let out = memory.forward(features, steps: 1, batch: n, episodes: episodes, firstPositions: nil, initial: carry.state)
            if commit { carry.keep(memory.finalState) }
            return heads(out)
        }
        // Attention: the window's features, then this step's.
        let F = memory.inputWidth, C = memory.contextLength
        Tensor.prepare(&window, shape: [(C + 1) * n, F])
        let w = window.scratchPointer
        if C > 0 { carry.features.withUnsafeBufferPointer { w.update(from: $0.baseAddress!, count: C * n * F) } }
        (w + C * n * F).update(from: features.pointer, count: n * F)
        windowEpisodes.removeAll(keepingCapacity: true)
        windowEpisodes += carry.episodes
        windowEpisodes += episodes
        windowPositions.removeAll(keepingCapacity: true)
        for p in positions { windowPositions.append(max(0, p - C)) }
        let out = heads(memory.forward(window, steps: 1, batch: n, episodes: windowEpisodes, firstPositions: windowPositions, initial: nil))
        if commit { carry.push(features: features.pointer, episodes: episodes) }
        return out
    }
}

/// What copies acting step by step remember: the recurrent state (and the episode each row
/// belongs to), or attention's window of the last `contextLength` steps' features.
public struct MemoryCarry {
    public private(set) var copies: Int
    /// Recurrent kinds: [1, copies, units], and the episode each row of it belongs to.
    public var state: RecurrentState
    public var stateEpisodes: [Int]
    /// Attention: [contextLength·copies·width] time-major, oldest first, and each row's
    /// episode (−1: empty).
    public var features: [Float]
    public var episodes: [Int]
    let width: Int

    /// Nothing remembered, for `copies` copies of a network with `memory` (nil: feed-forward).
    public init(_ memory: ActorCriticMemory?, copies: Int) {
        self.copies = copies
        state = memory?.zeroState(batch: copies) ?? .empty
        stateEpisodes = [Int](repeating: -1, count: memory?.isRecurrent == true ? copies : 0)
        let context = memory?.contextLength ?? 0
        width = memory?.inputWidth ?? 0
        features = [Float](repeating: 0, count: context * copies * width)
        episodes = [Int](repeating: -1, count: context * copies)
    }

    /// Copies `state` (a layer's buffer) into the carry's own.
    mutating func keep(_ new: RecurrentState) { state.update(from: new) }

    /// Zeroes the state rows whose episode is not the copy's current one.
    public mutating func forgetEndedEpisodes(_ current: [Int]) {
        guard !stateEpisodes.isEmpty else { return }
        for i in 0..<copies where stateEpisodes[i] != current[i] {
            stateEpisodes[i] = current[i]
            state.resetRows(CollectionOfOne(i))
        }
    }

    /// Shifts attention's window by one step, the newest features last.
    mutating func push(features new: UnsafePointer<Float>, episodes current: [Int]) {
        let rowWidth = copies * width, context = episodes.count / max(1, copies)
        guard context > 0 else { return }
        features.withUnsafeMutableBufferPointer { f in
            let p = f.baseAddress!
            p.update(from: p + rowWidth, count: (context - 1) * rowWidth)
            (p + (context - 1) * rowWidth).update(from: new, count: rowWidth)
        }
        episodes.removeFirst(copies)
        episodes += current
    }

    /// What copies `list` remember, as the carry of `list.count` copies.
    public func subset(_ list: [Int]) -> MemoryCarry {
        var out = self
        out.copies = list.count
        out.state = state.rows(list)
        out.stateEpisodes = stateEpisodes.isEmpty ? [] : list.map { stateEpisodes[$0] }
        let context = episodes.count / max(1, copies)
        out.episodes = (0..<context).flatMap { s in list.map { episodes[s * copies + $0] } }
        out.features = []
        for s in 0..<context {
            for i in list {
                let start = (s * copies + i) * width
                out.features += features[start..<(start + width)]
            }
        }
        return out
    }
}
