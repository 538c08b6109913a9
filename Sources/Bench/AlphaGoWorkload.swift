// `dojo bench alphago`: the AlphaGo pipeline's costs. Feature extraction (the 48 planes, with
// a trial move and ladder reads per legal point) on a mid-game position, 9×9 and 19×19 (or
// --size); supervised-policy training examples/s and policy inference positions/s with the
// `small` preset's network (6 layers of 64 filters) on 9×9; and AlphaGo's search with that
// policy as knowledge at the default threshold (simulations/s from the empty 9×9 board, a
// fresh tree of 5,000 simulations per call; compare `dojo bench mcts`' heavy RAVE row).
import AlphaGo
import Go
import GoSearch
import MCTS
import Neural
import Tensors

enum AlphaGoWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        (settings.boardSize.map { [$0] } ?? [9, 19]).map { features(size: $0, settings) } + network(settings)
    }

    /// A position after N²/3 random moves.
    static func midGame(size: Int, seed: UInt64) -> GoGame {
        var game = GoGame(size: size)
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<(size * size / 3) {
            let legal = game.legalActions.filter { $0 != game.passAction }
            _ = game.step(legal[generator.nextInt(below: legal.count)])
        }
        return game
    }

    static func features(size: Int, _ settings: BenchmarkSettings) -> BenchmarkResult {
        let game = midGame(size: size, seed: settings.seed)
        var sink: Float = 0
        let seconds = timeRepeats(settings) {
            for _ in 0..<20 { sink += game.alphaGoFeatures()[0] }
        }
        if sink < 0 { print("") }
        return makeResult("alphago", variant: "\(size)x\(size) features", batch: 1, unit: "positions/s", itemsPerCall: 20, seconds: seconds, settings: settings)
    }

    static func network(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        guard let config = try? AlphaGoConfig.preset("small", boardSize: 9) else { return [] }
        var generator = SeededGenerator(seed: settings.seed)
        let network = AlphaGoNetworks.policy(config, generator: &generator)
        let optimizer = SGD(parameters: network.parameters, learningRate: 1e-3, momentum: 0.9)
        let loss = SoftmaxCrossEntropy()
        let x = Tensor.uniform(shape: [config.slBatchSize, GoGame.alphaGoPolicyPlanes, 9, 9], low: 0, high: 1, using: &generator)
        let targets = (0..<config.slBatchSize).map { _ in generator.nextInt(below: 81) }
        var gradient = Tensor.empty
        network.isTraining = true
        let train = timeRepeats(settings) {
            let logits = network.forward(x)
            _ = loss(logits, .hard(targets), gradient: &gradient)
            network.parameters.zeroGradients()
            _ = network.backward(gradient)
            optimizer.step()
        }
        network.isTraining = false
        let batch = x.batch(0..<16)
        let infer = timeRepeats(settings) { _ = network.forward(batch) }
        var search = MCTSConfig()
        search.simulations = 5_000
        search.rave = true
        search.rollout = .heavy
        var seed = settings.seed
        let knowledge = AlphaGoKnowledge(policy: PolicyNetwork(config: config, network: network), value: nil)
        let searching = timeRepeats(settings, warmup: 1) {
            seed &+= 1
            let tree = MCTS(root: GoGame(size: 9), config: search, evaluator: GoPlayoutEvaluator(seed: seed, recordsMoves: true, heavy: true), seed: seed)
            tree.knowledge = knowledge
            tree.search()
        }
        return [
            makeResult("alphago", variant: "sl-policy train 9x9 6x64", batch: config.slBatchSize, unit: "examples/s",
                       itemsPerCall: Double(config.slBatchSize), seconds: train, settings: settings),
            makeResult("alphago", variant: "policy inference 9x9 6x64", batch: 16, unit: "positions/s", itemsPerCall: 16, seconds: infer, settings: settings),
            makeResult("alphago", variant: "search 9x9 6x64 threshold \(search.knowledgeThreshold)", batch: 1, unit: "simulations/s",
                       itemsPerCall: Double(search.simulations), seconds: searching, settings: settings),
        ]
    }
}
