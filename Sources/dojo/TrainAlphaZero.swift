// `dojo train alphazero --env go:N` (or any two-player game: `--env tic-tac-toe`,
// `--env connect-four`): the self-play + training loop on one machine; at the end a score
// against the random player and a GIF of the network playing itself. The run
// folder holds config.json, metrics.csv and a TensorBoard file (losses/policy_loss,
// losses/value_loss, charts/entropy, charts/learning_rate, charts/selfplay_games_per_hour,
// charts/train_samples_per_second, charts/mean_game_length, charts/win_rate_vs_random),
// selfplay/ (one DOJOAZ04 file per game, naming the network version that played it),
// networks/NNNNNN.safetensors (each published network version: the newest 20 and every 25th)
// and checkpoints/latest.safetensors after every iteration; Ctrl-C stops after the current step.
// charts/training_hours is the wall-clock time of the run's iterations (resumes included).
// A learner fed by actors (--learner-only, --distributed) also logs charts/learner_idle_seconds.
// `--distributed` runs the same loop as rank 0 of an MPI job (DistributedLearner.swift).
import AlphaZero
import ArgumentParser
import Catalog
import Cluster
import Foundation
import Go
import RL
import Runs

extension Dojo.Train {
    struct AlphaZero: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alphazero",
            abstract: "Train AlphaZero (Silver et al. 2017/2018): self-play with PUCT search and a residual policy/value network, on Go or any two-player game.",
            discussion: configKeysHelp("Config keys (the small preset on go:9; tiny and other games change sizes, noise and move caps):",
                                       (try? AlphaZeroGames.preset("small", environment: "go:9", game: GoGame(size: 9))) ?? AlphaZeroConfig()) + """


            --threads: self-play workers, each playing whole games with its own copy of the \
            network (default: one per core); games are seeded in order, so results do not \
            depend on the count.

            Examples:
              dojo train alphazero --env go:9 --preset small
              dojo train alphazero --env go:5 --preset tiny --set iterations=20
              dojo train alphazero --env tic-tac-toe --preset tiny
              dojo train alphazero --resume runs/go-5__alphazero__0__<time> --set iterations=100
              dojo train alphazero --init az:go9 --set iterations=400
            """)

        enum Preset: String, ExpressibleByArgument, CaseIterable { case tiny, small }

        @Option(help: "Environment id: go:N, tic-tac-toe, connect-four or another two-player game (see `dojo envs`); not needed with --resume.")
        var env: String?

        @Option(help: "tiny: seconds (5×5 Go, tic-tac-toe sized); small: a machine-hours run (9×9 Go, Connect Four sized; the default).")
        var preset: Preset?

        @Option(help: "Continue the run in this folder from its latest checkpoint.")
        var resume: String?

        @Option(name: .customLong("init"), help: "Start a new run from this network (a checkpoint, a published version, or a bundled network such as az:go9): its weights and config, with --set applied; the optimizer, counters and window start fresh.")
        var initPath: String?

        @Option(name: .customLong("eval-episodes"), help: "Games against the random player at the end; 0: none.")
        var evalEpisodes = 10

        @Flag(name: .customLong("learner-only"), help: "Play no games here: each iteration waits for gamesPerIteration games from actors (dojo selfplay --run RUN) and trains on them.")
        var learnerOnly = false

        @Flag(help: "Run as one MPI job (mpirun -np N dojo train alphazero --distributed …): rank 0 learns and keeps the run folder, ranks 1…N−1 play games with --threads games at once (docs/distributed.md).")
        var distributed = false

        @OptionGroup var options: TrainOptions

        func validate() throws {
            guard env != nil || resume != nil || initPath != nil else {
                throw ValidationError("alphazero needs a two-player game: --env go:N (N = 5 for the tiny preset, 9 for small), tic-tac-toe or connect-four (or continue a run with --resume).")
            }
            if preset != nil && resume != nil {
                throw ValidationError("--preset chooses the config of a new run; a resumed run keeps its own (change keys with --set).")
            }
            if initPath != nil && resume != nil {
                throw ValidationError("--init starts a new run from a network; --resume continues a run from its own checkpoint: give one of them.")
            }
            if initPath != nil && preset != nil {
                throw ValidationError("--init takes the network's own config; change its training keys with --set instead of --preset.")
            }
            guard evalEpisodes >= 0 else { throw ValidationError("--eval-episodes must be ≥ 0, got \(evalEpisodes).") }
            if distributed && learnerOnly {
                throw ValidationError("--distributed already makes rank 0 a learner fed by the other ranks; --learner-only is for actors that share the run folder (dojo selfplay --run).")
            }
        }

        func run() throws {
            var session = options.session("alphazero", defaultThreads: max(1, ProcessInfo.processInfo.activeProcessorCount))
            session.env = env; session.preset = preset?.rawValue; session.resume = resume; session.evalEpisodes = evalEpisodes
            session.initPath = initPath
            session.learnerOnly = learnerOnly
            if distributed { try session.trainAlphaZeroDistributed() } else { try session.trainAlphaZero() }
        }
    }
}

