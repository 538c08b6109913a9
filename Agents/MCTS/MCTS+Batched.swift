// Batched search for network evaluators: gather up to `batch` leaves, evaluate them in one
// call, then expand and back them up. While gathering, each simulation's path carries a
// virtual loss (one visit whose value counts as a loss of `virtualLoss` for the player who
// chose each move), so the next descent prefers other lines; the loss is removed exactly before
// the real values are added. A descent that reaches a leaf already waiting in the batch ends
// the gathering early (its virtual loss is removed, nothing is counted). With the same seed
// and batch size the search is deterministic.
import RL

/// An evaluator that can take many positions in one call.
public protocol BatchEvaluator: Evaluator {
    func evaluateBatch<E: Environment>(_ states: [E], legal: [[Int]]) -> [Evaluation]
}

extension NetworkEvaluator: BatchEvaluator {}

extension MCTS {
    func applyVirtualLoss(_ path: [Int], sign: Float) {
        let loss = Float(config.virtualLoss) * sign
        for (k, n) in path.enumerated() {
            nodes[n].visits += Int32(sign)
            if k > 0 { nodes[n].valueSum[Int(nodes[path[k - 1]].player)] -= loss }
        }
    }

    /// Gathers and evaluates up to `limit` simulations (the k-th through root child
    /// `roots[k]` when given: Gumbel search); returns how many were completed.
    func simulateBatch(_ limit: Int, _ evaluator: BatchEvaluator, through roots: ArraySlice<Int>? = nil) -> Int {
        var leaves: [(index: Int, state: E, path: [Int])] = []
        var waiting = Set<Int>()
        defer { forcedRootChild = nil }
        while leaves.count < limit {
            if let roots { forcedRootChild = roots[roots.startIndex + leaves.count] }
            let (index, state) = descend()
            if waiting.contains(index) { break }
            applyVirtualLoss(path, sign: 1)
            leaves.append((index, state, path))
            if nodes[index].terminal { continue }
            waiting.insert(index)
        }
        let open = leaves.filter { !nodes[$0.index].terminal }
        let legal = open.map { candidates($0.state) }
        let evaluations = open.isEmpty ? [] : evaluator.evaluateBatch(open.map(\.state), legal: legal)
        var next = 0
        for leaf in leaves {
            applyVirtualLoss(leaf.path, sign: -1)
            var value = SIMD2<Float>.zero
            if !nodes[leaf.index].terminal {
                value = expand(leaf.index, legal: legal[next], evaluations[next])
                next += 1
            }
            backUp(from: leaf.index, value)
        }
        return leaves.count
    }
}
