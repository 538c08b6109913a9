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
    /// A game played out although a side would have resigned: whether that side won after all
    /// (a resignation false positive); nil when no side wanted to resign or the game resigned.
    public var falsePositive: Bool?
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
        let resigning = config.resignThreshold > 0
        let playOut = resigning && Double(generator.nextUniform()) < config.resignPlayoutFraction
        var wouldResign: Int?, resigned: Int?
        while !game.isOver {
            let tree = MCTS(root: game, config: search, evaluator: evaluator, seed: generator.next())
            tree.search()
            if resigning && tree.rootValue < -config.resignThreshold {
                if !playOut { resigned = game.currentPlayer; break }
                if wouldResign == nil { wouldResign = game.currentPlayer }
            }
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
        var outcome = game.outcome(), result = game.resultString
        if let loser = resigned {
            outcome = loser == 0 ? SIMD2(-1, 1) : SIMD2(1, -1)
            result = loser == 0 ? "W+R" : "B+R"
        }
        let positions = records.map { TrainingPosition(planes: $0.planes, legal: $0.legal, policy: $0.policy, outcome: outcome[$0.player]) }
        return SelfPlayGame(positions: positions, result: result, moves: game.moves.count,
                            falsePositive: wouldResign.map { outcome[$0] > 0 })
    }
}
