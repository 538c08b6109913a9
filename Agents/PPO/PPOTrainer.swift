// The PPO/A2C training loop: collect a rollout from `environments` copies stepped together,
// compute GAE advantages, then `epochs` passes of shuffled minibatches through the clipped
// surrogate, the value loss and the entropy bonus; metrics named as CleanRL names them.
//
// Reproducibility: one run seed derives every stream — the copies' seeds, action sampling,
// minibatch shuffling and weight initialisation — so a run is a function of (seed, config,
// build, threads). Exact resume (PPOTrainer+Checkpoint.swift): checkpoints are written between
// iterations, when no rollout is in flight; they hold the weights, the optimizer, the counters,
// the generators and the actions taken since the start, which a resume replays through the
// (deterministic) copies to put every copy back in the state it was in.
import Foundation
import Neural
import RL
import Runs
import Tensors

public struct PPOTrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the trainer reports while it runs.
public struct PPOProgress: Sendable {
    public var frame: Int, totalFrames: Int, episodes: Int, iterations: Int
    public var recentReturn: Double?
}

/// The means of one update's minibatch statistics.
public struct PPOUpdateStatistics: Sendable {
    public var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, approxKL = 0.0, clipFraction = 0.0
    public var explainedVariance = 0.0
    public var minibatches = 0
}

public final class PPOTrainer<E: Environment> {
    public let config: PPOConfig
    public let environmentID: String
    public let seed: UInt64
    public let network: ActorCritic
    public let parameters: [Parameter]
    public let optimizer: any Optimizer
    public internal(set) var copies: VectorEnvironment<E>
    var sampling: SeededGenerator, shuffling: SeededGenerator
    public internal(set) var frame = 0, iteration = 0, episodes = 0
    /// Actions taken since the start, step by step, copy by copy; one byte each (two for more
    /// than 256 actions).
    var history: [UInt8] = []
    private var episodeReturns: [Double]
    /// Steps taken in each copy's current episode (the index of its current observation), and
    /// the length of the episode each copy ended last (the index of its final observation).
    private(set) var episodeLengths: [Int], endedLengths: [Int]
    public private(set) var recentReturns: [Double] = []
    public var metrics: MetricsLogger?
    public private(set) var lastUpdate = PPOUpdateStatistics()
    var rollout: Rollout
    /// Each copy's episode number (episodes finished so far); memory forgets where it changes.
    var episodeIndex: [Int]
    /// What the copies remember while acting (empty for feed-forward networks).
    var carry: MemoryCarry
    /// Attention memory: the observations of each copy's last `contextLength` steps, a ring of
    /// steps (slot `contextHead` is the oldest), and their episode numbers; kept by `step`, so a
    /// resume's replay rebuilds it.
    var contextRing: [Float] = [], contextRingEpisodes: [Int] = [], contextHead = 0
    let masked: Bool
    private let policyLoss = ClippedSurrogateLoss()
    var batch = Tensor.empty
    private var finals = Tensor.empty, maskBatch = Tensor.empty, policyGradient = Tensor.empty, valueGradient = Tensor.empty
    var order: [Int]
    private var minibatchActions: [Int], minibatchOldLogProbabilities: [Float], minibatchAdvantages: [Float]
    private var minibatchReturns: [Float], minibatchOldValues: [Float]

