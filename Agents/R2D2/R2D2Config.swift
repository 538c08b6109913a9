// The R2D2 agent's configuration (Kapturowski et al. 2019, "Recurrent Experience Replay in
// Distributed Reinforcement Learning"): one documented struct, printed at the start of a run,
// saved in the run directory and in every checkpoint. The paper's choices are the defaults
// where they carry over to one actor on MinAtar (stored state with burn-in, n-step double
// Q-learning with value rescaling, prioritized sequence replay with the max/mean mix, Adam with
// ε = 1e-3, dueling heads); its scale (256 actors, 512-unit LSTM, 80-step sequences) does not,
// and each such key says what it shrank to and why.
import Foundation
import RL
import Runs

public struct R2D2Config: Codable, Equatable, Sendable {
    /// Environment frames (agent steps) to train for.
    public var frames = 5_000_000
    /// Steps kept in replay (cyclic); a sequence lives while all of its steps do.
    public var replayCapacity = 100_000
    /// Sequences per gradient step (the paper: 64).
    public var batchSize = 32
    /// Steps replayed before the trained part of a sequence, from the stored recurrent state,
    /// without gradient, so the state the loss sees is one the current network would produce
    /// (the paper: 40 of 80; MinAtar's episodes are short, its cues recent).
    public var burnIn = 10
    /// Trained steps per sequence; consecutive sequences of an episode train consecutive,
    /// disjoint stretches and overlap in their burn-ins (the paper: 40).
    public var unroll = 20
    /// n-step returns (the paper: 5); the last trained steps bootstrap from the n steps stored
    /// after them.
    public var nStep = 3
    /// Frames of uniformly random play before learning starts.
    public var warmupFrames = 5_000
    /// Frames between gradient steps. With 32 × 20 trained steps per update, 20 replays each
    /// stored step 32 times on average, as the MinAtar DQN (batch 32, one update per frame).
    public var updateEvery = 20
    /// Gradient steps between copies of the online network into the target network (the paper:
    /// 2,500 with far larger batches; here 250 updates = 5,000 frames).
    public var targetUpdateEvery = 250
    /// ε-greedy exploration of the one actor: linear from `epsilonStart` to `epsilonEnd` over
    /// `epsilonDecayFrames` frames after the warm-up (the paper's actors each hold a fixed ε).
    public var epsilonStart = 1.0, epsilonEnd = 0.1
    public var epsilonDecayFrames = 100_000
    public var gamma = 0.99
    /// Value rescaling h(x) = sign(x)(√(|x| + 1) − 1) + εx (Pohlen et al. 2018) on targets, in
    /// place of reward clipping; `rescaleEpsilon` is its ε.
    public var valueRescaling = true
    public var rescaleEpsilon = 1e-3
    public var learningRate = 1e-4
    public var adamEpsilon = 1e-3
    /// Global gradient-norm clipping (0: off).
    public var gradientClip = 0.0
    /// The network: conv 3×3 (`convChannels`) → ReLU → dense `hiddenUnits` → ReLU → LSTM of
    /// `memoryUnits` (the paper: 512) → Q-values, with dueling heads (Wang et al. 2016) when set.
    public var convChannels = 16, hiddenUnits = 128, memoryUnits = 128
    public var dueling = true
    /// Prioritized sequence replay: a sequence's priority is η·max|δ| + (1 − η)·mean|δ| over
    /// its trained steps, raised to `priorityExponent` (the paper: η 0.9, exponent 0.9,
    /// importance weights with exponent `importanceExponent` 0.6); off: uniform.
    public var prioritized = true
    public var priorityMix = 0.9, priorityExponent = 0.9, importanceExponent = 0.6
    /// Frames between checkpoints (a checkpoint is also written at the end and on Ctrl-C).
    public var checkpointEvery = 100_000
    /// Episodes averaged in "recent return" (progress line and the final report).
    public var returnWindow = 100

    public init() {}

    /// MinAtar: the defaults above.
    public static let minAtar = R2D2Config()

    /// Small grid worlds (the memory mazes): short runs that learn in seconds to minutes.
    public static var gridWorld: R2D2Config {
        var c = R2D2Config()
        c.frames = 100_000
        c.replayCapacity = 20_000
        c.batchSize = 16
        c.burnIn = 4
        c.unroll = 16
        c.warmupFrames = 1_000
        c.updateEvery = 8
        c.targetUpdateEvery = 100
        c.epsilonDecayFrames = 20_000
        c.epsilonEnd = 0.05
        c.learningRate = 1e-3
        // Returns of at most 1 need no squashing, and h compresses the 1% a step is worth in a
        // maze; Adam's ε of 1e-3 (for the paper's loss scale) damps this loss's small gradients.
        // Measured on memory-2 with a 0.01 step penalty: with both off, four seeds of four reached
        // a greedy 0.96 in 40,000 frames; with the paper's pair, two seeds stayed below 0 at
        // 20,000 frames with four times the updates.
        c.valueRescaling = false
        c.adamEpsilon = 1e-5
        c.hiddenUnits = 64
        c.memoryUnits = 64
        c.checkpointEvery = 20_000
        return c
    }

