// The DQN learner (Mnih et al. 2015): an online and a target Q-network, the optimizer, and one
// gradient step on a replay batch: Huber loss between Q(s, a) and r + discount·max Q_target(s′, ·)
// over the legal actions of s′ (Double DQN: the online network picks the action, the target
// network values it). `discount` comes from the replay buffer: γⁿ, or 0 after a terminal state.
import Foundation
import Neural
import RL
import Tensors

public final class DQNAgent {
    public let config: DQNConfig
    public let observationShape: ObservationShape
    public let actionCount: Int
    public let online: Sequential, target: Sequential
    public let onlineParameters: [Parameter], targetParameters: [Parameter]
    public let optimizer: any Optimizer
    public private(set) var updates = 0
    private let huber: HuberLoss
    private var states = Tensor.empty, nextStates = Tensor.empty, single = Tensor.empty
    private var chosenQ = Tensor.empty, targets = Tensor.empty, lossGradient = Tensor.empty, qGradient = Tensor.empty

    public init(config: DQNConfig, observationShape: ObservationShape, actionCount: Int, generator: inout SeededGenerator) {
        self.config = config
        self.observationShape = observationShape
        self.actionCount = actionCount
        online = QNetwork.make(config, observation: observationShape, actions: actionCount, prefix: "online.", generator: &generator)
        target = QNetwork.make(config, observation: observationShape, actions: actionCount, prefix: "target.", generator: &generator)
        onlineParameters = online.parameters
        targetParameters = target.parameters
        targetParameters.copyValues(from: onlineParameters)
        target.isTraining = false
        huber = HuberLoss(delta: Float(config.huberDelta))
        if config.optimizer == .adam {
            optimizer = Adam(parameters: onlineParameters, learningRate: Float(config.learningRate), epsilon: Float(config.adamEpsilon))
        } else {
            optimizer = RMSprop(parameters: onlineParameters, learningRate: Float(config.learningRate), alpha: Float(config.rmspropAlpha),
                                epsilon: Float(config.rmspropEpsilon), centered: true)
        }
    }

    /// Every tensor a checkpoint holds: both networks (the optimizer adds its own).
    public var parameters: [Parameter] { onlineParameters + targetParameters }

    public func restoreCounters(updates: Int) { self.updates = updates }

    /// Q-values of one observation.
    /// The online network's output for one observation (a layer-owned buffer, valid until the
    /// next forward pass).
    private func forwardOne(_ observation: UnsafeBufferPointer<Float>) -> UnsafePointer<Float> {
        let s = observationShape
        Tensor.prepare(&single, shape: [1, s.channels, s.height, s.width])
        single.scratchPointer.update(from: observation.baseAddress!, count: s.count)
        return UnsafePointer(online.forward(single).pointer)
    }

    public func qValues(_ observation: UnsafeBufferPointer<Float>) -> [Float] {
        Array(UnsafeBufferPointer(start: forwardOne(observation), count: actionCount))
    }

    /// The greedy action among the legal ones (`mask` nil: all legal); ties go to the lowest id.
    /// Called every acting frame, so it reads the output buffer without copying it.
    public func greedyAction(_ observation: UnsafeBufferPointer<Float>, mask: [Bool]?) -> Int {
        let q = forwardOne(observation)
        var best = -1
        for a in 0..<actionCount where mask?[a] ?? true {
            if best < 0 || q[a] > q[best] { best = a }
        }
        return max(best, 0)
    }

    public func syncTarget() { targetParameters.copyValues(from: onlineParameters) }

    /// The best legal next-state value per batch row, from `values` (and `chooser` for Double DQN).
    private func bootstrap(_ values: Tensor, chooser: Tensor?, rows: [Int], replay: ReplayBuffer) -> [Float] {
        let n = actionCount, v = values.pointer
        return rows.enumerated().map { b, i in
            var best = -1
            let pick = chooser?.pointer ?? v
            for a in 0..<n where replay.isLegalNext(i, a) {
                if best < 0 || pick[b * n + a] > pick[b * n + best] { best = a }
            }
            return best < 0 ? 0 : v[b * n + best]
        }
    }

