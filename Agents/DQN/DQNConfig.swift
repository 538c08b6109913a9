// The DQN agent's configuration: one documented struct, printed at the start of a run, saved
// in the run directory and in every checkpoint. The defaults are the MinAtar reference agent
// (Young & Tian 2019, examples/dqn.py; reference/minatar/RESULTS.md §4) exactly; every
// improvement is off by default and names its paper.
import Foundation
import RL

public struct DQNConfig: Codable, Equatable, Sendable {
    /// Environment frames (agent steps) to train for.
    public var frames = 5_000_000
    /// Transitions kept in the replay buffer (cyclic).
    public var replayCapacity = 100_000
    public var batchSize = 32
    /// Frames of uniformly random play before learning starts (the replay start).
    public var warmupFrames = 5_000
    /// Frames between gradient steps (1: one update per frame).
    public var updateEvery = 1
    /// Gradient steps between hard copies of the online network into the target network.
    public var targetUpdateEvery = 1_000
    /// ε-greedy exploration: linear from `epsilonStart` to `epsilonEnd` over
    /// `epsilonDecayFrames` frames after the warm-up, then constant.
    public var epsilonStart = 1.0, epsilonEnd = 0.1
    public var epsilonDecayFrames = 100_000
    public var gamma = 0.99
    /// Huber loss threshold (PyTorch's smooth_l1_loss with β = 1).
    public var huberDelta = 1.0
    /// "rmsprop-centered" (the reference: α 0.95, ε 0.01 outside the square root) or "adam".
    public var optimizer = "rmsprop-centered"
    public var learningRate = 2.5e-4
    public var rmspropAlpha = 0.95, rmspropEpsilon = 0.01
    public var adamEpsilon = 1.5e-4
    /// Conv filters (3×3, valid) and hidden units of the Q-network.
    public var convChannels = 16, hiddenUnits = 128
    /// Double DQN (van Hasselt, Guez & Silver 2016): the online network picks the next action.
    public var doubleDQN = false
    /// Dueling heads (Wang et al. 2016): Q = V + A − mean(A).
    public var dueling = false
    /// n-step returns (Sutton 1988; Hessel et al. 2018): bootstrap after n rewards.
    public var nStep = 1
    /// Proportional prioritized replay (Schaul et al. 2016): sample by (|δ| + ε)^α, correct with
    /// importance weights whose exponent β grows linearly to 1 over the run.
    public var prioritized = false
    public var priorityAlpha = 0.6, priorityBetaStart = 0.4, priorityEpsilon = 1e-6
    /// Global gradient-norm clipping (0: off).
    public var gradientClip = 0.0
    /// Clip rewards to [−1, 1] (Mnih et al. 2015); off for MinAtar as in the reference.
    public var rewardClip = false
    /// Stack the last k observations (Mnih et al. 2015); MinAtar needs none.
    public var frameStack = 1
    /// Frames between checkpoints (a checkpoint is also written at the end and on Ctrl-C).
    public var checkpointEvery = 100_000
    /// Episodes averaged in "recent return" (progress line and the final report).
    public var returnWindow = 100

    public init() {}

    /// The MinAtar reference agent.
    public static let minAtar = DQNConfig()

    /// Small grid worlds: short runs that reach the optimal return in seconds to minutes.
    public static var gridWorld: DQNConfig {
        var c = DQNConfig()
        c.frames = 30_000
        c.replayCapacity = 10_000
        c.warmupFrames = 500
        c.targetUpdateEvery = 250
        c.epsilonDecayFrames = 10_000
        c.epsilonEnd = 0.05
        c.optimizer = "adam"
        c.learningRate = 1e-3
        c.hiddenUnits = 64
        c.checkpointEvery = 10_000
        return c
    }

    /// The preset for an environment id.
    public static func preset(forEnvironment id: String) -> DQNConfig {
        id.hasPrefix("gridworld/") ? gridWorld : minAtar
    }

    /// Names of every key, for error messages.
    public static var keys: [String] { ConfigOverrides.keys(of: DQNConfig()) }

    /// This config with the keys of a JSON object overriding it (then validated).
    public func overridden(byJSON data: Data, source: String) throws -> DQNConfig {
        let merged = try ConfigOverrides.apply(json: data, to: self, source: source)
        try merged.validate()
        return merged
    }

    /// `key=value` pairs from the command line (`--set frames=100000`).
    public func overridden(bySettings settings: [String]) throws -> DQNConfig {
        let merged = try ConfigOverrides.apply(settings: settings, to: self)
        try merged.validate()
        return merged
    }

    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw ConfigError(message) } }
        try check(frames >= 1, "frames must be ≥ 1")
        try check(replayCapacity >= batchSize, "replayCapacity must hold at least one batch")
        try check(batchSize >= 1, "batchSize must be ≥ 1")
        try check(warmupFrames >= batchSize, "warmupFrames must be ≥ batchSize so the first batch can be drawn")
        try check(updateEvery >= 1 && targetUpdateEvery >= 1, "updateEvery and targetUpdateEvery must be ≥ 1")
        try check((0...1).contains(epsilonStart) && (0...1).contains(epsilonEnd) && epsilonDecayFrames >= 0, "epsilons must be in 0…1")
        try check((0...1).contains(gamma), "gamma must be in 0…1")
        try check(["rmsprop-centered", "adam"].contains(optimizer), "optimizer must be rmsprop-centered or adam, got '\(optimizer)'")
        try check(learningRate > 0, "learningRate must be > 0")
        try check(nStep >= 1 && frameStack >= 1, "nStep and frameStack must be ≥ 1")
        try check(convChannels >= 1 && hiddenUnits >= 1, "convChannels and hiddenUnits must be ≥ 1")
        try check(checkpointEvery >= 1 && returnWindow >= 1, "checkpointEvery and returnWindow must be ≥ 1")
    }

    /// Pretty JSON, keys sorted (config.json, printed at the start of a run).
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try! e.encode(self), as: UTF8.self)
    }
}
