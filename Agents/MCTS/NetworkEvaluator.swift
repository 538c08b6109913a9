// A policy/value network as the search's evaluator (AlphaGo Zero): the position is encoded into
// input planes, the network gives logits over N²+1 moves and a value in −1…1 for the side to
// move; the priors are the softmax over the candidate moves. Batches of positions go through
// the network together (the batched search gathers leaves with virtual loss), and the
// network's layers split each batch over `Parallel.threads` workers.
// Encodings: `.alphaGoZero` (17 planes, Dojo's point order) for Dojo's own networks, and
// `.leelaZero` (18 planes, Leela Zero's point order) for imported Leela Zero files.
import Foundation
import Go
import Neural
import RL
import Tensors

public final class NetworkEvaluator: Evaluator, @unchecked Sendable {   // one search uses it at a time
    public enum Encoding: Sendable { case alphaGoZero, leelaZero }
    public let network: TwoHeadNetwork
    public let encoding: Encoding
    public let boardSize: Int
    /// Positions evaluated so far (for speed reports).
    public private(set) var evaluations = 0
    private var input = Tensor.empty

    public init(network: TwoHeadNetwork, encoding: Encoding, boardSize: Int) {
        self.network = network
        self.encoding = encoding
        self.boardSize = boardSize
        network.isTraining = false
    }

    /// A Leela Zero weights file (19×19).
    public convenience init(leelaZeroFile path: String) throws {
        let lz = try LeelaZeroNetwork(path: path)
        self.init(network: lz.network, encoding: .leelaZero, boardSize: LeelaZeroNetwork.board)
    }

    var planes: Int { encoding == .leelaZero ? GoGame.leelaZeroPlanes : GoGame.alphaGoZeroPlanes }

    /// The network's index of a Dojo action id in `game`.
    func networkIndex(_ action: Int, _ game: GoGame) -> Int { encoding == .leelaZero ? game.leelaZeroIndex(action) : action }

    /// Raw outputs for a batch: the softmax over all N²+1 moves (in Dojo action order) and the
    /// value for the side to move, per position.
    public func evaluate(games: [GoGame]) -> [(policy: [Float], value: Float)] {
        guard let first = games.first else { return [] }
        precondition(first.size == boardSize, "this network plays \(boardSize)×\(boardSize), not \(first.size)×\(first.size)")
        let area = boardSize * boardSize, per = planes * area
        Tensor.prepare(&input, shape: [games.count, planes, boardSize, boardSize])
        let x = input.scratchPointer
        for (b, game) in games.enumerated() {
            let slice = UnsafeMutableBufferPointer(start: x + b * per, count: per)
            if encoding == .leelaZero { game.leelaZeroPlanes(into: slice) } else { game.observe(into: slice) }
        }
        let (logits, values) = network.forward(input)
        evaluations += games.count
        let l = logits.pointer, v = values.pointer
        return games.enumerated().map { b, game in
            let row = l + b * (area + 1)
            var policy = [Float](repeating: 0, count: area + 1)
            var maxLogit = -Float.infinity
            for a in 0...area { maxLogit = max(maxLogit, row[networkIndex(a, game)]) }
            var total: Float = 0
            for a in 0...area {
                let e = expf(row[networkIndex(a, game)] - maxLogit)
                policy[a] = e
                total += e
            }
            for a in 0...area { policy[a] /= total }
            return (policy, v[b])
        }
    }

    /// Priors over `legal` (renormalised softmax) and per-player values.
    func evaluation(_ game: GoGame, legal: [Int], policy: [Float], value: Float) -> Evaluation {
        var priors = legal.map { policy[$0] }
        let total = priors.reduce(0, +)
        if total > 0 { priors = priors.map { $0 / total } } else { priors = [Float](repeating: 1 / Float(max(1, legal.count)), count: legal.count) }
        var values = SIMD2<Float>.zero
        values[game.toPlay.player] = value
        values[game.toPlay.opponent.player] = -value
        return Evaluation(priors: priors, values: values)
    }

    public func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        guard let game = state as? GoGame else { preconditionFailure("a Go network evaluates Go positions only") }
        let out = evaluate(games: [game])[0]
        return evaluation(game, legal: legal, policy: out.policy, value: out.value)
    }

    /// Batched: one network call for every state.
    public func evaluateBatch<E: Environment>(_ states: [E], legal: [[Int]]) -> [Evaluation] {
        let games = states.map { s -> GoGame in
            guard let g = s as? GoGame else { preconditionFailure("a Go network evaluates Go positions only") }
            return g
        }
        return zip(games, zip(legal, evaluate(games: games))).map { game, pair in
            evaluation(game, legal: pair.0, policy: pair.1.policy, value: pair.1.value)
        }
    }
}
