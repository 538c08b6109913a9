// `dojo bench ppo-train`: PPO training frames per second with the MinAtar preset (64 copies ×
// 128 steps, 4 epochs of 8 minibatches of 1,024) — whole iterations (rollout and update) and
// the update alone, with the update's dense-equivalent FLOPs. The same workload as
// scripts/ppo_reference.py, the PyTorch side (issue 23 §1). `dojo bench ppo-memory`: the same
// with each kind of memory, the cost of remembering.
import Catalog
import PPO
import RL
import Runs

enum PPOTrainWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let id = settings.environment ?? "minatar/breakout"
        guard let env = try? EnvironmentCatalog.make(id) else { return [] }
        return measure(env, id: id, settings)
    }

    static let memories: [PPOConfig.Memory] = [.lstm, .gru, .attention]

    static func runMemory(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let id = settings.environment ?? "minatar/breakout"
        guard let env = try? EnvironmentCatalog.make(id) else { return [] }
        return memories.flatMap { memory in
            measure(env, id: id, settings, memory: memory).map { result in
                var r = result
                r.workload = result.workload == "ppo-train" ? "ppo-memory" : "ppo-memory-update"
                r.variant = (result.variant ?? id) + " " + memory.rawValue
                r.gflops = nil   // trainingFlops counts the feed-forward network only
                return r
            }
        }
    }

    /// The workload's config with `memory`.
    static func config(_ memory: PPOConfig.Memory) -> PPOConfig {
        var config = PPOConfig.minAtar
        config.checkpointEvery = PPOConfig.maxFrames
        config.memory = memory
        return config
    }

    /// `env` must be one PPO learns, and fit the network and memory of every config measured.
    static func check(_ env: any Environment, id: String, memories: [PPOConfig.Memory]) throws {
        if let why = PPOConfig.unsupported(env, id: id) { throw ConfigError(why) }
        for memory in memories {
            try ActorCriticNetwork.check(config(memory), observation: env.observationShape, actions: env.actionCount, environment: id)
        }
    }

    static func measure<E: Environment>(_ env: E, id: String, _ settings: BenchmarkSettings, memory: PPOConfig.Memory = .none) -> [BenchmarkResult] {
        let config = config(memory)
        let trainer = PPOTrainer(environmentID: id, config: config, seed: settings.seed) { _ in env }
        let frames = Double(config.framesPerIteration)
        let whole = timeRepeats(settings, warmup: 1) {
            trainer.collectRollout(logging: false)
            _ = trainer.update()
        }
        let update = timeRepeats(settings, warmup: 0) { _ = trainer.update() }
        let flops = frames * Double(config.epochs) * ActorCriticNetwork.trainingFlops(config, observation: env.observationShape, actions: env.actionCount)
        return [makeResult("ppo-train", variant: id, batch: config.minibatchSize, unit: "frames/s", itemsPerCall: frames,
                           seconds: whole, settings: settings),
                makeResult("ppo-update", variant: id, batch: config.minibatchSize, unit: "frames/s", itemsPerCall: frames,
                           flopsPerCall: flops, seconds: update, settings: settings)]
    }
}
