// `dojo train <agent>`: one subcommand per trainable agent (dqn, ppo, a2c, qlearning, alphazero and the
// AlphaGo stages sl-policy, pg-policy, value), each with only its own options and its own
// --help listing its config keys with their types and defaults. What every trainer shares —
// run folders, config overrides, --quiet, seed and threads — is `TrainOptions`; a subcommand
// hands its options to a `TrainSession`, whose extensions (TrainDQN.swift, TrainPPO.swift, TrainQLearning.swift,
// TrainAlphaZero.swift, TrainAlphaGo.swift) run the training.
import ArgumentParser
import Catalog
import DQN
import Files
import Foundation
import Neural
import RL
import Runs
import Tensors

extension Dojo {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an agent: dqn (MinAtar reference preset, grid-world preset), r2d2 (recurrent DQN with stored-state sequence replay), ppo and a2c (actor-critic on copies stepped together), qlearning (tabular), alphazero (self-play on Go or any two-player game) or the AlphaGo pipeline (sl-policy, pg-policy, value).",
            discussion: """
            A run lives in runs/<env>__<agent>__<seed>__<time>-<pid>/: config.json, metrics.csv, a \
            TensorBoard event file, checkpoints/latest.safetensors and videos/; it is locked while a \
            process writes it. Ctrl-C writes a checkpoint, says how to continue and exits 130; \
            --resume continues exactly where it stopped (--frames or --set frames=N extends it; \
            keys that would change what was learned are refused; alphazero also takes training keys, \
            not the network's). config.json is the config in effect; config-changes.jsonl lists what \
            resumes changed, from which step. The config is the preset for the \
            environment, then --config FILE (JSON), then --set key=value. \
            `dojo train <agent> --help` lists that agent's options and config keys.

            Examples:
              dojo train dqn --env minatar/breakout --seed 1
              dojo train dqn --resume runs/minatar-breakout__dqn__1__20261122-120000
              dojo train r2d2 --env gridworld/memory-4,view=3 --seed 1
              dojo train ppo --env minatar/breakout --seed 1
              dojo train qlearning --env gridworld/cliff-walking --set learningRate=0.5
              dojo train alphazero --env go:5 --preset tiny --set iterations=20
              dojo train alphazero --env connect-four --preset small
              dojo train sl-policy --env go:9 --sgf games/gnugo9
              dojo train pg-policy --init runs/go-9__sl-policy__0__<time>/checkpoints/latest.safetensors
              dojo train value --from runs/go-9__pg-policy__0__<time>/checkpoints/latest.safetensors
            """,
            subcommands: [DQN.self, R2D2.self, PPO.self, A2C.self, QLearning.self, AlphaZero.self, SLPolicy.self, PGPolicy.self, Value.self])
    }
}

/// The options every trainer takes.
struct TrainOptions: ParsableArguments {
    @Option(help: "A JSON file of config keys overriding the preset.")
    var config: String?

    @Option(name: .customLong("set"), help: "Override one config key (key=value); repeatable.")
    var settings: [String] = []

    @Option(name: .customLong("run-dir"), help: "Folder that holds the runs.")
    var runRoot = "runs"

    @Flag(help: "No progress line.")
    var quiet = false

    @OptionGroup var common: CommonOptions
}

/// The options of the trainers that run for a budget of frames on one environment (`dojo train
/// dqn`, `ppo`, `a2c`).
struct FrameBudgetOptions: ParsableArguments {
    @Option(help: "Environment id (see `dojo envs`); not needed with --resume.")
    var env: String?

    @Option(parsing: .unconditional, help: "Frames to train for (overrides the config; with --resume, extends the run).")
    var frames: Int?

    @Option(help: "Continue the run in this folder from its latest checkpoint.")
    var resume: String?

    @Option(name: .customLong("eval-episodes"), help: "Episodes evaluated at the end (one recorded as a GIF); 0: none.")
    var evalEpisodes = 10

    @OptionGroup var options: TrainOptions

    func check() throws {
        guard env != nil || resume != nil else { throw ValidationError("name the environment with --env (or continue a run with --resume).") }
        if let frames, frames < 1 { throw ValidationError("--frames must be ≥ 1, got \(frames).") }
        guard evalEpisodes >= 0 else { throw ValidationError("--eval-episodes must be ≥ 0, got \(evalEpisodes).") }
    }

    func session(_ agent: String) -> TrainSession {
        var session = options.session(agent)
        session.env = env; session.frames = frames; session.resume = resume; session.evalEpisodes = evalEpisodes
        return session
    }
}