    public init(environmentID: String, config: PPOConfig, seed: UInt64, make: (Int) -> E) {
        let root = SeededGenerator(seed: seed)
        var seeds = root.derived(stream: 1)
        sampling = root.derived(stream: 2)
        shuffling = root.derived(stream: 3)
        var initialisation = root.derived(stream: 4)
        self.config = config
        self.environmentID = environmentID
        self.seed = seed
        copies = VectorEnvironment(copies: config.environments, seed: seeds.next(), make: make)
        let first = copies.copies[0]
        network = ActorCriticNetwork.make(config, observation: first.observationShape, actions: first.actionCount, generator: &initialisation)
        parameters = network.parameters
        switch config.optimizer {
        case .adam: optimizer = Adam(parameters: parameters, learningRate: Float(config.learningRate), epsilon: Float(config.adamEpsilon))
        case .rmsprop: optimizer = RMSprop(parameters: parameters, learningRate: Float(config.learningRate), alpha: Float(config.rmspropAlpha), epsilon: Float(config.rmspropEpsilon))
        }
        masked = !first.everyActionAlwaysLegal
        rollout = Rollout(steps: config.steps, environments: config.environments, observationCount: first.observationShape.count,
                          actionCount: first.actionCount, masked: masked)
        episodeReturns = [Double](repeating: 0, count: config.environments)
        episodeLengths = [Int](repeating: 0, count: config.environments)
        endedLengths = episodeLengths
        order = Array(0..<(config.memory == .none ? config.framesPerIteration : config.environments))
        episodeIndex = [Int](repeating: 0, count: config.environments)
        carry = MemoryCarry(network.memory, copies: config.environments)
        if let memory = network.memory, memory.contextLength > 0 {
            contextRing = [Float](repeating: 0, count: memory.contextLength * config.environments * first.observationShape.count)
            contextRingEpisodes = [Int](repeating: -1, count: memory.contextLength * config.environments)
        }
        let m = config.minibatchSize
        minibatchActions = [Int](repeating: 0, count: m)
        minibatchOldLogProbabilities = [Float](repeating: 0, count: m)
        minibatchAdvantages = minibatchOldLogProbabilities; minibatchReturns = minibatchOldLogProbabilities
        minibatchOldValues = minibatchOldLogProbabilities
    }

    var shape: ObservationShape { copies.observationShape }
    var actionCount: Int { rollout.actionCount }

    public var recentReturn: Double? { recentReturns.isEmpty ? nil : recentReturns.reduce(0, +) / Double(recentReturns.count) }

    public var progress: PPOProgress {
        PPOProgress(frame: frame, totalFrames: config.iterations * config.framesPerIteration, episodes: episodes,
                    iterations: iteration, recentReturn: recentReturn)
    }

    /// Trains until `config.iterations` iterations, or until `shouldStop` says so (checked
    /// between iterations, so a stop never leaves a rollout half done). Calls `checkpoint`
    /// every `checkpointEvery` frames (rounded to iterations).
    public func train(shouldStop: () -> Bool = { false }, checkpoint: ((PPOTrainer) throws -> Void)? = nil,
                      report: ((PPOProgress) -> Void)? = nil) throws {
        var lastReport = Date(), lastCheckpointFrame = frame
        while iteration < config.iterations && !shouldStop() {
            let started = Date()
            collectRollout(logging: true)
            let statistics = update()
            guard statistics.policyLoss.isFinite && statistics.valueLoss.isFinite else {
                throw PPOTrainingError("the losses became \(statistics.policyLoss) (policy) and \(statistics.valueLoss) (value) at iteration \(iteration + 1); training stopped, the last good checkpoint is kept")
            }
            iteration += 1
            lastUpdate = statistics
            if let metrics {
                metrics.log("losses/policy_loss", statistics.policyLoss, step: frame)
                metrics.log("losses/value_loss", statistics.valueLoss, step: frame)
                metrics.log("losses/entropy", statistics.entropy, step: frame)
                metrics.log("losses/approx_kl", statistics.approxKL, step: frame)
                metrics.log("losses/clipfrac", statistics.clipFraction, step: frame)
                metrics.log("losses/explained_variance", statistics.explainedVariance, step: frame)
                metrics.log("charts/learning_rate", Double(optimizer.learningRate), step: frame)
                metrics.log("charts/sps", Double(config.framesPerIteration) / max(1e-9, Date().timeIntervalSince(started)), step: frame)
            }
            if frame - lastCheckpointFrame >= config.checkpointEvery {
                try metrics?.flush()
                try checkpoint?(self)
                lastCheckpointFrame = frame
            }
            if let report, Date().timeIntervalSince(lastReport) >= 1 { report(progress); lastReport = Date() }
        }
        try metrics?.flush()
    }

