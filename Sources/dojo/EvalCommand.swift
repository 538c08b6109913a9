// `dojo eval <checkpoint>`: mean return ± 95% confidence interval over episodes.
import AlphaZero
import ArgumentParser
import Baselines
import Catalog
import DQN
import PPO
import R2D2
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
              dojo eval runs/minatar-breakout__ppo__1__20261207-120000-4242 --greedy
            """)

        @Argument(help: "A checkpoint written by dojo train, or a run folder (its latest checkpoint).")
        var checkpointArgument: String

        @Option(parsing: .unconditional, help: "Episodes to play.")
        var episodes = 100

        @Option(help: "DQN and R2D2: exploration during evaluation (0: greedy).")
        var epsilon = 0.0

        @Flag(help: "PPO/A2C: take the policy's most likely action instead of drawing one.")
        var greedy = false

        @Option(help: "Environment (default: the one the checkpoint was trained on).")
        var env: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard episodes >= 1 else { throw ValidationError("--episodes must be ≥ 1.") }
            guard (0...1).contains(epsilon) else { throw ValidationError("--epsilon must be in 0…1.") }
            guard !(greedy && epsilon > 0) else { throw ValidationError("--greedy and --epsilon \(epsilon) contradict each other; give one.") }
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
            if PPOCheckpointInfo.claims(checkpoint) {
                let info = try PPOCheckpointInfo.read(checkpoint)
                guard epsilon == 0 else {
                    throw ValidationError("--epsilon is for DQN checkpoints; a \(info.algorithm) policy draws its actions from its distribution (or takes the most likely one with --greedy).")
                }
                let environment = try evaluationEnvironment(trainedOn: info.environmentID, checkpoint: checkpoint)
                var policy = try ActorCriticPolicy(checkpoint: checkpoint, observationShape: environment.observationShape,
                                                   actions: environment.actionCount, greedy: greedy, seed: common.seed &+ 1)
                let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: episodes, seed: common.seed)
                emit("\(env ?? info.environmentID): mean return \(String(format: "%.3f", summary.mean)) ± \(String(format: "%.3f", summary.halfWidth95)) (95% CI) over \(episodes) episodes, \(info.algorithm) policy \(greedy ? "greedy" : "sampled"), environment seed \(common.seed), checkpoint frame \(info.frame)")
                return
            }
            if R2D2CheckpointInfo.claims(checkpoint) {
                guard !greedy else { throw ValidationError("--greedy is for PPO/A2C checkpoints; an R2D2 agent is greedy unless --epsilon says otherwise.") }
                let info = try R2D2CheckpointInfo.read(checkpoint)
                let environment = try evaluationEnvironment(trainedOn: info.environmentID, checkpoint: checkpoint)
                var policy = try R2D2Policy(checkpoint: checkpoint, observationShape: environment.observationShape,
                                            actions: environment.actionCount, epsilon: epsilon, seed: common.seed &+ 1)
                let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: episodes, seed: common.seed)
                emit("\(env ?? info.environmentID): mean return \(String(format: "%.3f", summary.mean)) ± \(String(format: "%.3f", summary.halfWidth95)) (95% CI) over \(episodes) episodes, R2D2, ε = \(epsilon), environment seed \(common.seed), checkpoint frame \(info.frame)")
                return
            }
            let info = try DQNCheckpointInfo.read(checkpoint)
            let environment = try evaluationEnvironment(trainedOn: info.environmentID, checkpoint: checkpoint)
            var policy = try DQNPolicy(checkpoint: checkpoint, observationShape: environment.observationShape,
                                       actions: environment.actionCount, epsilon: epsilon, seed: common.seed &+ 1)
            let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: episodes, seed: common.seed)
            emit("\(env ?? info.environmentID): mean return \(String(format: "%.3f", summary.mean)) ± \(String(format: "%.3f", summary.halfWidth95)) (95% CI) over \(episodes) episodes, ε = \(epsilon), environment seed \(common.seed), checkpoint frame \(info.frame)")
        }

        /// --env, or the environment the checkpoint was trained on; another environment only
        /// when its observations and actions have the same shape.
        func evaluationEnvironment(trainedOn trainedID: String, checkpoint: String) throws -> any Environment {
            let environment = try EnvironmentCatalog.make(env ?? trainedID)
            if let env, env != trainedID {
                let trained = try EnvironmentCatalog.make(trainedID)
                guard trained.observationShape == environment.observationShape, trained.actionCount == environment.actionCount else {
                    throw Failure("\(checkpoint) was trained on \(trainedID) (observations \(trained.observationShape), \(trained.actionCount) actions); \(env) has observations \(environment.observationShape) and \(environment.actionCount) actions, so it cannot play there")
                }
            }
            return environment
        }
    }
}
