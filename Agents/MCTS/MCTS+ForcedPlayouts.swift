// KataGo's forced playouts and policy target pruning (Wu 2019, "Accelerating Self-Play
// Learning in Go", §3.2). Dirichlet noise only helps if a move it favours is searched enough to
// show its worth, so a root child c that has been visited, but fewer than
//     n_forced(c) = √(k · P(c) · Σ_c' N(c'))
// times, is selected before PUCT is asked. Those playouts are there for exploration, not
// because the search liked the move, so the training target takes them out again: with c* the
// most visited child, every other child loses up to n_forced playouts as long as its PUCT
// score (its Q held fixed) stays below c*'s, and a child left with a single playout is dropped.
import Foundation

extension MCTS {
    /// n_forced of a root child with prior `prior`, given the root children's total visits.
    func forcedVisits(prior: Float, childVisits: Int) -> Double {
        (config.forcedPlayouts * Double(prior) * Double(childVisits)).squareRoot()
    }

    /// The root child owed a forced playout (the first in action order), if any.
    func forcedChild() -> Int? {
        guard config.forcedPlayouts > 0, config.selection == .puct else { return nil }
        let r = nodes[0], range = Int(r.firstChild)..<Int(r.firstChild + r.childCount)
        let total = range.reduce(0) { $0 + Int(nodes[$1].visits) }
        return range.first { c in
            let n = Int(nodes[c].visits)
            return n > 0 && Double(n) < forcedVisits(prior: nodes[c].prior, childVisits: total)
        }
    }

    /// PUCT of root child `c` as if it had `visits` visits (its Q unchanged).
    private func rootPUCT(_ c: Int, visits: Int) -> Double {
        let root = nodes[0], node = nodes[c]
        let q = node.visits == 0 ? config.fpu : meanValue(node, for: Int(root.player))
        let np = Double(max(1, root.visits))
        let exploration = config.puctInit + log((1 + np + config.puctBase) / config.puctBase)
        return q + exploration * Double(node.prior) * np.squareRoot() / (1 + Double(visits))
    }

    /// The root's visits as a training target: `rootVisits` with the forced playouts pruned
    /// (above); the same as `rootVisits` when forced playouts are off.
    public func policyTargetVisits() -> [(action: Int, visits: Int)] {
        let visits = rootVisits
        guard config.forcedPlayouts > 0, config.selection == .puct,
              let best = visits.indices.max(by: { visits[$0].visits < visits[$1].visits || (visits[$0].visits == visits[$1].visits && $0 > $1) })
        else { return visits }
        let r = nodes[0], first = Int(r.firstChild)
        let total = visits.reduce(0) { $0 + $1.visits }
        let bar = rootPUCT(first + best, visits: visits[best].visits)
        return visits.enumerated().map { k, entry in
            guard k != best, entry.visits > 0 else { return entry }
            let c = first + k
            let floor = max(0, entry.visits - Int(forcedVisits(prior: nodes[c].prior, childVisits: total)))
            var n = entry.visits
            while n > floor && rootPUCT(c, visits: n - 1) < bar { n -= 1 }
            return (entry.action, n <= 1 ? 0 : n)
        }
    }
}