    /// One gradient step on a uniformly sampled batch; returns (loss, mean Q of the chosen actions).
    /// With prioritized replay, `beta` is the importance-weight exponent and the sampled
    /// transitions' priorities are updated from their TD errors.
    /// The step runs as is or with its splits on this thread, whichever is faster on this host
    /// now (SplitCalibration.runStep; the same bits either way).
    @discardableResult
    public func learn(from replay: inout ReplayBuffer, beta: Double = 1, generator: inout SeededGenerator) -> (loss: Float, meanQ: Float) {
        var result: (loss: Float, meanQ: Float) = (0, 0)
        SplitCalibration.shared.runStep("DQN update", size: config.batchSize) {
            result = learnStep(from: &replay, beta: beta, generator: &generator)
        }
        return result
    }

    private func learnStep(from replay: inout ReplayBuffer, beta: Double, generator: inout SeededGenerator) -> (loss: Float, meanQ: Float) {
        let batch = config.batchSize, n = actionCount, s = observationShape
        let rows: [Int], weights: [Float]?
        if replay.priorities != nil {
            (rows, weights) = replay.samplePrioritized(batch, beta: beta, generator: &generator)
        } else {
            rows = replay.sampleIndices(batch, generator: &generator)
            weights = nil
        }
        replay.gather(rows, observations: &states, nextObservations: &nextStates, shape: [batch, s.channels, s.height, s.width])
        let nextTarget = target.forward(nextStates)
        var best: [Float]
        if config.doubleDQN {
            let nextOnline = online.forward(nextStates).copy()
            best = bootstrap(nextTarget, chooser: nextOnline, rows: rows, replay: replay)
        } else {
            best = bootstrap(nextTarget, chooser: nil, rows: rows, replay: replay)
        }
        Tensor.prepare(&targets, shape: [batch])
        Tensor.prepare(&chosenQ, shape: [batch])
        let t = targets.scratchPointer
        for (b, i) in rows.enumerated() { t[b] = replay.rewards[i] + replay.discounts[i] * best[b] }
        let q = online.forward(states)
        let qa = chosenQ.scratchPointer
        var meanQ: Float = 0
        for (b, i) in rows.enumerated() { qa[b] = q.pointer[b * n + Int(replay.actions[i])]; meanQ += qa[b] }
        var loss = huber(chosenQ, targets, gradient: &lossGradient)
        if let weights {
            // Weighted Huber: each sample's loss and gradient scaled by its importance weight.
            let g = lossGradient.scratchPointer, d = Float(config.huberDelta)
            var weighted: Float = 0
            var newPriorities: [Double] = []
            for b in 0..<batch {
                let delta = abs(qa[b] - t[b])
                weighted += weights[b] * (delta < d ? 0.5 * delta * delta : d * (delta - 0.5 * d))
                g[b] *= weights[b]
                newPriorities.append(pow(Double(delta) + config.priorityEpsilon, config.priorityAlpha))
            }
            loss = weighted / Float(batch)
            replay.updatePriorities(rows, newPriorities)
        }
        Tensor.prepare(&qGradient, shape: [batch, n])
        let dq = qGradient.scratchPointer
        Kernels.fill(dq, batch * n, 0)
        for (b, i) in rows.enumerated() { dq[b * n + Int(replay.actions[i])] = lossGradient.pointer[b] }
        onlineParameters.zeroGradients()
        _ = online.backward(qGradient)
        if config.gradientClip > 0 { _ = clipGradientNorm(onlineParameters, maxNorm: Float(config.gradientClip)) }
        optimizer.step()
        updates += 1
        if updates % config.targetUpdateEvery == 0 { syncTarget() }
        return (loss, meanQ / Float(batch))
    }
}
