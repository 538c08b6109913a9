// `dojo train dqn --env <id>`: train, checkpoint, resume, and report.
import AlphaGo
import AlphaZero
import ArgumentParser
import Baselines
import Catalog
import DQN
import Go
import Foundation
import Neural
import RL
import Rendering
import Tensors

extension Dojo {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an agent: dqn (MinAtar reference preset, grid-world preset), qlearning (tabular), alphazero (self-play on Go or any two-player game) or the AlphaGo pipeline (sl-policy, pg-policy, value).",
            discussion: """
            A run lives in runs/<env>__<agent>__<seed>__<time>-<pid>/: config.json, metrics.csv, a \
            TensorBoard event file, checkpoints/latest.safetensors and videos/; it is locked while a \
            process writes it. Ctrl-C writes a checkpoint, says how to continue and exits 130; \
            --resume continues exactly where it stopped (--frames or --set frames=N extends it; \
            keys that would change what was learned are refused). The config is the preset for the \
            environment, then --config FILE (JSON), then --set key=value.

            Config keys with their defaults (the MinAtar preset for dqn; small for alphazero and the AlphaGo stages):
              dqn: \(ConfigOverrides.defaults(of: DQNConfig()))
              qlearning: \(ConfigOverrides.defaults(of: QLearningConfig()))
              alphazero: \(ConfigOverrides.defaults(of: (try? AlphaZeroGames.preset("small", environment: "go:9", game: GoGame(size: 9))) ?? AlphaZeroConfig()))
              sl-policy, pg-policy, value: \(ConfigOverrides.defaults(of: (try? AlphaGoConfig.preset("small", boardSize: 9)) ?? AlphaGoConfig()))

            Examples:
              dojo train dqn --env minatar/breakout --seed 1
              dojo train dqn --env minatar/breakout --frames 200000 --set doubleDQN=true
              dojo train dqn --resume runs/minatar-breakout__dqn__1__20261122-120000
              dojo train dqn --env gridworld/four-rooms --frames 30000
              dojo train qlearning --env gridworld/cliff-walking --set learningRate=0.5
              dojo train alphazero --env go:9 --preset small
              dojo train alphazero --env go:5 --preset tiny --set iterations=20
              dojo train alphazero --env connect-four --preset small
              dojo train sl-policy --env go:9 --sgf games/gnugo9
              dojo train pg-policy --init runs/go-9__sl-policy__0__<time>/checkpoints/latest.safetensors
              dojo train value --from runs/go-9__pg-policy__0__<time>/checkpoints/latest.safetensors
            """)

        @Argument(help: "Agent to train: dqn, qlearning, alphazero, sl-policy, pg-policy or value.")
        var agent: String

        @Option(help: "Environment id (see `dojo envs`); not needed with --resume.")
        var env: String?

        @Option(help: "AlphaZero or AlphaGo preset: tiny (5×5 Go or Tic-tac-toe sized, seconds), small (9×9 Go or Connect Four sized; the default) or, for AlphaGo, paper (13 layers of 192 filters; the default above 9×9). DQN and Q-learning take their preset from the environment.")
        var preset: String?

        @Option(help: "sl-policy: a folder of SGF game records to learn from.")
        var sgf: String?

        @Option(name: .customLong("init"), help: "pg-policy: the supervised policy's checkpoint to start from (value: the supervised policy, if the --from checkpoint does not name it).")
        var initPath: String?

        @Option(help: "value: the policy-gradient policy's checkpoint whose games it learns from.")
        var from: String?

        @Option(help: "value: positions.dojoagv files of earlier value runs to train on as well (repeatable).")
        var positions: [String] = []

        @Option(parsing: .unconditional, help: "Frames to train for (overrides the config).")
        var frames: Int?

        @Option(help: "A JSON file of config keys overriding the preset.")
        var config: String?

        @Option(name: .customLong("set"), help: "Override one config key (key=value); repeatable.")
        var settings: [String] = []

        @Option(name: .customLong("run-dir"), help: "Folder that holds the runs.")
        var runRoot = "runs"

        @Option(help: "Continue the run in this folder from its latest checkpoint.")
        var resume: String?

        @Option(name: .customLong("eval-episodes"), help: "At the end: greedy episodes evaluated (and one recorded as GIF) for dqn and qlearning, games against the random player for alphazero (0: none).")
        var evalEpisodes = 10

        @Flag(help: "No progress line.")
        var quiet = false

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard ["dqn", "qlearning", "alphazero", "sl-policy", "pg-policy", "value"].contains(agent) else {
                throw ValidationError("unknown agent '\(agent)'; dojo can train: dqn, qlearning, alphazero, sl-policy, pg-policy, value.")
            }
            if agent == "qlearning" && resume != nil { throw ValidationError("qlearning runs are short and have no checkpoints to resume.") }
            guard env != nil || resume != nil || ["pg-policy", "value"].contains(agent) else {
                throw ValidationError("name the environment with --env (or continue a run with --resume).")
            }
            if let frames, frames < 1 { throw ValidationError("--frames must be ≥ 1, got \(frames).") }
            guard evalEpisodes >= 0 else { throw ValidationError("--eval-episodes must be ≥ 0, got \(evalEpisodes).") }
            if let preset {
                guard ["alphazero", "sl-policy"].contains(agent), resume == nil else {
                    throw ValidationError("--preset chooses an alphazero or sl-policy preset for a new run; \(agent)\(resume == nil ? "" : " --resume") does not take one (use --config or --set).")
                }
                let known = agent == "alphazero" ? ["tiny", "small"] : ["tiny", "small", "paper"]
                guard known.contains(preset) else {
                    throw ValidationError("unknown --preset '\(preset)' for \(agent); choose \(known.joined(separator: ", ")).")
                }
            }
        }

        func run() throws {
            // AlphaZero's self-play workers: one per core unless --threads says otherwise.
            common.apply(defaultThreads: agent == "alphazero" ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1)
            StopSignal.install()
            // validate() has made sure that a run without --resume names its environment.
            if agent == "qlearning" {
                guard let env else { throw ValidationError("name the environment with --env.") }
                return try trainTabular(try EnvironmentCatalog.make(env), id: env)
            }
            if agent == "alphazero" { return try trainAlphaZero() }
            if agent == "sl-policy" { return try trainSLPolicy() }
            if agent == "pg-policy" { return try trainPGPolicy() }
            if agent == "value" { return try trainValue() }
            if let resume {
                let run = try RunDirectory.resume(resume)
                let info = try DQNCheckpointInfo.read(run.latestCheckpoint)
                try checkResumeOptions(environmentID: info.environmentID, seed: info.seed)
                let environment = try EnvironmentCatalog.make(info.environmentID)
                try continueRun(environment, run: run, info: info)
            } else {
                guard let env else { throw ValidationError("name the environment with --env (or continue a run with --resume).") }
                let environment = try EnvironmentCatalog.make(env)
                var cfg = try overridden(DQNConfig.preset(forEnvironment: env))
                if let frames { cfg.frames = frames }
                try cfg.validate()
                try start(environment, id: env, config: cfg)
            }
        }

        /// With --resume, --env and --seed may only repeat what the run already has: a resumed
        /// run is the same run (its config changes go through `resumedConfig`).
        func checkResumeOptions(environmentID: String, seed: UInt64?) throws {
            if let env, env != environmentID {
                throw ValidationError("--resume continues a run on \(environmentID); --env \(env) cannot change it (start a new run instead).")
            }
            if let given = common.givenSeed, let seed, given != seed {
                throw ValidationError("--resume continues a run of seed \(seed); --seed \(given) cannot change it (start a new run instead).")
            }
        }

        /// What a careful user should hear about a budget too short for the config's schedule.
        static func budgetWarnings(_ c: DQNConfig) -> [String] {
            if c.frames <= c.warmupFrames {
                return ["the run ends at frame \(c.frames), before learning starts after \(c.warmupFrames) warm-up frames: no update will happen (raise --frames or lower warmupFrames)"]
            }
            let decayEnd = c.warmupFrames + c.epsilonDecayFrames
            guard c.frames < decayEnd else { return [] }
            let left = c.epsilonStart + (c.epsilonEnd - c.epsilonStart) * Double(c.frames - c.warmupFrames) / Double(max(1, c.epsilonDecayFrames))
            return [String(format: "ε will still be %.2f when the run ends (it reaches %.2f at frame %d); the agent is evaluated greedily anyway", left, c.epsilonEnd, decayEnd)]
        }

        /// The stored config with --config, --set and --frames applied (the trainer refuses keys
        /// that may not change on a resume).
        func resumedConfig(_ stored: DQNConfig) throws -> DQNConfig {
            var c = try overridden(stored)
            if let frames { c.frames = frames }
            return c
        }

        /// A preset overridden by --config FILE, then by --set pairs.
        func overridden<C: Codable>(_ preset: C) throws -> C {
            var c = preset
            if let config {
                guard let data = try? Data(BoundedFile.read(config, limit: 1 << 20)) else { throw Failure("cannot read config file \(config).") }
                c = try ConfigOverrides.apply(json: data, to: c, source: config)
            }
            return try ConfigOverrides.apply(settings: settings, to: c)
        }

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
            var greedy = ClosurePolicy { env in learner.greedy(env as! E) }
            let summary = ReturnSummary.evaluate(environment, policy: &greedy, episodes: evalEpisodes, seed: common.seed &+ 1000, maxSteps: 100_000)
            emit("trained \(learner.frame) frames, \(learner.episodes) episodes, \(learner.table.count) states in the table")
            emit("evaluation (greedy, \(evalEpisodes) episodes): \(String(format: "%.2f ± %.2f", summary.mean, summary.halfWidth95))")
            try QTable(environmentID: id, config: cfg, observationCount: environment.observationShape.count,
                       actionCount: environment.actionCount, rows: learner.table).save(to: run.latestCheckpoint)
            emit("run \(run.path)")
            emit("checkpoint \(run.latestCheckpoint)")
        }

        func start<E: Environment>(_ environment: E, id: String, config cfg: DQNConfig) throws {
            try QNetwork.check(cfg, for: environment, environment: id)
            let run = try RunDirectory.create(root: runRoot, environment: id, agent: "dqn", seed: common.seed)
            try run.write(cfg.json + "\n", to: "config.json")
            if !quiet { printError("run \(run.path)\nconfig \(cfg.json)") }
            for warning in Self.budgetWarnings(cfg) { printError("warning: \(warning)") }
            if cfg.frameStack > 1 {
                try train(DQNTrainer(env: FrameStack(environment, count: cfg.frameStack), environmentID: id, config: cfg, seed: common.seed), run: run, resumed: false)
            } else {
                try train(DQNTrainer(env: environment, environmentID: id, config: cfg, seed: common.seed), run: run, resumed: false)
            }
        }

        func continueRun<E: Environment>(_ environment: E, run: RunDirectory, info: DQNCheckpointInfo) throws {
            if !quiet { printError("resuming \(run.path) at frame \(info.frame) (replaying \(info.frame) frames to rebuild the replay buffer)") }
            // Same worker count as before, so the run stays bit-identical to one that never stopped.
            if let recorded = info.threads, recorded != Parallel.threads {
                if common.threads == nil {
                    Parallel.threads = recorded
                    if !quiet { printError("worker threads: \(recorded), as this run trained with (--threads)") }
                } else if !quiet {
                    printError("warning: this run trained with --threads \(recorded); with \(Parallel.threads) it will not be bit-identical to an uninterrupted run.")
                }
            }
            if info.config.frameStack > 1 {
                try train(try DQNTrainer.resume(from: run.latestCheckpoint, env: FrameStack(environment, count: info.config.frameStack), changing: resumedConfig), run: run, resumed: true)
            } else {
                try train(try DQNTrainer.resume(from: run.latestCheckpoint, env: environment, changing: resumedConfig), run: run, resumed: true)
            }
        }

        func train<E: Environment>(_ trainer: DQNTrainer<E>, run: RunDirectory, resumed: Bool) throws {
            trainer.metrics = try MetricsLogger(run: run, resumeStep: resumed ? trainer.frame : nil)
            var progress = ProgressLine(quiet: quiet, startFrame: trainer.frame)
            let save = { (t: DQNTrainer<E>) throws in try t.save(to: run.latestCheckpoint) }
            do {
                try trainer.train(shouldStop: { StopSignal.requested }, checkpoint: save, report: { progress.update($0) })
            } catch let error as DQNTrainingError {
                progress.finish()
                throw Failure("\(error.description) (\(run.latestCheckpoint))")
            }
            progress.finish()
            try save(trainer)
            if StopSignal.requested {
                emit("stopped at frame \(trainer.frame); checkpoint \(run.latestCheckpoint)")
                try StopSignal.exitIfRequested(continueWith: "dojo train dqn --resume \(run.path)")
            }
            // Evaluation and a recording of one greedy episode, seeded by the run's own seed so
            // a resumed run reports what an uninterrupted one would.
            let seed = trainer.seed
            var policy = DQNPolicy(agent: trainer.agent, epsilon: 0, seed: seed &+ 99)
            var environment = try EnvironmentCatalog.make(trainer.environmentID)
            let summary = ReturnSummary.evaluate(environment, policy: &policy, episodes: evalEpisodes, seed: seed &+ 1000, maxSteps: 100_000)
            emit("trained \(trainer.frame) frames, \(trainer.episodes) episodes; recent return \(String(format: "%.2f", trainer.recentReturn ?? 0)) (last \(trainer.recentReturns.count) episodes)")
            emit("evaluation (ε = 0, \(evalEpisodes) episodes, seed \(seed &+ 1000)): \(String(format: "%.2f ± %.2f", summary.mean, summary.halfWidth95))")
            let video = try recordEpisode(&environment, policy, run: run, name: "final.gif", seed: seed &+ 2000, maxSteps: 2_000)
            emit("run \(run.path)")
            emit("checkpoint \(run.latestCheckpoint)")
            emit("video \(video)")
        }

        /// One episode of `policy` recorded as run/videos/`name`; returns the GIF's path.
        func recordEpisode<E: Environment>(_ environment: inout E, _ policy: any Policy, run: RunDirectory, name: String,
                                           seed: UInt64, maxSteps: Int) throws -> String {
            try run.createSubfolders()
            let path = (run.videos as NSString).appendingPathComponent(name)
            var options = ViewerOptions()
            options.gifPath = path
            options.maxSteps = maxSteps
            options.seed = seed
            let viewer = try Viewer(options: options, title: "", frameSize: environment.frameSize, person: false)
            _ = try viewer.run(&environment, actor: .policy(policy))
            try viewer.save()
            return path
        }
    }
}
