// `dojo eval <checkpoint>`: mean return ± 95% confidence interval over episodes.
import AlphaZero
import ArgumentParser
import Baselines
import Catalog
import DQN
import RL
import Runs

extension Dojo {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a checkpoint: mean return ± 95% CI over episodes.",
            discussion: """
            The agent is rebuilt from the checkpoint alone (its config and environment id are \
            inside). --env evaluates it on another environment with the same observation shape.

            Examples:
              dojo eval runs/minatar-breakout__dqn__1__20261122-120000/checkpoints/latest.safetensors --episodes 100
              dojo eval model.safetensors --epsilon 0.05 --seed 3
              dojo eval runs/minatar-breakout__dqn__1__20261122-120000-4242
            """)

        @Argument(help: "A checkpoint written by dojo train, or a run folder (its latest checkpoint).")
        var checkpointArgument: String

        @Option(parsing: .unconditional, help: "Episodes to play.")
        var episodes = 100

        @Option(help: "Exploration during evaluation (0: greedy).")
        var epsilon = 0.0

        @Option(help: "Environment (default: the one the checkpoint was trained on).")
        var env: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard episodes >= 1 else { throw ValidationError("--episodes must be ≥ 1.") }
            guard (0...1).contains(epsilon) else { throw ValidationError("--epsilon must be in 0…1.") }
        }

        func run() throws {
            common.apply()
            let checkpoint = try RunDirectory.checkpoint(named: checkpointArgument)
            if let az = try? AlphaZeroTrainer.config(inCheckpoint: checkpoint) {   // two-player: it needs opponents
                let game = az.environment
                throw Failure("\(checkpoint) is an AlphaZero network for \(game); measure it against opponents: dojo tournament --env \(game) --player az=alphazero:checkpoint=\(checkpoint) --player random --player mcts --format gauntlet")
            }
            if let table = try QTable.loadIfQTable(checkpoint) {
                let environment = try EnvironmentCatalog.make(env ?? table.environmentID)
                var policy = try table.policy(for: environment)
                let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: episodes, seed: common.seed)
                emit("\(env ?? table.environmentID): mean return \(String(format: "%.3f", summary.mean)) ± \(String(format: "%.3f", summary.halfWidth95)) (95% CI) over \(episodes) episodes, greedy Q-table, environment seed \(common.seed)")
                return
            }
            let info = try DQNCheckpointInfo.read(checkpoint)
            let environment = try EnvironmentCatalog.make(env ?? info.environmentID)
            if let env, env != info.environmentID {
                let trained = try EnvironmentCatalog.make(info.environmentID)
                guard trained.observationShape == environment.observationShape, trained.actionCount == environment.actionCount else {
                    throw Failure("\(checkpoint) was trained on \(info.environmentID) (observations \(trained.observationShape), \(trained.actionCount) actions); \(env) has observations \(environment.observationShape) and \(environment.actionCount) actions, so it cannot play there")
                }
            }
            var policy = try DQNPolicy(checkpoint: checkpoint, observationShape: environment.observationShape,
                                       actions: environment.actionCount, epsilon: epsilon, seed: common.seed &+ 1)
            let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: episodes, seed: common.seed)
            emit("\(env ?? info.environmentID): mean return \(String(format: "%.3f", summary.mean)) ± \(String(format: "%.3f", summary.halfWidth95)) (95% CI) over \(episodes) episodes, ε = \(epsilon), environment seed \(common.seed), checkpoint frame \(info.frame)")
        }
    }
}
