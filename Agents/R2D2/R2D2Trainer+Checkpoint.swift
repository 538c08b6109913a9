// R2D2 checkpoints and exact resume. A checkpoint holds both networks and Adam's slots, the
// counters and generator states, the actions taken since the start (`history.actions`), the
// actor's state (`actor.h`, `actor.c`), the stored states of every sequence in replay or
// announced (`replay.states.h|c`, [sequences, units], their numbers in `replay.state_numbers`)
// and, with prioritized replay, their priorities (`replay.priorities`, Float64 bits). Resume
// replays the actions through the freshly seeded environment, which rebuilds every stored step
// and sequence, then puts the states and priorities back: the run continues bit for bit.
// Every count read from the file is checked against what the replay rebuilt before use.
import Foundation
import Neural
import RL
import Runs
import Tensors

extension R2D2Trainer {
    public static var agentKind: String { "r2d2" }

    /// Writes everything a resume needs to `path`, atomically.
    public func save(to path: String) throws {
        let states = replay.storedStates, units = config.memoryUnits, count = states.numbers.count
        let metadata: [String: String] = [
            "agent": Self.agentKind, "environment": environmentID, "config": config.json,
            "frame": String(frame), "updates": String(learner.updates), "episodes": String(episodes),
            "env_seed": String(envSeed), "seed": String(seed),
            "rng.explore": explore.stateWords.map(String.init).joined(separator: " "),
            "rng.sample": sample.stateWords.map(String.init).joined(separator: " "),
            "first_of_episode": firstOfEpisode ? "1" : "0",
            "replay.max_priority": String(replay.maxPriority),
            "threads": String(Parallel.threads),
        ]
        let extra = [
            Parameter(name: "actor.h", value: carry.h.copy(), isTrainable: false),
            Parameter(name: "actor.c", value: carry.c.copy(), isTrainable: false),
            Parameter(name: "replay.states.h", value: Tensor(shape: [count, units], values: states.h), isTrainable: false),
            Parameter(name: "replay.states.c", value: Tensor(shape: [count, units], values: states.c), isTrainable: false),
        ]
        try Checkpoint.save(to: path, parameters: learner.parameters + extra, optimizer: learner.optimizer, metadata: metadata,
                            byteArrays: [("history.actions", history),
                                         ("replay.state_numbers", Self.bytes(states.numbers.map { UInt64($0) })),
                                         ("replay.priorities", Self.bytes(replay.livePriorities.map(\.bitPattern)))])
    }

    /// Keys a resume may change: how long the run goes on and how it reports.
    public static var keysChangeableOnResume: Set<String> { ["frames", "checkpointEvery", "returnWindow"] }

