// ε-greedy exploration as the value-based trainers (DQN, R2D2) run it: uniformly random
// actions during the warm-up, then ε linear from `start` to `end` over `decayFrames` frames,
// then constant; a random action is drawn among the legal ones.
import RL
import Tensors

public struct EpsilonSchedule: Sendable, Equatable {
    public var warmupFrames: Int, start: Double, end: Double, decayFrames: Int

    public init(warmupFrames: Int, start: Double, end: Double, decayFrames: Int) {
        self.warmupFrames = warmupFrames; self.start = start; self.end = end; self.decayFrames = decayFrames
    }

    /// ε at frame `f` (1 during the warm-up).
    public func callAsFunction(_ f: Int) -> Double {
        guard f >= warmupFrames else { return 1 }
        guard decayFrames > 0 else { return end }
        let progress = min(1, Double(f - warmupFrames) / Double(decayFrames))
        return start + (end - start) * progress
    }

    /// A uniformly random action among the legal ones (`mask` nil: all `actionCount`).
    public static func randomAction(actionCount: Int, mask: [Bool]?, generator: inout SeededGenerator) -> Int {
        guard let mask else { return generator.nextInt(below: actionCount) }
        let legal = mask.indices.filter { mask[$0] }
        return legal[generator.nextInt(below: legal.count)]
    }
}
