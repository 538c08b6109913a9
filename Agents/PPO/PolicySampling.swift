// Drawing an action from a row of policy logits, over the legal actions only: the one place
// where actor-critic agents turn logits into actions, in training and in play, so both use the
// same masked softmax. Masks as everywhere in Dojo: 1 (or true) legal, 0 not.
import Foundation
import Tensors

public enum PolicySampling {
    /// log softmax of `logits` restricted to the legal entries (`legal(j)`); illegal ones −∞.
    public static func logProbabilities(_ logits: UnsafePointer<Float>, count: Int, legal: (Int) -> Bool) -> [Float] {
        var best = -Float.infinity
        for j in 0..<count where legal(j) { best = max(best, logits[j]) }
        var sum: Float = 0
        for j in 0..<count where legal(j) { sum += exp(logits[j] - best) }
        let lse = best + log(sum)
        return (0..<count).map { legal($0) ? logits[$0] - lse : -.infinity }
    }

    /// A draw from the distribution (one uniform from `generator`), or its most likely action
    /// when `greedy` (ties to the lowest id); with the action's log-probability. At least one
    /// action must be legal.
    public static func draw(_ logits: UnsafePointer<Float>, count: Int, legal: (Int) -> Bool, greedy: Bool,
                            generator: inout SeededGenerator) -> (action: Int, logProbability: Float) {
        let lp = logProbabilities(logits, count: count, legal: legal)
        var chosen = -1
        if greedy {
            for j in 0..<count where lp[j] > -.infinity && (chosen < 0 || lp[j] > lp[chosen]) { chosen = j }
        } else {
            let u = generator.nextUniform()
            var cumulative: Float = 0
            for j in 0..<count where lp[j] > -.infinity {
                chosen = j
                cumulative += exp(lp[j])
                if u < cumulative { break }
            }
        }
        precondition(chosen >= 0, "no legal action to choose from")
        return (chosen, lp[chosen])
    }
}
