// `dojo bench mcts`: MCTS simulations per second from the empty board, one core (a fresh tree
// of 2,000 simulations per call): UCT with light playouts — references here: Pachi's UCT with
// light playouts 23k/s, OpenSpiel's C++ MCTS 6k/s (reference/go/RESULTS.md) — and the Go
// player's default, RAVE with heavy playouts.
import Go
import GoSearch
import MCTS

enum MCTSWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        (settings.boardSize.map { [$0] } ?? [9]).flatMap { size in [measure(size: size, heavy: false, settings), measure(size: size, heavy: true, settings)] }
    }

    static func measure(size: Int, heavy: Bool, _ settings: BenchmarkSettings) -> BenchmarkResult {
        var config = MCTSConfig()
        config.simulations = 2_000
        config.rave = heavy
        var seed = settings.seed
        let game = GoGame(size: size)
        // With --threads N: N root-parallel trees of 2,000 simulations each.
        let workers = settings.threads
        let seconds = timeRepeats(settings, warmup: 1) {
            seed &+= 1
            if workers > 1 {
                _ = MCTS<GoGame>.rootParallel(root: game, config: config, workers: workers, seed: seed) {
                    GoPlayoutEvaluator(seed: $0, recordsMoves: heavy, heavy: heavy)
                }
            } else {
                MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: seed, recordsMoves: heavy, heavy: heavy), seed: seed).search()
            }
        }
        return makeResult("mcts", variant: "\(size)x\(size) " + (heavy ? "heavy playouts, RAVE" : "light playouts, UCT"), batch: 1, unit: "simulations/s",
                          itemsPerCall: Double(config.simulations * workers), seconds: seconds, settings: settings)
    }
}
