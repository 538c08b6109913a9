// Losses on policy logits [batch, actions], mean over the batch.
//
// Legal-move masks (1 = legal, 0 = illegal) remove illegal actions before the softmax, so the
// policy is renormalised over legal moves and illegal logits get exactly zero gradient.
import Foundation
import Tensors

/// What a cross-entropy compares the policy with.
public enum PolicyTarget {
    /// One action index per row.
    case hard([Int])
    /// A distribution per row ([batch, actions]; e.g. MCTS visit fractions).
    case soft(Tensor)
}

/// Log-probabilities of masked logits, row by row; illegal entries get −∞.
func maskedLogSoftmax(_ logits: Tensor, mask: Tensor?, into out: inout Tensor) {
    let n = logits.shape[0], k = logits.shape[1]
    Tensor.prepare(&out, shape: logits.shape)
    let lp = out.scratchPointer
    guard let mask else { return logSoftmaxRows(logits.pointer, lp, rows: n, columns: k) }
    precondition(mask.shape == logits.shape, "mask \(mask.shape) does not match logits \(logits.shape)")
    let x = logits.pointer, m = mask.pointer
    for r in 0..<n {
        var best = -Float.infinity
        for j in 0..<k where m[r * k + j] != 0 { best = max(best, x[r * k + j]) }
        precondition(best > -.infinity, "policy loss: row \(r) has no legal action")
        var s: Float = 0
        for j in 0..<k where m[r * k + j] != 0 { s += exp(x[r * k + j] - best) }
        let lse = best + log(s)
        for j in 0..<k { lp[r * k + j] = m[r * k + j] != 0 ? x[r * k + j] - lse : -.infinity }
    }
}

public final class SoftmaxCrossEntropy {
    private var logProbabilities = Tensor.empty
    public init() {}

    /// −mean over rows of Σⱼ targetⱼ · log softmax(logits)ⱼ. Soft targets must put no mass on
    /// masked actions.
    public func callAsFunction(_ logits: Tensor, _ target: PolicyTarget, mask: Tensor? = nil,
                               gradient: inout Tensor) -> Float {
        precondition(logits.rank == 2, "cross-entropy expects logits [batch, actions], got \(logits.shape)")
        let n = logits.shape[0], k = logits.shape[1]
        maskedLogSoftmax(logits, mask: mask, into: &logProbabilities)
        Tensor.prepare(&gradient, shape: logits.shape)
        let lp = logProbabilities.pointer, g = gradient.scratchPointer, inv = 1 / Float(n)
        var total: Double = 0
        switch target {
        case .hard(let actions):
            precondition(actions.count == n, "cross-entropy: \(actions.count) targets for \(n) rows")
            for r in 0..<n {
                let a = actions[r]
                precondition(a >= 0 && a < k && lp[r * k + a] > -.infinity, "cross-entropy: target action \(a) of row \(r) is out of range or masked")
                total -= Double(lp[r * k + a])
                for j in 0..<k { g[r * k + j] = exp(lp[r * k + j]) * inv }
                g[r * k + a] -= inv
            }
        case .soft(let t):
            precondition(t.shape == logits.shape, "cross-entropy: target \(t.shape) does not match logits \(logits.shape)")
            let tp = t.pointer
            for r in 0..<n {
                var mass: Float = 0
                for j in 0..<k where tp[r * k + j] != 0 {
                    precondition(lp[r * k + j] > -.infinity, "cross-entropy: row \(r) puts target mass on masked action \(j)")
                    total -= Double(tp[r * k + j] * lp[r * k + j])
                    mass += tp[r * k + j]
                }
                for j in 0..<k { g[r * k + j] = (exp(lp[r * k + j]) * mass - tp[r * k + j]) * inv }
            }
        }
        return Float(total / Double(n))
    }
}

/// REINFORCE-style policy-gradient loss: −mean(Aᵢ · log π(aᵢ | sᵢ)), with the advantages held
/// constant. Its gradient with respect to the logits is −Aᵢ·(onehot(aᵢ) − π)/batch.
public final class PolicyGradientLoss {
    private var logProbabilities = Tensor.empty
    public init() {}

    public func callAsFunction(_ logits: Tensor, actions: [Int], advantages: [Float], mask: Tensor? = nil,
                               gradient: inout Tensor) -> Float {
        precondition(logits.rank == 2, "policy-gradient loss expects logits [batch, actions], got \(logits.shape)")
        let n = logits.shape[0], k = logits.shape[1]
        precondition(actions.count == n && advantages.count == n,
                     "policy-gradient loss: \(actions.count) actions and \(advantages.count) advantages for \(n) rows")
        maskedLogSoftmax(logits, mask: mask, into: &logProbabilities)
        Tensor.prepare(&gradient, shape: logits.shape)
        let lp = logProbabilities.pointer, g = gradient.scratchPointer, inv = 1 / Float(n)
        var total: Double = 0
        for r in 0..<n {
            let a = actions[r], adv = advantages[r]
            precondition(a >= 0 && a < k && lp[r * k + a] > -.infinity, "policy-gradient loss: action \(a) of row \(r) is out of range or masked")
            total -= Double(adv * lp[r * k + a])
            for j in 0..<k { g[r * k + j] = adv * exp(lp[r * k + j]) * inv }
            g[r * k + a] -= adv * inv
        }
        return Float(total / Double(n))
    }
}
