// Root parallelism (Chaslot, Winands & van den Herik 2008): `workers` independent trees from
// the same root with different seeds, searched at once on `Parallel.threads` workers, their
// root visit counts summed to choose the move. No shared tree, so no locks or virtual loss;
// the result depends on the seed and the worker count only (never on scheduling).
import RL
import Tensors

public struct RootParallelResult {
    /// Summed visits per root action, and the simulations done in all trees.
    public var visits: [Int: Int]
    public var simulations: Int
    public var value: Double

    /// Most visited action (ties to the lowest id).
    public var bestAction: Int { visits.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key }
}

extension MCTS {
    /// Searches `workers` trees at once (see above) and merges their roots.
    public static func rootParallel(root: E, config: MCTSConfig, workers: Int, seed: UInt64,
                                    evaluator: (UInt64) -> any Evaluator) -> RootParallelResult {
        let seeds = SeededGenerator(seed: seed)
        let trees = (0..<workers).map { w -> MCTS<E> in
            var s = seeds.derived(stream: UInt64(w))
            return MCTS(root: root, config: config, evaluator: evaluator(s.next()), seed: s.next())
        }
        var counts = [Int](repeating: 0, count: workers)
        counts.withUnsafeMutableBufferPointer { c in
            nonisolated(unsafe) let c = c
            Parallel.forEach(workers) { w, _ in c[w] = trees[w].search() }
        }
        var visits: [Int: Int] = [:]
        for t in trees { for (a, n) in t.rootVisits { visits[a, default: 0] += n } }
        let value = trees.map(\.rootValue).reduce(0, +) / Double(workers)
        return RootParallelResult(visits: visits, simulations: counts.reduce(0, +), value: value)
    }
}
