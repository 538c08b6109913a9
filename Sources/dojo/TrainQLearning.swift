// `dojo train qlearning`: tabular Q-learning (Agents/Baselines) on small environments — a run
// folder, metrics, a Q-table checkpoint that eval and watch accept, and a greedy evaluation.
// Runs are short and have no checkpoints to resume.
import ArgumentParser
import Baselines
import Catalog
import DQN
import Foundation
import RL
import Runs

extension Dojo.Train {
    struct QLearning: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qlearning",
            abstract: "Train tabular Q-learning (Watkins 1989) on a small environment.",
            discussion: configKeysHelp("Config keys:", QLearningConfig()) + """


            --threads: not used (tabular learning is one thread).

            Examples:
              dojo train qlearning --env gridworld/cliff-walking --set learningRate=0.5
              dojo train qlearning --env gridworld/four-rooms --frames 200000
            """)

        @Option(help: "Environment id (see `dojo envs`).")
        var env: String

        @Option(parsing: .unconditional, help: "Frames to train for (overrides the config).")
        var frames: Int?

        @Option(name: .customLong("eval-episodes"), help: "Greedy episodes evaluated at the end; 0: none.")
        var evalEpisodes = 10

        @OptionGroup var options: TrainOptions

        func validate() throws {
            if let frames, frames < 1 { throw ValidationError("--frames must be ≥ 1, got \(frames).") }
            guard evalEpisodes >= 0 else { throw ValidationError("--eval-episodes must be ≥ 0, got \(evalEpisodes).") }
        }

        func run() throws {
            var session = options.session("qlearning")
            session.env = env; session.frames = frames; session.evalEpisodes = evalEpisodes
            try session.trainTabular(try EnvironmentCatalog.make(env), id: env)
        }
    }
}

extension TrainSession {
    /// Tabular Q-learning: run folder, metrics, and a greedy evaluation at the end.
    func trainTabular<E: Environment>(_ environment: E, id: String) throws {
        var cfg = try overridden(QLearningConfig())
        if let frames { cfg.frames = frames }
        try cfg.validate()
        let run = try RunDirectory.create(root: runRoot, environment: id, agent: "qlearning", seed: common.seed)
        try run.write(ConfigOverrides.prettyJSON(cfg) + "\n", to: "config.json")
        let metrics = try MetricsLogger(run: run)
        let learner = QLearner(env: environment, config: cfg, seed: common.seed)
        learner.onEpisode = { frame, ret, length in
            metrics.log("charts/episodic_return", ret, step: frame)
            metrics.log("charts/episodic_length", Double(length), step: frame)
        }
        learner.train()
        try metrics.flush()
        // The evaluation plays the table as it is saved (the same greedy choice as the learner's).
        let table = QTable(environmentID: id, config: cfg, observationCount: environment.observationShape.count,
                           actionCount: environment.actionCount, rows: learner.table)
        var greedy = try table.policy(for: environment)
        let summary = ReturnSummary.evaluate(environment, policy: &greedy, episodes: evalEpisodes, seed: common.seed &+ 1000, maxSteps: 100_000)
        emit("trained \(learner.frame) frames, \(learner.episodes) episodes, \(learner.table.count) states in the table")
        emit("evaluation (greedy, \(evalEpisodes) episodes): \(String(format: "%.2f ± %.2f", summary.mean, summary.halfWidth95))")
        try table.save(to: run.latestCheckpoint)
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
    }
}
