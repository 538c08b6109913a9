// `dojo train <agent>`: one subcommand per trainable agent (dqn, ppo, a2c, qlearning, alphazero and the
// AlphaGo stages sl-policy, pg-policy, value), each with only its own options and its own
// --help listing its config keys with their types and defaults. What every trainer shares —
// run folders, config overrides, --quiet, seed and threads — is `TrainOptions`; a subcommand
// hands its options to a `TrainSession`, whose extensions (TrainDQN.swift, TrainPPO.swift, TrainQLearning.swift,
// TrainAlphaZero.swift, TrainAlphaGo.swift) run the training.
import ArgumentParser
import Files
import Foundation
import RL
import Runs
import Tensors

extension Dojo {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an agent: dqn (MinAtar reference preset, grid-world preset), ppo and a2c (actor-critic on copies stepped together), qlearning (tabular), alphazero (self-play on Go or any two-player game) or the AlphaGo pipeline (sl-policy, pg-policy, value).",
            discussion: """
            A run lives in runs/<env>__<agent>__<seed>__<time>-<pid>/: config.json, metrics.csv, a \
            TensorBoard event file, checkpoints/latest.safetensors and videos/; it is locked while a \
            process writes it. Ctrl-C writes a checkpoint, says how to continue and exits 130; \
            --resume continues exactly where it stopped (--frames or --set frames=N extends it; \
            keys that would change what was learned are refused). The config is the preset for the \
            environment, then --config FILE (JSON), then --set key=value. \
            `dojo train <agent> --help` lists that agent's options and config keys.

            Examples:
              dojo train dqn --env minatar/breakout --seed 1
              dojo train dqn --resume runs/minatar-breakout__dqn__1__20261122-120000
              dojo train ppo --env minatar/breakout --seed 1
              dojo train qlearning --env gridworld/cliff-walking --set learningRate=0.5
              dojo train alphazero --env go:5 --preset tiny --set iterations=20
              dojo train alphazero --env connect-four --preset small
              dojo train sl-policy --env go:9 --sgf games/gnugo9
              dojo train pg-policy --init runs/go-9__sl-policy__0__<time>/checkpoints/latest.safetensors
              dojo train value --from runs/go-9__pg-policy__0__<time>/checkpoints/latest.safetensors
            """,
            subcommands: [DQN.self, PPO.self, A2C.self, QLearning.self, AlphaZero.self, SLPolicy.self, PGPolicy.self, Value.self])
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

}