extension TrainSession {
    /// `world`: the MPI job this rank 0 learns for (nil: one process).
    func trainAlphaZero(world: MPIWorld? = nil) throws {
        let run: RunDirectory
        let trainer: AlphaZeroTrainer
        var changes: [ConfigChange] = []
        if let resume {
            run = try RunDirectory.resume(resume)
            // The stored config, with --set/--config applied (e.g. more iterations, another
            // learning rate); the network's shape stays, and every change is recorded.
            let stored = try AlphaZeroTrainer.config(inCheckpoint: run.latestCheckpoint)
            let config = try overridden(stored)
            try config.validate()
            try checkResumeOptions(environmentID: config.environment, seed: nil)
            let reshaped = config.networkChanges(from: stored)
            guard reshaped.isEmpty else {
                throw ValidationError("a resumed run keeps its network and game: \(reshaped.joined(separator: ", ")) cannot change (the checkpoint holds the stored network); start a new run instead.")
            }
            changes = ConfigOverrides.changes(from: stored, to: config)
            trainer = try AlphaZeroGames.trainer(config, seed: common.seed, selfPlayDirectory: run.file("selfplay"))
            try trainer.restore(from: run.latestCheckpoint)
            // Checkpoints from before charts/training_hours: the clock starts where the
            // estimate from the run's metrics leaves off, so the hours keep growing.
            if trainer.trainingSeconds == 0, trainer.iteration > 0, let hours = TrainingHours(run: run).at(trainer.iteration) {
                trainer.trainingSeconds = hours * 3600
            }
            if !quiet { printError("resuming \(run.path) after iteration \(trainer.iteration) (\(trainer.window.count) positions in the window)") }
            if !changes.isEmpty && !quiet {
                printError("changing \(changes.map(\.description).joined(separator: ", ")) from iteration \(trainer.iteration + 1) (recorded in \(RunDirectory.configChangesFile))")
            }
            try run.recordResumedConfig(json: config.json, changes: changes, fromStep: trainer.iteration + 1)
            if !changes.isEmpty { try trainer.save(to: run.latestCheckpoint) }
        } else if let initPath {
            // A new run from a network: its config (the game and shape with it), --set applied to
            // the training keys; what it started from is written beside the config.
            let file = try BundledNetworks.file(initPath)
            let stored = try AlphaZeroTrainer.config(inCheckpoint: file)
            if let env, env != stored.environment {
                throw ValidationError("--init's network plays \(stored.environment); --env \(env) cannot change it (leave --env out).")
            }
            let config = try overridden(stored)
            let reshaped = config.networkChanges(from: stored)
            guard reshaped.isEmpty else {
                throw ValidationError("a run started with --init keeps the network's shape and game: \(reshaped.joined(separator: ", ")) cannot change.")
            }
            let game = try EnvironmentCatalog.make(config.environment)
            try config.validate(for: game)
            run = try RunDirectory.create(root: runRoot, environment: config.environment, agent: "alphazero", seed: common.seed)
            try run.write(config.json + "\n", to: "config.json")
            trainer = try AlphaZeroGames.trainer(config, seed: common.seed, selfPlayDirectory: run.file("selfplay"))
            let version = try trainer.initialize(from: file)
            let origin = ["network": (file as NSString).standardizingPath, "network_version": String(version), "environment": config.environment]
            try run.write(String(decoding: try JSONSerialization.data(withJSONObject: origin, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n", to: "init.json")
            if !quiet { printError("run \(run.path), starting from \(file) (network version \(version))\nconfig \(config.json)") }
        } else {
            guard let env else {
                throw ValidationError("alphazero needs a two-player game: --env go:N (N = 5 for the tiny preset, 9 for small), tic-tac-toe or connect-four.")
            }
            let game = try EnvironmentCatalog.make(env)
            if let why = AlphaZeroConfig.unsupported(game, id: env) { throw ValidationError(why + ".") }
            let config = try overridden(AlphaZeroGames.preset(preset ?? "small", environment: env, game: game))
            try config.validate(for: game)
            run = try RunDirectory.create(root: runRoot, environment: env, agent: "alphazero", seed: common.seed)
            try run.write(config.json + "\n", to: "config.json")
            trainer = try AlphaZeroGames.trainer(config, seed: common.seed, selfPlayDirectory: run.file("selfplay"))
            if !quiet { printError("run \(run.path)\nconfig \(config.json)") }
        }
        let learner = world.map { DistributedLearner(world: $0, selfplay: run.file("selfplay")) }
        if !quiet {
            if let world {
                printError("learner of \(world.size - 1) actor ranks (\(world.library))")
            } else {
                printError("self-play workers: \(common.threadCount) (--threads)")
            }
        }
        try FileManager.default.createDirectory(atPath: run.checkpoints, withIntermediateDirectories: true)
        let metrics = try MetricsLogger(run: run, resumeStep: resume == nil ? nil : trainer.iteration)
        // Numbered network versions beside the checkpoint, for gauntlets and outside actors;
        // the untrained one is version 0.
        let networks = run.file("networks")
        if !AlphaZeroTrainer.publishedVersions(in: networks).contains(trainer.networkVersion) { try trainer.publish(to: networks) }
        // A new run is resumable at once (a learner waiting for its first actors' games, too).
        if !FileManager.default.fileExists(atPath: run.latestCheckpoint) { try trainer.save(to: run.latestCheckpoint) }
        try learner?.begin(seed: common.seed, network: AlphaZeroTrainer.publishedPath(in: networks, version: trainer.networkVersion),
                           version: trainer.networkVersion)
        // With actor ranks, games arrive while the learner trains: their rate is what arrived
        // between iterations over the wall time between them.
        var arrivals = (since: Date(), received: 0)
        while trainer.iteration < trainer.config.iterations && !StopSignal.requested {
            let iterationStart = Date()
            let r: IterationReport
            if learnerOnly || learner != nil {
                let pump = learner.map { learner in { try learner.receiveWaiting(shape: trainer.shape, newestVersion: trainer.networkVersion) } }
                guard let games = try waitForActors(trainer, run: run, pump: pump) else { break }
                metrics.log("charts/learner_idle_seconds", games.waited, step: trainer.iteration + 1)
                if !quiet { printError("taking \(games.files.joined(separator: ", "))") }
                r = try trainer.runIteration(ingesting: games.files)
                    .with(selfPlaySeconds: games.waited)
            } else {
                r = try trainer.runIteration()
                // Actors' games are a learner's (--learner-only); this run plays its own.
                let unused = trainer.pendingGames().filter { $0.hasPrefix("actor-") }.count
                if unused > 0 && !quiet {
                    printError("\(unused) games from actors in \(run.file("selfplay")) are not used: this run plays its own; continue it with --learner-only to train on theirs")
                }
            }
            let step = r.iteration
            var gamesPerHour = Double(r.games) * 3600 / max(1e-9, r.selfPlaySeconds)
            if let learner {
                gamesPerHour = Double(learner.gamesReceived - arrivals.received) * 3600 / max(1e-9, Date().timeIntervalSince(arrivals.since))
                arrivals = (Date(), learner.gamesReceived)
            }
            metrics.log("losses/policy_loss", r.policyLoss, step: step)
            metrics.log("losses/value_loss", r.valueLoss, step: step)
            metrics.log("charts/entropy", r.entropy, step: step)
            if let l = r.ownershipLoss { metrics.log("losses/ownership_loss", l, step: step) }
            if let l = r.scoreLoss { metrics.log("losses/score_loss", l, step: step) }
            metrics.log("charts/learning_rate", trainer.learningRate, step: step)
            metrics.log("charts/selfplay_games_per_hour", gamesPerHour, step: step)
            metrics.log("charts/mean_game_length", r.meanMoves, step: step)
            let samplesPerSecond = Double(trainer.config.trainSteps * trainer.config.batchSize) / max(1e-9, r.trainSeconds)
            metrics.log("charts/train_samples_per_second", samplesPerSecond, step: step)
            if let w = r.winRateAgainstRandom { metrics.log("charts/win_rate_vs_random", w, step: step) }
            if let w = r.winRateAgainstBest { metrics.log("charts/win_rate_vs_previous", w, step: step) }
            if trainer.config.resignThreshold > 0 { metrics.log("charts/resignations", Double(r.resignations), step: step) }
            if let f = r.resignFalsePositiveRate { metrics.log("charts/resign_false_positive_rate", f, step: step) }
            if let w = r.winRateAgainstMCTS { metrics.log("charts/win_rate_vs_mcts", w, step: step) }
            trainer.trainingSeconds += Date().timeIntervalSince(iterationStart)
            metrics.log("charts/training_hours", trainer.trainingSeconds / 3600, step: step)
            try metrics.flush()
            let published = try trainer.publish(to: networks)
            try trainer.save(to: run.latestCheckpoint)
            try learner?.publish(network: published, version: trainer.networkVersion)
            if !quiet {
                var line = String(format: "iteration %d/%d  games %d (%.0f/h, %.1f moves, first player won %d)  policy loss %.3f  value loss %.3f  entropy %.2f  train %.1fs (%.0f samples/s)",
                                  r.iteration, trainer.config.iterations, trainer.gamesPlayed, gamesPerHour,
                                  r.meanMoves, r.firstPlayerWins, r.policyLoss, r.valueLoss, r.entropy, r.trainSeconds, samplesPerSecond)
                if let l = r.ownershipLoss { line += String(format: "  ownership loss %.3f", l) }
                if let l = r.scoreLoss { line += String(format: "  score loss %.4f", l) }
                if let w = r.winRateAgainstRandom { line += String(format: "  vs random %.0f%%", 100 * w) }
                if let w = r.winRateAgainstMCTS { line += String(format: "  vs mcts %.0f%%", 100 * w) }
                if let w = r.winRateAgainstBest { line += String(format: "  vs previous %.0f%%", 100 * w) + (r.rejected ? " (rejected)" : "") }
                printError(line)
            }
        }
        if let learner {
            try learner.finish(shape: trainer.shape, newestVersion: trainer.networkVersion)
            emit(learner.report)
        }
        emit("trained \(trainer.iteration) iterations, \(trainer.gamesPlayed) self-play games")
        if !StopSignal.requested && evalEpisodes > 0 && trainer.iteration > 0 {
            // The same yardstick as the iterations' evaluation, seeded by the run's seed.
            let rate = trainer.winRateAgainstRandom(games: evalEpisodes, seed: common.seed &+ 1000)
            emit(String(format: "evaluation: win rate against the random player %.0f%% over %d games (--eval-episodes)", 100 * rate, evalEpisodes))
        }
        if !StopSignal.requested && trainer.iteration > 0 {
            // A game of the trained network against itself, as the run's picture of what it learned.
            var game = try EnvironmentCatalog.make(trainer.config.environment)
            let player = try AgentCatalog.make("alphazero:checkpoint=\(run.latestCheckpoint)", seed: common.seed &+ 2000, for: game)
            emit("video \(try run.recordEpisode(&game, player, name: "selfplay.gif", seed: common.seed &+ 2000, maxSteps: trainer.config.maxMoves))")
        }
        emit("run \(run.path)")
        emit("checkpoint \(run.latestCheckpoint)")
        try StopSignal.exitIfRequested(continueWith: "dojo train alphazero --resume \(run.path)")
    }
}

extension TrainSession {
    /// A learner's wait for the next iteration's games from actors: the oldest
    /// gamesPerIteration files not taken yet, and the seconds since the wait began (nil when
    /// stopped by Ctrl-C). `pump`: takes in games that arrive as messages (--distributed).
    func waitForActors(_ trainer: AlphaZeroTrainer, run: RunDirectory, pump: (() throws -> Void)? = nil) throws -> (files: [String], waited: Double)? {
        let start = Date(), wanted = trainer.config.gamesPerIteration
        var said = false
        while !StopSignal.requested {
            try pump?()
            let pending = trainer.pendingGames()
            if pending.count >= wanted { return (Array(pending.prefix(wanted)), Date().timeIntervalSince(start)) }
            if !said && !quiet {
                let from = pump == nil ? "actors (dojo selfplay --run \(run.path))" : "the actor ranks"
                printError("waiting for \(wanted - pending.count) more games from \(from)")
                said = true
            }
            Thread.sleep(forTimeInterval: pump == nil ? 0.5 : 0.01)
        }
        return nil
    }

    /// `--distributed`: joins the MPI job; rank 0 runs the learner, every other rank an actor.
    /// After MPI has started, a failure on any rank is reported and ends the whole job.
    func trainAlphaZeroDistributed() throws {
        let world: MPIWorld
        do { world = try MPIWorld.start() } catch let error as MPIError {
            if error.isUsage { throw ValidationError(error.description + ".") }
            throw Failure(error.description + ".")
        }
        do {
            guard world.size >= 2 else {
                throw ValidationError("--distributed needs a learner and at least one actor: start it with mpirun -np 2 or more (this job has \(world.size) rank).")
            }
            if world.rank == 0 {
                try trainAlphaZero(world: world)
            } else {
                try DistributedActor(world: world, threads: common.threadCount, quiet: quiet).run()
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("Error (rank \(world.rank)): \(error)")
            world.abort(code: error is ValidationError ? 64 : 1)
        }
    }
}

extension IterationReport {
    /// The report with the time its games took to arrive (a learner waits for actors).
    func with(selfPlaySeconds seconds: Double) -> IterationReport {
        var copy = self
        copy.selfPlaySeconds = seconds
        return copy
    }
}
