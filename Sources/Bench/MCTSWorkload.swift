// `dojo bench mcts`: MCTS simulations per second with light playouts from the empty board, one
// core (UCT, a fresh tree of 2,000 simulations per call). References here: Pachi's UCT with
// light playouts 23k/s, OpenSpiel's C++ MCTS 6k/s (reference/go/RESULTS.md).
import Go
import MCTS

enum MCTSWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        (settings.boardSize.map { [$0] } ?? [9]).map { size in
            var config = MCTSConfig()
            config.simulations = 2_000
            var seed = settings.seed
            let game = GoGame(size: size)
            // With --threads N: N root-parallel trees of 2,000 simulations each.
            let workers = settings.threads
            let seconds = timeRepeats(settings, warmup: 1) {
                seed &+= 1
                if workers > 1 {
                    _ = MCTS<GoGame>.rootParallel(root: game, config: config, workers: workers, seed: seed) { GoPlayoutEvaluator(seed: $0) }
                } else {
                    MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: seed), seed: seed).search()
                }
            }
            return makeResult("mcts", variant: "\(size)x\(size) light playouts, UCT", batch: 1, unit: "simulations/s",
                              itemsPerCall: Double(config.simulations * workers), seconds: seconds, settings: settings)
        }
    }
}
