// A policy/value network as the search's evaluator (AlphaGo Zero): the position is encoded into
// input planes, the network gives logits over the environment's actions and a value in −1…1
// for the player to move; the priors are the softmax over the candidate moves. Batches of
// positions go through the network together (the batched search gathers leaves with virtual
// loss), and the network's layers split each batch over `Parallel.threads` workers.
// Encodings: `.observation` — the environment's own `observe(into:)` and action ids, which for
// Go are AlphaGo Zero's 17 planes and Dojo's point order (Dojo's own networks, any game) — and
// `.leelaZero` (18 planes, Leela Zero's point order; Go only) for imported Leela Zero files.
// Values are for the player to move: `values[currentPlayer] = v`, the other player's −v.
import Foundation
import Go
import Neural
import RL
import Tensors

public final class NetworkEvaluator: Evaluator, @unchecked Sendable {   // one search uses it at a time
    public enum Encoding: Sendable { case observation, leelaZero }
    public let network: TwoHeadNetwork
    public let encoding: Encoding
    /// The input the network takes and the actions it scores.
    public let observationShape: ObservationShape
    public let actionCount: Int
    /// The network's output index of each Dojo action id (identity, or Leela Zero's point order;
    /// computed once so the softmax loop does no per-move lookups through the state).
    private let networkIndex: [Int]
    /// Positions evaluated so far (for speed reports).
    public private(set) var evaluations = 0
    private var input = Tensor.empty

    public init(network: TwoHeadNetwork, encoding: Encoding, observationShape: ObservationShape, actionCount: Int) {
        self.network = network
        self.encoding = encoding
        self.observationShape = observationShape
        self.actionCount = actionCount
        if encoding == .leelaZero {
            let board = GoGame(size: observationShape.width)
            networkIndex = (0..<actionCount).map(board.leelaZeroIndex)
        } else {
            networkIndex = Array(0..<actionCount)
        }
        network.isTraining = false
    }

    /// A Go network for N×N boards.
    public convenience init(network: TwoHeadNetwork, encoding: Encoding, boardSize n: Int) {
        let planes = encoding == .leelaZero ? GoGame.leelaZeroPlanes : GoGame.alphaGoZeroPlanes
        self.init(network: network, encoding: encoding, observationShape: ObservationShape(channels: planes, height: n, width: n), actionCount: n * n + 1)
    }

    /// A Leela Zero weights file (19×19).
    public convenience init(leelaZeroFile path: String) throws {
        let lz = try LeelaZeroNetwork(path: path)
        self.init(network: lz.network, encoding: .leelaZero, boardSize: LeelaZeroNetwork.board)
    }

    /// The board size of a Go network (its input's width).
    public var boardSize: Int { observationShape.width }

    /// Whether the network takes `env`'s observations and scores its actions.
    public func accepts(_ env: some Environment) -> Bool {
        if encoding == .leelaZero { return (env as? GoGame)?.size == boardSize }
        return env.observationShape == observationShape && env.actionCount == actionCount
    }

    /// Raw outputs for a batch: the softmax over all actions (in Dojo action order) and the
    /// value for the player to move, per position.
    public func evaluate<E: Environment>(states: [E]) -> [(policy: [Float], value: Float)] {
        guard let first = states.first else { return [] }
        precondition(accepts(first), "this network takes \(observationShape) observations and \(actionCount) actions, not \(first.observationShape) and \(first.actionCount)")
        let per = observationShape.count, k = actionCount
        Tensor.prepare(&input, shape: [states.count, observationShape.channels, observationShape.height, observationShape.width])
        let x = input.scratchPointer
        for (b, state) in states.enumerated() {
            let slice = UnsafeMutableBufferPointer(start: x + b * per, count: per)
            if encoding == .leelaZero { (state as! GoGame).leelaZeroPlanes(into: slice) } else { state.observe(into: slice) }
        }
        let (logits, values) = network.forward(input)
        evaluations += states.count
        let l = logits.pointer, v = values.pointer
        return (0..<states.count).map { b in
            let row = l + b * k
            var policy = [Float](repeating: 0, count: k)
            var maxLogit = -Float.infinity
            for a in 0..<k { maxLogit = max(maxLogit, row[networkIndex[a]]) }
            var total: Float = 0
            for a in 0..<k {
                let e = expf(row[networkIndex[a]] - maxLogit)
                policy[a] = e
                total += e
            }
            for a in 0..<k { policy[a] /= total }
            return (policy, v[b])
        }
    }

    /// Go positions (the benchmarks' and tests' entry point).
    public func evaluate(games: [GoGame]) -> [(policy: [Float], value: Float)] { evaluate(states: games) }

    /// Priors over `legal` (renormalised softmax) and per-player values.
    func evaluation(_ state: some Environment, legal: [Int], policy: [Float], value: Float) -> Evaluation {
        var priors = legal.map { policy[$0] }
        let total = priors.reduce(0, +)
        if total > 0 { priors = priors.map { $0 / total } } else { priors = [Float](repeating: 1 / Float(max(1, legal.count)), count: legal.count) }
        var values = SIMD2<Float>.zero
        values[state.currentPlayer] = value
        if state.playerCount == 2 { values[1 - state.currentPlayer] = -value }
        return Evaluation(priors: priors, values: values)
    }

    public func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        let out = evaluate(states: [state])[0]
        return evaluation(state, legal: legal, policy: out.policy, value: out.value)
    }

    /// Batched: one network call for every state.
    public func evaluateBatch<E: Environment>(_ states: [E], legal: [[Int]]) -> [Evaluation] {
        zip(states, zip(legal, evaluate(states: states))).map { state, pair in
            evaluation(state, legal: pair.0, policy: pair.1.policy, value: pair.1.value)
        }
    }
}
