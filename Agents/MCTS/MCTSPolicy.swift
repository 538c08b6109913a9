// Search as a player, for every game: a policy/value network when one is given (AlphaZero's
// agent), else playouts made from a seed (random rollouts unless the game's glue gives its own,
// as Go's does), optionally with knowledge asked of nodes visited often (AlphaGo). A clock —
// the seconds left, when the game is played on one — caps the time per move at 90% of it;
// the search resigns below `resignThreshold`; on states that know their history
// (`ActionHistory`) the tree is kept from the position searched to the one after the
// opponent's reply; with `rootParallel`, playout search runs one tree per worker thread.
// Go's player (Agents/GoSearch/MCTSGoPlayer.swift) is this search plus what only Go needs.
import Foundation
import RL
import Tensors

public struct MCTSPolicy: Policy {
    public let config: MCTSConfig
    public let network: (any Evaluator)?
    public let knowledge: (any NodeKnowledge)?
    /// Playout search on `Parallel.threads` trees merged at the root (Chaslot et al. 2008),
    /// when there is no network or knowledge (a network uses the threads inside each batch).
    /// Trees are not reused in this mode.
    public var rootParallel = false
    let playouts: @Sendable (_ seed: UInt64) -> any Evaluator
    private var seeds: SeededGenerator
    /// The last tree searched and the history of its root, for reuse.
    private var previous: (tree: AnyObject, history: [Int])?

    public init(config: MCTSConfig, seed: UInt64, network: (any Evaluator)? = nil, knowledge: (any NodeKnowledge)? = nil,
                playouts: (@Sendable (_ seed: UInt64) -> any Evaluator)? = nil) {
        self.config = config
        self.network = network
        self.knowledge = knowledge
        self.playouts = playouts ?? Self.randomRollouts
        seeds = SeededGenerator(seed: seed)
    }

    /// One uniformly random rollout per leaf, on a stream apart from the tree's seed.
    @Sendable static func randomRollouts(seed: UInt64) -> any Evaluator { RandomRolloutEvaluator(seed: seed ^ 0x5EED) }

    /// What a search concluded: the most visited action, every root action's visits, and
    /// whether the position is judged lost beyond the resignation threshold.
    public struct Decision {
        public var action: Int
        public var visits: [(action: Int, visits: Int)]
        public var resigns: Bool
    }

    public mutating func act(on env: some Environment) -> Int { decide(env, secondsLeft: nil).action }

    public mutating func move(in state: some Environment, secondsLeft: Double?) -> Move {
        let decision = decide(state, secondsLeft: secondsLeft)
        return decision.resigns ? .resign : .action(decision.action)
    }

    /// A fresh tree for `state` (analysis searches in slices of its own).
    public mutating func tree<E: Environment>(_ state: E, config c: MCTSConfig) -> MCTS<E> {
        let evaluator: any Evaluator = network ?? playouts(seeds.next())
        let tree = MCTS(root: state, config: c, evaluator: evaluator, seed: seeds.next())
        tree.knowledge = knowledge
        return tree
    }

    /// Forgets the last tree (after an analysis, the next search starts afresh).
    public mutating func forgetTree() { previous = nil }

    public mutating func decide<E: Environment>(_ state: E, secondsLeft: Double?) -> Decision {
        var c = config
        if let s = secondsLeft, s > 0 {
            c.seconds = c.seconds > 0 ? min(c.seconds, 0.9 * s) : 0.9 * s
        }
        if rootParallel && Parallel.threads > 1 && network == nil && knowledge == nil {
            let result = MCTS<E>.rootParallel(root: state, config: c, workers: Parallel.threads, seed: seeds.next(), evaluator: playouts)
            previous = nil
            return Decision(action: result.bestAction, visits: result.visits.map { ($0.key, $0.value) },
                            resigns: c.resignThreshold > 0 && result.value < -c.resignThreshold)
        }
        var tree = tree(state, config: c)
        let history = (state as? any ActionHistory)?.actionHistory
        if let history, let (old, before) = previous, let old = old as? MCTS<E>,
           history.count == before.count + 2, Array(history.prefix(before.count)) == before,
           let reused = old.reused(after: Array(history.suffix(2)), newRoot: state, config: c) {
            tree = reused
        }
        tree.search()
        previous = history.map { (tree, $0) }
        return Decision(action: tree.bestAction(), visits: tree.rootVisits, resigns: tree.shouldResign)
    }
}
