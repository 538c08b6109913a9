// A trained DQN as a `Policy`: ε-greedy over the legal actions (ε = 0: greedy), rebuilt from a
// checkpoint alone — the checkpoint names its environment and holds the full config.
import Foundation
import Neural
import RL
import Runs
import Tensors

public struct DQNCheckpointInfo: Sendable {
    public let config: DQNConfig
    public let environmentID: String
    public let frame: Int
    /// Worker threads of the run that wrote it (nil: written before runs recorded them, or not a
    /// count `--threads` accepts).
    public let threads: Int?
    /// The run's seed (nil: written before checkpoints recorded it).
    public let seed: UInt64?

    /// Reads what a checkpoint says about itself; errors name the file and the problem.
    public static func read(_ path: String) throws -> DQNCheckpointInfo {
        let file = try SafeTensorsFile.read(from: path)
        guard file.metadata["agent"] == "dqn" else {
            throw DQNTrainingError("\(path) is not a DQN checkpoint (agent \(file.metadata["agent"] ?? "missing")); pass a file written by dojo train dqn")
        }
        guard let text = file.metadata["config"], let config = try? JSONDecoder().decode(DQNConfig.self, from: Data(text.utf8)),
              let env = file.metadata["environment"] else {
            throw DQNTrainingError("\(path) has no readable config or environment id in its metadata")
        }
        do { try config.validate() } catch let error as ConfigError {
            throw DQNTrainingError("\(path) holds an invalid config (\(error.description)); the file is damaged or was not written by dojo train dqn")
        }
        return DQNCheckpointInfo(config: config, environmentID: env, frame: Int(file.metadata["frame"] ?? "") ?? 0,
                                 threads: Int(file.metadata["threads"] ?? "").flatMap { (1...256).contains($0) ? $0 : nil },
                                 seed: UInt64(file.metadata["seed"] ?? ""))
    }
}

public final class DQNPolicy: Policy {
    public let agent: DQNAgent
    public var epsilon: Double
    private var generator: SeededGenerator
    private var observation: [Float] = []

    public init(agent: DQNAgent, epsilon: Double = 0, seed: UInt64 = 0) {
        self.agent = agent
        self.epsilon = epsilon
        generator = SeededGenerator(seed: seed)
    }

    /// The agent in `path`, for an environment of `shape` and `actions` (checked against the file).
    public convenience init(checkpoint path: String, observationShape shape: ObservationShape, actions: Int,
                            epsilon: Double = 0, seed: UInt64 = 0) throws {
        let info = try DQNCheckpointInfo.read(path)
        do {
            // No replay buffer here: only the networks' memory counts.
            var acting = info.config
            acting.replayCapacity = acting.batchSize
            try QNetwork.check(acting, observation: shape, actions: actions, binaryObservations: true, environment: info.environmentID)
        } catch let error as ConfigError {
            throw DQNTrainingError("\(path): \(error.description)")
        }
        var unused = SeededGenerator(seed: 0)
        let agent = DQNAgent(config: info.config, observationShape: shape, actionCount: actions, generator: &unused)
        do {
            try Checkpoint.load(from: path, into: agent.parameters, ignoring: ["replay."])
        } catch let e as SafeTensorsError {
            throw DQNTrainingError("\(e.description) (is this the checkpoint for \(info.environmentID)?)")
        }
        self.init(agent: agent, epsilon: epsilon, seed: seed)
    }

    public func act(on env: some Environment) -> Int {
        let mask = env.legalMaskIfNeeded()
        if epsilon > 0 && Double(generator.nextUniform()) < epsilon {
            let legal = (0..<env.actionCount).filter { mask?[$0] ?? true }
            return legal[generator.nextInt(below: legal.count)]
        }
        if observation.count != env.observationShape.count { observation = [Float](repeating: 0, count: env.observationShape.count) }
        observation.withUnsafeMutableBufferPointer { env.observe(into: $0) }
        return observation.withUnsafeBufferPointer { agent.greedyAction($0, mask: mask) }
    }
}
