// The DQN agent's configuration: one documented struct, printed at the start of a run, saved
// in the run directory and in every checkpoint. The defaults are the MinAtar reference agent
// (Young & Tian 2019, examples/dqn.py; reference/minatar/RESULTS.md §4) exactly; every
// improvement is off by default and names its paper.
import Foundation
import RL
import Runs

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
    /// rmsprop-centered (the reference: α 0.95, ε 0.01 outside the square root) or adam.
    public enum Optimizer: String, ConfigChoice { case rmspropCentered = "rmsprop-centered", adam }
    public var optimizer = Optimizer.rmspropCentered
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
        c.optimizer = .adam
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

    /// Upper bounds on the sizes, far above any published setting, so that a typo or a
    /// hostile file cannot make Dojo ask for absurd memory (`memoryEstimate` bounds the rest).
    public static let maxFrames = 1_000_000_000
    public static let maxReplayCapacity = 100_000_000
    public static let maxBatchSize = 65_536
    public static let maxConvChannels = 4_096
    public static let maxHiddenUnits = 1 << 20
    public static let maxNStep = 1_000
    public static let maxFrameStack = 64

    /// Checks every key; the error names the key, its value and the allowed range.
    public func validate() throws {
        let c = ConfigCheck()
        try c.count("frames", frames, 1...Self.maxFrames)
        try c.count("replayCapacity", replayCapacity, 1...Self.maxReplayCapacity)
        try c.count("batchSize", batchSize, 1...Self.maxBatchSize)
        try c.require(replayCapacity >= batchSize, "replayCapacity (\(replayCapacity)) must hold at least one batch (batchSize \(batchSize))")
        try c.count("warmupFrames", warmupFrames, 0...Self.maxFrames)
        try c.require(warmupFrames >= batchSize, "warmupFrames (\(warmupFrames)) must be ≥ batchSize (\(batchSize)) so the first batch can be drawn")
        try c.count("updateEvery", updateEvery, 1...Self.maxFrames)
        try c.count("targetUpdateEvery", targetUpdateEvery, 1...Self.maxFrames)
        try c.number("epsilonStart", epsilonStart, in: 0...1)
        try c.number("epsilonEnd", epsilonEnd, in: 0...1)
        try c.count("epsilonDecayFrames", epsilonDecayFrames, 0...Self.maxFrames)
        try c.number("gamma", gamma, in: 0...1)
        try c.number("huberDelta", huberDelta, "> 0") { $0 > 0 }
        try c.number("learningRate", learningRate, "in (0, 10]") { $0 > 0 && $0 <= 10 }
        try c.number("rmspropAlpha", rmspropAlpha, "in [0, 1)") { (0..<1).contains($0) }
        try c.number("rmspropEpsilon", rmspropEpsilon, "> 0") { $0 > 0 }
        try c.number("adamEpsilon", adamEpsilon, "> 0") { $0 > 0 }
        try c.count("convChannels", convChannels, 1...Self.maxConvChannels)
        try c.count("hiddenUnits", hiddenUnits, 1...Self.maxHiddenUnits)
        try c.count("nStep", nStep, 1...Self.maxNStep)
        try c.number("priorityAlpha", priorityAlpha, in: 0...10)
        try c.number("priorityBetaStart", priorityBetaStart, in: 0...1)
        try c.number("priorityEpsilon", priorityEpsilon, "> 0") { $0 > 0 }
        try c.number("gradientClip", gradientClip, "≥ 0 (0: off)") { $0 >= 0 }
        try c.count("frameStack", frameStack, 1...Self.maxFrameStack)
        try c.count("checkpointEvery", checkpointEvery, 1...Self.maxFrames)
        try c.count("returnWindow", returnWindow, 1...1_000_000)
    }

    /// Bytes a run of this config needs for an environment (replay buffer, the online and
    /// target networks with gradients and optimizer moments), computed in floating point so
    /// that no product of sizes can overflow.
    public func memoryEstimate(observation shape: ObservationShape, actions: Int, binaryObservations: Bool) -> Double {
        let channels = Double(shape.channels * frameStack)
        let cells = channels * Double(shape.height) * Double(shape.width)
        let observationBytes = binaryObservations ? (cells / 8).rounded(.up) : 4 * cells
        let transition = 2 * observationBytes + 12 + Double(actions)
        let flat = Double(convChannels) * Double(max(0, shape.height - 2)) * Double(max(0, shape.width - 2))
        let parameters = Double(convChannels) * (channels * 9 + 1) + (flat + 1) * Double(hiddenUnits)
            + (Double(hiddenUnits) + 1) * Double(actions + 1)
        // online, target, gradients and up to three optimizer slots; activations for a batch
        let networks = 4 * parameters * 6
        let activations = 4 * Double(batchSize) * (cells + 2 * flat + 2 * Double(hiddenUnits)) * 4
        return Double(replayCapacity) * transition + networks + activations
    }

    /// Refuses a config whose run would need more memory than this machine has.
    public func checkMemory(observation shape: ObservationShape, actions: Int, binaryObservations: Bool, environment: String) throws {
        try ConfigCheck().memory(memoryEstimate(observation: shape, actions: actions, binaryObservations: binaryObservations),
                                 for: "\(environment) (replayCapacity \(replayCapacity), convChannels \(convChannels), hiddenUnits \(hiddenUnits))",
                                 lower: "lower replayCapacity or the network's size")
    }

    /// Pretty JSON, keys sorted (config.json, printed at the start of a run).
    public var json: String { ConfigOverrides.prettyJSON(self) }
}
