// A trained R2D2 agent as a `Policy`: ε-greedy over the legal actions (ε = 0: greedy) through
// the online recurrent network, its state carried from step to step and forgotten when an
// episode begins; rebuilt from a checkpoint alone — the checkpoint names its environment and
// holds the full config.
import Foundation
import Neural
import RL
import Runs
import Tensors

public struct R2D2CheckpointInfo: Sendable {
    public let config: R2D2Config
    public let environmentID: String
    public let frame: Int
    /// Worker threads of the run that wrote it (nil: not a count `--threads` accepts).
    public let threads: Int?
    public let seed: UInt64?

    /// Whether `path` is an R2D2 checkpoint (a readable file whose metadata says so).
    public static func claims(_ path: String) -> Bool {
        (try? SafeTensorsFile.read(from: path))?.metadata["agent"] == "r2d2"
    }

    /// Reads what a checkpoint says about itself; errors name the file and the problem.
    public static func read(_ path: String) throws -> R2D2CheckpointInfo {
        let file = try SafeTensorsFile.read(from: path)
        guard file.metadata["agent"] == "r2d2" else {
            throw R2D2TrainingError("\(path) is not an R2D2 checkpoint (agent \(file.metadata["agent"] ?? "missing")); pass a file written by dojo train r2d2")
        }
        guard let text = file.metadata["config"], let config = try? JSONDecoder().decode(R2D2Config.self, from: Data(text.utf8)),
              let env = file.metadata["environment"] else {
            throw R2D2TrainingError("\(path) has no readable config or environment id in its metadata")
        }
        do { try config.validate() } catch let error as ConfigError {
            throw R2D2TrainingError("\(path) holds an invalid config (\(error.description)); the file is damaged or was not written by dojo train r2d2")
        }
        return R2D2CheckpointInfo(config: config, environmentID: env, frame: Int(file.metadata["frame"] ?? "") ?? 0,
                                  threads: Int(file.metadata["threads"] ?? "").flatMap { (1...256).contains($0) ? $0 : nil },
                                  seed: UInt64(file.metadata["seed"] ?? ""))
    }
}

public final class R2D2Policy: Policy {
    public let network: RecurrentQNetwork
    public var epsilon: Double
    private var generator: SeededGenerator
    private var state: RecurrentState
    private var input = Tensor.empty

    public init(network: RecurrentQNetwork, epsilon: Double = 0, seed: UInt64 = 0) {
        self.network = network
        self.epsilon = epsilon
        generator = SeededGenerator(seed: seed)
        state = network.zeroState(batch: 1)
    }

    /// The online network in `path`, for an environment of `shape` and `actions` (checked
    /// against the file).
    public convenience init(checkpoint path: String, observationShape shape: ObservationShape, actions: Int,
                            epsilon: Double = 0, seed: UInt64 = 0) throws {
        let info = try R2D2CheckpointInfo.read(path)
        guard shape.height >= 3 && shape.width >= 3 else {
            throw R2D2TrainingError("\(path): \(info.environmentID) has \(shape.height)×\(shape.width) observations; the R2D2 network's 3×3 convolution needs at least 3×3")
        }
        do {
            // No replay here: only the network's memory counts.
            var acting = info.config
            (acting.replayCapacity, acting.batchSize) = (acting.sequenceSpan + 1, 1)
            try acting.checkMemory(observation: shape, actions: actions, binaryObservations: true, environment: info.environmentID)
        } catch let error as ConfigError {
            throw R2D2TrainingError("\(path): \(error.description)")
        }
        var unused = SeededGenerator(seed: 0)
        let network = RecurrentQNetwork(info.config, observation: shape, actions: actions, prefix: "online.", generator: &unused)
        do {
            try Checkpoint.load(from: path, into: network.parameters, ignoring: ["target.", "replay.", "actor."])
        } catch let e as SafeTensorsError {
            throw R2D2TrainingError("\(e.description) (is this the checkpoint for \(info.environmentID)?)")
        }
        guard network.parameters.allSatisfy({ $0.value.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } }) else {
            throw R2D2TrainingError("\(path) holds weights that are not finite numbers; the file is damaged")
        }
        network.isTraining = false
        self.init(network: network, epsilon: epsilon, seed: seed)
    }

    public func act(on env: some Environment) -> Int {
        let s = env.observationShape
        Tensor.prepare(&input, shape: [1, s.channels, s.height, s.width])
        env.observe(into: UnsafeMutableBufferPointer(start: input.scratchPointer, count: s.count))
        let q = network.forward(input, steps: 1, batch: 1, initial: state, resets: nil)
        var best = -1
        let mask = env.legalMaskIfNeeded()
        for a in 0..<env.actionCount where mask?[a] ?? true {
            if best < 0 || q.pointer[a] > q.pointer[best] { best = a }
        }
        state.update(from: network.finalState)
        if epsilon > 0 && Double(generator.nextUniform()) < epsilon {
            let legal = (0..<env.actionCount).filter { mask?[$0] ?? true }
            return legal[generator.nextInt(below: legal.count)]
        }
        return max(best, 0)
    }

    public func beginEpisode() { state.resetRows(0..<1) }
}
