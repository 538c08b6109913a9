// What search asks of a position (DESIGN.md §2): priors over the legal actions and a value
// estimate, batched by the caller when it can. Values are per player (index = player id), so
// one search serves single-player environments (returns of any scale) and two-player
// zero-sum games (±1) alike; for two players, value[p] is "for player p", and the value for
// the player to move is value[currentPlayer].
import RL
import Tensors

public struct Evaluation: Sendable {
    /// Prior probability of each legal action, aligned with the `legal` array passed in.
    public var priors: [Float]
    /// Estimated return from here for each player.
    public var values: SIMD2<Float>
    /// The actions a playout made after this state, with the player who made each (for
    /// RAVE/AMAF); empty when the evaluator does not play out.
    public var playout: [(action: Int32, player: Int8)] = []
    public init(priors: [Float], values: SIMD2<Float>) { self.priors = priors; self.values = values }
}

public protocol Evaluator {
    mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation
}

/// Uniform priors and a zero value: the test double.
public struct UniformEvaluator: Evaluator, Sendable {
    public init() {}
    public mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        Evaluation(priors: [Float](repeating: 1 / Float(max(1, legal.count)), count: legal.count), values: .zero)
    }
}

/// Uniform priors; the value is the return of `rollouts` uniformly random playouts (any
/// environment), each cut after `maxSteps` steps.
public struct RandomRolloutEvaluator: Evaluator, Sendable {
    public var generator: SeededGenerator
    public let rollouts: Int, maxSteps: Int
    public init(seed: UInt64, rollouts: Int = 1, maxSteps: Int = 1_000) {
        generator = SeededGenerator(seed: seed); self.rollouts = rollouts; self.maxSteps = maxSteps
    }

    public mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        var total = SIMD2<Float>.zero
        for _ in 0..<rollouts {
            var s = state
            var steps = 0
            while !s.isOver && steps < maxSteps {
                let actions = s.everyActionAlwaysLegal ? nil : s.legalActions
                let a = actions.map { $0[generator.nextInt(below: $0.count)] } ?? generator.nextInt(below: s.actionCount)
                total += s.step(a).rewards
                steps += 1
            }
        }
        return Evaluation(priors: [Float](repeating: 1 / Float(max(1, legal.count)), count: legal.count), values: total / Float(rollouts))
    }
}