    // MARK: Acting

    /// The copies' current observations as a batch.
    private func observationBatch() -> Tensor {
        let s = shape
        Tensor.prepare(&batch, shape: [config.environments, s.channels, s.height, s.width])
        copies.observations.withUnsafeBufferPointer { batch.scratchPointer.update(from: $0.baseAddress!, count: $0.count) }
        return batch
    }

    /// Steps every copy `config.steps` times with actions drawn from the policy, filling the
    /// rollout and its advantages (the first half of an iteration; `dojo bench` times it).
    public func collectRollout(logging: Bool) {
        let n = config.environments, k = actionCount, count = shape.count
        var legal = [Bool](repeating: true, count: k)
        var actions = [Int](repeating: 0, count: n)
        beginRollout()
        for t in 0..<config.steps {
            let (logits, values) = network.act(observationBatch(), episodes: episodeIndex, positions: episodeLengths, carry: &carry, commit: true)
            for i in 0..<n {
                let row = t * n + i
                rollout.episodes[row] = episodeIndex[i]
                rollout.observations.withUnsafeMutableBufferPointer { o in
                    copies.observations.withUnsafeBufferPointer { (o.baseAddress! + row * count).update(from: $0.baseAddress! + i * count, count: count) }
                }
                if masked {
                    legal.withUnsafeMutableBufferPointer { copies.copies[i].legalMask(into: $0) }
                    for a in 0..<k { rollout.masks[row * k + a] = legal[a] ? 1 : 0 }
                }
                let draw = PolicySampling.draw(logits.pointer + i * k, count: k, legal: { legal[$0] }, greedy: false, generator: &sampling)
                actions[i] = draw.action
                rollout.actions[row] = draw.action
                rollout.logProbabilities[row] = draw.logProbability
                rollout.values[row] = values.pointer[i]
            }
            step(actions, logging: logging)
            var cutOff: [Int] = []
            for i in 0..<n {
                let row = t * n + i, result = copies.results[i]
                rollout.rewards[row] = result.reward
                rollout.terminated[row] = result.terminated
                rollout.truncated[row] = result.truncated && !result.terminated
                rollout.truncationValues[row] = 0
                if rollout.truncated[row] { cutOff.append(i) }
            }
            if !cutOff.isEmpty {
                let values = truncationValues(of: cutOff)
                for (j, i) in cutOff.enumerated() { rollout.truncationValues[t * n + i] = values[j] }
            }
        }
        let last = network.act(observationBatch(), episodes: episodeIndex, positions: episodeLengths, carry: &carry, commit: false).value
        let lastValues = (0..<n).map { last.pointer[$0] }
        rollout.computeAdvantages(lastValues: lastValues, gamma: Float(config.gamma), lambda: Float(config.gaeLambda))
    }

    /// V of the observations the listed copies' episodes were cut off in, with what the copies
    /// remembered of those episodes (`step` has already moved them to their next episode).
    private func truncationValues(of list: [Int]) -> [Float] {
        let s = shape
        Tensor.prepare(&finals, shape: [list.count, s.channels, s.height, s.width])
        let p = finals.scratchPointer
        copies.finalObservations.withUnsafeBufferPointer { o in
            for (j, i) in list.enumerated() { (p + j * s.count).update(from: o.baseAddress! + i * s.count, count: s.count) }
        }
        var remembered = carry.subset(list)
        let v = network.act(finals, episodes: list.map { episodeIndex[$0] - 1 }, positions: list.map { endedLengths[$0] },
                            carry: &remembered, commit: false).value
        return (0..<list.count).map { v.pointer[$0] }
    }

