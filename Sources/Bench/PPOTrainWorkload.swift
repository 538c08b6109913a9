// `dojo bench ppo-train`: PPO training frames per second with the MinAtar preset (64 copies ×
// 128 steps, 4 epochs of 8 minibatches of 1,024) — whole iterations (rollout and update) and
// the update alone, with the update's dense-equivalent FLOPs. The same workload as
// scripts/ppo_reference.py, the PyTorch side (issue 23 §1).
import Catalog
import PPO
import RL

enum PPOTrainWorkload {
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let id = settings.environment ?? "minatar/breakout"
        guard let env = try? EnvironmentCatalog.make(id) else { return [] }
        return measure(env, id: id, settings)
    }

    static func measure<E: Environment>(_ env: E, id: String, _ settings: BenchmarkSettings) -> [BenchmarkResult] {
        var config = PPOConfig.minAtar
        config.checkpointEvery = PPOConfig.maxFrames
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