    /// The preset for an environment id.
    public static func preset(forEnvironment id: String) -> R2D2Config {
        id.hasPrefix("gridworld/") ? gridWorld : minAtar
    }

    public static let maxFrames = 1_000_000_000
    public static let maxReplayCapacity = 100_000_000
    public static let maxSequenceSteps = 10_000
    public static let maxBatchSize = 65_536
    public static let maxWidth = 1 << 16

    /// Steps a sequence spans in replay: burn-in, trained steps, the n-step tail.
    public var sequenceSpan: Int { burnIn + unroll + nStep }

    /// Checks every key; the error names the key, its value and the allowed range.
    public func validate() throws {
        let c = ConfigCheck()
        try c.count("frames", frames, 1...Self.maxFrames)
        try c.count("replayCapacity", replayCapacity, 2...Self.maxReplayCapacity)
        try c.count("batchSize", batchSize, 1...Self.maxBatchSize)
        try c.count("burnIn", burnIn, 0...Self.maxSequenceSteps)
        try c.count("unroll", unroll, 1...Self.maxSequenceSteps)
        try c.count("nStep", nStep, 1...Self.maxSequenceSteps)
        try c.require(replayCapacity > sequenceSpan, "replayCapacity (\(replayCapacity)) must exceed a sequence's span, burnIn + unroll + nStep = \(sequenceSpan)")
        try c.count("warmupFrames", warmupFrames, 0...Self.maxFrames)
        try c.require(warmupFrames >= sequenceSpan, "warmupFrames (\(warmupFrames)) must be ≥ burnIn + unroll + nStep (\(sequenceSpan)) so that a sequence is stored before the first update")
        try c.count("updateEvery", updateEvery, 1...Self.maxFrames)
        try c.count("targetUpdateEvery", targetUpdateEvery, 1...Self.maxFrames)
        try c.number("epsilonStart", epsilonStart, in: 0...1)
        try c.number("epsilonEnd", epsilonEnd, in: 0...1)
        try c.count("epsilonDecayFrames", epsilonDecayFrames, 0...Self.maxFrames)
        try c.number("gamma", gamma, in: 0...1)
        try c.number("rescaleEpsilon", rescaleEpsilon, "in (0, 1]") { $0 > 0 && $0 <= 1 }
        try c.number("learningRate", learningRate, "in (0, 10]") { $0 > 0 && $0 <= 10 }
        try c.number("adamEpsilon", adamEpsilon, "> 0") { $0 > 0 }
        try c.number("gradientClip", gradientClip, "≥ 0 (0: off)") { $0 >= 0 }
        try c.count("convChannels", convChannels, 1...Self.maxWidth)
        try c.count("hiddenUnits", hiddenUnits, 1...Self.maxWidth)
        try c.count("memoryUnits", memoryUnits, 1...Self.maxWidth)
        try c.number("priorityMix", priorityMix, in: 0...1)
        try c.number("priorityExponent", priorityExponent, in: 0...10)
        try c.number("importanceExponent", importanceExponent, in: 0...1)
        try c.count("checkpointEvery", checkpointEvery, 1...Self.maxFrames)
        try c.count("returnWindow", returnWindow, 1...1_000_000)
    }

    /// Bytes a run of this config needs (replay steps and stored states, both networks with
    /// gradients and Adam's moments, a batch's activations), in floating point so that no
    /// product of sizes can overflow.
    public func memoryEstimate(observation shape: ObservationShape, actions: Int, binaryObservations: Bool) -> Double {
        let cells = Double(shape.count)
        let step = (binaryObservations ? (cells / 8).rounded(.up) : 4 * cells) + 10 + Double(actions)
        let states = Double(replayCapacity) / Double(max(1, min(unroll, 2))) * 8 * Double(memoryUnits)
        let flat = Double(convChannels) * Double(max(0, shape.height - 2)) * Double(max(0, shape.width - 2))
        let lstm = 4 * Double(memoryUnits) * (Double(hiddenUnits + memoryUnits) + 2)
        let parameters = Double(convChannels) * (Double(shape.channels) * 9 + 1) + (flat + 1) * Double(hiddenUnits)
            + lstm + (Double(memoryUnits) + 1) * Double(actions + 1)
        let rows = Double(batchSize) * Double(sequenceSpan)
        let activations = 4 * rows * (cells + 2 * flat + 2 * Double(hiddenUnits) + 8 * Double(memoryUnits)) * 3
        return Double(replayCapacity) * step + states + 4 * parameters * 2 * 4 + activations
    }

    /// Refuses a config whose run would need more memory than this machine has.
    public func checkMemory(observation shape: ObservationShape, actions: Int, binaryObservations: Bool, environment: String) throws {
        try ConfigCheck().memory(memoryEstimate(observation: shape, actions: actions, binaryObservations: binaryObservations),
                                 for: "\(environment) (replayCapacity \(replayCapacity), batchSize \(batchSize), memoryUnits \(memoryUnits))",
                                 lower: "lower replayCapacity or the network's size")
    }

    /// Pretty JSON, keys sorted (config.json, printed at the start of a run).
    public var json: String { ConfigOverrides.prettyJSON(self) }
}
