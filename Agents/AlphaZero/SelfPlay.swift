// One self-play game (AlphaGo Zero): PUCT search from every position with Dirichlet noise at the
// root, moves drawn ∝ visit counts for the first `temperatureMoves` moves and the most visited
// after; each position keeps its input planes, legal moves and visit distribution, and gets the
// game's final result for the player to move once the game is over (two passes or the move cap,
// scored by Tromp-Taylor area).
import Go
import MCTS
import RL
import Tensors

public struct SelfPlayGame: Sendable {
    public var positions: [TrainingPosition]
    public var result: String
    public var moves: Int
}

public enum SelfPlay {
    public static func searchConfig(_ config: AlphaZeroConfig, noise: Bool) -> MCTSConfig {
        var c = MCTSConfig()
        c.selection = .puct
        c.simulations = config.simulations
        c.batch = 8
        if noise {
            c.rootNoiseFraction = config.noiseFraction
            c.rootNoiseAlpha = config.noiseAlpha
        }
        return c
    }

    public static func play(evaluator: NetworkEvaluator, config: AlphaZeroConfig, seed: UInt64) -> SelfPlayGame {
        var generator = SeededGenerator(seed: seed)
        var game = GoGame(size: config.boardSize, komi: config.komi, maxMoves: config.maxMoves)
        let search = searchConfig(config, noise: true)
        let moves = game.actionCount
        var records: [(planes: [Float], legal: [Bool], policy: [Float], player: Int)] = []
        while !game.isOver {
            let tree = MCTS(root: game, config: search, evaluator: evaluator, seed: generator.next())
            tree.search()
            let visits = tree.rootVisits
            let total = Float(max(1, visits.reduce(0) { $0 + $1.visits }))
            var policy = [Float](repeating: 0, count: moves)
            for (a, n) in visits { policy[a] = Float(n) / total }
            var legal = [Bool](repeating: false, count: moves)
            for a in game.legalActions { legal[a] = true }
            records.append((game.observation(), legal, policy, game.currentPlayer))
            let action: Int
            if records.count <= config.temperatureMoves {
                var u = generator.nextUniform() * total
                action = visits.first { u -= Float($0.visits); return u < 0 }?.action ?? tree.bestAction()
            } else {
                action = tree.bestAction()
            }
            _ = game.step(action)
        }
        let outcome = game.outcome()
        let positions = records.map { TrainingPosition(planes: $0.planes, legal: $0.legal, policy: $0.policy, outcome: outcome[$0.player]) }
        return SelfPlayGame(positions: positions, result: game.resultString, moves: game.moves.count)
    }
}
