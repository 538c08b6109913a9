// R2D2's learner (Kapturowski et al. 2019): online and target recurrent Q-networks, Adam, and
// one gradient step on a batch of stored sequences:
// 1. burn-in: both networks run the burn-in steps from the stored state, without gradient;
// 2. both run the trained part from the state burn-in left (zeros for a sequence that starts
//    its episode);
// 3. n-step double-Q targets with value rescaling: for a trained step t with n′ ≤ n steps
//    before its episode's end or the n-th,
//      y_t = h(Σ_{k<n′} γᵏ r_{t+k} + γ^{n′} h⁻¹(Q_target(s_{t+n′}, argmax_a Q_online(s_{t+n′}, a))))
//    (no bootstrap where the episode terminated at t + n′; the argmax over legal actions);
// 4. loss ½·w_b·(Q(s_t, a_t) − y_t)² averaged over the trained steps, w_b the sequence's
//    importance weight; the new priority η·max_t|δ_t| + (1 − η)·mean_t|δ_t|, to the exponent.
import Foundation
import Neural
import RL
import Tensors

public final class R2D2Learner {
    public let config: R2D2Config
    public let online: RecurrentQNetwork, target: RecurrentQNetwork
    public let optimizer: Adam
    public private(set) var updates = 0
    let rescaling: ValueRescaling
    private var batch = SequenceBatch()
    private var gradient = Tensor.empty

    public init(config: R2D2Config, observation shape: ObservationShape, actions: Int, generator: inout SeededGenerator) {
        self.config = config
        online = RecurrentQNetwork(config, observation: shape, actions: actions, prefix: "online.", generator: &generator)
        target = RecurrentQNetwork(config, observation: shape, actions: actions, prefix: "target.", generator: &generator)
        target.parameters.copyValues(from: online.parameters)
        target.isTraining = false
        optimizer = Adam(parameters: online.parameters, learningRate: Float(config.learningRate), epsilon: Float(config.adamEpsilon))
        rescaling = ValueRescaling(epsilon: config.valueRescaling ? config.rescaleEpsilon : nil)
    }

    /// Every tensor a checkpoint holds: both networks (the optimizer adds its own).
    public var parameters: [Parameter] { online.parameters + target.parameters }

    public func restoreCounters(updates: Int) { self.updates = updates }

    /// What one gradient step reports.
    public struct Step { public var loss: Float, meanQ: Float }

    /// One gradient step on `config.batchSize` sequences drawn from `replay`.
    public func learn(from replay: inout SequenceReplay, shape: [Int], generator: inout SeededGenerator) -> Step {
        let (positions, weights) = replay.sample(config.batchSize, beta: config.importanceExponent, generator: &generator)
        let (q, qTarget) = evaluate(positions, replay: replay, shape: shape)
        let B = batch.batch, A = online.actions, T = batch.trainRows
        Tensor.prepare(&gradient, shape: [T * B, A])
        let dq = gradient.scratchPointer
        Kernels.fill(dq, T * B * A, 0)
        let trainedSteps = batch.trained.reduce(0, +)
        var loss = 0.0, qSum = 0.0, newPriorities: [Double] = []
        for b in 0..<B {
            let w = Double(weights?[b] ?? 1)
            var largest = 0.0, sum = 0.0
            for t in 0..<batch.trained[b] {
                let row = t * B + b, action = Int(batch.actions[row])
                let y = targetValue(step: t, sequence: b, q: q.pointer, qTarget: qTarget.pointer)
                let delta = Double(q.pointer[row * A + action]) - y
                loss += 0.5 * w * delta * delta
                dq[row * A + action] = Float(w * delta / Double(trainedSteps))
                qSum += Double(q.pointer[row * A + action])
                largest = max(largest, abs(delta)); sum += abs(delta)
            }
            let mean = sum / Double(max(1, batch.trained[b]))
            newPriorities.append(pow(config.priorityMix * largest + (1 - config.priorityMix) * mean, config.priorityExponent))
        }
        online.parameters.zeroGradients()
        online.backward(gradient)
        if config.gradientClip > 0 { _ = clipGradientNorm(online.parameters, maxNorm: Float(config.gradientClip)) }
        optimizer.step()
        replay.updatePriorities(positions, newPriorities)
        updates += 1
        if updates % config.targetUpdateEvery == 0 { target.parameters.copyValues(from: online.parameters) }
        let count = Double(max(1, trainedSteps))
        return Step(loss: Float(loss / count), meanQ: Float(qSum / count))
    }

