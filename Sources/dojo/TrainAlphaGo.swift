// `dojo train sl-policy | pg-policy | value`: the AlphaGo pipeline's three training stages
// (Agents/AlphaGo). Each writes a run folder like every other trainer — config.json,
// metrics.csv, a TensorBoard file, checkpoints/latest.safetensors (rewritten atomically at
// every report) — and the next stage starts from the previous one's checkpoint:
//   sl-policy --env go:N --sgf DIR      supervised policy from game records
//   pg-policy --init SL_CHECKPOINT      policy-gradient self-play against a pool of itself
//   value --from PG_CHECKPOINT          value network (the supervised policy comes from the
//                                       PG checkpoint's record, or --init); its positions go to
//                                       positions.dojoagv, and --positions FILE adds earlier ones
// sl-policy and pg-policy runs resume with --resume (pg-policy exactly: its checkpoint holds the
// optimizer, generator and opponent pool); value runs are restarted from their input.
import AlphaGo
import ArgumentParser
import Catalog
import Foundation
import Go
import RL
import Runs

extension Dojo.Train {
    /// The AlphaGo stages' config keys, for their --help.
    static let alphaGoKeys = configKeysHelp("Config keys (the small preset on 9×9; all three stages share one config):",
                                            (try? AlphaGoConfig.preset("small", boardSize: 9)) ?? AlphaGoConfig())

    struct SLPolicy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sl-policy",
            abstract: "AlphaGo stage 1 (Silver et al. 2016): a policy network learns the moves of game records.",
            discussion: alphaGoKeys + """


            --threads: workers that split each training batch's layers (default 1).

            Examples:
              dojo train sl-policy --env go:9 --sgf games/gnugo9
              dojo train sl-policy --env go:5 --preset tiny --sgf games/gnugo5
              dojo train sl-policy --resume runs/go-9__sl-policy__0__<time> --set slSteps=20000
            """)

        enum Preset: String, ExpressibleByArgument, CaseIterable { case tiny, small, paper }

        @Option(help: "Go: go:N (see `dojo envs`); not needed with --resume.")
        var env: String?

        @Option(help: "A folder of SGF game records to learn from (e.g. from dojo selfplay-gtp).")
        var sgf: String?

        @Option(help: "tiny (seconds), small (the default up to 9×9) or paper (13 layers of 192 filters; the default above 9×9).")
        var preset: Preset?

        @Option(help: "Continue the run in this folder from its latest checkpoint.")
        var resume: String?

        @OptionGroup var options: TrainOptions

        func validate() throws {
            guard env != nil || resume != nil else { throw ValidationError("name the environment with --env go:N (or continue a run with --resume).") }
            if preset != nil && resume != nil {
                throw ValidationError("--preset chooses the config of a new run; a resumed run keeps its own (change keys with --set).")
            }
        }

        func run() throws {
            var session = options.session("sl-policy")
            session.env = env; session.sgf = sgf; session.preset = preset?.rawValue; session.resume = resume
            try session.trainSLPolicy()
        }
    }

    struct PGPolicy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pg-policy",
            abstract: "AlphaGo stage 2: the supervised policy improves by policy-gradient self-play against a pool of its earlier selves.",
            discussion: alphaGoKeys + """


            --threads: workers that compute the lock-step games' input features and split the \
            network's batched layers (default 1); the games depend on the seed only.

            Examples:
              dojo train pg-policy --init runs/go-9__sl-policy__0__<time>/checkpoints/latest.safetensors
              dojo train pg-policy --resume runs/go-9__pg-policy__0__<time> --set pgIterations=200
            """)

        @Option(name: .customLong("init"), help: "The supervised policy's checkpoint to start from.")
        var initPath: String?

        @Option(help: "Continue the run in this folder from its latest checkpoint.")
        var resume: String?

        @OptionGroup var options: TrainOptions

        func run() throws {
            var session = options.session("pg-policy")
            session.initPath = initPath; session.resume = resume
            try session.trainPGPolicy()
        }
    }

    struct Value: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "value",
            abstract: "AlphaGo stage 3: a value network learns who wins from positions of the policy-gradient policy's self-play games.",
            discussion: alphaGoKeys + """


            Value runs do not resume; start a new one with --from (earlier positions come back \
            with --positions).
            --threads: workers that compute the games' input features and split the networks' \
            batched layers (default 1).

            Examples:
              dojo train value --from runs/go-9__pg-policy__0__<time>/checkpoints/latest.safetensors
              dojo train value --from PG.safetensors --positions runs/<value-run>/positions.dojoagv
            """)

        @Option(help: "The policy-gradient policy's checkpoint whose games it learns from.")
        var from: String?

        @Option(name: .customLong("init"), help: "The supervised policy, if the --from checkpoint does not name it.")
        var initPath: String?

        @Option(help: "positions.dojoagv files of earlier value runs to train on as well (repeatable).")
        var positions: [String] = []

        @OptionGroup var options: TrainOptions

        func run() throws {
            var session = options.session("value")
            session.from = from; session.initPath = initPath; session.positions = positions
            try session.trainValue()
        }
    }
}

