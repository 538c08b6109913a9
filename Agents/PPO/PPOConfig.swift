// The actor-critic agents' configuration: one documented struct, printed at the start of a
// run, saved in the run folder and in every checkpoint. PPO (Schulman et al. 2017) with the
// implementation details that decide its results (Huang et al., "The 37 Implementation Details
// of Proximal Policy Optimization", ICLR blog track 2022 — the numbers in brackets below are
// theirs); A2C (Mnih et al. 2016) is the same learner with one epoch, one minibatch, no
// clipping and n-step returns (`PPOConfig.a2c`).
//
// Frames are agent steps summed over the environment copies; an iteration collects
// `environments × steps` frames and then updates.
import Foundation
import RL
import Runs

public struct PPOConfig: Codable, Equatable, Sendable {
    /// Agent steps to train for, summed over all copies (rounded up to whole iterations).
    public var frames = 10_000_000
    /// Environment copies stepped together [1: vectorized architecture].
    public var environments = 64
    /// Steps per copy in each rollout (the rollout is environments × steps frames).
    public var steps = 128
    /// Passes over each rollout, and shuffled minibatches per pass [6: mini-batch updates].
    public var epochs = 4, minibatches = 8
    public var gamma = 0.99
    /// GAE's λ (Schulman et al. 2016) [5]; 1 gives n-step returns bootstrapped at the rollout's end.
    public var gaeLambda = 0.95
    /// The surrogate's clip ε [8]; 0: no clipping, A2C's plain policy gradient −A·log π.
    public var clipCoefficient = 0.2
    /// Clip the value loss around the rollout's values with the same ε [9] (off: plain MSE).
    public var clipValueLoss = false
    public var valueCoefficient = 0.5, entropyCoefficient = 0.01
    /// Normalise advantages to zero mean and unit variance per minibatch [7].
    public var normalizeAdvantages = true
    /// Global gradient-norm clipping [11] (0: off).
    public var maxGradientNorm = 0.5
    /// Stop an update's epochs early once approx_kl exceeds this (0: never) [12's target_kl].
    public var targetKL = 0.0
    /// adam [3] (ε 1e-5 as CleanRL) or rmsprop (A2C's, α 0.99, ε 1e-5 as Stable-Baselines3).
    public enum Optimizer: String, ConfigChoice { case adam, rmsprop }
    public var optimizer = Optimizer.adam
    public var learningRate = 5e-4
    public var adamEpsilon = 1e-5
    public var rmspropAlpha = 0.99, rmspropEpsilon = 1e-5
    /// Anneal the learning rate linearly to 0 over the run [4].
    public var annealLearningRate = true
    /// Conv filters (3×3, valid) and hidden units: the MinAtar network of DQN, with a policy
    /// and a value head, orthogonally initialised [2].
    public var convChannels = 16, hiddenUnits = 128
    /// The trunk: `conv` (the MinAtar network above) or `mlp` (the observation flattened, as
    /// the gymnax PPO baselines' separate actor and critic MLPs: 2 layers of 256 with
    /// `sharedTrunk=false`); `hiddenLayers` dense layers of `hiddenUnits` (ReLU) end either.
    public enum Trunk: String, ConfigChoice { case conv, mlp }
    public var trunk = Trunk.conv
    public var hiddenLayers = 1
    /// One trunk for both heads (true), or a separate trunk for each (false).
    public var sharedTrunk = true
    /// What the agent remembers between steps (ActorCriticMemory.swift): none (feed-forward);
    /// lstm or gru, a recurrent layer of `memoryUnits` between the trunk and the heads, its state
    /// carried across steps and zeroed where an episode starts (as CleanRL's ppo_atari_lstm);
    /// attention, pre-norm self-attention over the trunk outputs of the episode's last
    /// `memoryLength` steps with `attentionHeads` heads. With memory, minibatches are whole
    /// rollouts of `environments / minibatches` copies, so `minibatches` must divide
    /// `environments`, and the trunk is shared.
    public enum Memory: String, ConfigChoice { case none, lstm, gru, attention }
    public var memory = Memory.none
    public var memoryUnits = 128
    public var memoryLength = 16
    public var attentionHeads = 4
    /// Attention: add to each step's trunk output the sinusoidal encoding (Vaswani et al. 2017)
    /// of its index in its episode, so the window is a sequence, not a set.
    public var memoryPositions = true
    /// Attention: join the attention to its input by GTrXL's GRU-type gate (Parisotto et al.
    /// 2020) instead of the residual sum, the gate starting near the identity.
    public var memoryGate = false
    /// Frames between checkpoints (rounded to whole iterations; also at the end and on Ctrl-C).
    public var checkpointEvery = 500_000
    /// Episodes averaged in "recent return" (progress line and the final report).
    public var returnWindow = 100