    /// Steps the copies, records the actions and keeps episode statistics. Training and resume
    /// share it.
    func step(_ actions: [Int], logging: Bool) {
        for a in actions {
            if actionCount <= 256 { history.append(UInt8(a)) } else { history += [UInt8(a & 0xFF), UInt8(a >> 8)] }
        }
        rememberObservations()
        copies.step(actions)
        frame += actions.count
        for i in actions.indices {
            let result = copies.results[i]
            episodeReturns[i] += Double(result.reward)
            episodeLengths[i] += 1
            guard result.isOver else { continue }
            episodes += 1
            episodeIndex[i] += 1
            recentReturns.append(episodeReturns[i])
            if recentReturns.count > config.returnWindow { recentReturns.removeFirst() }
            if logging, let metrics {
                metrics.log("charts/episodic_return", episodeReturns[i], step: frame)
                metrics.log("charts/episodic_length", Double(episodeLengths[i]), step: frame)
            }
            episodeReturns[i] = 0
            endedLengths[i] = episodeLengths[i]
            episodeLengths[i] = 0
        }
    }

    // MARK: Learning

    /// The learning rate of iteration `iteration` (0-based): annealed linearly to 0 over the run.
    public func learningRate(atIteration index: Int) -> Float {
        guard config.annealLearningRate else { return Float(config.learningRate) }
        return Float(config.learningRate * (1 - Double(index) / Double(config.iterations)))
    }

    /// `epochs` passes of shuffled minibatches over the rollout (the second half).
    public func update() -> PPOUpdateStatistics {
        optimizer.learningRate = learningRate(atIteration: iteration)
        var total = PPOUpdateStatistics()
        total.explainedVariance = Self.explainedVariance(predicted: rollout.values, targets: rollout.returns)
        // Feed-forward: minibatches of rows; with memory, of whole copies' rollouts.
        let m = network.memory == nil ? config.minibatchSize : config.environments / config.minibatches
        for _ in 0..<config.epochs {
            shuffle()
            var epochKL = 0.0
            for start in stride(from: 0, to: order.count, by: m) {
                let s = network.memory == nil ? minibatchStep(order[start..<(start + m)]) : sequenceStep(copies: order[start..<(start + m)])
                total.policyLoss += Double(s.policy.policyLoss)
                total.valueLoss += Double(s.value)
                total.entropy += Double(s.policy.entropy)
                total.approxKL += Double(s.policy.approxKL)
                total.clipFraction += Double(s.policy.clipFraction)
                total.minibatches += 1
                epochKL += Double(s.policy.approxKL)
            }
            if config.targetKL > 0 && epochKL / Double(config.minibatches) > config.targetKL { break }
        }
        let count = Double(max(1, total.minibatches))
        total.policyLoss /= count; total.valueLoss /= count; total.entropy /= count
        total.approxKL /= count; total.clipFraction /= count
        return total
    }

