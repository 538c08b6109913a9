// AlphaGo's leaf evaluation for search (Silver et al. 2016, "Searching with policy and value
// networks"): the supervised policy's move probabilities are the priors of PUCT, and a leaf's
// value mixes the value network and a fast rollout,
//     V(s) = (1 − λ) · v_θ(s) + λ · z,    λ = 0.5 in the paper (it beat either alone),
// z = +1/−1 for the player to move by the Tromp-Taylor count after a rollout. The paper's
// rollouts used a fast linear softmax policy over local patterns; ours are Dojo's heavy
// playouts (captures, saves and 3×3 shape around the last move, then random non-eye-filling
// moves; Environments/Go/HeavyPlayout.swift), or light ones on request. Without a value
// network λ is 1 (rollouts only). Pass gets a prior of at least `passPrior` so the search can
// still answer a pass at the end of the game (the policy network has no pass output).
// Values are for the player to move.
import Go
import MCTS
import RL
import Tensors

public final class AlphaGoEvaluator: GoBoardEvaluator, @unchecked Sendable {   // one search uses it at a time
    public let policy: PolicyNetwork
    public let value: ValueNetwork?
    public let lambda: Float
    public let passPrior: Float = 0.01
    public let heavyRollouts: Bool
    var generator: SeededGenerator
    public var boardSize: Int { policy.config.boardSize }

    public init(policy: PolicyNetwork, value: ValueNetwork?, lambda: Double = 0.5, heavyRollouts: Bool = true, seed: UInt64) {
        precondition(value.map { $0.config.boardSize == policy.config.boardSize } ?? true, "policy and value networks are for different boards")
        self.policy = policy
        self.value = value
        self.lambda = value == nil ? 1 : Float(lambda)
        self.heavyRollouts = heavyRollouts
        generator = SeededGenerator(seed: seed)
    }

    public func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        evaluateBatch([state], legal: [legal])[0]
    }

    public func evaluateBatch<E: Environment>(_ states: [E], legal: [[Int]]) -> [Evaluation] {
        let games = states.map { s -> GoGame in
            guard let g = s as? GoGame else { preconditionFailure("AlphaGo evaluates Go positions only") }
            return g
        }
        let features = games.map { $0.alphaGoFeatures() }
        let distributions = policy.distributions(features: features)
        let values = lambda < 1 ? value!.values(features: features, toPlay: games.map(\.toPlay)) : [Float](repeating: 0, count: games.count)
        return games.indices.map { i in
            let game = games[i], pass = game.passAction
            var priors = legal[i].map { a in a == pass ? max(distributions[i][a], passPrior) : distributions[i][a] }
            let total = priors.reduce(0, +)
            priors = total > 0 ? priors.map { $0 / total } : [Float](repeating: 1 / Float(max(1, priors.count)), count: priors.count)
            var v = (1 - lambda) * values[i]
            if lambda > 0 { v += lambda * rollout(game) }
            var e = Evaluation(priors: priors, values: .zero)
            e.values[game.toPlay.player] = v
            e.values[game.toPlay.opponent.player] = -v
            return e
        }
    }

    /// +1 if the player to move wins a light playout from `game`, −1 if it loses, 0 for a draw.
    func rollout(_ game: GoGame) -> Float {
        if game.isOver { return game.outcome()[game.toPlay.player] }
        var board = game.board
        if heavyRollouts {
            board.heavyPlayout(toPlay: game.toPlay, generator: &generator, maxMoves: 3 * game.size * game.size, lastMove: game.lastPoint)
        } else {
            board.playout(toPlay: game.toPlay, generator: &generator, maxMoves: 3 * game.size * game.size)
        }
        let margin = board.blackMargin(komi: game.komi)
        let black: Float = margin > 0 ? 1 : margin < 0 ? -1 : 0
        return game.toPlay == .black ? black : -black
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

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Int {
        let p = policy.distributions([game])[0]
        if samples { return PolicyGames.sample(p, &generator) }
        return p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!
    }
}
