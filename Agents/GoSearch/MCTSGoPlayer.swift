// Search as a Go player (GTP, the Go window, tournaments): the one search player
// (Agents/MCTS/MCTSPolicy.swift: clock, resignation, tree reuse, root parallelism) with Go's
// light or heavy playouts, a network or AlphaGo's knowledge as the evaluator — plus what only
// Go needs: a board size its networks are made for, no first pass while there is a move to
// make, GTP analysis (`lz-analyze`) through `AnalyzingGoPlayer`, and an AlphaZero network's
// ownership prediction (`dojo-ownership`) through `OwnershipPredictingGoPlayer`.
import Foundation
import Go
import MCTS
import RL
import Tensors

public struct MCTSGoPlayer: GoPlayer {
    var search: MCTSPolicy
    /// The board size its network or knowledge is made for (nil: any).
    public let boardSize: Int?
    public var config: MCTSConfig { search.config }
    /// The network, when it is one of AlphaZero's (its ownership head answers `dojo-ownership`).
    let ownershipNetwork: NetworkEvaluator?
    public var name: String { "mcts" }

    public init(config: MCTSConfig, seed: UInt64, network: (any GoBoardEvaluator)? = nil, knowledge: (any GoNodeKnowledge)? = nil) {
        let rave = config.rave, heavy = config.rollout == .heavy
        search = MCTSPolicy(config: config, seed: seed, network: network, knowledge: knowledge) {
            GoPlayoutEvaluator(seed: $0, recordsMoves: rave, heavy: heavy)
        }
        search.rootParallel = true
        boardSize = network?.boardSize ?? knowledge?.boardSize
        ownershipNetwork = network as? NetworkEvaluator
    }

    public func supports(size: Int) -> Bool { boardSize.map { $0 == size } ?? true }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        let decision = search.decide(game, secondsLeft: secondsLeft)
        return decision.resigns ? .resign : .action(Self.avoidingPass(decision.action, visits: decision.visits, game))
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

extension MCTSGoPlayer: OwnershipPredictingGoPlayer {
    public func predictedOwnership(_ game: GoGame) -> [Float]? { ownershipNetwork?.predictedOwnership(game) }
}

extension MCTSGoPlayer: AnalyzingGoPlayer {
    public mutating func analyze(_ game: GoGame, interval: Double, budget: Bool,
                                 shouldStop: () -> Bool, report: ([MoveAnalysis]) -> Void) -> Move {
        var slice = config
        slice.simulations = 0
        slice.seconds = max(0.01, interval)
        let tree = search.tree(game, config: slice)
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
        search.forgetTree()
        // Analysis stopped by the next command before its first visit has no move to name;
        // only a budgeted search (genmove) plays what it returns, and it always searches.
        guard !tree.rootVisits.isEmpty else { return .action(game.passAction) }
        return tree.shouldResign ? .resign : .action(tree.bestAction())
    }
}