    /// Both networks' Q-values [trainRows·B, actions] for the trained part of the sequences at
    /// ring `positions` (burn-in first); the online network's forward is the latest, for
    /// `backward`. The batch stays in `batch`.
    func evaluate(_ positions: [Int], replay: SequenceReplay, shape: [Int]) -> (online: Tensor, target: Tensor) {
        replay.gather(positions, shape: shape, into: &batch)
        let B = batch.batch, T = batch.trainRows
        let onlineStart = burnIn(online), targetStart = burnIn(target)
        let qTarget = target.forward(batch.trainObservations, steps: T, batch: B, initial: targetStart, resets: nil)
        let q = online.forward(batch.trainObservations, steps: T, batch: B, initial: onlineStart, resets: nil)
        return (q, qTarget)
    }

    /// The state `network` reaches over the batch's burn-in rows from the stored states (a
    /// copy), with zeros for sequences that start their episode.
    private func burnIn(_ network: RecurrentQNetwork) -> RecurrentState {
        var state: RecurrentState
        if batch.burnRows > 0 {
            _ = network.forward(batch.burnObservations, steps: batch.burnRows, batch: batch.batch, initial: batch.stored, resets: batch.burnResets)
            state = network.finalState.copy()
        } else {
            state = batch.stored.copy()
        }
        let fresh = batch.startsEpisode.indices.filter { batch.startsEpisode[$0] }
        if batch.burnRows > 0 && !fresh.isEmpty { state.resetRows(fresh) }
        return state
    }

    /// y_t for trained step `t` of sequence `b`.
    private func targetValue(step t: Int, sequence b: Int, q: UnsafePointer<Float>, qTarget: UnsafePointer<Float>) -> Double {
        Self.target(step: t, sequence: b, batch: batch, actions: online.actions, q: q, qTarget: qTarget,
                    gamma: config.gamma, nStep: config.nStep, rescaling: rescaling)
    }

    /// y_t = h(Σ_{k<n′} γᵏ r_{t+k} + γ^{n′} h⁻¹(Q_target(s_{t+n′}, argmax_legal Q_online(s_{t+n′})))),
    /// without the bootstrap where the episode terminated at t + n′.
    static func target(step t: Int, sequence b: Int, batch: SequenceBatch, actions A: Int, q: UnsafePointer<Float>,
                       qTarget: UnsafePointer<Float>, gamma: Double, nStep: Int, rescaling: ValueRescaling) -> Double {
        let B = batch.batch
        var g = 0.0, scale = 1.0, k = 0
        var bootstrapRow: Int? = nil
        while true {
            g += scale * Double(batch.rewards[(t + k) * B + b])
            scale *= gamma
            k += 1
            let row = (t + k) * B + b
            if batch.finals[row] { bootstrapRow = batch.terminals[row] ? nil : row; break }
            if k == nStep { bootstrapRow = row; break }
        }
        if let row = bootstrapRow {
            var best = -1
            for a in 0..<A where batch.legal.isEmpty || batch.legal[row * A + a] {
                if best < 0 || q[row * A + a] > q[row * A + best] { best = a }
            }
            if best >= 0 { g += scale * rescaling.inverse(Double(qTarget[row * A + best])) }
        }
        return rescaling.forward(g)
    }
}
