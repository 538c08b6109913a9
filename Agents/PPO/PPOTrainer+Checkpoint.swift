// PPO checkpoints and exact resume: written between iterations, a checkpoint holds the network,
// the optimizer's slots, the counters, the sampling and shuffling generators, every action
// taken since the start and, for recurrent memory, the copies' state. Resuming rebuilds the
// copies from the run's seed and replays those actions through them, so each copy is back in
// the state (and its episode at the step) where it stopped; the result is bit-identical to a run that never stopped (tested).
import Foundation
import Neural
import RL
import Runs
import Tensors

/// What a PPO checkpoint says about itself.
public struct PPOCheckpointInfo: Sendable {
    public let config: PPOConfig
    public let environmentID: String
    /// "ppo" or "a2c": which command made it (the config says what the learner did).
    public let algorithm: String
    public let frame: Int
    public let seed: UInt64?
    /// Worker threads of the run that wrote it.
    public let threads: Int?

    public static let agentKind = "ppo"
    /// Checkpoint entries that are the copies' recurrent state, not weights (a policy skips them).
    public static let memoryStatePrefix = "memory.state."

    /// Whether `path` says it is a PPO or A2C checkpoint (callers then read it with `read`, whose
    /// errors are about PPO, instead of trying another agent's reader).
    public static func claims(_ path: String) -> Bool {
        (try? SafeTensorsFile.read(from: path))?.metadata["agent"] == agentKind
    }

    /// Weights that are not numbers make every action a guess: refused with the file's name.
    static func checkFinite(_ parameters: [Parameter], path: String) throws {
        for p in parameters where !p.value.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) {
            throw PPOTrainingError("\(path) holds weights that are not numbers (\(p.name)); the file is damaged")
        }
    }

    /// Reads what a checkpoint says about itself; errors name the file and the problem.
    public static func read(_ path: String) throws -> PPOCheckpointInfo {
        try read(SafeTensorsFile.read(from: path), path: path)
    }

    static func read(_ file: SafeTensorsFile, path: String) throws -> PPOCheckpointInfo {
        let meta = file.metadata
        guard meta["agent"] == agentKind else {
            throw PPOTrainingError("\(path) is not a PPO or A2C checkpoint (agent \(meta["agent"] ?? "missing")); pass a file written by dojo train ppo or a2c")
        }
        // Keys newer than the file (memory, …) take their defaults: what the older build ran.
        // memoryPositions came later than attention memory, which ran without positions.
        guard let text = meta["config"], let config = try? ConfigOverrides.decodeStored(text, defaults: PPOConfig(), adjusting: { stored in
                  if stored["memoryPositions"] == nil { stored["memoryPositions"] = false }
              }),
              let environment = meta["environment"] else {
            throw PPOTrainingError("\(path) has no readable config or environment id in its metadata")
        }
        do { try config.validate() } catch let error as ConfigError {
            throw PPOTrainingError("\(path) holds an invalid config (\(error.description)); the file is damaged or was not written by dojo train ppo")
        }
        return PPOCheckpointInfo(config: config, environmentID: environment, algorithm: meta["algorithm"] == "a2c" ? "a2c" : "ppo",
                                 frame: Int(meta["frame"] ?? "") ?? 0, seed: UInt64(meta["seed"] ?? ""),
                                 threads: Int(meta["threads"] ?? "").flatMap { (1...256).contains($0) ? $0 : nil })
    }
}

extension PPOTrainer {
    /// Writes everything a resume needs to `path`, atomically. `algorithm` names the command.
    public func save(to path: String, algorithm: String) throws {
        let metadata: [String: String] = [
            "agent": PPOCheckpointInfo.agentKind, "algorithm": algorithm, "environment": environmentID, "config": config.json,
            "frame": String(frame), "iteration": String(iteration), "episodes": String(episodes), "seed": String(seed),
            "rng.sampling": sampling.stateWords.map(String.init).joined(separator: " "),
            "rng.shuffling": shuffling.stateWords.map(String.init).joined(separator: " "),
            "history_width": actionCount <= 256 ? "1" : "2",
            // Results are bit-identical only at the same worker count; resume reuses it.
            "threads": String(Parallel.threads),
        ]
        try Checkpoint.save(to: path, parameters: parameters + memoryStateParameters(), optimizer: optimizer, metadata: metadata,
                            byteArrays: [("history.actions", history)])
    }

