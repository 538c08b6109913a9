// A policy/value network as the search's evaluator (AlphaGo Zero): the position is encoded into
// input planes, the network gives logits over the environment's actions and a value in −1…1
// for the player to move; the priors are the softmax over the candidate moves. Batches of
// positions go through the network together (the batched search gathers leaves with virtual
// loss), and the network's layers split each batch over `Parallel.threads` workers.
// How positions become input planes is the `InputEncoding`'s business: `ObservationEncoding`
// (the environment's own `observe(into:)` and action ids — Dojo's own networks, any game) here;
// an engine's own planes and point order beside that engine's glue (Agents/GoSearch: Leela Zero).
// Values are for the player to move: `values[currentPlayer] = v`, the other player's −v.
import Foundation
import Neural
import RL
import Tensors

/// How a network reads positions: the planes it takes, the actions it scores and where each
/// action id sits among its outputs.
public protocol InputEncoding: Sendable {
    var observationShape: ObservationShape { get }
    var actionCount: Int { get }
    /// The network's output index of each action id (0..<actionCount).
    var networkIndex: [Int] { get }
    /// Whether positions of `env` can be encoded (right game, right size).
    func accepts(_ env: some Environment) -> Bool
    /// Writes `state`'s planes (`observationShape.count` values); only called for states it accepts.
    func encode<E: Environment>(_ state: E, into planes: UnsafeMutableBufferPointer<Float>)
}

/// The environment's own observation and action ids.
public struct ObservationEncoding: InputEncoding {
    public let observationShape: ObservationShape
    public let actionCount: Int
    public let networkIndex: [Int]
    public init(observationShape: ObservationShape, actionCount: Int) {
        self.observationShape = observationShape
        self.actionCount = actionCount
        networkIndex = Array(0..<actionCount)
    }
    public func accepts(_ env: some Environment) -> Bool {
        env.observationShape == observationShape && env.actionCount == actionCount
    }
    public func encode<E: Environment>(_ state: E, into planes: UnsafeMutableBufferPointer<Float>) { state.observe(into: planes) }
}

public final class NetworkEvaluator: Evaluator, @unchecked Sendable {   // one search uses it at a time
    public let network: TwoHeadNetwork
    public let encoding: any InputEncoding
    /// The input the network takes and the actions it scores.
    public let observationShape: ObservationShape
    public let actionCount: Int
    /// The network's output index of each Dojo action id (identity, or Leela Zero's point order;
    /// computed once so the softmax loop does no per-move lookups through the state).
    private let networkIndex: [Int]
    /// Positions evaluated so far (for speed reports).
    public private(set) var evaluations = 0
    private var input = Tensor.empty

    public init(network: TwoHeadNetwork, encoding: any InputEncoding) {
        self.network = network
        self.encoding = encoding
        observationShape = encoding.observationShape
        actionCount = encoding.actionCount
        networkIndex = encoding.networkIndex
        network.isTraining = false
    }

    /// A network over the environment's own observations and actions.
    public convenience init(network: TwoHeadNetwork, observationShape: ObservationShape, actionCount: Int) {
        self.init(network: network, encoding: ObservationEncoding(observationShape: observationShape, actionCount: actionCount))
    }

    /// The board size of a board game's network (its input's width).
    public var boardSize: Int { observationShape.width }

    /// Whether the network takes `env`'s positions and scores its actions.
    public func accepts(_ env: some Environment) -> Bool { encoding.accepts(env) }

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
            encoding.encode(state, into: slice)
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

    /// The ownership head's prediction for `state` (KataGo's auxiliary target, Wu 2019 §4.2): per
    /// point of the observation, +1 when the first player ends up owning it, −1 the second; nil
    /// when the network has no ownership head or does not take the state. (The head is trained
    /// for the player to move, so the second player's view is turned round.)
    public func predictedOwnership<E: Environment>(_ state: E) -> [Float]? {
        guard network.ownershipHead != nil, accepts(state) else { return nil }
        Tensor.prepare(&input, shape: [1, observationShape.channels, observationShape.height, observationShape.width])
        encoding.encode(state, into: UnsafeMutableBufferPointer(start: input.scratchPointer, count: observationShape.count))
        guard let ownership = network.forwardAll(input).ownership else { return nil }
        let sign: Float = state.currentPlayer == 0 ? 1 : -1
        return (0..<ownership.count).map { sign * ownership.pointer[$0] }
    }

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
