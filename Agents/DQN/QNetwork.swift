// The Q-network: the MinAtar reference architecture — conv 3×3 (valid, `convChannels`
// filters) → ReLU → dense `hiddenUnits` → ReLU → dense to one Q-value per action — or, with
// `dueling`, two dense streams from the hidden layer combined as Q = V + A − mean(A).
// Parameters are named under `prefix` ("online." / "target.") so both networks share a
// checkpoint.
import Neural
import RL
import Runs
import Tensors

public enum QNetwork {
    /// Whether observations of `shape` fit the network and a run of `config` fits in memory;
    /// one sentence naming the problem if not. Called before anything is allocated.
    public static func check(_ config: DQNConfig, observation shape: ObservationShape, actions: Int,
                             binaryObservations: Bool, environment: String) throws {
        guard shape.height >= 3 && shape.width >= 3 else {
            throw ConfigError("\(environment) has \(shape.height)×\(shape.width) observations; the DQN network's 3×3 convolution needs at least 3×3")
        }
        try config.validate()
        try config.checkMemory(observation: shape, actions: actions, binaryObservations: binaryObservations, environment: environment)
    }

    /// `check` for an environment.
    public static func check(_ config: DQNConfig, for env: some Environment, environment: String) throws {
        try check(config, observation: env.observationShape, actions: env.actionCount,
                  binaryObservations: env.observationsAreBinary, environment: environment)
    }

    public static func make(_ config: DQNConfig, observation shape: ObservationShape, actions: Int,
                            prefix: String, generator: inout SeededGenerator) -> Sequential {
        let layers = trunk(observation: shape, convChannels: config.convChannels, hiddenUnits: config.hiddenUnits,
                           prefix: prefix, generator: &generator)
        return Sequential(layers + [head(inputs: config.hiddenUnits, actions: actions, dueling: config.dueling, prefix: prefix, generator: &generator)])
    }

    /// The layers before the head: conv 3×3 → ReLU → flatten → dense → ReLU (R2D2's network
    /// puts its LSTM after them).
    public static func trunk(observation shape: ObservationShape, convChannels: Int, hiddenUnits: Int,
                             prefix: String, generator: inout SeededGenerator) -> [any Layer] {
        precondition(shape.height >= 3 && shape.width >= 3, "the Q-network's 3×3 convolution needs observations of at least 3×3")
        let conv = Conv2D(inChannels: shape.channels, outChannels: convChannels, kernel: 3, name: prefix + "conv", generator: &generator)
        conv.propagatesInputGradient = false
        let flat = convChannels * (shape.height - 2) * (shape.width - 2)
        let hidden = Dense(inputs: flat, outputs: hiddenUnits, name: prefix + "fc1", generator: &generator)
        return [conv, ReLU(), Flatten(), hidden, ReLU()]
    }

    /// One Q-value per action from `inputs` features: dense, or the dueling head.
    public static func head(inputs: Int, actions: Int, dueling: Bool, prefix: String, generator: inout SeededGenerator) -> any Layer {
        dueling ? DuelingHead(inputs: inputs, actions: actions, name: prefix + "head", generator: &generator)
                : Dense(inputs: inputs, outputs: actions, name: prefix + "fc2", generator: &generator)
    }
}

/// The dueling head (Wang et al. 2016): value V(s) and advantages A(s, ·) from the same
/// features, Q(s, a) = V(s) + A(s, a) − mean_a A(s, a).
public final class DuelingHead: Layer {
    let value: Dense, advantage: Dense
    let actions: Int
    var output = Tensor.empty, dValue = Tensor.empty, dAdvantage = Tensor.empty, dInput = Tensor.empty
    public var isTraining = true

    public init(inputs: Int, actions: Int, name: String, generator: inout SeededGenerator) {
        self.actions = actions
        value = Dense(inputs: inputs, outputs: 1, name: name + ".value", generator: &generator)
        advantage = Dense(inputs: inputs, outputs: actions, name: name + ".advantage", generator: &generator)
    }

    public var parameters: [Parameter] { value.parameters + advantage.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        let v = value.forward(x), a = advantage.forward(x)
        let batch = x.shape[0], n = actions
        Tensor.prepare(&output, shape: [batch, n])
        let out = output.scratchPointer, vp = v.pointer, ap = a.pointer
        for b in 0..<batch {
            var mean: Float = 0
            for k in 0..<n { mean += ap[b * n + k] }
            mean /= Float(n)
            for k in 0..<n { out[b * n + k] = vp[b] + ap[b * n + k] - mean }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let batch = dy.shape[0], n = actions
        Tensor.prepare(&dValue, shape: [batch, 1])
        Tensor.prepare(&dAdvantage, shape: [batch, n])
        let g = dy.pointer, dv = dValue.scratchPointer, da = dAdvantage.scratchPointer
        for b in 0..<batch {
            var sum: Float = 0
            for k in 0..<n { sum += g[b * n + k] }
            dv[b] = sum
            for k in 0..<n { da[b * n + k] = g[b * n + k] - sum / Float(n) }
        }
        let dxV = value.backward(dValue), dxA = advantage.backward(dAdvantage)
        Tensor.prepare(&dInput, shape: dxV.shape)
        let out = dInput.scratchPointer, p = dxV.pointer, q = dxA.pointer
        for i in 0..<dxV.count { out[i] = p[i] + q[i] }
        return dInput
    }
}
