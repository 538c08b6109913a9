// `dojo bench mcts-nn`: search with a policy/value network, Leela Zero's benchmark situation
// (`../shared/reference/go/bench_leelaz.py`: 1,600 visits of `genmove b` from the empty 19×19
// board, a random 6×64 network): a fresh tree per call, PUCT, leaves batched 8 per worker
// thread with virtual loss (batch 8 measured best with one thread among 4, 8 and 16; with two
// threads 16 beat 8 by ~15%); the network (18 Leela Zero planes, BN folded) splits each batch
// over --threads workers. Random weights are as costly as trained ones; only the tree's shape differs.
import Go
import GoSearch
import MCTS
import Neural
import Tensors

enum MCTSNetworkWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let size = settings.boardSize ?? 19
        var g = SeededGenerator(seed: settings.seed &+ 9)
        let network = TwoHeadNetwork.alphaGoZero(board: size, planes: GoGame.leelaZeroPlanes, filters: settings.filters,
                                                 blocks: settings.blocks, generator: &g)
        network.isTraining = false
        network.foldBatchNorm()
        let evaluator = NetworkEvaluator.leelaZero(network, boardSize: size)
        // The network alone at the search's batch size, to show where the time goes.
        var quickNet = settings
        quickNet.repeats = min(settings.repeats, 3)
        let games = (0..<8).map { k -> GoGame in
            var game = GoGame(size: size)
            _ = game.step(k)
            return game
        }
        let forward = timeRepeats(quickNet, warmup: 2) { _ = evaluator.evaluate(states: games) }
        let networkRow = makeResult("mcts-nn", variant: "\(size)x\(size) \(settings.blocks)x\(settings.filters) network alone", batch: 8,
                                    unit: "positions/s", itemsPerCall: 8, seconds: forward, settings: settings)
        var config = MCTSConfig()
        config.selection = .puct
        config.simulations = 1_600
        config.batch = 8 * settings.threads   // as the Go player: 8 leaves per worker thread
        var seed = settings.seed
        let game = GoGame(size: size)
        var quick = settings
        quick.repeats = min(settings.repeats, 3)
        quick.warmupCalls = 1
        quick.minRepeatSeconds = 0
        let seconds = timeRepeats(quick, warmup: 1) {
            seed &+= 1
            MCTS(root: game, config: config, evaluator: evaluator, seed: seed).search()
        }
        return [networkRow, makeResult("mcts-nn", variant: "\(size)x\(size) \(settings.blocks)x\(settings.filters) PUCT batch \(config.batch)", batch: config.batch,
                           unit: "visits/s", itemsPerCall: Double(config.simulations), seconds: seconds, settings: settings)]
    }
}