    /// A fresh permutation of the rollout's rows, or copies with memory (Fisher–Yates from the identity, so the order
    /// depends on the shuffling stream alone and a resumed run draws the same ones).
    private func shuffle() {
        for i in order.indices { order[i] = i }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, shuffling.nextInt(below: i + 1))
        }
    }

    /// Rows passed through the network at once. A minibatch of 1,024 MinAtar rows holds 4 MB of
    /// convolution output per tensor, more than a core's L2 cache, and the forward and backward
    /// passes stream several such tensors; chunks of 128 keep them in cache. The gradient is
    /// the minibatch's (chunk gradients summed with the minibatch's 1/B), only summed in
    /// another order.
    var chunkRows = 128

    /// One gradient step on the rows `rows`.
    private func minibatchStep(_ rows: ArraySlice<Int>) -> (policy: PolicyLossStatistics, value: Float) {
        let s = shape, count = s.count, m = rows.count
        var advantages = rows.map { rollout.advantages[$0] }
        if config.normalizeAdvantages { Self.normalize(&advantages) }
        var statistics = PolicyLossStatistics()
        var loss: Float = 0
        parameters.zeroGradients()
        for first in stride(from: 0, to: m, by: chunkRows) {
            let chunk = rows.dropFirst(first).prefix(chunkRows), c = chunk.count
            Tensor.prepare(&batch, shape: [c, s.channels, s.height, s.width])
            let x = batch.scratchPointer
            rollout.observations.withUnsafeBufferPointer { o in
                for (j, row) in chunk.enumerated() { (x + j * count).update(from: o.baseAddress! + row * count, count: count) }
            }
            let (logits, values) = network.forward(batch)
            // The losses are means over the chunk; the minibatch's mean weighs each by its share.
            let share = Float(c) / Float(m)
            let part = lossAndBackward(rows: chunk, advantages: advantages[first..<(first + c)], logits: logits, values: values, share: share)
            statistics.policyLoss += share * part.policy.policyLoss
            statistics.entropy += share * part.policy.entropy
            statistics.approxKL += share * part.policy.approxKL
            statistics.clipFraction += share * part.policy.clipFraction
            loss += share * part.value
        }
        finishStep()
        return (statistics, loss)
    }

    /// The losses of the network's outputs for rollout rows `rows` (in the outputs' order) and
    /// their gradients, weighted by `share` of the minibatch, back through the network.
    func lossAndBackward(rows: some Collection<Int>, advantages: ArraySlice<Float>, logits: Tensor, values: Tensor,
                         share: Float) -> (policy: PolicyLossStatistics, value: Float) {
        let k = actionCount, c = rows.count
        if masked {
            Tensor.prepare(&maskBatch, shape: [c, k])
            let mp = maskBatch.scratchPointer
            rollout.masks.withUnsafeBufferPointer { o in
                for (j, row) in rows.enumerated() { (mp + j * k).update(from: o.baseAddress! + row * k, count: k) }
            }
        }
        minibatchActions.removeAll(keepingCapacity: true); minibatchOldLogProbabilities.removeAll(keepingCapacity: true)
        minibatchReturns.removeAll(keepingCapacity: true); minibatchOldValues.removeAll(keepingCapacity: true)
        minibatchAdvantages.removeAll(keepingCapacity: true)
        minibatchAdvantages.append(contentsOf: advantages)
        for row in rows {
            minibatchActions.append(rollout.actions[row])
            minibatchOldLogProbabilities.append(rollout.logProbabilities[row])
            minibatchReturns.append(rollout.returns[row])
            minibatchOldValues.append(rollout.values[row])
        }
        let clip = Float(config.clipCoefficient)
        let part = policyLoss(logits, mask: masked ? maskBatch : nil, actions: minibatchActions,
                              oldLogProbabilities: minibatchOldLogProbabilities, advantages: minibatchAdvantages,
                              clip: clip, entropyCoefficient: Float(config.entropyCoefficient), gradient: &policyGradient)
        let partLoss = valueLoss(values, returns: minibatchReturns, oldValues: minibatchOldValues,
                                 clip: config.clipValueLoss ? clip : 0, gradient: &valueGradient)
        Kernels.scale(policyGradient.count, share, policyGradient.scratchPointer)
        Kernels.scale(valueGradient.count, share * Float(config.valueCoefficient), valueGradient.scratchPointer)
        network.backward(policyGradient: policyGradient, valueGradient: valueGradient)
        return (part, partLoss)
    }

    /// Clips the summed gradients' norm and takes the optimizer's step.
    func finishStep() {
        if config.maxGradientNorm > 0 { clipGradientNorm(parameters, maxNorm: Float(config.maxGradientNorm)) }
        optimizer.step()
    }

    /// To zero mean and unit (sample) standard deviation, + 1e-8 as the PPO implementations do.
    static func normalize(_ values: inout [Float]) {
        guard values.count > 1 else { return }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count - 1)
        let scale = 1 / (variance.squareRoot() + 1e-8)
        for i in values.indices { values[i] = Float((Double(values[i]) - mean) * scale) }
    }

    /// 1 − Var(targets − predicted) / Var(targets): 1 is perfect, 0 no better than the mean.
    public static func explainedVariance(predicted: [Float], targets: [Float]) -> Double {
        func variance(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        }
        let t = targets.map(Double.init)
        let v = variance(t)
        guard v > 0 else { return .nan }
        return 1 - variance(zip(t, predicted).map { $0 - Double($1) }) / v
    }
}
