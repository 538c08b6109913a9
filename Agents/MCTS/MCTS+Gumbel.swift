// Gumbel search (Danihelka, Guez, Schrittwieser & Silver 2022, "Policy improvement by planning
// with Gumbel", ICLR): a search built for small budgets, where PUCT's visit counts say little
// more than the prior they started from and so teach the network little.
//
// Root: every legal move a gets g(a) ~ Gumbel(0, 1) (g = 0 when `gumbelNoise` is off) and
// logit(a) = log P(a). The m = `gumbelActions` moves with the largest g + logit share the
// simulations by sequential halving: ⌈log₂ m⌉ phases, each giving every remaining move the
// same number of simulations (the budget left split evenly over the phases left; the last
// phase spends the rest), after which the better half by g + logit + σ(q̂) stays. The move
// played is the best survivor.
//
// Values: completedQ(a) is a visited move's Q (for the player to move) and, for the others,
// v_mix = (v̂ + (Σ_b N(b) / Σ_{visited} P) · Σ_{visited} P(a)·Q(a)) / (1 + Σ_b N(b)), the
// network's value v̂ of the node mixed with what the visited moves found (the paper's
// appendix D). q̂ is completedQ rescaled to [0, 1] by its minimum and maximum over the node's
// moves, and σ(q̂) = (c_visit + max_b N(b)) · c_scale · q̂, so the search's values weigh more
// as the visits grow.
//
// The improved policy π' = softmax(logit + σ(q̂)) is the training target (`improvedPolicy`),
// and below the root selection is deterministic, argmax_a π'(a) − N(a) / (1 + Σ_b N(b)),
// which makes the visits follow π'.
import Foundation
import RL
import Tensors

extension MCTS {
    /// Runs Gumbel search within `config.simulations`; returns the simulations done.
    func searchGumbel() -> Int {
        let budget = max(1, config.simulations)
        var count = 0
        if !nodes[0].expanded { simulate(); count += 1 }      // the root's priors and value
        guard nodes[0].expanded && nodes[0].childCount > 0 else { return count }
        let first = Int(nodes[0].firstChild), n = Int(nodes[0].childCount)
        let logits = (0..<n).map { Self.logit(nodes[first + $0].prior) }
        let gumbel = (0..<n).map { _ in config.gumbelNoise ? Self.gumbelDraw(&generator) : 0 }
        /// Root moves by g + logit + σ(q̂) as the search stands, best first.
        func rankedBySearch(_ moves: [Int]) -> [Int] {
            let sigma = sigmaOfCompletedQ(0)
            return Self.ranked(moves) { gumbel[$0] + logits[$0] + sigma[$0] }
        }
        var remaining = Array(Self.ranked(Array(0..<n)) { gumbel[$0] + logits[$0] }.prefix(max(1, min(config.gumbelActions, n))))
        let phases = max(1, Int(ceil(log2(Double(remaining.count)))))
        for phase in 0..<phases where count < budget {
            // Even shares, at least one each; the last phase spends what is left.
            let left = budget - count, width = remaining.count
            let rounds = phase == phases - 1 ? (left + width - 1) / width : max(1, left / ((phases - phase) * width))
            for _ in 0..<rounds where count < budget {
                count += simulate(through: remaining.prefix(budget - count).map { first + $0 }[...])
            }
            remaining = rankedBySearch(remaining)
            remaining.removeLast(remaining.count / 2)
        }
        gumbelChoice = rankedBySearch(remaining).first.map { Int(nodes[first + $0].action) }
        return count
    }

    /// One simulation through each of the root children `through` (a batch when the evaluator
    /// takes batches); returns how many were done.
    private func simulate(through roots: ArraySlice<Int>) -> Int {
        if config.batch > 1, let batched = evaluator as? BatchEvaluator {
            var done = 0
            while done < roots.count {
                let chunk = roots.dropFirst(done).prefix(config.batch)
                done += simulateBatch(chunk.count, batched, through: chunk)
            }
            return done
        }
        defer { forcedRootChild = nil }
        for c in roots { forcedRootChild = c; simulate() }
        return roots.count
    }

