// One self-play game (AlphaGo Zero) of any two-player environment: PUCT search from every
// position with Dirichlet noise at the root, moves drawn ∝ visit counts for the first
// `temperatureMoves` moves and the most visited after; each position keeps its observation,
// legal moves and visit distribution, and gets the game's final result for the player to move
// once the game is over (by its rules, or at `maxMoves`, scored by the rewards so far).
// KataGo's techniques (Wu 2019) are settings: playout cap randomization (§3.1: most moves get
// a cheap search without noise, whose visits are no policy target) and forced playouts with
// policy target pruning (§3.2, in full searches). With Gumbel search (Danihelka et al. 2022)
// the target is the search's improved policy, and the move played is the search's choice
// (a sample while the root draws Gumbel noise, the first `temperatureMoves` moves).
import MCTS
import RL
import Tensors

public struct SelfPlayGame: Sendable {
    public var positions: [TrainingPosition]
    /// The final result per player (+1 win, −1 loss, 0 draw), resignations included.
    public var outcome: SIMD2<Float>
    /// The player who resigned, if one did.
    public var resigned: Int?
    /// The result as people read it: the game's own notation (Go: "B+3.5", "W+R"), else
    /// "first player won" and the like.
    public var result: String
    public var moves: Int
    /// A game played out although a side would have resigned: whether that side won after all
    /// (a resignation false positive); nil when no side wanted to resign or the game resigned.
    public var falsePositive: Bool?
}

extension SelfPlayGame {
    /// A game read back from its self-play file: the positions, and what they tell (the first
    /// position's outcome is the first player's result; resignations are not recorded).
    init(recorded positions: [TrainingPosition]) {
        let first = positions.first?.outcome ?? 0
        self.init(positions: positions, outcome: SIMD2(first, -first), resigned: nil, result: "", moves: positions.count, falsePositive: nil)
    }
}

public enum SelfPlay {
    /// The search of a self-play move (`noise`: a full search, with Dirichlet noise and
    /// forced playouts, or Gumbel noise) or of an evaluation game (no noise).
    public static func searchConfig(_ config: AlphaZeroConfig, noise: Bool) -> MCTSConfig {
        var c = MCTSConfig()
        c.selection = .puct
        c.simulations = config.simulations
        c.batch = 8
        if config.search == .gumbel {
            c.selection = .gumbel
            c.gumbelActions = config.gumbelActions
            c.gumbelVisitScale = config.gumbelVisitScale
            c.gumbelValueScale = config.gumbelValueScale
            c.gumbelNoise = noise
        } else if noise {
            c.rootNoiseFraction = config.noiseFraction
            c.rootNoiseAlpha = config.noiseAlpha
            c.forcedPlayouts = config.forcedPlayouts
        }
        return c
    }

    /// The cheap search of playout cap randomization: `cheapSimulations`, no noise.
    static func cheapSearchConfig(_ config: AlphaZeroConfig) -> MCTSConfig {
        var c = searchConfig(config, noise: false)
        c.simulations = config.cheapSimulations
        return c
    }

    /// A game from `start`.
    public static func play<E: Environment>(_ start: E, evaluator: NetworkEvaluator, config: AlphaZeroConfig, seed: UInt64) -> SelfPlayGame {
        var generator = SeededGenerator(seed: seed)
        var game = start
        let gumbel = config.search == .gumbel
        let fullSearch = searchConfig(config, noise: true), cheapSearch = cheapSearchConfig(config)
        let moves = game.actionCount
        var records: [(planes: [Float], legal: [Bool], policy: [Float], player: Int, policyTarget: Bool)] = []
        let resigning = config.resignThreshold > 0
        let playOut = resigning && Double(generator.nextUniform()) < config.resignPlayoutFraction
        var wouldResign: Int?, resigned: Int?
        var outcome = SIMD2<Float>.zero, played = 0
        while !game.isOver && played < config.maxMoves {
            let full = config.cheapSimulations == 0 || Double(generator.nextUniform()) < config.fullSearchFraction
            let sampling = records.count < config.temperatureMoves
            var search = full ? fullSearch : cheapSearch
            if gumbel { search.gumbelNoise = sampling }
            let tree = MCTS(root: game, config: search, evaluator: evaluator, seed: generator.next())
            tree.search()
            if resigning && tree.rootValue < -config.resignThreshold {
                if !playOut { resigned = game.currentPlayer; break }
                if wouldResign == nil { wouldResign = game.currentPlayer }
            }
            let visits = tree.rootVisits
            let total = Float(max(1, visits.reduce(0) { $0 + $1.visits }))
            var policy = [Float](repeating: 0, count: moves)
            if gumbel && full {
                for (a, p) in tree.improvedPolicy() { policy[a] = p }
            } else {
                let target = full ? tree.policyTargetVisits() : visits
                let targetTotal = Float(max(1, target.reduce(0) { $0 + $1.visits }))
                for (a, n) in target { policy[a] = Float(n) / targetTotal }
            }
            let legal = game.legalMaskIfNeeded() ?? [Bool](repeating: true, count: moves)
            records.append((game.observation(), legal, policy, game.currentPlayer, full))
            let action: Int
            if gumbel {
                action = tree.bestAction()
            } else if sampling {
                var u = generator.nextUniform() * total
                action = visits.first { u -= Float($0.visits); return u < 0 }?.action ?? tree.bestAction()
            } else {
                action = tree.bestAction()
            }
            outcome += game.step(action).rewards
            played += 1
        }
        if let loser = resigned { outcome = loser == 0 ? SIMD2(-1, 1) : SIMD2(1, -1) }
        // KataGo's auxiliary targets, when the game counts them: the final board's owners and
        // margin, for the player to move (a resigned game's board is not final: none).
        let final = resigned == nil ? (game as? any OwnershipScoring)?.finalOwnership() : nil
        let positions = records.map { r in
            let sign: Float = r.player == 0 ? 1 : -1
            return TrainingPosition(planes: r.planes, legal: r.legal, policy: r.policy, outcome: outcome[r.player], policyTarget: r.policyTarget,
                                    ownership: final.map { $0.owners.map { $0 * sign } }, score: final.map { $0.margin * sign })
        }
        return SelfPlayGame(positions: positions, outcome: outcome, resigned: resigned, result: GameResult.text(game, outcome: outcome, resignedBy: resigned),
                            moves: played, falsePositive: wouldResign.map { outcome[$0] > 0 })
    }
}
