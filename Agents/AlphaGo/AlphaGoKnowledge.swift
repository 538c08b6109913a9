// AlphaGo's networks as search knowledge (Silver et al. 2016, "Searching with policy and value
// networks"; the search side is Agents/MCTS/NodeKnowledge.swift). A node visited n_thr times
// gets the supervised policy's move probabilities as the priors of its children and, with a
// value network, v_θ(s) as an estimate backed up beside the rollouts, each child's value then
// being (1 − λ)·W_v/N_v + λ·W_r/N_r. Every simulation still ends in a rollout: Dojo's heavy
// playouts (captures, saves and 3×3 shape around the last move; Environments/Go/HeavyPlayout.swift)
// stand in for the paper's linear softmax rollout policy, and RAVE over them for its tree
// policy before a node reaches the threshold. Pass gets a prior of at least `passPrior` so
// the search can still answer a pass at the end of the game (the policy network has no pass
// output). Values are for the player to move.
import Go
import GoSearch
import MCTS
import RL
import Tensors

public struct AlphaGoKnowledge: GoNodeKnowledge {
    public let policy: PolicyNetwork
    public let value: ValueNetwork?
    public let passPrior: Float = 0.01
    public var boardSize: Int { policy.config.boardSize }

    public init(policy: PolicyNetwork, value: ValueNetwork?) {
        precondition(value.map { $0.config.boardSize == policy.config.boardSize } ?? true, "policy and value networks are for different boards")
        self.policy = policy
        self.value = value
    }

    public mutating func knowledge<E: Environment>(_ state: E, legal: [Int]) -> (priors: [Float], value: Float?) {
        guard let game = state as? GoGame else { preconditionFailure("AlphaGo knows Go positions only") }
        let features = [game.alphaGoFeatures()]   // the 48 planes once for both networks (ladder reads are the costly part)
        let distribution = policy.distributions(features: features)[0]
        let pass = game.passAction
        var priors = legal.map { a in a == pass ? max(distribution[a], passPrior) : distribution[a] }
        let total = priors.reduce(0, +)
        priors = total > 0 ? priors.map { $0 / total } : [Float](repeating: 1 / Float(max(1, priors.count)), count: priors.count)
        return (priors, value?.values(features: features, toPlay: [game.toPlay])[0])
    }
}

/// The policy network alone as a Go player: its most likely sensible move (or one sampled
/// from its distribution), passing when no sensible move is left. AlphaGo's networks were
/// compared this way (the supervised policy alone played at amateur level).
public struct PolicyGoPlayer: GoPlayer {
    public let policy: PolicyNetwork
    public let samples: Bool
    var generator: SeededGenerator
    public var name: String { "policy" }

    public init(policy: PolicyNetwork, samples: Bool = false, seed: UInt64) {
        self.policy = policy
        self.samples = samples
        generator = SeededGenerator(seed: seed)
    }

    public func supports(size: Int) -> Bool { size == policy.config.boardSize }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        let p = policy.distributions([game])[0]
        if samples { return .action(PolicyGames.sample(p, &generator)) }
        return .action(p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? game.passAction)
    }
}
