// The losses of actor-critic learners, each with its gradient, mean over the batch:
// - the policy loss on logits [batch, actions]: PPO's clipped surrogate (Schulman et al. 2017,
//   eq. 7) or, with clip 0, A2C's plain policy gradient −A·log π (Mnih et al. 2016), both with
//   an entropy bonus;
// - the value loss on values [batch, 1]: ½(V − R)², or PPO's clipped form
//   ½·max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²).
// Masks as in PolicyLosses.swift: illegal actions get no probability and no gradient.
import Foundation
import Tensors

/// What one policy-loss evaluation measured (CleanRL's names in parentheses).
public struct PolicyLossStatistics: Sendable {
    /// The surrogate loss without the entropy term (losses/policy_loss).
    public var policyLoss: Float
    /// Mean entropy of the policy over the legal actions (losses/entropy).
    public var entropy: Float
    /// Mean of (ρ − 1) − log ρ, an estimate of KL(old ‖ new) (losses/approx_kl).
    public var approxKL: Float
    /// Fraction of rows whose ratio left [1 − ε, 1 + ε] (losses/clipfrac).
    public var clipFraction: Float

    public init(policyLoss: Float = 0, entropy: Float = 0, approxKL: Float = 0, clipFraction: Float = 0) {
        self.policyLoss = policyLoss; self.entropy = entropy; self.approxKL = approxKL; self.clipFraction = clipFraction
    }
}

public final class ClippedSurrogateLoss {
    private var logProbabilities = Tensor.empty
    public init() {}

    /// `actions`, `oldLogProbabilities` (of those actions, when they were taken) and
    /// `advantages` have one entry per row. `clip` is ε (0: A2C's unclipped −A·log π).
    /// Returns the statistics; `gradient` receives d(loss − entropyCoefficient·entropy)/d logits.
    public func callAsFunction(_ logits: Tensor, mask: Tensor? = nil, actions: [Int], oldLogProbabilities: [Float],
                               advantages: [Float], clip: Float, entropyCoefficient: Float,
                               gradient: inout Tensor) -> PolicyLossStatistics {
        precondition(logits.rank == 2, "policy loss expects logits [batch, actions], got \(logits.shape)")
        let n = logits.shape[0], k = logits.shape[1]
        precondition(actions.count == n && oldLogProbabilities.count == n && advantages.count == n,
                     "policy loss: \(actions.count) actions, \(oldLogProbabilities.count) old log-probabilities and \(advantages.count) advantages for \(n) rows")
        maskedLogSoftmax(logits, mask: mask, into: &logProbabilities)
        Tensor.prepare(&gradient, shape: logits.shape)
        let lp = logProbabilities.pointer, g = gradient.scratchPointer, inv = 1 / Float(n)
        var loss = 0.0, entropy = 0.0, kl = 0.0, clipped = 0
        for r in 0..<n {
            let a = actions[r], advantage = advantages[r], row = r * k
            precondition(a >= 0 && a < k && lp[row + a] > -.infinity, "policy loss: action \(a) of row \(r) is out of range or masked")
            let logRatio = lp[row + a] - oldLogProbabilities[r]
            let ratio = exp(logRatio)
            kl += Double((ratio - 1) - logRatio)
            // d(row loss)/d log π(a): the surrogate's derivative where it is not clipped away.
            let dLogProbability: Float
            if clip > 0 {
                if abs(ratio - 1) > clip { clipped += 1 }
                let unclipped = -advantage * ratio, bounded = -advantage * min(max(ratio, 1 - clip), 1 + clip)
                loss += Double(max(unclipped, bounded))
                dLogProbability = unclipped >= bounded ? -advantage * ratio : 0
            } else {
                loss -= Double(advantage * lp[row + a])
                dLogProbability = -advantage
            }
            var rowEntropy: Float = 0
            for j in 0..<k where lp[row + j] > -.infinity { rowEntropy -= exp(lp[row + j]) * lp[row + j] }
            entropy += Double(rowEntropy)
            for j in 0..<k {
                guard lp[row + j] > -.infinity else { g[row + j] = 0; continue }
                let p = exp(lp[row + j])
                // d log π(a)/d zⱼ = δₐⱼ − πⱼ;  d(−H)/d zⱼ = πⱼ(log πⱼ + H).
                g[row + j] = (dLogProbability * ((j == a ? 1 : 0) - p) + entropyCoefficient * p * (lp[row + j] + rowEntropy)) * inv
            }
        }
        return PolicyLossStatistics(policyLoss: Float(loss / Double(n)), entropy: Float(entropy / Double(n)),
                                    approxKL: Float(kl / Double(n)), clipFraction: Float(clipped) / Float(n))
    }
}

/// ½·mean((V − R)²), or with `clip` > 0 PPO's pessimistic clipped form around `oldValues`.
/// `gradient` receives d loss/d values, shaped like `values` ([batch, 1] or [batch]).
public func valueLoss(_ values: Tensor, returns: [Float], oldValues: [Float], clip: Float, gradient: inout Tensor) -> Float {
    let n = values.count
    precondition(returns.count == n && oldValues.count == n, "value loss: \(returns.count) returns and \(oldValues.count) old values for \(n) values")
    Tensor.prepare(&gradient, shape: values.shape)
    let v = values.pointer, g = gradient.scratchPointer, inv = 1 / Float(n)
    var total = 0.0
    for i in 0..<n {
        let error = v[i] - returns[i]
        guard clip > 0 else {
            total += Double(0.5 * error * error)
            g[i] = error * inv
            continue
        }
        let change = v[i] - oldValues[i]
        let clippedError = oldValues[i] + min(max(change, -clip), clip) - returns[i]
        if error * error >= clippedError * clippedError {
            total += Double(0.5 * error * error)
            g[i] = error * inv
        } else {
            // The clipped value moves with V only inside the clip range.
            total += Double(0.5 * clippedError * clippedError)
            g[i] = abs(change) < clip ? clippedError * inv : 0
        }
    }
    return Float(total / Double(n))
}
