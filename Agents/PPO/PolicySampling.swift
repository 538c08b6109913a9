// Drawing an action from a row of policy logits, over the legal actions only: the one place
// where actor-critic agents turn logits into actions, in training and in play, so both use the
// same masked softmax. Called for every copy at every step, so it allocates nothing.
import Foundation
import Tensors

public enum PolicySampling {
    /// log Σ exp over the legal entries of `logits` (−∞ when none is a number).
    static func logSumExp(_ logits: UnsafePointer<Float>, count: Int, legal: (Int) -> Bool) -> Float {
        var best = -Float.infinity
        for j in 0..<count where legal(j) && logits[j].isFinite { best = max(best, logits[j]) }
        guard best > -.infinity else { return -.infinity }
        var sum: Float = 0
        for j in 0..<count where legal(j) && logits[j].isFinite { sum += exp(logits[j] - best) }
        return best + log(sum)
    }

    /// A draw from the distribution (one uniform from `generator`), or its most likely action
    /// when `greedy` (ties to the lowest id); with the action's log-probability. At least one
    /// action must be legal (the environment contract). Logits that are not numbers (a network
    /// whose weights diverged) give the first legal action and a NaN log-probability, which the
    /// trainer's loss check then reports as a sentence.
    public static func draw(_ logits: UnsafePointer<Float>, count: Int, legal: (Int) -> Bool, greedy: Bool,
                            generator: inout SeededGenerator) -> (action: Int, logProbability: Float) {
        let lse = logSumExp(logits, count: count, legal: legal)
        var chosen = -1
        if lse.isFinite {
            if greedy {
                for j in 0..<count where legal(j) && logits[j].isFinite && (chosen < 0 || logits[j] > logits[chosen]) { chosen = j }
            } else {
                let u = generator.nextUniform()
                var cumulative: Float = 0
                for j in 0..<count where legal(j) && logits[j].isFinite {
                    chosen = j
                    cumulative += exp(logits[j] - lse)
                    if u < cumulative { break }
                }
            }
        }
        guard chosen >= 0 else {
            guard let first = (0..<count).first(where: legal) else { preconditionFailure("no legal action to choose from") }
            return (first, .nan)
        }
        return (chosen, logits[chosen] - lse)
    }
}