    public init() {}

    /// MinAtar: 64 copies × 128 steps, 4 epochs of 8 minibatches of 1,024, learning rate 5e-4
    /// annealed — the settings of the PureJaxRL/gymnax MinAtar PPO baselines.
    public static let minAtar = PPOConfig()

    /// Small grid worlds: short runs that learn in seconds.
    public static var gridWorld: PPOConfig {
        var c = PPOConfig()
        c.frames = 100_000
        c.environments = 8
        c.steps = 64
        c.minibatches = 4
        c.learningRate = 1e-3
        c.hiddenUnits = 64
        c.checkpointEvery = 20_000
        return c
    }

    /// A2C (Mnih et al. 2016, as Stable-Baselines3 sets it): 5-step rollouts, one gradient
    /// step on the whole rollout, no clipping, n-step returns (λ = 1), raw advantages, RMSprop.
    public static func a2c(from base: PPOConfig) -> PPOConfig {
        var c = base
        c.environments = base.environments >= 16 ? 16 : base.environments
        c.steps = 5
        c.epochs = 1
        c.minibatches = 1
        c.gaeLambda = 1
        c.clipCoefficient = 0
        c.clipValueLoss = false
        c.normalizeAdvantages = false
        c.optimizer = .rmsprop
        c.learningRate = 7e-4
        return c
    }

    /// Why `algorithm` (ppo, a2c) cannot learn `environment`, or nil when it can: it trains
    /// single-player environments.
    public static func unsupported(_ environment: some Environment, id: String, algorithm: String = "ppo") -> String? {
        guard environment.playerCount == 1 else {
            return "\(id) is a two-player game; \(algorithm) trains single-player environments (for board games use dojo train alphazero)"
        }
        return nil
    }

    /// The preset for an environment id and algorithm ("ppo" or "a2c").
    public static func preset(forEnvironment id: String, algorithm: String = "ppo") -> PPOConfig {
        let base = id.hasPrefix("gridworld/") ? gridWorld : minAtar
        return algorithm == "a2c" ? a2c(from: base) : base
    }

    public var framesPerIteration: Int { environments * steps }
    public var iterations: Int { (frames + framesPerIteration - 1) / framesPerIteration }
    public var minibatchSize: Int { framesPerIteration / minibatches }

    /// Upper bounds on the sizes, far above any published setting, so that a typo or a hostile
    /// file cannot make Dojo ask for absurd memory (`checkMemory` bounds the rest).
    public static let maxFrames = 10_000_000_000
    public static let maxEnvironments = 4_096
    public static let maxSteps = 65_536
    public static let maxRolloutFrames = 4_194_304
    public static let maxConvChannels = 4_096
    public static let maxHiddenUnits = 1 << 20
    public static let maxMemoryUnits = 1 << 14
    public static let maxMemoryLength = 1_024

    /// Checks every key; the error names the key, its value and the allowed range.
    public func validate() throws {
        let c = ConfigCheck()
        try c.count("frames", frames, 1...Self.maxFrames)
        try c.count("environments", environments, 1...Self.maxEnvironments)
        try c.count("steps", steps, 1...Self.maxSteps)
        try c.require(framesPerIteration <= Self.maxRolloutFrames, "a rollout of environments × steps = \(framesPerIteration) frames is more than \(Self.maxRolloutFrames); use fewer copies or shorter rollouts")
        try c.count("epochs", epochs, 1...1_000)
        try c.count("minibatches", minibatches, 1...framesPerIteration)
        try c.require(framesPerIteration % minibatches == 0, "minibatches (\(minibatches)) must divide a rollout of environments × steps = \(framesPerIteration) frames")
        try c.number("gamma", gamma, in: 0...1)
        try c.number("gaeLambda", gaeLambda, in: 0...1)
        try c.number("clipCoefficient", clipCoefficient, in: 0...10)
        try c.require(!clipValueLoss || clipCoefficient > 0, "clipValueLoss clips by clipCoefficient, which is 0; set clipCoefficient > 0 or clipValueLoss=false")
        try c.number("valueCoefficient", valueCoefficient, in: 0...1_000)
        try c.number("entropyCoefficient", entropyCoefficient, in: 0...1_000)
        try c.number("maxGradientNorm", maxGradientNorm, "≥ 0 (0: off)") { $0 >= 0 }
        try c.number("targetKL", targetKL, "≥ 0 (0: off)") { $0 >= 0 }
        try c.number("learningRate", learningRate, "in (0, 10]") { $0 > 0 && $0 <= 10 }
        try c.number("adamEpsilon", adamEpsilon, "> 0") { $0 > 0 }
        try c.number("rmspropAlpha", rmspropAlpha, "in [0, 1)") { (0..<1).contains($0) }
        try c.number("rmspropEpsilon", rmspropEpsilon, "> 0") { $0 > 0 }
        try c.count("convChannels", convChannels, 1...Self.maxConvChannels)
        try c.count("hiddenUnits", hiddenUnits, 1...Self.maxHiddenUnits)
        try c.count("hiddenLayers", hiddenLayers, 1...16)
        try c.count("memoryUnits", memoryUnits, 1...Self.maxMemoryUnits)
        try c.count("memoryLength", memoryLength, 1...Self.maxMemoryLength)
        try c.count("attentionHeads", attentionHeads, 1...hiddenUnits)
        if memory != .none {
            try c.require(sharedTrunk, "memory=\(memory.rawValue) remembers in one trunk shared by both heads; set sharedTrunk=true")
            try c.require(environments % minibatches == 0, "with memory=\(memory.rawValue) a minibatch is whole rollouts of some copies, so minibatches (\(minibatches)) must divide environments (\(environments))")
        }
        if memory == .attention {
            try c.require(hiddenUnits % attentionHeads == 0, "attention splits the trunk's hiddenUnits (\(hiddenUnits)) among attentionHeads (\(attentionHeads)), which must divide it")
        }
        try c.count("checkpointEvery", checkpointEvery, 1...Self.maxFrames)
        try c.count("returnWindow", returnWindow, 1...1_000_000)
    }

