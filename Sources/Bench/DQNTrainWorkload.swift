// `dojo bench dqn-train`: steady-state DQN training frames per second — acting (ε-greedy
// forward pass), the environment step, replay insertion and one update per frame — after the
// 5,000-frame warm-up, with the MinAtar reference config. The reference examples/dqn.py does
// about 300 frames/s on the project machine (reference/minatar/RESULTS.md §7).
import Catalog
import DQN
import RL

enum DQNTrainWorkload {
    static let framesPerCall = 200

    static func run(_ settings: BenchmarkSettings) throws -> [BenchmarkResult] {
        let id = settings.environment ?? "minatar/breakout"
        return [try measure(try EnvironmentCatalog.make(id), id: id, settings)]
    }

    static func check(_ env: any Environment, id: String) throws {
        try QNetwork.check(DQNConfig.minAtar, for: env, environment: id)
    }

    static func measure<E: Environment>(_ env: E, id: String, _ settings: BenchmarkSettings) throws -> BenchmarkResult {
        var config = DQNConfig.minAtar
        config.checkpointEvery = Int.max / 2
        let trainer = DQNTrainer(env: env, environmentID: id, config: config, seed: settings.seed)
        // Past the warm-up and well into the ε decay, where most actions are greedy.
        return try measureTrainingFrames("dqn-train", id: id, batch: config.batchSize, settings: settings,
                                         warmFrames: config.warmupFrames + 2_000, framesPerCall: framesPerCall,
                                         frame: { trainer.frame }, train: { try trainer.train(stopAt: $0) })
    }
}