extension TrainSession {
    /// A new run folder for an AlphaGo stage, with its config.json.
    func alphaGoRun(_ config: AlphaGoConfig, agent: String) throws -> RunDirectory {
        let run = try RunDirectory.create(root: runRoot, environment: "go:\(config.boardSize)", agent: agent, seed: common.seed)
        try run.write(ConfigOverrides.prettyJSON(config) + "\n", to: "config.json")
        try FileManager.default.createDirectory(atPath: run.checkpoints, withIntermediateDirectories: true)
        if !quiet { printError("run \(run.path)") }
        return run
    }

    /// A training step whose divergence is one sentence for the user.
    func alphaGoStep<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AlphaGoError { throw Failure(error.description) }
    }

    /// An AlphaGo checkpoint of one of `stages`, or a sentence saying what was expected.
    func alphaGoInput(_ path: String, option: String, stages: [AlphaGoStage]) throws -> AlphaGoCheckpoint.Info {
        let info: AlphaGoCheckpoint.Info
        do { info = try AlphaGoCheckpoint.info(path) } catch {
            throw Failure("\(option) \(path): \(error)")
        }
        guard stages.contains(info.stage) else {
            throw Failure("\(option) \(path) is a \(info.stage.rawValue) checkpoint; expected \(stages.map(\.rawValue).joined(separator: " or ")).")
        }
        return info
    }

    func trainSLPolicy() throws {
        var resumed: RunDirectory?
        let trainer: SupervisedPolicyTrainer
        let directory: String
        if let resume {
            let run = try RunDirectory.resume(resume)
            resumed = run
            let info = try alphaGoInput(run.latestCheckpoint, option: "--resume", stages: [.slPolicy])
            let config = try overridden(info.config)
            try config.validate()
            guard let stored = sgf ?? info.metadata["sgf"] else { throw ValidationError("give the game records again with --sgf DIR.") }
            directory = stored
            trainer = SupervisedPolicyTrainer(config: config, seed: common.seed)
            try trainer.restore(from: run.latestCheckpoint)
            if !quiet { printError("resuming \(run.path) at step \(trainer.step)") }
        } else {
            guard let env, let go = try EnvironmentCatalog.make(env) as? GoGame else {
                throw ValidationError("sl-policy trains on Go: give --env go:N and --sgf DIR.")
            }
            guard let sgf else { throw ValidationError("sl-policy learns from game records: give --sgf DIR (a folder of .sgf files, e.g. from dojo selfplay-gtp).") }
            directory = sgf
            let config = try overridden(AlphaGoConfig.preset(preset ?? (go.size > 9 ? "paper" : "small"), boardSize: go.size))
            try config.validate()
            trainer = SupervisedPolicyTrainer(config: config, seed: common.seed)
        }
        let config = trainer.config
        let records: GameRecords
        do {
            records = try GameRecords.load(directory: directory, boardSize: config.boardSize, heldOutFraction: config.heldOutFraction, seed: common.seed)
        } catch let error as AlphaGoError { throw Failure(error.description) }
        guard !records.training.isEmpty else { throw Failure("the games in \(directory) have no moves to learn from.") }
        // The inputs are good: only now is a new run folder made.
        let run = try resumed ?? alphaGoRun(config, agent: "sl-policy")
        if !quiet {
            printError("\(records.trainingGames) games (\(records.training.count) moves) for training, \(records.heldOutGames) games (\(records.heldOut.count) moves) held out")
            if let first = records.skipped.first { printError("skipped \(records.skipped.count) files; first: \(first.file): \(first.reason)") }
        }
        let yardstick = Array(records.heldOut.prefix(20_000))
        let metrics = try MetricsLogger(run: run, resumeStep: resume == nil ? nil : trainer.step)
        var last: PolicyReport?
        while trainer.step < config.slSteps && !StopSignal.requested {
            let start = Date()
            let steps = min(config.slReportEvery, config.slSteps - trainer.step)
            let (loss, accuracy) = try alphaGoStep { try trainer.train(records.training, steps: steps) }
            var report = PolicyReport(step: trainer.step, trainLoss: loss, trainAccuracy: accuracy,
                                      examplesPerSecond: Double(steps * config.slBatchSize) / max(1e-9, Date().timeIntervalSince(start)))
            if !yardstick.isEmpty { (report.heldOutLoss, report.heldOutAccuracy) = trainer.evaluate(yardstick) }
            metrics.log("losses/policy_loss", loss, step: trainer.step)
            metrics.log("charts/train_accuracy", accuracy, step: trainer.step)
            metrics.log("charts/examples_per_second", report.examplesPerSecond, step: trainer.step)
            if let l = report.heldOutLoss, let a = report.heldOutAccuracy {
                metrics.log("losses/held_out_loss", l, step: trainer.step)
                metrics.log("charts/held_out_accuracy", a, step: trainer.step)
            }
            try metrics.flush()
            try trainer.save(to: run.latestCheckpoint, report: report, sgf: directory)
            last = report
            if !quiet {
                var line = String(format: "step %d/%d  loss %.3f  train accuracy %.1f%%  %.0f examples/s", trainer.step, config.slSteps, loss, 100 * accuracy, report.examplesPerSecond)
                if let a = report.heldOutAccuracy { line += String(format: "  held-out accuracy %.1f%% (loss %.3f)", 100 * a, report.heldOutLoss!) }
                printError(line)
            }
        }
        emit("trained \(trainer.step) steps on \(records.training.count) moves of \(records.trainingGames) games")
        if let a = last?.heldOutAccuracy { emit(String(format: "held-out accuracy %.1f%% on %d moves of %d games", 100 * a, yardstick.count, records.heldOutGames)) }
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
        try StopSignal.exitIfRequested(continueWith: "dojo train sl-policy --resume \(run.path)")
    }

    func trainPGPolicy() throws {
        let run: RunDirectory, initPath: String
        let trainer: PolicyGradientTrainer
        if let resume {
            run = try RunDirectory.resume(resume)
            let info = try alphaGoInput(run.latestCheckpoint, option: "--resume", stages: [.pgPolicy])
            guard let stored = self.initPath ?? info.metadata["init"] else { throw ValidationError("give the supervised policy again with --init.") }
            initPath = stored
            trainer = try pgTrainer(config: try overridden(info.config), initPath: initPath)
            do { try trainer.restore(from: run.latestCheckpoint) } catch let error as AlphaGoError { throw Failure(error.description) }
            if !quiet { printError("resuming \(run.path) at iteration \(trainer.iteration)") }
        } else {
            guard let given = self.initPath else { throw ValidationError("pg-policy starts from the supervised policy: give --init runs/<sl-run>/checkpoints/latest.safetensors.") }
            initPath = given
            let info = try alphaGoInput(initPath, option: "--init", stages: [.slPolicy, .pgPolicy])
            trainer = try pgTrainer(config: try overridden(info.config), initPath: initPath)
            run = try alphaGoRun(trainer.config, agent: "pg-policy")
        }
        let config = trainer.config
        let metrics = try MetricsLogger(run: run, resumeStep: resume == nil ? nil : trainer.iteration)
        var lastEvaluation: Double?
        while trainer.iteration < config.pgIterations && !StopSignal.requested {
            let r = try alphaGoStep { try trainer.runIteration() }
            metrics.log("losses/pg_loss", r.loss, step: r.iteration)
            metrics.log("charts/win_rate_vs_pool", r.winRateAgainstPool, step: r.iteration)
            metrics.log("charts/selfplay_games_per_hour", r.gamesPerHour, step: r.iteration)
            if let w = r.winRateAgainstSupervised { metrics.log("charts/win_rate_vs_sl", w, step: r.iteration); lastEvaluation = w }
            if r.iteration % config.pgReportEvery == 0 || r.iteration == config.pgIterations {
                try metrics.flush()
                try trainer.save(to: run.latestCheckpoint, report: r, initPath: initPath)
                if !quiet {
                    var line = String(format: "iteration %d/%d  games %d (%.0f/h)  win rate vs pool %.0f%%  pool %d", r.iteration, config.pgIterations,
                                      r.iteration * r.games, r.gamesPerHour, 100 * r.winRateAgainstPool, trainer.pool.count)
                    if let w = r.winRateAgainstSupervised { line += String(format: "  vs supervised %.0f%% (%d games)", 100 * w, config.evaluationGames) }
                    printError(line)
                }
            }
        }
        try metrics.flush()
        try trainer.save(to: run.latestCheckpoint, report: nil, initPath: initPath)
        emit("trained \(trainer.iteration) iterations (\(trainer.iteration * config.pgGamesPerIteration) games)")
        if let w = lastEvaluation { emit(String(format: "win rate against the supervised policy %.0f%% (%d games, both sampling)", 100 * w, config.evaluationGames)) }
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
        try StopSignal.exitIfRequested(continueWith: "dojo train pg-policy --resume \(run.path)")
    }

    /// A policy-gradient trainer starting from the supervised policy at `initPath`.
    func pgTrainer(config: AlphaGoConfig, initPath: String) throws -> PolicyGradientTrainer {
        try config.validate()
        let supervised = try AlphaGoCheckpoint.policy(initPath)
        return PolicyGradientTrainer(supervised: PolicyNetwork(config: config, network: supervised.network), seed: common.seed)
    }

    func trainValue() throws {
        guard let from else { throw ValidationError("value learns from the policy-gradient policy's games: give --from runs/<pg-run>/checkpoints/latest.safetensors.") }
        let info = try alphaGoInput(from, option: "--from", stages: [.pgPolicy, .slPolicy])
        guard let slPath = initPath ?? info.metadata["init"] ?? (info.stage == .slPolicy ? from : nil) else {
            throw Failure("\(from) does not say which supervised policy it started from; give it with --init.")
        }
        _ = try alphaGoInput(slPath, option: "--init", stages: [.slPolicy, .pgPolicy])
        let config = try overridden(info.config)
        try config.validate()
        let trainer = ValueTrainer(config: config, seed: common.seed)
        let supervised = try AlphaGoCheckpoint.policy(slPath), reinforced = try AlphaGoCheckpoint.policy(from)
        guard supervised.config.boardSize == config.boardSize else { throw Failure("\(slPath) and \(from) are for different board sizes.") }
        let run = try alphaGoRun(config, agent: "value")
        let start = Date()
        var examples = trainer.generate(games: config.valueGames, supervised: supervised, reinforced: reinforced) { played in
            if !quiet { printError(String(format: "self-play %d/%d games (%.0f/h)", played, config.valueGames, Double(played) * 3600 / max(1e-9, Date().timeIntervalSince(start)))) }
        }
        try ValuePositionsFile.write(examples, boardSize: config.boardSize, to: run.file("positions.dojoagv"))
        for path in positions {   // earlier runs' positions, pooled before this run's (the held-out tenth is taken from the end)
            let earlier: (boardSize: Int, examples: [ValueExample])
            do { earlier = try ValuePositionsFile.read(path) } catch let error as AlphaGoError { throw Failure(error.description) }
            guard earlier.boardSize == config.boardSize else { throw Failure("\(path) holds \(earlier.boardSize)×\(earlier.boardSize) positions; this run is \(config.boardSize)×\(config.boardSize).") }
            examples = earlier.examples + examples
            if !quiet { printError("\(earlier.examples.count) positions added from \(path)") }
        }
        let heldOut = Array(examples.suffix(examples.count / 10))
        examples.removeLast(heldOut.count)
        guard !examples.isEmpty else { throw Failure("no game reached its random move; raise valueGames.") }
        let mean = examples.reduce(0) { $0 + Double($1.outcome) } / Double(examples.count)
        let constant = heldOut.reduce(0) { $0 + pow(Double($1.outcome) - mean, 2) } / Double(max(1, heldOut.count))
        if !quiet { printError("\(examples.count) positions for training, \(heldOut.count) held out; a constant prediction has held-out MSE \(String(format: "%.3f", constant))") }
        let metrics = try MetricsLogger(run: run)
        var heldOutMSE: Double?
        while trainer.step < config.valueSteps && !StopSignal.requested {
            let loss = try alphaGoStep { try trainer.train(examples, steps: min(config.valueReportEvery, config.valueSteps - trainer.step)) }
            heldOutMSE = heldOut.isEmpty ? nil : trainer.evaluate(heldOut)
            metrics.log("losses/value_loss", loss, step: trainer.step)
            if let m = heldOutMSE { metrics.log("losses/held_out_mse", m, step: trainer.step) }
            try metrics.flush()
            try trainer.save(to: run.latestCheckpoint, heldOutMSE: heldOutMSE)
            if !quiet { printError(String(format: "step %d/%d  loss %.3f", trainer.step, config.valueSteps, loss) + (heldOutMSE.map { String(format: "  held-out MSE %.3f", $0) } ?? "")) }
        }
        try trainer.save(to: run.latestCheckpoint, heldOutMSE: heldOutMSE)
        emit("trained \(trainer.step) steps on \(examples.count) positions (one per game)")
        if let m = heldOutMSE { emit(String(format: "held-out MSE %.3f (a constant prediction: %.3f) on %d positions", m, constant, heldOut.count)) }
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
        try StopSignal.exitIfRequested(continueWith: "dojo train value --from \(from) (value runs start again)")
    }
}