    /// The improved policy at the root: (action, π'(a)) for every legal move; empty before
    /// the search. It needs no Gumbel draws, so any search's root can report it.
    public func improvedPolicy() -> [(action: Int, probability: Float)] {
        guard nodes[0].expanded && nodes[0].childCount > 0 else { return [] }
        let first = Int(nodes[0].firstChild)
        return improvedProbabilities(0).enumerated().map { (Int(nodes[first + $0.offset].action), Float($0.element)) }
    }

    /// Below the root: the child whose share of visits lags π' the most (π' computed into a
    /// buffer the tree keeps: selection allocates nothing).
    func gumbelSelect(_ p: Int) -> Int {
        let first = Int(nodes[p].firstChild), count = Int(nodes[p].childCount)
        improvedProbabilities(p, into: &gumbelScratch)
        let total = Double((first..<(first + count)).reduce(0) { $0 + Int(nodes[$1].visits) })
        var best = first, bestScore = -Double.infinity
        for k in 0..<count {
            let s = gumbelScratch[k] - Double(nodes[first + k].visits) / (1 + total)
            if s > bestScore { best = first + k; bestScore = s }   // ties: the first (lowest action id)
        }
        return best
    }

    /// π' = softmax(logit + σ(q̂)) over the children of `p`.
    func improvedProbabilities(_ p: Int) -> [Double] {
        var out: [Double] = []
        improvedProbabilities(p, into: &out)
        return out
    }

    func improvedProbabilities(_ p: Int, into out: inout [Double]) {
        let first = Int(nodes[p].firstChild), count = Int(nodes[p].childCount)
        sigmaOfCompletedQ(p, into: &out)
        var top = -Double.infinity
        for k in 0..<count { out[k] += Self.logit(nodes[first + k].prior); top = max(top, out[k]) }
        var total = 0.0
        for k in 0..<count { out[k] = exp(out[k] - top); total += out[k] }
        for k in 0..<count { out[k] /= total }
    }

    /// σ(q̂) of the children of `p`: completed Qs for the player to move at `p`, rescaled to
    /// [0, 1] over the children, times (c_visit + max N) · c_scale.
    func sigmaOfCompletedQ(_ p: Int) -> [Double] {
        var out: [Double] = []
        sigmaOfCompletedQ(p, into: &out)
        return out
    }

    func sigmaOfCompletedQ(_ p: Int, into out: inout [Double]) {
        let parent = nodes[p], mover = Int(parent.player)
        let children = Int(parent.firstChild)..<Int(parent.firstChild + parent.childCount)
        var visitedPrior = 0.0, priorWeightedQ = 0.0, visits = 0, maxVisits = 0
        for c in children where nodes[c].visits > 0 {
            let prior = Double(nodes[c].prior)
            visitedPrior += prior
            priorWeightedQ += prior * meanValue(nodes[c], for: mover)
            visits += Int(nodes[c].visits)
            maxVisits = max(maxVisits, Int(nodes[c].visits))
        }
        let raw = Double(parent.rawValue[mover])
        let mixed = visitedPrior > 0 ? (raw + Double(visits) * priorWeightedQ / visitedPrior) / Double(1 + visits) : raw
        out.removeAll(keepingCapacity: true)
        var low = Double.infinity, high = -Double.infinity
        for c in children {
            let q = nodes[c].visits > 0 ? meanValue(nodes[c], for: mover) : mixed
            out.append(q); low = min(low, q); high = max(high, q)
        }
        let scale = (config.gumbelVisitScale + Double(maxVisits)) * config.gumbelValueScale
        for k in out.indices { out[k] = high - low > 1e-12 ? scale * (out[k] - low) / (high - low) : 0 }
    }

    /// `items` by `score`, best first (ties: the lower index first, so the search is
    /// deterministic).
    static func ranked(_ items: [Int], by score: (Int) -> Double) -> [Int] {
        let scored: [(item: Int, score: Double)] = items.map { ($0, score($0)) }
        return scored.sorted { a, b in a.score > b.score || (a.score == b.score && a.item < b.item) }.map(\.item)
    }

    /// log P, finite for a prior that underflowed to 0.
    static func logit(_ prior: Float) -> Double { log(max(Double(prior), 1e-30)) }

    /// A Gumbel(0, 1) draw: −log(−log U).
    static func gumbelDraw(_ generator: inout SeededGenerator) -> Double {
        let u = min(max(Double(generator.nextUniform()), 1e-12), 1 - 1e-12)
        return -log(-log(u))
    }
}
