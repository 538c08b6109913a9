// The actor-critic network: DQN's MinAtar trunk — conv 3×3 (valid, `convChannels` filters) →
// ReLU → dense `hiddenUnits` → ReLU, or with `trunk=mlp` the flattened observation, then
// `hiddenLayers` dense layers in all — feeding a policy head (dense to one logit per action) and
// a value head (dense to 1); one trunk for both or one each (`sharedTrunk`), and with
// `memory` an LSTM, GRU or attention between the shared trunk and the heads. Orthogonal
// initialisation as in the PPO implementations (Huang et al. 2022, detail 2): gain √2 for the
// trunk, 0.01 for the policy head (a near-uniform first policy), 1 for the value head; biases 0.
// Parameter names start with "ac." so a checkpoint says what it holds.
import Neural
import RL
import Runs
import Tensors

public enum ActorCriticNetwork {
    /// Whether observations of `shape` fit the network and a run of `config` fits in memory;
    /// one sentence naming the problem if not. Called before anything is allocated.
    public static func check(_ config: PPOConfig, observation shape: ObservationShape, actions: Int, environment: String) throws {
        guard config.trunk == .mlp || (shape.height >= 3 && shape.width >= 3) else {
            throw ConfigError("\(environment) has \(shape.height)×\(shape.width) observations; the actor-critic network's 3×3 convolution needs at least 3×3")
        }
        try config.validate()
        try config.checkMemory(observation: shape, actions: actions, environment: environment)
    }

    public static func make(_ config: PPOConfig, observation shape: ObservationShape, actions: Int,
                            generator: inout SeededGenerator) -> ActorCritic {
        precondition(config.trunk == .mlp || (shape.height >= 3 && shape.width >= 3), "the actor-critic network's 3×3 convolution needs observations of at least 3×3")
        let root = Float(2).squareRoot()
        func trunk(_ name: String) -> [any Layer] {
            var layers: [any Layer] = [], width = shape.count
            if config.trunk == .conv {
                let conv = Conv2D(inChannels: shape.channels, outChannels: config.convChannels, kernel: 3, name: name + ".conv", generator: &generator)
                conv.propagatesInputGradient = false
                orthogonalize(conv.weight, gain: root, &generator)
                layers = [conv, ReLU()]
                width = config.convChannels * (shape.height - 2) * (shape.width - 2)
            }
            layers.append(Flatten())
            for k in 0..<config.hiddenLayers {
                let hidden = Dense(inputs: width, outputs: config.hiddenUnits, name: name + (k == 0 ? ".fc" : ".fc\(k + 1)"), generator: &generator)
                hidden.propagatesInputGradient = config.trunk == .conv || k > 0   // the observation needs no gradient
                orthogonalize(hidden.weight, gain: root, &generator)
                layers += [hidden, ReLU()]
                width = config.hiddenUnits
            }
            return layers
        }
        let memory = ActorCriticMemory(config, inputWidth: config.hiddenUnits, generator: &generator)
        func head(_ name: String, outputs: Int, gain: Float) -> Dense {
            let dense = Dense(inputs: memory?.outputWidth ?? config.hiddenUnits, outputs: outputs, name: name, generator: &generator)
            orthogonalize(dense.weight, gain: gain, &generator)
            return dense
        }
        if config.sharedTrunk {
            let shared = Sequential(trunk("ac.trunk"))
            return ActorCritic(encoder: shared, memory: memory, policyHead: Sequential(head("ac.policy", outputs: actions, gain: 0.01)),
                               valueHead: Sequential(head("ac.value", outputs: 1, gain: 1)))
        }
        let policy = Sequential(trunk("ac.policy_trunk") + [head("ac.policy", outputs: actions, gain: 0.01)])
        let value = Sequential(trunk("ac.value_trunk") + [head("ac.value", outputs: 1, gain: 1)])
        // No shared layers: the trunk passes the observation through to both heads.
        return ActorCritic(encoder: Sequential([any Layer]()), memory: nil, policyHead: policy, valueHead: value)
    }

    /// Dense-equivalent FLOPs of one sample's forward and backward pass (the first convolution
    /// computes no input gradient; binary inputs make Dojo's real count lower): what an update
    /// costs per row and epoch, for the FLOP limit of the speed goal.
    public static func trainingFlops(_ config: PPOConfig, observation shape: ObservationShape, actions: Int) -> Double {
        let positions = Double(max(0, shape.height - 2) * max(0, shape.width - 2))
        let mlp = config.trunk == .mlp, width = Double(config.hiddenUnits)
        let conv = mlp ? 0 : 2 * Double(config.convChannels) * Double(shape.channels) * 9 * positions
        let flat = mlp ? Double(shape.count) : Double(config.convChannels) * positions
        let hidden = 2 * flat * width + 2 * Double(config.hiddenLayers - 1) * width * width
        let heads = 2 * Double(config.hiddenUnits) * Double(actions + 1)
        let trunks: Double = config.sharedTrunk ? 1 : 2
        // forward + weight gradient for the convolution; forward + weight and input gradients after it
        return trunks * (2 * conv + 3 * hidden) + 3 * heads
    }

    private static func orthogonalize(_ weight: Parameter, gain: Float, _ generator: inout SeededGenerator) {
        weight.value = .orthogonal(shape: weight.value.shape, gain: gain, using: &generator)
    }
}
