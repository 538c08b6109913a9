// `dojo train r2d2`: R2D2 (Agents/R2D2) — a recurrent Q-network with stored-state sequence
// replay and burn-in — on any single-player environment: a new run from the environment's
// preset, or --resume; at the end a greedy evaluation and a GIF of one greedy episode, seeded by
// the run's own seed so a resumed run reports what an uninterrupted one would.
import ArgumentParser
import Catalog
import Foundation
import R2D2
import RL
import Runs
import Tensors

extension Dojo.Train {
    struct R2D2: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "r2d2",
            abstract: "Train R2D2 (Kapturowski et al. 2019): an LSTM Q-network learning from stored sequences with burn-in, n-step double Q, value rescaling and prioritized sequence replay, one actor.",
            discussion: configKeysHelp("Config keys (the MinAtar preset; grid worlds have their own):", R2D2Config.minAtar) + """


            --threads: workers that split each training batch's layers (default 1); a resumed run \
            keeps the count it trained with, so it stays bit-identical.

            Examples:
              dojo train r2d2 --env gridworld/memory-4,view=3 --seed 1
              dojo train r2d2 --env minatar/breakout,flicker=0.5 --seed 1
              dojo train r2d2 --resume runs/minatar-breakout__r2d2__1__20261207-120000
            """)

        @OptionGroup var arguments: FrameBudgetOptions

        func validate() throws { try arguments.check() }
        func run() throws { try arguments.session("r2d2").trainR2D2() }
    }
}

extension TrainSession {
    func trainR2D2() throws {
        if let resume {
            let run = try RunDirectory.resume(resume)
        try checkRunAgent(run, is: "r2d2")
            let info = try R2D2CheckpointInfo.read(run.latestCheckpoint)
            try checkResumeOptions(environmentID: info.environmentID, seed: info.seed)
            try continueR2D2(try EnvironmentCatalog.make(info.environmentID), run: run, info: info)
        } else {
            guard let env else { throw ValidationError("name the environment with --env (or continue a run with --resume).") }
            var cfg = try overridden(R2D2Config.preset(forEnvironment: env))
            if let frames { cfg.frames = frames }
            try cfg.validate()
            try startR2D2(try EnvironmentCatalog.make(env), id: env, config: cfg)
        }
    }

    func startR2D2<E: Environment>(_ environment: E, id: String, config cfg: R2D2Config) throws {
        if let why = RecurrentQNetwork.unsupported(environment, id: id) { throw ValidationError(why + ".") }
        try RecurrentQNetwork.check(cfg, for: environment, environment: id)
        let run = try RunDirectory.create(root: runRoot, environment: id, agent: "r2d2", seed: common.seed)
        try run.write(cfg.json + "\n", to: "config.json")
        if !quiet { printError("run \(run.path)\nconfig \(cfg.json)") }
        if cfg.frames <= cfg.warmupFrames {
            printError("warning: the run ends at frame \(cfg.frames), before learning starts after \(cfg.warmupFrames) warm-up frames: no update will happen (raise --frames or lower warmupFrames)")
        }
        try trainR2D2(R2D2Trainer(env: environment, environmentID: id, config: cfg, seed: common.seed), run: run)
    }

    func continueR2D2<E: Environment>(_ environment: E, run: RunDirectory, info: R2D2CheckpointInfo) throws {
        if !quiet { printError("resuming \(run.path) at frame \(info.frame) (replaying \(info.frame) frames to rebuild the replay)") }
        keepRecordedThreads(info.threads)
        try trainR2D2(try R2D2Trainer.resume(from: run.latestCheckpoint, env: environment, changing: resumedR2D2Config), run: run, resumedFrom: info.config)
    }

    /// The stored config with --config, --set and --frames applied (the trainer refuses keys
    /// that may not change on a resume).
    func resumedR2D2Config(_ stored: R2D2Config) throws -> R2D2Config {
        var c = try overridden(stored)
        if let frames { c.frames = frames }
        return c
    }

    /// `stored`: the checkpoint's config when the run is resumed (nil: a new run).
    func trainR2D2<E: Environment>(_ trainer: R2D2Trainer<E>, run: RunDirectory, resumedFrom stored: R2D2Config? = nil) throws {
        if let stored {
            let changes = ConfigOverrides.changes(from: stored, to: trainer.config)
            try run.recordResumedConfig(json: trainer.config.json, changes: changes, fromStep: trainer.frame)
            if !changes.isEmpty { try trainer.save(to: run.latestCheckpoint) }
        }
        trainer.metrics = try MetricsLogger(run: run, resumeStep: stored == nil ? nil : trainer.frame)
        try runLoop(run, startFrame: trainer.frame, failure: R2D2TrainingError.self, command: "r2d2",
                    save: { try trainer.save(to: run.latestCheckpoint); return trainer.frame }) { progress in
            try trainer.train(shouldStop: { StopSignal.requested }, checkpoint: { try $0.save(to: run.latestCheckpoint) },
                              report: { progress.update($0) })
        }
        try evaluateAndRecord(run, environmentID: trainer.environmentID, seed: trainer.seed,
                              policy: R2D2Policy(network: trainer.learner.online, epsilon: 0, seed: trainer.seed &+ 99), how: "ε = 0",
                              summary: "trained \(trainer.frame) frames, \(trainer.episodes) episodes; recent return \(String(format: "%.2f", trainer.recentReturn ?? 0)) (last \(trainer.recentReturns.count) episodes)")
    }
}
