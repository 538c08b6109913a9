// The R2D2 training loop with one actor: ε-greedy acting through the recurrent network (its
// state carried from step to step and zeroed at each episode's start), every step stored in
// SequenceReplay with the stored states it asks for, one learner step every `updateEvery`
// frames after the warm-up, metrics, checkpoints and exact resume.
//
// Reproducibility: one run seed derives every stream — the environment's seed, exploration,
// replay sampling and weight initialisation — so a run is a function of (seed, config, build,
// threads). Exact resume (R2D2Trainer+Checkpoint.swift): the checkpoint holds the weights, the
// optimizer, counters, generator states, the actions taken since the start, the stored states
// of the sequences still in replay and the actor's own state; replaying the actions through the
// (deterministic) environment rebuilds the stored steps, and the states are put back.
import DQN
import Foundation
import Neural
import RL
import Runs
import Tensors

public struct R2D2TrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the trainer reports while it runs: DQN's fields.
public typealias R2D2Progress = DQNProgress

public final class R2D2Trainer<E: Environment> {
    public let config: R2D2Config
    public let environmentID: String
    public let seed: UInt64
    public let learner: R2D2Learner
    public internal(set) var env: E
    public internal(set) var replay: SequenceReplay
    var explore: SeededGenerator, sample: SeededGenerator
    var envSeed: UInt64
    public internal(set) var frame = 0, episodes = 0
    /// Actions taken since the start, one byte each (two for more than 256 actions).
    var history: [UInt8] = []
    /// The actor's recurrent state before the current observation.
    var carry: RecurrentState
    var firstOfEpisode = true
    private var observation: [Float]
    private var input = Tensor.empty
    private var episodeReturn = 0.0, episodeLength = 0
    public private(set) var recentReturns: [Double] = []
    public var metrics: MetricsLogger?
    private var log = ValueLearningLog(frame: 0)
    /// The latest update's loss.
    public var lastLoss: Double? { log.lastLoss }
    let shape: [Int]

    public init(env: E, environmentID: String, config: R2D2Config, seed: UInt64) {
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
        let s = env.observationShape
        shape = [s.channels, s.height, s.width]
        learner = R2D2Learner(config: config, observation: s, actions: env.actionCount, generator: &initialisation)
        replay = SequenceReplay(capacity: config.replayCapacity, observationCount: s.count, binary: env.observationsAreBinary,
                                actionCount: env.actionCount, storesMasks: !env.everyActionAlwaysLegal,
                                burnIn: config.burnIn, unroll: config.unroll, nStep: config.nStep, units: config.memoryUnits,
                                prioritized: config.prioritized)
        carry = learner.online.zeroState(batch: 1)
        observation = [Float](repeating: 0, count: s.count)
        self.env.reset(seed: envSeed)
    }

    public func epsilon(atFrame f: Int) -> Double {
        EpsilonSchedule(warmupFrames: config.warmupFrames, start: config.epsilonStart, end: config.epsilonEnd, decayFrames: config.epsilonDecayFrames)(f)
    }

    private func randomAction(_ mask: [Bool]?) -> Int {
        EpsilonSchedule.randomAction(actionCount: env.actionCount, mask: mask, generator: &explore)
    }

    /// Stores the current observation and, acting (`replayed` nil), moves the actor's state on
    /// by it and picks an ε-greedy action; replaying a resume, takes `replayed` and leaves the
    /// states for the checkpoint to fill.
    private func observeAndChoose(replayed: Int?) -> Int {
        let e = env
        observation.withUnsafeMutableBufferPointer { e.observe(into: $0) }
        let mask = env.legalMaskIfNeeded()
        if firstOfEpisode { carry.resetRows(0..<1) }
        let state = carry
        observation.withUnsafeBufferPointer { o in
            replay.observe(o, mask: mask, firstOfEpisode: firstOfEpisode) {
                (Array(UnsafeBufferPointer(start: state.h.pointer, count: state.h.count)),
                 Array(UnsafeBufferPointer(start: state.c.pointer, count: state.c.count)))
            }
        }
        firstOfEpisode = false
        if let replayed { return replayed }
        let q = forwardOne(mask: mask)
        if frame < config.warmupFrames { return randomAction(mask) }
        if explore.nextUniform() < Float(epsilon(atFrame: frame)) { return randomAction(mask) }
        return q
    }

    /// The online network on the current observation from the carried state: the greedy legal
    /// action (ties to the lowest id); the carry moves on.
    private func forwardOne(mask: [Bool]?) -> Int {
        let s = shape
        Tensor.prepare(&input, shape: [1] + s)
        input.scratchPointer.update(from: observation, count: observation.count)
        let q = learner.online.forward(input, steps: 1, batch: 1, initial: carry, resets: nil)
        carry.update(from: learner.online.finalState)
        var best = -1
        for a in 0..<env.actionCount where mask?[a] ?? true {
            if best < 0 || q.pointer[a] > q.pointer[best] { best = a }
        }
        return max(best, 0)
    }

    /// Steps the environment with `action`, records it, stores the reward, keeps episode
    /// statistics and ends the episode in replay when it is over. Training and resume share it.
    func environmentStep(replayed: Int?, logging: Bool) -> Int {
        let action = observeAndChoose(replayed: replayed)
        let result = env.step(action)
        if env.actionCount <= 256 { history.append(UInt8(action)) } else { history += [UInt8(action & 0xFF), UInt8(action >> 8)] }
        frame += 1
        replay.recordStep(action: action, reward: result.reward)
        episodeReturn += Double(result.reward)
        episodeLength += 1
        if result.isOver {
            let e = env
            observation.withUnsafeMutableBufferPointer { e.observe(into: $0) }
            let mask = env.legalMaskIfNeeded()
            observation.withUnsafeBufferPointer { replay.endEpisode(finalObservation: $0, mask: mask, terminated: result.terminated) }
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
            firstOfEpisode = true
        }
        return action
    }

    public var recentReturn: Double? { recentReturns.isEmpty ? nil : recentReturns.reduce(0, +) / Double(recentReturns.count) }

    public var progress: R2D2Progress {
        DQNProgress(frame: frame, totalFrames: config.frames, episodes: episodes, updates: learner.updates,
                     epsilon: epsilon(atFrame: frame), recentReturn: recentReturn, lastLoss: lastLoss)
    }

    /// Trains until `config.frames` (or `stopAt`) frames, or until `shouldStop` says so
    /// (checked every frame). Calls `checkpoint` every `checkpointEvery` frames.
    public func train(stopAt: Int? = nil, shouldStop: () -> Bool = { false },
                      checkpoint: ((R2D2Trainer) throws -> Void)? = nil,
                      report: ((R2D2Progress) -> Void)? = nil) throws {
        let end = min(stopAt ?? config.frames, config.frames)
        var lastReport = Date()
        log.restartClock(frame: frame)
        while frame < end && !shouldStop() {
            _ = environmentStep(replayed: nil, logging: true)
            if frame > config.warmupFrames && frame % config.updateEvery == 0 && replay.liveCount > 0 {
                let step = learner.learn(from: &replay, shape: shape, generator: &sample)
                guard step.loss.isFinite else {
                    throw R2D2TrainingError("the TD loss became \(step.loss) at frame \(frame) (update \(learner.updates)); training stopped, the last good checkpoint is kept")
                }
                log.update(loss: step.loss, meanQ: step.meanQ, frame: frame, metrics: metrics)
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
}
