// The DQN training loop: ε-greedy acting, replay, one update every `updateEvery` frames after
// the warm-up, target copies, metrics, checkpoints and exact resume.
//
// Reproducibility: one run seed derives every stream — the environment's seed, exploration,
// replay sampling and weight initialisation — so a run is a function of (seed, config, build,
// threads). Exact resume: a checkpoint holds the weights, the optimizer, the counters, the
// generators' states and the actions taken since the start; resuming replays those actions
// through the (deterministic) environment to rebuild the replay buffer and episode statistics
// exactly, without saving the buffer itself. The result is bit-identical to a run that never
// stopped (tested).
import Foundation
import Neural
import RL
import Runs
import Tensors

public struct DQNTrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the trainer reports while it runs (R2D2's trainer reports the same).
public struct DQNProgress: Sendable {
    public var frame: Int, totalFrames: Int, episodes: Int, updates: Int
    public var epsilon: Double
    public var recentReturn: Double?
    public var lastLoss: Double?

    public init(frame: Int, totalFrames: Int, episodes: Int, updates: Int, epsilon: Double, recentReturn: Double?, lastLoss: Double?) {
        self.frame = frame; self.totalFrames = totalFrames; self.episodes = episodes; self.updates = updates
        self.epsilon = epsilon; self.recentReturn = recentReturn; self.lastLoss = lastLoss
    }
}

public final class DQNTrainer<E: Environment> {
    public let config: DQNConfig
    public let environmentID: String
    /// The run's seed (recorded in checkpoints, so a resumed run evaluates as the same run).
    public let seed: UInt64
    public let agent: DQNAgent
    public private(set) var env: E
    public private(set) var replay: ReplayBuffer
    private var explore: SeededGenerator, sample: SeededGenerator
    private var envSeed: UInt64
    public private(set) var frame = 0, episodes = 0
    /// Actions taken since the start, one byte each (two for more than 256 actions).
    private var history: [UInt8] = []
    private var observation: [Float], nextObservation: [Float]
    private var pending: [(observation: [Float], action: Int, reward: Float)] = []
    private var episodeReturn = 0.0, episodeLength = 0
    public private(set) var recentReturns: [Double] = []
    public var metrics: MetricsLogger?
    private var log = ValueLearningLog(frame: 0)
    /// The latest update's loss.
    public var lastLoss: Double? { log.lastLoss }

    public init(env: E, environmentID: String, config: DQNConfig, seed: UInt64) {
        let root = SeededGenerator(seed: seed)
        var seeds = root.derived(stream: 1)
        envSeed = seeds.next()
        explore = root.derived(stream: 2)
        sample = root.derived(stream: 3)
        var initialisation = root.derived(stream: 4)
        self.config = config
        self.environmentID = environmentID
        self.seed = seed
        self.env = env
        agent = DQNAgent(config: config, observationShape: env.observationShape, actionCount: env.actionCount, generator: &initialisation)
        replay = ReplayBuffer(capacity: config.replayCapacity, observationCount: env.observationShape.count,
                              binary: env.observationsAreBinary, actionCount: env.actionCount, storesMasks: !env.everyActionAlwaysLegal,
                              prioritized: config.prioritized)
        observation = [Float](repeating: 0, count: env.observationShape.count)
        nextObservation = observation
        self.env.reset(seed: envSeed)
        observeCurrent()
    }

    private func observeCurrent() { let e = env; observation.withUnsafeMutableBufferPointer { e.observe(into: $0) } }

    private func legalMask() -> [Bool]? { env.legalMaskIfNeeded() }

    public func epsilon(atFrame f: Int) -> Double {
        EpsilonSchedule(warmupFrames: config.warmupFrames, start: config.epsilonStart, end: config.epsilonEnd, decayFrames: config.epsilonDecayFrames)(f)
    }

    private func randomAction(_ mask: [Bool]?) -> Int {
        EpsilonSchedule.randomAction(actionCount: env.actionCount, mask: mask, generator: &explore)
    }

    /// ε-greedy (uniformly random during the warm-up).
    private func chooseAction() -> Int {
        let mask = legalMask()
        if frame < config.warmupFrames { return randomAction(mask) }
        if explore.nextUniform() < Float(epsilon(atFrame: frame)) { return randomAction(mask) }
        return observation.withUnsafeBufferPointer { agent.greedyAction($0, mask: mask) }
    }

    /// Steps the environment, records the action, stores transitions (n-step), keeps episode
    /// statistics and resets at the end of an episode. Training and resume share it.
    private func environmentStep(_ action: Int, logging: Bool) {
        let result = env.step(action)
        if env.actionCount <= 256 { history.append(UInt8(action)) } else { history += [UInt8(action & 0xFF), UInt8(action >> 8)] }
        frame += 1
        var reward = result.reward
        if config.rewardClip { reward = min(1, max(-1, reward)) }
        episodeReturn += Double(result.reward)
        episodeLength += 1
        let e = env
        nextObservation.withUnsafeMutableBufferPointer { e.observe(into: $0) }
        let nextMask = legalMask()
        pending.append((observation, action, reward))
        let gamma = Float(config.gamma)
        func store(upTo count: Int, terminal: Bool) {
            // The oldest pending transition, with up to `count` rewards.
            var g: Float = 0, scale: Float = 1
            for k in 0..<count { g += scale * pending[k].reward; scale *= gamma }
            let first = pending.removeFirst()
            first.observation.withUnsafeBufferPointer { o in
                nextObservation.withUnsafeBufferPointer { no in
                    replay.add(observation: o, action: first.action, reward: g, nextObservation: no,
                               discount: terminal ? 0 : scale, nextMask: nextMask)
                }
            }
        }
        if pending.count == config.nStep { store(upTo: config.nStep, terminal: result.terminated) }
        if result.isOver {
            while !pending.isEmpty { store(upTo: pending.count, terminal: result.terminated) }
            episodes += 1
            recentReturns.append(episodeReturn)
            if recentReturns.count > config.returnWindow { recentReturns.removeFirst() }
            if logging, let metrics {
                metrics.log("charts/episodic_return", episodeReturn, step: frame)
                metrics.log("charts/episodic_length", Double(episodeLength), step: frame)
                metrics.log("charts/epsilon", epsilon(atFrame: frame), step: frame)
            }
            episodeReturn = 0; episodeLength = 0
            env.reset(seed: nil)
            observeCurrent()
        } else {
            swap(&observation, &nextObservation)
        }
    }

    public var recentReturn: Double? { recentReturns.isEmpty ? nil : recentReturns.reduce(0, +) / Double(recentReturns.count) }

    public var progress: DQNProgress {
        DQNProgress(frame: frame, totalFrames: config.frames, episodes: episodes, updates: agent.updates,
                    epsilon: epsilon(atFrame: frame), recentReturn: recentReturn, lastLoss: lastLoss)
    }

    /// Trains until `config.frames` (or `stopAt`) frames, or until `shouldStop` says so
    /// (checked every frame). Calls `checkpoint` every `checkpointEvery` frames.
    public func train(stopAt: Int? = nil, shouldStop: () -> Bool = { false },
                      checkpoint: ((DQNTrainer) throws -> Void)? = nil,
                      report: ((DQNProgress) -> Void)? = nil) throws {
        let end = min(stopAt ?? config.frames, config.frames)
        var lastReport = Date()
        log.restartClock(frame: frame)
        while frame < end && !shouldStop() {
            environmentStep(chooseAction(), logging: true)
            if frame > config.warmupFrames && frame % config.updateEvery == 0 {
                let beta = config.priorityBetaStart + (1 - config.priorityBetaStart) * min(1, Double(frame) / Double(config.frames))
                let (loss, q) = agent.learn(from: &replay, beta: beta, generator: &sample)
                guard loss.isFinite else {
                    throw DQNTrainingError("the TD loss became \(loss) at frame \(frame) (update \(agent.updates)); training stopped, the last good checkpoint is kept")
                }
                log.update(loss: loss, meanQ: q, frame: frame, metrics: metrics)
            }
            log.frameDone(frame, metrics: metrics)
            if frame % config.checkpointEvery == 0 {
                try metrics?.flush()
                try checkpoint?(self)
            }
            if let report, Date().timeIntervalSince(lastReport) >= 1 { report(progress); lastReport = Date() }
        }
        try metrics?.flush()
    }

    // MARK: Checkpoints

    public static var agentKind: String { "dqn" }

    /// Writes everything a resume needs to `path`, atomically.
    public func save(to path: String) throws {
        let metadata: [String: String] = [
            "agent": Self.agentKind, "environment": environmentID, "config": config.json,
            "frame": String(frame), "updates": String(agent.updates), "episodes": String(episodes),
            "env_seed": String(envSeed), "seed": String(seed),
            "rng.explore": explore.stateWords.map(String.init).joined(separator: " "),
            "rng.sample": sample.stateWords.map(String.init).joined(separator: " "),
            "history_width": env.actionCount <= 256 ? "1" : "2",
            "replay.max_priority": String(replay.maxPriority),
            // Results are bit-identical only at the same worker count; resume reuses it.
            "threads": String(Parallel.threads),
        ]
        let priorities = Parameter(name: "replay.priorities", value: Tensor(shape: [replay.capacity], values: replay.priorityValues), isTrainable: false)
        try Checkpoint.save(to: path, parameters: agent.parameters + (config.prioritized ? [priorities] : []), optimizer: agent.optimizer,
                            metadata: metadata, byteArrays: [("history.actions", history)])
    }

    /// Keys a resume may change: they set how long the run goes on and how it reports, never
    /// what it has learned so far (`frames` also stretches prioritized replay's β schedule).
    public static var keysChangeableOnResume: Set<String> { ["frames", "checkpointEvery", "returnWindow"] }

    /// Rebuilds a trainer from a checkpoint: `env` must be the environment the checkpoint names
    /// (freshly built); the run continues exactly where it stopped. `changing` may alter the
    /// stored config's `keysChangeableOnResume` (anything else is refused), for example to
    /// extend the run.
    public static func resume(from path: String, env: E, changing: (DQNConfig) throws -> DQNConfig = { $0 }) throws -> DQNTrainer {
        let file = try SafeTensorsFile.read(from: path)
        let meta = file.metadata
        guard meta["agent"] == agentKind else {
            throw DQNTrainingError("\(path) is not a DQN checkpoint (agent \(meta["agent"] ?? "missing"))")
        }
        guard let configText = meta["config"], let config = try? JSONDecoder().decode(DQNConfig.self, from: Data(configText.utf8)),
              let frame = Int(meta["frame"] ?? ""), let updates = Int(meta["updates"] ?? ""),
              let envSeed = UInt64(meta["env_seed"] ?? ""),
              let explore = SeededGenerator(stateWords: (meta["rng.explore"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let sample = SeededGenerator(stateWords: (meta["rng.sample"] ?? "").split(separator: " ").compactMap { UInt64($0) }),
              let history = file.bytes(named: "history.actions") else {
            throw DQNTrainingError("\(path) lacks what a resume needs (config, counters, generator states or the action history); it was not written by dojo train dqn")
        }
        let environmentID = meta["environment"] ?? "?"
        let changed = try changing(config)
        let refused = ConfigOverrides.differingKeys(config, changed).subtracting(keysChangeableOnResume)
        guard refused.isEmpty else {
            throw ConfigError("a resumed run keeps its config; \(refused.sorted().joined(separator: ", ")) cannot change (only \(keysChangeableOnResume.sorted().joined(separator: ", ")) can); start a new run instead")
        }
        do {
            try QNetwork.check(changed, for: env, environment: environmentID)
        } catch let error as ConfigError {
            throw DQNTrainingError("\(path): \(error.description)")
        }
        guard frame >= 0, frame <= changed.frames else {
            throw DQNTrainingError("\(path) is at frame \(frame), past the \(changed.frames) frames asked for; give a larger --frames to extend it")
        }
        // The trainer's own seed only fills the fields; the checkpoint's streams replace them.
        let trainer = DQNTrainer(env: env, environmentID: environmentID, config: changed, seed: UInt64(meta["seed"] ?? "") ?? 0)
        trainer.replaceStreams(envSeed: envSeed, explore: explore, sample: sample)
        let width = env.actionCount <= 256 ? 1 : 2
        guard history.count == frame * width else {
            throw DQNTrainingError("\(path) records \(history.count / width) actions for \(frame) frames; the file is inconsistent")
        }
        var i = 0
        while i < history.count {
            let a = width == 1 ? Int(history[i]) : Int(history[i]) | Int(history[i + 1]) << 8
            guard a < env.actionCount else { throw DQNTrainingError("\(path) holds action \(a), but \(meta["environment"] ?? "the environment") has \(env.actionCount)") }
            trainer.environmentStep(a, logging: false)
            i += width
        }
        let priorities = Parameter(name: "replay.priorities", value: Tensor(zeros: [changed.replayCapacity]), isTrainable: false)
        do {
            _ = try Checkpoint.restore(file, into: trainer.agent.parameters + (changed.prioritized ? [priorities] : []),
                                       optimizer: trainer.agent.optimizer)
        } catch let e as SafeTensorsError {
            throw DQNTrainingError("\(path): \(e.description)")
        } catch let e as OptimizerStateError {
            throw DQNTrainingError("\(path): \(e.description)")
        }
        trainer.agent.restoreCounters(updates: updates)
        if changed.prioritized {
            guard let maxPriority = Double(meta["replay.max_priority"] ?? "") else {
                throw DQNTrainingError("\(path) has no replay priorities, but its config uses prioritized replay")
            }
            let values = priorities.value.withUnsafeBufferPointer { Array($0) }
            guard maxPriority.isFinite, maxPriority > 0, values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw DQNTrainingError("\(path) holds replay priorities that are negative or not numbers; the file is damaged")
            }
            trainer.replay.restorePriorities(values, maxPriority: maxPriority)
        }
        return trainer
    }

    private func replaceStreams(envSeed: UInt64, explore: SeededGenerator, sample: SeededGenerator) {
        self.envSeed = envSeed
        self.explore = explore
        self.sample = sample
        env.reset(seed: envSeed)
        observeCurrent()
    }
}
