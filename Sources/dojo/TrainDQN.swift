// `dojo train dqn`: DQN and its improvements (Agents/DQN) on any single-player environment —
// a new run from the environment's preset, or --resume; at the end a greedy evaluation and a
// GIF of one greedy episode, seeded by the run's own seed so a resumed run reports what an
// uninterrupted one would.
import ArgumentParser
import Catalog
import DQN
import Foundation
import RL
import Runs
import Tensors

extension Dojo.Train {
    struct DQN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dqn",
            abstract: "Train DQN (Mnih et al. 2015, with double, dueling, prioritized replay, n-step and Adam/RMSprop as config keys).",
            discussion: configKeysHelp("Config keys (the MinAtar preset; grid worlds have their own):", DQNConfig.minAtar) + """


            --threads: workers that split each training batch's layers (default 1); a resumed run \
            keeps the count it trained with, so it stays bit-identical.

            Examples:
              dojo train dqn --env minatar/breakout --seed 1
              dojo train dqn --env minatar/breakout --frames 200000 --set doubleDQN=true
              dojo train dqn --resume runs/minatar-breakout__dqn__1__20261122-120000
              dojo train dqn --env gridworld/four-rooms --frames 30000
            """)

        @OptionGroup var arguments: FrameBudgetOptions

        func validate() throws { try arguments.check() }
        func run() throws { try arguments.session("dqn").trainDQN() }
    }
}

extension TrainSession {
    func trainDQN() throws {
    if let resume {
        let run = try RunDirectory.resume(resume)
        try checkRunAgent(run, is: "dqn")
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

    func start<E: Environment>(_ environment: E, id: String, config cfg: DQNConfig) throws {
        try QNetwork.check(cfg, for: environment, environment: id)
        let run = try RunDirectory.create(root: runRoot, environment: id, agent: "dqn", seed: common.seed)
        try run.write(cfg.json + "\n", to: "config.json")
        if !quiet { printError("run \(run.path)\nconfig \(cfg.json)") }
        for warning in Self.budgetWarnings(cfg) { printError("warning: \(warning)") }
        if cfg.frameStack > 1 {
            try train(DQNTrainer(env: FrameStack(environment, count: cfg.frameStack), environmentID: id, config: cfg, seed: common.seed), run: run)
        } else {
            try train(DQNTrainer(env: environment, environmentID: id, config: cfg, seed: common.seed), run: run)
        }
    }

    func continueRun<E: Environment>(_ environment: E, run: RunDirectory, info: DQNCheckpointInfo) throws {
        if !quiet { printError("resuming \(run.path) at frame \(info.frame) (replaying \(info.frame) frames to rebuild the replay buffer)") }
        keepRecordedThreads(info.threads)
        if info.config.frameStack > 1 {
            try train(try DQNTrainer.resume(from: run.latestCheckpoint, env: FrameStack(environment, count: info.config.frameStack), changing: resumedConfig), run: run, resumedFrom: info.config)
        } else {
            try train(try DQNTrainer.resume(from: run.latestCheckpoint, env: environment, changing: resumedConfig), run: run, resumedFrom: info.config)
        }
    }

    /// `stored`: the checkpoint's config when the run is resumed (nil: a new run).
    func train<E: Environment>(_ trainer: DQNTrainer<E>, run: RunDirectory, resumedFrom stored: DQNConfig? = nil) throws {
        if let stored {
            let changes = ConfigOverrides.changes(from: stored, to: trainer.config)
            try run.recordResumedConfig(json: trainer.config.json, changes: changes, fromStep: trainer.frame)
            if !changes.isEmpty { try trainer.save(to: run.latestCheckpoint) }
        }
        trainer.metrics = try MetricsLogger(run: run, resumeStep: stored == nil ? nil : trainer.frame)
        try runLoop(run, startFrame: trainer.frame, failure: DQNTrainingError.self, command: "dqn",
                    save: { try trainer.save(to: run.latestCheckpoint); return trainer.frame }) { progress in
            try trainer.train(shouldStop: { StopSignal.requested }, checkpoint: { try $0.save(to: run.latestCheckpoint) },
                              report: { progress.update($0) })
        }
        try evaluateAndRecord(run, environmentID: trainer.environmentID, seed: trainer.seed,
                              policy: DQNPolicy(agent: trainer.agent, epsilon: 0, seed: trainer.seed &+ 99), how: "ε = 0",
                              summary: "trained \(trainer.frame) frames, \(trainer.episodes) episodes; recent return \(String(format: "%.2f", trainer.recentReturn ?? 0)) (last \(trainer.recentReturns.count) episodes)")
    }
}
