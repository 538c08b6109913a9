// R2D2's Q-network: the MinAtar DQN trunk (conv 3×3 → ReLU → dense → ReLU, QNetwork.trunk),
// an LSTM over the trunk's outputs, and one Q-value per action from the LSTM's output (dense,
// or the dueling head). Parameters are named under `prefix` ("online." / "target.").
//
// Convention: rows are time-major as the recurrent layers' (RecurrentState.swift): row t·B + b
// is sequence b's step t. `forward(_:steps:batch:initial:resets:)` runs `steps` steps of `batch`
// sequences from `initial` (nil: zeros), zeroing a sequence's state before a step whose
// `resets` entry is true; `finalState` is the state after the last step (the layer's buffer:
// copy it to keep it). Acting is the same call with one step.
import DQN
import Neural
import RL
import Runs
import Tensors

public final class RecurrentQNetwork {
    public let trunk: Sequential, lstm: LSTM, head: Sequential
    public let actions: Int, units: Int

    public init(_ config: R2D2Config, observation shape: ObservationShape, actions: Int, prefix: String,
                generator: inout SeededGenerator) {
        trunk = Sequential(QNetwork.trunk(observation: shape, convChannels: config.convChannels, hiddenUnits: config.hiddenUnits,
                                          prefix: prefix, generator: &generator))
        lstm = LSTM(inputSize: config.hiddenUnits, hiddenSize: config.memoryUnits, name: prefix + "lstm", generator: &generator)
        head = Sequential(QNetwork.head(inputs: config.memoryUnits, actions: actions, dueling: config.dueling, prefix: prefix,
                                        generator: &generator))
        self.actions = actions
        units = config.memoryUnits
    }

    public var parameters: [Parameter] { trunk.parameters + lstm.parameters + head.parameters }

    /// Why R2D2 cannot learn `env`, or nil when it can: it trains single-player environments.
    public static func unsupported(_ env: some Environment, id: String) -> String? {
        env.playerCount == 1 ? nil : "\(id) is a two-player game; r2d2 trains single-player environments (for board games use dojo train alphazero)"
    }

    /// Whether `env` is a single-player environment whose observations fit the network, and a
    /// run of `config` fits in memory; one sentence naming the problem if not. Called before anything is allocated.
    public static func check(_ config: R2D2Config, for env: some Environment, environment: String) throws {
        let shape = env.observationShape
        if let why = unsupported(env, id: environment) { throw ConfigError(why) }
        guard shape.height >= 3 && shape.width >= 3 else {
            throw ConfigError("\(environment) has \(shape.height)×\(shape.width) observations; the R2D2 network's 3×3 convolution needs at least 3×3")
        }
        try config.validate()
        try config.checkMemory(observation: shape, actions: env.actionCount, binaryObservations: env.observationsAreBinary, environment: environment)
    }

    public var isTraining: Bool {
        get { trunk.isTraining }
        set { trunk.isTraining = newValue; lstm.isTraining = newValue; head.isTraining = newValue }
    }

    /// Zeros for `batch` sequences.
    public func zeroState(batch: Int) -> RecurrentState {
        RecurrentState(layers: 1, batch: batch, hidden: units, cell: true)
    }

    /// Observations [steps·batch, C, H, W] → Q-values [steps·batch, actions].
    public func forward(_ x: Tensor, steps: Int, batch: Int, initial: RecurrentState?, resets: [Bool]?) -> Tensor {
        let features = trunk.forward(x)
        lstm.initialState = initial
        lstm.resets = resets
        let memory = lstm.forward(features.reshaped([steps, batch, features.shape[1]]))
        return head.forward(memory.reshaped([steps * batch, units]))
    }

    /// The state after the last step of the latest `forward`.
    public var finalState: RecurrentState { lstm.finalState }

    /// d loss/d Q [steps·batch, actions] back through the latest forward (no gradient reaches
    /// its initial state's producer: that is burn-in's stop).
    public func backward(_ dq: Tensor) {
        let dMemory = head.backward(dq)
        let steps = dq.shape[0] / max(1, lstmBatch)
        let dFeatures = lstm.backward(dMemory.reshaped([steps, lstmBatch, units]))
        _ = trunk.backward(dFeatures.reshaped([steps * lstmBatch, dFeatures.shape[2]]))
    }

    private var lstmBatch: Int { lstm.finalState.h.shape[1] }
}
