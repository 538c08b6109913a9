// One update of the MinAtar reference DQN (Young & Tian 2019), batch 32: online forward,
// target forward, Huber loss on the chosen actions' Q against r + γ·(1 − done)·max Q_target,
// backward, centered RMSprop (lr 2.5e-4, α 0.95, ε 0.01). The same step as
// reference/perf/torch_bench.py workload (a).
import Neural
import Tensors

/// The MinAtar DQN network: conv 16×3×3 (valid) → ReLU → dense 128 → ReLU → dense actions.
public func minAtarDQNNetwork(channels: Int, actions: Int, generator: inout SeededGenerator) -> Sequential {
    let conv = Conv2D(inChannels: channels, outChannels: 16, kernel: 3, name: "conv", generator: &generator)
    conv.propagatesInputGradient = false
    return Sequential(conv, ReLU(), Flatten(),
                      Dense(inputs: 16 * 8 * 8, outputs: 128, name: "fc1", generator: &generator), ReLU(),
                      Dense(inputs: 128, outputs: actions, name: "fc2", generator: &generator))
}

/// Fixed inputs and both networks for timing one DQN update.
final class DQNStep {
    let batch = 32, actions = 6, gamma: Float = 0.99
    let online: Sequential, target: Sequential
    /// The online network's parameter list, gathered once (not rebuilt every step).
    let onlineParameters: [Parameter]
    let optimizer: RMSprop
    let states: Tensor, nextStates: Tensor
    let chosen: [Int], rewards: [Float], done: [Float]
    let huber = HuberLoss(delta: 1)
    var chosenQ = Tensor(zeros: [32]), targets = Tensor(zeros: [32])
    var lossGradient = Tensor.empty, qGradient = Tensor(zeros: [32, 6])

    init(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        online = minAtarDQNNetwork(channels: 4, actions: actions, generator: &g)
        target = minAtarDQNNetwork(channels: 4, actions: actions, generator: &g)
        onlineParameters = online.parameters
        target.parameters.copyValues(from: onlineParameters)
        optimizer = RMSprop(parameters: onlineParameters, learningRate: 2.5e-4, alpha: 0.95, epsilon: 0.01, centered: true)
        func bits() -> Tensor { Tensor.uniform(shape: [32, 4, 10, 10], low: 0, high: 1, using: &g).map { $0 < 0.1 ? 1 : 0 } }
        states = bits()
        nextStates = bits()
        chosen = (0..<batch).map { _ in g.nextInt(below: 6) }
        rewards = (0..<batch).map { _ in g.nextNormal() }
        done = (0..<batch).map { _ in g.nextUniform() < 0.05 ? 1 : 0 }
    }

    /// One full update, timed as the agent's is (SplitCalibration.runStep); returns the loss.
    @discardableResult
    func step() -> Float {
        var loss: Float = 0
        SplitCalibration.shared.runStep("DQN update", size: batch) { loss = update() }
        return loss
    }

    private func update() -> Float {
        let nextQ = target.forward(nextStates)
        let t = targets.scratchPointer, nq = nextQ.pointer
        for i in 0..<batch {
            var best = nq[i * actions]
            for a in 1..<actions { best = max(best, nq[i * actions + a]) }
            t[i] = rewards[i] + gamma * (1 - done[i]) * best
        }
        let q = online.forward(states)
        let qa = chosenQ.scratchPointer
        for i in 0..<batch { qa[i] = q.pointer[i * actions + chosen[i]] }
        let loss = huber(chosenQ, targets, gradient: &lossGradient)
        let dq = qGradient.scratchPointer
        Kernels.fill(dq, batch * actions, 0)
        for i in 0..<batch { dq[i * actions + chosen[i]] = lossGradient.pointer[i] }
        onlineParameters.zeroGradients()
        _ = online.backward(qGradient)
        optimizer.step()
        return loss
    }
}

enum DQNStepWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let step = DQNStep(seed: settings.seed &+ 3)
        let seconds = timeRepeats(settings, warmup: 50) { step.step() }
        // 40.8 MFLOP per step: two forwards (10.80 M each) and the backward (19.23 M).
        var rows = [makeResult("dqn-step", variant: "minatar net, centered RMSprop", batch: 32, unit: "steps/s",
                               itemsPerCall: 1, flopsPerCall: 40.8e6, seconds: seconds, settings: settings)]
        // The parts of the step, as torch_bench.py reports them, to see where the time goes.
        let parts: [(String, Double, () -> Void)] = [
            ("part: forward b32 (no grad)", 10.8e6, { _ = step.target.forward(step.nextStates) }),
            ("part: forward+backward b32", 30.0e6, {
                _ = step.online.forward(step.states)
                step.onlineParameters.zeroGradients()
                _ = step.online.backward(step.qGradient)
            }),
            ("part: centered RMSprop update", 0, { step.optimizer.step() }),
        ]
        for (name, flops, body) in parts {
            let t = timeRepeats(settings, warmup: 50, body)
            rows.append(makeResult("dqn-step", variant: name, batch: 32, unit: "calls/s", itemsPerCall: 1,
                                   flopsPerCall: flops > 0 ? flops : nil, seconds: t, settings: settings))
        }
        return rows
    }
}
