// A trained actor-critic network as a `Policy`: it draws its action from the policy head over
// the legal actions (seeded), or takes the most likely one when `greedy`; rebuilt from a
// checkpoint alone — the checkpoint names its environment and holds the full config. A network
// with memory remembers the episode's steps until `beginEpisode`.
import Foundation
import Neural
import RL
import Runs
import Tensors

public final class ActorCriticPolicy: Policy {
    public let network: ActorCritic
    public var greedy: Bool
    private var generator: SeededGenerator
    private(set) var carry: MemoryCarry
    /// The one copy's episode number and its step's index in the episode (arrays, as the
    /// network takes them, kept so that acting allocates nothing).
    private var episode = [0], step = [0]
    private var input = Tensor.empty
    private var legal: [Bool] = []

    public init(network: ActorCritic, greedy: Bool = false, seed: UInt64 = 0) {
        self.network = network
        carry = MemoryCarry(network.memory, copies: 1)
        self.greedy = greedy
        generator = SeededGenerator(seed: seed)
    }

    /// The network in `path`, for an environment of `shape` and `actions` (checked against the file).
    public convenience init(checkpoint path: String, observationShape shape: ObservationShape, actions: Int,
                            greedy: Bool = false, seed: UInt64 = 0) throws {
        let info = try PPOCheckpointInfo.read(path)
        do {
            // Acting needs no rollout: only the network's memory counts.
            var acting = info.config
            (acting.environments, acting.steps, acting.minibatches) = (1, 1, 1)
            try ActorCriticNetwork.check(acting, observation: shape, actions: actions, environment: info.environmentID)
        } catch let error as ConfigError {
            throw PPOTrainingError("\(path): \(error.description)")
        }
        var unused = SeededGenerator(seed: 0)
        let network = ActorCriticNetwork.make(info.config, observation: shape, actions: actions, generator: &unused)
        do {
            try Checkpoint.load(from: path, into: network.parameters, ignoring: [PPOCheckpointInfo.memoryStatePrefix])
        } catch let e as SafeTensorsError {
            throw PPOTrainingError("\(e.description) (is this the checkpoint for \(info.environmentID)?)")
        }
        try PPOCheckpointInfo.checkFinite(network.parameters, path: path)
        self.init(network: network, greedy: greedy, seed: seed)
    }

    public func act(on env: some Environment) -> Int {
        let s = env.observationShape, k = env.actionCount
        Tensor.prepare(&input, shape: [1, s.channels, s.height, s.width])
        env.observe(into: UnsafeMutableBufferPointer(start: input.scratchPointer, count: s.count))
        if legal.count != k { legal = [Bool](repeating: true, count: k) }
        if !env.everyActionAlwaysLegal { legal.withUnsafeMutableBufferPointer { env.legalMask(into: $0) } }
        let logits = network.act(input, episodes: episode, positions: step, carry: &carry, commit: true).policy
        step[0] += 1
        return PolicySampling.draw(logits.pointer, count: k, legal: { legal[$0] }, greedy: greedy, generator: &generator).action
    }

    public func beginEpisode() { episode[0] += 1; step[0] = 0 }
}
