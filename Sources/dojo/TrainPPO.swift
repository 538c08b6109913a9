// `dojo train ppo` and `dojo train a2c`: the actor-critic learner (Agents/PPO) on any
// single-player environment — a new run from the environment's preset (A2C's for `a2c`), or
// --resume; at the end an evaluation of the policy (actions drawn from it, seeded by the run's
// own seed) and a GIF of one episode.
import ArgumentParser
import Catalog
import DQN
import Foundation
import PPO
import RL
import Runs
import Tensors

extension Dojo.Train {
    struct PPO: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ppo",
            abstract: "Train PPO (Schulman et al. 2017, with the implementation details of Huang et al. 2022) on copies of an environment stepped together.",
            discussion: configKeysHelp("Config keys (the MinAtar preset; grid worlds have their own):", PPOConfig.minAtar) + """


            Frames count agent steps over all copies; a run is whole iterations of environments × steps \
            frames. --threads: workers that step the copies and split each batch's layers (default 1); \
            a resumed run keeps the count it trained with, so it stays bit-identical. With \
            annealLearningRate the schedule spans the frames given: extending a run (--frames with \
            --resume) stretches the rest of its schedule, so only a run without annealing extends to \
            exactly what a longer run would have done.

            Examples:
              dojo train ppo --env minatar/breakout --seed 1
              dojo train ppo --env minatar/breakout --frames 2000000 --set environments=8 --set clipValueLoss=true
              dojo train ppo --resume runs/minatar-breakout__ppo__1__20261207-120000-1234
              dojo train ppo --env gridworld/four-rooms
            """)

        @OptionGroup var arguments: FrameBudgetOptions

        func validate() throws { try arguments.check() }
        func run() throws { try arguments.session("ppo").trainActorCritic(algorithm: "ppo") }
    }

    struct A2C: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "a2c",
            abstract: "Train A2C (Mnih et al. 2016): PPO's learner with 5-step rollouts, one step per rollout, no clipping and RMSprop.",
            discussion: configKeysHelp("Config keys (the MinAtar preset for A2C):", PPOConfig.a2c(from: .minAtar)) + """


            Examples:
              dojo train a2c --env minatar/breakout --seed 1
              dojo train a2c --resume runs/minatar-breakout__a2c__1__20261207-120000-1234
            """)

        @OptionGroup var arguments: FrameBudgetOptions

        func validate() throws { try arguments.check() }
        func run() throws { try arguments.session("a2c").trainActorCritic(algorithm: "a2c") }
    }
}

extension TrainSession {
    func trainActorCritic(algorithm: String) throws {
        if let resume {
            let run = try RunDirectory.resume(resume)
            let info = try PPOCheckpointInfo.read(run.latestCheckpoint)
            guard info.algorithm == algorithm else {
                throw ValidationError("\(resume) is an \(info.algorithm) run; continue it with dojo train \(info.algorithm) --resume.")
            }
            try checkResumeOptions(environmentID: info.environmentID, seed: info.seed)
            try continueActorCritic(try EnvironmentCatalog.make(info.environmentID), run: run, info: info)
        } else {
            guard let env else { throw ValidationError("name the environment with --env (or continue a run with --resume).") }
            let environment = try EnvironmentCatalog.make(env)
            var cfg = try overridden(PPOConfig.preset(forEnvironment: env, algorithm: algorithm))
            if let frames { cfg.frames = frames }
            try cfg.validate()
            try startActorCritic(environment, id: env, config: cfg, algorithm: algorithm)
        }
    }

    func startActorCritic<E: Environment>(_ environment: E, id: String, config cfg: PPOConfig, algorithm: String) throws {
        if let why = PPOConfig.unsupported(environment, id: id, algorithm: algorithm) { throw ValidationError(why + ".") }
        try ActorCriticNetwork.check(cfg, observation: environment.observationShape, actions: environment.actionCount, environment: id)
        let run = try RunDirectory.create(root: runRoot, environment: id, agent: algorithm, seed: common.seed)
        try run.write(cfg.json + "\n", to: "config.json")
        if !quiet { printError("run \(run.path)\nconfig \(cfg.json)") }
        let trainer = PPOTrainer(environmentID: id, config: cfg, seed: common.seed) { _ in environment }
        try train(trainer, run: run, algorithm: algorithm, resumed: false)
    }

    func continueActorCritic<E: Environment>(_ environment: E, run: RunDirectory, info: PPOCheckpointInfo) throws {
        if !quiet { printError("resuming \(run.path) at frame \(info.frame) (replaying \(info.frame) frames to put the copies back)") }
        keepRecordedThreads(info.threads)
        let trainer = try PPOTrainer.resume(from: run.latestCheckpoint, make: { _ in environment }) { stored in
            var c = try overridden(stored)
            if let frames { c.frames = frames }
            return c
        }
        let changes = ConfigOverrides.changes(from: info.config, to: trainer.config)
        try run.recordResumedConfig(json: trainer.config.json, changes: changes, fromStep: trainer.frame)
        if !changes.isEmpty { try trainer.save(to: run.latestCheckpoint, algorithm: info.algorithm) }
        try train(trainer, run: run, algorithm: info.algorithm, resumed: true)
    }

    func train<E: Environment>(_ trainer: PPOTrainer<E>, run: RunDirectory, algorithm: String, resumed: Bool) throws {
        trainer.metrics = try MetricsLogger(run: run, resumeStep: resumed ? trainer.frame : nil)
        try runLoop(run, startFrame: trainer.frame, failure: PPOTrainingError.self, command: algorithm,
                    save: { try trainer.save(to: run.latestCheckpoint, algorithm: algorithm); return trainer.frame }) { progress in
            try trainer.train(shouldStop: { StopSignal.requested }, checkpoint: { try $0.save(to: run.latestCheckpoint, algorithm: algorithm) }) { p in
                var details = "iteration \(p.iterations)  episodes \(p.episodes)"
                if let r = p.recentReturn { details += "  return \(String(format: "%.2f", r))" }
                progress.update(frame: p.frame, totalFrames: p.totalFrames, details: details)
            }
        }
        try evaluateAndRecord(run, environmentID: trainer.environmentID, seed: trainer.seed,
                              policy: ActorCriticPolicy(network: trainer.network, seed: trainer.seed &+ 99), how: "actions drawn from the policy",
                              summary: "trained \(trainer.frame) frames, \(trainer.iteration) iterations, \(trainer.episodes) episodes; recent return \(String(format: "%.2f", trainer.recentReturn ?? 0)) (last \(trainer.recentReturns.count) episodes)")
    }
}
