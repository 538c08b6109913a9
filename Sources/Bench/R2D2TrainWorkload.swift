// `dojo bench r2d2-train`: steady-state R2D2 training frames per second — acting through the
// recurrent network, the environment step, sequence storage and one learner step (32
// sequences of 10 + 20 + 3 steps through both networks) every 20 frames — after the warm-up,
// with the MinAtar preset; beside `dqn-train` it shows what the recurrence and the burn-in cost.
import Catalog
import R2D2
import RL

enum R2D2TrainWorkload {
    /// Ten learner steps per call.
    static let framesPerCall = 200

    static func run(_ settings: BenchmarkSettings) throws -> [BenchmarkResult] {
        let id = settings.environment ?? "minatar/breakout"
        return [try measure(try EnvironmentCatalog.make(id), id: id, settings)]
    }

    static func check(_ env: any Environment, id: String) throws {
        try RecurrentQNetwork.check(R2D2Config.minAtar, for: env, environment: id)
    }

    static func measure<E: Environment>(_ env: E, id: String, _ settings: BenchmarkSettings) throws -> BenchmarkResult {
        var config = R2D2Config.minAtar
        config.checkpointEvery = Int.max / 2
        let trainer = R2D2Trainer(env: env, environmentID: id, config: config, seed: settings.seed)
        return try measureTrainingFrames("r2d2-train", id: id, batch: config.batchSize, settings: settings,
                                         warmFrames: config.warmupFrames + 1_000, framesPerCall: framesPerCall,
                                         frame: { trainer.frame }, train: { try trainer.train(stopAt: $0) })
    }
}