    /// Bytes a run of this config needs (the rollout, the network with gradients and optimizer
    /// slots, a minibatch's activations), in floating point so no product can overflow.
    public func memoryEstimate(observation shape: ObservationShape, actions: Int) -> Double {
        let cells = Double(shape.count)
        let rollout = Double(framesPerIteration) * (4 * cells + 4 * Double(actions) + 40)
        let width = Double(hiddenUnits), deeper = Double(hiddenLayers - 1) * (width + 1) * width
        let flat = trunk == .mlp ? cells : Double(convChannels) * Double(max(0, shape.height - 2)) * Double(max(0, shape.width - 2))
        let conv = trunk == .mlp ? 0 : Double(convChannels) * (Double(shape.channels) * 9 + 1)
        let trunk = conv + (flat + 1) * width + deeper
        let units = Double(memoryUnits), rows = Double(max(minibatchSize, environments))
        var memoryParameters = 0.0, memoryActivations = 0.0
        switch memory {
        case .none: break
        case .lstm, .gru:
            let gates: Double = memory == .lstm ? 4 : 3
            memoryParameters = gates * units * (width + units + 2)
            memoryActivations = 4 * rows * units * (2 * gates + 6)   // the tapes, the outputs and their gradients
        case .attention:
            memoryParameters = 4 * width * width + 6 * width + (memoryGate ? 6 * width * width + width : 0)
            // The score matrices of one minibatch's sequences (context + rollout) and of the copies
            // acting (window), and the rows' projections.
            let sequence = Double(steps + memoryLength - 1), sequences = Double(environments / max(1, minibatches))
            let scores = sequences * Double(attentionHeads) * sequence * sequence + Double(environments * attentionHeads * memoryLength * memoryLength)
            memoryActivations = 4 * (2 * scores + rows * width * 12) + 4 * Double(environments) * Double(memoryLength) * (cells + width)
        }
        let headInputs = memory == .lstm || memory == .gru ? units : width
        let parameters = (sharedTrunk ? trunk : 2 * trunk) + (headInputs + 1) * Double(actions + 1) + memoryParameters
        let activations = 4 * rows * (cells + 3 * flat + 3 * width * Double(hiddenLayers) + 2 * Double(actions)) * (sharedTrunk ? 1 : 2) + memoryActivations
        return rollout + 4 * parameters * 5 + activations
    }

    /// Refuses a config whose run would need more memory than this machine has.
    public func checkMemory(observation shape: ObservationShape, actions: Int, environment: String) throws {
        try ConfigCheck().memory(memoryEstimate(observation: shape, actions: actions),
                                 for: "\(environment) (environments \(environments) × steps \(steps), convChannels \(convChannels), hiddenUnits \(hiddenUnits), hiddenLayers \(hiddenLayers))",
                                 lower: "use fewer copies, shorter rollouts or a smaller network")
    }

    /// Keys a resume may change: how long the run goes on and how it reports, never what it
    /// has learned (with `annealLearningRate`, `frames` also stretches the schedule from here).
    public static var keysChangeableOnResume: Set<String> { ["frames", "checkpointEvery", "returnWindow"] }

    /// Pretty JSON, keys sorted (config.json, printed at the start of a run).
    public var json: String { ConfigOverrides.prettyJSON(self) }
}
