// Search as a Go player (GTP, the Go window, tournaments): light or heavy playouts, a network
// or AlphaGo's knowledge as the evaluator; the clock (GTP `time_left`) caps the time per move;
// root parallelism over `--threads` for playout search; tree reuse between moves; resignation;
// and GTP analysis (`lz-analyze`) through `AnalyzingGoPlayer`.
import Foundation
import Go
import MCTS
import RL
import Tensors

/// Search with light playouts as a Go player; the clock (GTP `time_left`) caps the time per
/// move. The tree is reused between moves when the game continued from the position searched
/// (our move, then the opponent's reply).
public struct MCTSGoPlayer: GoPlayer {
    public let config: MCTSConfig
    var seeds: SeededGenerator
    var previous: (tree: MCTS<GoGame>, moves: Int)?
    /// The network (or networks and rollouts), when they evaluate positions instead of light
    /// playouts.
    public let network: (any GoBoardEvaluator)?
    /// Priors (and values) for nodes visited often enough, on top of playouts (AlphaGo).
    public let knowledge: (any GoNodeKnowledge)?
    public var name: String { "mcts" }
    public init(config: MCTSConfig, seed: UInt64, network: (any GoBoardEvaluator)? = nil, knowledge: (any GoNodeKnowledge)? = nil) {
        self.config = config
        self.network = network
        self.knowledge = knowledge
        seeds = SeededGenerator(seed: seed)
    }

    public func supports(size: Int) -> Bool { (network?.boardSize ?? knowledge?.boardSize).map { $0 == size } ?? true }

    mutating func tree(_ game: GoGame, _ c: MCTSConfig) -> MCTS<GoGame> {
        let tree = MCTS(root: game, config: c, evaluator: evaluator(seeds.next(), rave: c.rave), seed: seeds.next())
        tree.knowledge = knowledge
        return tree
    }

    func evaluator(_ seed: UInt64, rave: Bool) -> any Evaluator {
        if let network { return network }
        return GoPlayoutEvaluator(seed: seed, recordsMoves: rave, heavy: config.rollout == .heavy)
    }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        var c = config
        if let s = secondsLeft, s > 0 {
            c.seconds = c.seconds > 0 ? min(c.seconds, 0.9 * s) : 0.9 * s
        }
        if Parallel.threads > 1 && network == nil && knowledge == nil {   // a network uses the threads inside each batch instead
            // One tree per worker thread, merged at the root (no tree reuse in this mode).
            let rave = c.rave, heavy = c.rollout == .heavy
            let result = MCTS<GoGame>.rootParallel(root: game, config: c, workers: Parallel.threads, seed: seeds.next()) {
                GoPlayoutEvaluator(seed: $0, recordsMoves: rave, heavy: heavy)
            }
            previous = nil
            if c.resignThreshold > 0 && result.value < -c.resignThreshold { return .resign }
            return .action(Self.avoidingPass(result.bestAction, visits: result.visits.map { ($0.key, $0.value) }, game))
        }
        var tree = tree(game, c)
        if let (old, count) = previous, game.moves.count == count + 2, Array(old.root.moves) == Array(game.moves.prefix(count)) {
            let since = game.moves.suffix(2).map { $0.point.map { game.board.action($0) } ?? game.passAction }
            if let reused = old.reused(after: since, newRoot: game, config: c) { tree = reused }
        }
        tree.search()
        previous = (tree, game.moves.count)
        return tree.shouldResign ? .resign : .action(Self.avoidingPass(tree.bestAction(), visits: tree.rootVisits, game))
    }

    /// Search never passes first while it has a move to make: in a position it thinks lost every
    /// move scores −1 and pass can come out on top, after which the opponent takes the board
    /// unanswered. So a pass stands only after the opponent's pass (or with nothing else to
    /// play); otherwise the most visited other move is played. (Own eyes never reach the root:
    /// the tree expands Go's sensible moves only.)
    static func avoidingPass(_ action: Int, visits: [(action: Int, visits: Int)], _ game: GoGame) -> Int {
        guard action == game.passAction, game.moves.last.map({ $0.point != nil }) ?? true else { return action }
        let others = visits.filter { $0.action != game.passAction }
        return others.max { $0.visits < $1.visits || ($0.visits == $1.visits && $0.action > $1.action) }?.action ?? action
    }
}

extension MCTSGoPlayer: AnalyzingGoPlayer {
    public mutating func analyze(_ game: GoGame, interval: Double, budget: Bool,
                                 shouldStop: () -> Bool, report: ([MoveAnalysis]) -> Void) -> Move {
        var slice = config
        slice.simulations = 0
        slice.seconds = max(0.01, interval)
        let tree = tree(game, slice)
        let start = Date()
        var done = 0
        while !shouldStop() {
            done += tree.search()
            report(tree.analysis().map { line in
                let winrate = (line.value + 1) / 2
                return MoveAnalysis(action: line.action, visits: line.visits, winrate: winrate, prior: line.prior,
                                    lcb: winrate - 0.98 / Double(line.visits).squareRoot(), pv: line.pv)
            })
            if budget && ((config.simulations > 0 && done >= config.simulations)
                          || (config.seconds > 0 && Date().timeIntervalSince(start) >= config.seconds)) { break }
        }
        previous = nil
        // Analysis stopped by the next command before its first visit has no move to name;
        // only a budgeted search (genmove) plays what it returns, and it always searches.
        guard !tree.rootVisits.isEmpty else { return .action(game.passAction) }
        return tree.shouldResign ? .resign : .action(tree.bestAction())
    }
}