    /// Rebuilds a trainer from a checkpoint; `make` builds copy i of the environment the
    /// checkpoint names. `changing` may alter the stored config's `keysChangeableOnResume`
    /// (anything else is refused), for example to extend the run.
    public static func resume(from path: String, make: (Int) -> E,
                              changing: (PPOConfig) throws -> PPOConfig = { $0 }) throws -> PPOTrainer {
        let file = try SafeTensorsFile.read(from: path)
        let info = try PPOCheckpointInfo.read(file, path: path)
        let meta = file.metadata
        guard let seed = info.seed, let iteration = Int(meta["iteration"] ?? ""),
              let sampling = SeededGenerator(stateWords: (meta["rng.sampling"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let shuffling = SeededGenerator(stateWords: (meta["rng.shuffling"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let history = file.bytes(named: "history.actions") else {
            throw PPOTrainingError("\(path) lacks what a resume needs (seed, counters, generator states or the action history); it was not written by dojo train ppo")
        }
        let changed = try changing(info.config)
        let refused = ConfigOverrides.differingKeys(info.config, changed).subtracting(PPOConfig.keysChangeableOnResume)
        guard refused.isEmpty else {
            throw ConfigError("a resumed run keeps its config; \(refused.sorted().joined(separator: ", ")) cannot change (only \(PPOConfig.keysChangeableOnResume.sorted().joined(separator: ", ")) can); start a new run instead")
        }
        let probe = make(0)
        do {
            try ActorCriticNetwork.check(changed, observation: probe.observationShape, actions: probe.actionCount, environment: info.environmentID)
        } catch let error as ConfigError {
            throw PPOTrainingError("\(path): \(error.description)")
        }
        let width = probe.actionCount <= 256 ? 1 : 2
        let perIteration = changed.framesPerIteration
        guard iteration >= 0, iteration <= changed.iterations, info.frame == iteration * perIteration,
              history.count == info.frame * width else {
            throw PPOTrainingError("\(path) records iteration \(iteration), frame \(info.frame) and \(history.count / width) actions, which do not agree (or pass the \(changed.frames) frames asked for; give a larger --frames to extend it)")
        }
        let trainer = PPOTrainer(environmentID: info.environmentID, config: changed, seed: seed, make: make)
        var actions = [Int](repeating: 0, count: changed.environments)
        var i = 0
        while i < history.count {
            for c in 0..<changed.environments {
                let a = width == 1 ? Int(history[i]) : Int(history[i]) | Int(history[i + 1]) << 8
                guard a < probe.actionCount else {
                    throw PPOTrainingError("\(path) holds action \(a), but \(info.environmentID) has \(probe.actionCount)")
                }
                guard probe.everyActionAlwaysLegal || trainer.copies.copies[c].legalActions.contains(a) else {
                    throw PPOTrainingError("\(path) replays action \(a) where copy \(c) cannot take it (frame \(trainer.frame)); the file is damaged or was written for another environment")
                }
                actions[c] = a
                i += width
            }
            trainer.step(actions, logging: false)
        }
        // The entries the recurrent state is read into: shapes the checkpoint must match.
        let memoryState = trainer.memoryStateParameters()
        do {
            _ = try Checkpoint.restore(file, into: trainer.parameters + memoryState, optimizer: trainer.optimizer)
        } catch let e as SafeTensorsError {
            throw PPOTrainingError("\(path): \(e.description)")
        } catch let e as OptimizerStateError {
            throw PPOTrainingError("\(path): \(e.description)")
        }
        try PPOCheckpointInfo.checkFinite(trainer.parameters + memoryState, path: path)
        trainer.restoreMemoryState(memoryState)
        trainer.iteration = iteration
        trainer.sampling = sampling
        trainer.shuffling = shuffling
        return trainer
    }
}