extension TrainOptions {
    /// A session for `agent`, once the process is set up for it: worker threads (--threads, or
    /// `defaultThreads`) and Ctrl-C's clean stop.
    func session(_ agent: String, defaultThreads: Int = 1) -> TrainSession {
        common.apply(defaultThreads: defaultThreads)
        StopSignal.install()
        return TrainSession(agent: agent, options: self)
    }
}

/// The help text for a trainer's config keys: each with its type and default, in key order.
func configKeysHelp<C: Codable>(_ title: String, _ config: C) -> String {
    let lines = ConfigOverrides.describedKeys(of: config).map { "  \($0.key) (\($0.type)) = \($0.value)" }
    return title + "\n" + lines.joined(separator: "\n")
}

/// One training run as its subcommand's options describe it (options a trainer does not take
/// stay at their defaults: the parser refuses them before this is built).
struct TrainSession {
    let agent: String
    var env: String?
    var preset: String?
    var sgf: String?
    var initPath: String?
    var from: String?
    var positions: [String] = []
    var frames: Int?
    var resume: String?
    var evalEpisodes = 10
    /// AlphaZero: train on actors' games only (`dojo selfplay --run`), no self-play here.
    var learnerOnly = false
    let options: TrainOptions

    init(agent: String, options: TrainOptions) {
        self.agent = agent
        self.options = options
    }

    var config: String? { options.config }
    var settings: [String] { options.settings }
    var runRoot: String { options.runRoot }
    var quiet: Bool { options.quiet }
    var common: CommonOptions { options.common }

    /// --resume of a run another trainer wrote is a usage mistake: say which command continues it.
    func checkRunAgent(_ run: RunDirectory, is expected: String) throws {
        guard let agent = (try? SafeTensorsFile.read(from: run.latestCheckpoint))?.metadata["agent"], agent != expected,
              agent.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return }
        let article = "aefhilmnorsx".contains(agent.first ?? "d") ? "an" : "a"
        throw ValidationError("\(resume ?? run.path) is \(article) \(agent) run; continue it with dojo train \(agent) --resume.")
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

    /// A resumed run uses the worker count it trained with (`recorded`), so it stays
    /// bit-identical to one that never stopped; an explicit --threads wins, with a warning.
    func keepRecordedThreads(_ recorded: Int?) {
        guard let recorded, recorded != Parallel.threads else { return }
        if common.threads == nil {
            Parallel.threads = recorded
            if !quiet { printError("worker threads: \(recorded), as this run trained with (--threads)") }
        } else if !quiet {
            printError("warning: this run trained with --threads \(recorded); with \(Parallel.threads) it will not be bit-identical to an uninterrupted run.")
        }
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


    /// A frame-budget trainer's loop with its progress line: `loop` trains (reporting through
    /// the line it is given) and throws `TrainingError`s as one sentence naming the checkpoint;
    /// then `save` writes the checkpoint, and Ctrl-C exits 130 saying how to continue.
    func runLoop<TrainingError: Error & CustomStringConvertible>(_ run: RunDirectory, startFrame: Int, failure: TrainingError.Type,
                                                                    command: String, save: () throws -> Int,
                                                                    loop: (ProgressLine) throws -> Void) throws {
        let progress = ProgressLine(quiet: quiet, startFrame: startFrame)
        do {
            try loop(progress)
        } catch let error as TrainingError {
            progress.finish()
            throw Failure("\(error.description) (\(run.latestCheckpoint))")
        }
        progress.finish()
        let frame = try save()
        if StopSignal.requested {
            emit("stopped at frame \(frame); checkpoint \(run.latestCheckpoint)")
            try StopSignal.exitIfRequested(continueWith: "dojo train \(command) --resume \(run.path)")
        }
    }

    /// The end of a frame-budget run: `summary` (what was trained), an evaluation of `policy`
    /// (`how` it acts) and a GIF of one episode, seeded by the run's own seed so a resumed run
    /// reports what an uninterrupted one would.
    func evaluateAndRecord(_ run: RunDirectory, environmentID: String, seed: UInt64, policy: some Policy, how: String, summary: String) throws {
        var policy = policy
        var environment = try EnvironmentCatalog.make(environmentID)
        let result = ReturnSummary.evaluate(environment, policy: &policy, episodes: evalEpisodes, seed: seed &+ 1000, maxSteps: 100_000)
        emit(summary)
        emit("evaluation (\(how), \(evalEpisodes) episodes, seed \(seed &+ 1000)): \(String(format: "%.2f ± %.2f", result.mean, result.halfWidth95))")
        let video = try run.recordEpisode(&environment, policy, name: "final.gif", seed: seed &+ 2000, maxSteps: 2_000)
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
        emit("video \(video)")
    }
}