    /// Rebuilds a trainer from a checkpoint for `env` (freshly built, the environment the
    /// checkpoint names); `changing` may alter the stored config's `keysChangeableOnResume`.
    public static func resume(from path: String, env: E, changing: (R2D2Config) throws -> R2D2Config = { $0 }) throws -> R2D2Trainer {
        let file = try SafeTensorsFile.read(from: path)
        let meta = file.metadata
        guard meta["agent"] == agentKind else {
            throw R2D2TrainingError("\(path) is not an R2D2 checkpoint (agent \(meta["agent"] ?? "missing")); pass a file written by dojo train r2d2")
        }
        guard let configText = meta["config"], let config = try? JSONDecoder().decode(R2D2Config.self, from: Data(configText.utf8)),
              let frame = Int(meta["frame"] ?? ""), let updates = Int(meta["updates"] ?? ""), updates >= 0,
              let envSeed = UInt64(meta["env_seed"] ?? ""),
              let explore = SeededGenerator(stateWords: (meta["rng.explore"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let sample = SeededGenerator(stateWords: (meta["rng.sample"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let first = meta["first_of_episode"], let maxPriority = Double(meta["replay.max_priority"] ?? ""),
              let history = file.bytes(named: "history.actions"),
              let numberBytes = file.bytes(named: "replay.state_numbers"), let priorityBytes = file.bytes(named: "replay.priorities") else {
            throw R2D2TrainingError("\(path) lacks what a resume needs (config, counters, generator states, the action history or the replay's states); it was not written by dojo train r2d2")
        }
        let changed = try changing(config)
        let refused = ConfigOverrides.differingKeys(config, changed).subtracting(keysChangeableOnResume)
        guard refused.isEmpty else {
            throw ConfigError("a resumed run keeps its config; \(refused.sorted().joined(separator: ", ")) cannot change (only \(keysChangeableOnResume.sorted().joined(separator: ", ")) can); start a new run instead")
        }
        let environmentID = meta["environment"] ?? "?"
        do { try RecurrentQNetwork.check(changed, for: env, environment: environmentID) } catch let error as ConfigError {
            throw R2D2TrainingError("\(path): \(error.description)")
        }
        let width = env.actionCount <= 256 ? 1 : 2
        guard frame >= 0, frame <= changed.frames, history.count == frame * width else {
            throw R2D2TrainingError("\(path) is at frame \(frame) with \(history.count / width) recorded actions (the run asks for \(changed.frames) frames); the file is inconsistent, or give a larger --frames to extend it")
        }
        guard numberBytes.count % 8 == 0, priorityBytes.count % 8 == 0 else {
            throw R2D2TrainingError("\(path) holds replay records of \(numberBytes.count) and \(priorityBytes.count) bytes, not whole 8-byte numbers; the file is damaged")
        }
        let trainer = R2D2Trainer(env: env, environmentID: environmentID, config: changed, seed: UInt64(meta["seed"] ?? "") ?? 0)
        trainer.envSeed = envSeed
        trainer.env.reset(seed: envSeed)
        var i = 0
        while i < history.count {
            let a = width == 1 ? Int(history[i]) : Int(history[i]) | Int(history[i + 1]) << 8
            guard a < env.actionCount else { throw R2D2TrainingError("\(path) holds action \(a), but \(environmentID) has \(env.actionCount)") }
            _ = trainer.environmentStep(replayed: a, logging: false)
            i += width
        }
        guard (first == "1") == trainer.firstOfEpisode else {
            throw R2D2TrainingError("\(path) says the episode \(first == "1" ? "had just ended" : "was under way"), but replaying its actions says otherwise; the file does not belong to this environment or is damaged")
        }
        // The replay now holds what the file describes; every count below is checked against it.
        let sequences = numberBytes.count / 8, units = changed.memoryUnits
        guard sequences == trainer.replay.storedStates.numbers.count else {
            throw R2D2TrainingError("\(path) stores \(sequences) sequences' states, but replaying its actions rebuilt \(trainer.replay.storedStates.numbers.count); the file is damaged")
        }
        let states = [Parameter(name: "replay.states.h", value: Tensor(zeros: [sequences, units]), isTrainable: false),
                      Parameter(name: "replay.states.c", value: Tensor(zeros: [sequences, units]), isTrainable: false)]
        let actor = trainer.learner.online.zeroState(batch: 1)
        let actorParameters = [Parameter(name: "actor.h", value: actor.h, isTrainable: false), Parameter(name: "actor.c", value: actor.c, isTrainable: false)]
        do {
            _ = try Checkpoint.restore(file, into: trainer.learner.parameters + actorParameters + states, optimizer: trainer.learner.optimizer)
        } catch let e as SafeTensorsError {
            throw R2D2TrainingError("\(path): \(e.description)")
        } catch let e as OptimizerStateError {
            throw R2D2TrainingError("\(path): \(e.description)")
        }
        let values = (actorParameters + states).flatMap { $0.value.withUnsafeBufferPointer { Array($0) } }
        guard values.allSatisfy(\.isFinite) else {
            throw R2D2TrainingError("\(path) holds recurrent states that are not finite numbers; the file is damaged")
        }
        let numbers = words(numberBytes).map { Int(truncatingIfNeeded: $0) }
        guard trainer.replay.restoreStates(numbers: numbers, h: states[0].value.withUnsafeBufferPointer { Array($0) },
                                           c: states[1].value.withUnsafeBufferPointer { Array($0) }) else {
            throw R2D2TrainingError("\(path) numbers its stored states otherwise than the sequences its actions rebuild; the file is damaged")
        }
        guard trainer.replay.restorePriorities(words(priorityBytes).map { Double(bitPattern: $0) }, maxPriority: maxPriority) else {
            throw R2D2TrainingError("\(path) holds replay priorities that do not match the sequences or are not positive numbers; the file is damaged")
        }
        trainer.carry = RecurrentState(h: actorParameters[0].value, c: actorParameters[1].value)
        trainer.explore = explore
        trainer.sample = sample
        trainer.learner.restoreCounters(updates: updates)
        return trainer
    }

    static func bytes(_ words: [UInt64]) -> [UInt8] { words.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } } }

    static func words(_ bytes: [UInt8]) -> [UInt64] {
        stride(from: 0, to: bytes.count, by: 8).map { i in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * $1) } }
    }
}
