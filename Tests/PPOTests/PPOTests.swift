// PPO and A2C: GAE on terminated, truncated and bootstrapped rows, truncated episodes valued
// from their last observation, masked sampling, exact resume (also for A2C and the other
// switches), resume's config rules, config checks, and a grid world learned in seconds.
import Foundation
import GridWorld
import MinAtar
import Neural
@testable import PPO
import RL
import Runs
import Tensors
import XCTest

final class PPOTests: XCTestCase {
    var folder: String!

    override func setUp() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-ppo-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testGAEStopsAtTerminatedAndTruncatedRowsAndBootstrapsTheRest() {
        // Copy 0: normal, truncated (V(final) = 5), terminated, normal, then bootstrap V = 10.
        // Copy 1: values 0, reward 1 every step, bootstrap 0.
        var r = Rollout(steps: 4, environments: 2, observationCount: 1, actionCount: 2, masked: false)
        for t in 0..<4 {
            r.values[t * 2] = Float(t + 1)
            r.rewards[t * 2] = [1, 0, 2, 1][t]
            r.rewards[t * 2 + 1] = 1
        }
        r.truncated[1 * 2] = true; r.truncationValues[1 * 2] = 5
        r.terminated[2 * 2] = true
        r.computeAdvantages(lastValues: [10, 0], gamma: 0.9, lambda: 0.8)
        let copy0 = (0..<4).map { r.advantages[$0 * 2] }, copy1 = (0..<4).map { r.advantages[$0 * 2 + 1] }
        // t3: 1 + 0.9·10 − 4 = 6; t2: 2 − 3 = −1 (terminated); t1: 0 + 0.9·5 − 2 = 2.5 (truncated);
        // t0: 1 + 0.9·2 − 1 + 0.9·0.8·2.5 = 3.6.
        for (a, b) in zip(copy0, [3.6, 2.5, -1, 6] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip((0..<4).map { r.returns[$0 * 2] }, [4.6, 4.5, 2, 10] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // 1, 1 + 0.72, 1 + 0.72·1.72, 1 + 0.72·2.2384.
        for (a, b) in zip(copy1, [2.611648, 2.2384, 1.72, 1] as [Float]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // λ = 1: plain discounted returns (values 0).
        r.computeAdvantages(lastValues: [10, 0], gamma: 0.9, lambda: 1)
        XCTAssertEqual(r.advantages[1], 1 + 0.9 + 0.81 + 0.729, accuracy: 1e-5)
    }

    /// Every episode is cut off after 3 steps; the observation is the step count, one-hot.
    struct Clock: Environment {
        var steps = 0, isOver = false
        var actionCount: Int { 2 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 3, width: 3) }
        mutating func reset(seed: UInt64?) { steps = 0; isOver = false }
        mutating func step(_ action: Int) -> StepResult {
            steps += 1
            isOver = steps >= 3
            return StepResult(reward: 1, terminated: false, truncated: isOver)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b.update(repeating: 0); b[steps] = 1 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func tinyConfig() -> PPOConfig {
        var c = PPOConfig.minAtar
        c.environments = 4; c.steps = 16; c.minibatches = 2; c.epochs = 2
        c.frames = 6 * 64; c.convChannels = 4; c.hiddenUnits = 16; c.checkpointEvery = 1_000_000
        return c
    }

    func testTruncatedEpisodesAreValuedFromTheObservationTheyEndedIn() {
        var c = tinyConfig()
        c.steps = 7
        c.minibatches = 1
        let trainer = PPOTrainer(environmentID: "clock", config: c, seed: 1) { _ in Clock() }
        trainer.collectRollout(logging: false)
        var finalObservation = Tensor(zeros: [1, 1, 3, 3])
        finalObservation.withUnsafeMutableBufferPointer { $0[3] = 1 }
        let expected = trainer.network.forward(finalObservation).value.pointer[0]
        var truncatedRows = 0
        for row in 0..<trainer.rollout.rows {
            XCTAssertFalse(trainer.rollout.terminated[row])
            XCTAssertEqual(trainer.rollout.truncated[row], row / c.environments % 3 == 2, "row \(row)")
            if trainer.rollout.truncated[row] {
                truncatedRows += 1
                XCTAssertEqual(trainer.rollout.truncationValues[row], expected, accuracy: 1e-6, "V(step-3 observation), not 0 and not the next episode's start")
            }
        }
        XCTAssertEqual(truncatedRows, 2 * c.environments)
    }

    func testSamplingDrawsOnlyLegalActionsInProportion() {
        let logits: [Float] = [0, 1, 2, 5]
        var g = SeededGenerator(seed: 3)
        var counts = [0, 0, 0, 0]
        let draws = 20_000
        for _ in 0..<draws {
            let d = logits.withUnsafeBufferPointer { PolicySampling.draw($0.baseAddress!, count: 4, legal: { $0 != 3 }, greedy: false, generator: &g) }
            counts[d.action] += 1
            XCTAssertEqual(d.logProbability, logits[d.action] - log(exp(0) + exp(1) + exp(2)), accuracy: 1e-5)
        }
        XCTAssertEqual(counts[3], 0, "the illegal action, though the most likely, is never drawn")
        let z = exp(Float(0)) + exp(1) + exp(2)
        for a in 0..<3 { XCTAssertEqual(Double(counts[a]) / Double(draws), Double(exp(Float(a)) / z), accuracy: 0.015) }
        let greedy = logits.withUnsafeBufferPointer { PolicySampling.draw($0.baseAddress!, count: 4, legal: { $0 != 3 }, greedy: true, generator: &g) }
        XCTAssertEqual(greedy.action, 2)
    }

    /// A walk whose left move is illegal at the left wall: the masks reach the rollout, no
    /// illegal action is ever drawn, and the masked softmax trains (finite losses).
    struct Walk: Environment {
        var x = 0, t = 0, isOver = false
        var actionCount: Int { 3 }
        var legalActions: [Int] { x == -2 ? [1, 2] : [0, 1, 2] }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 3, width: 3) }
        mutating func reset(seed: UInt64?) { x = 0; t = 0; isOver = false }
        mutating func step(_ action: Int) -> StepResult {
            precondition(legalActions.contains(action), "illegal action \(action) at \(x)")
            x = min(2, x + action - 1); t += 1
            isOver = x == 2 || t >= 10
            return StepResult(reward: x == 2 ? 1 : 0, terminated: x == 2, truncated: x != 2 && t >= 10)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b.update(repeating: 0); b[x + 2] = 1 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func testIllegalActionsAreMaskedOutOfTheRolloutAndTheLoss() throws {
        var c = tinyConfig()
        c.frames = 4 * c.framesPerIteration
        let t = PPOTrainer(environmentID: "test/walk", config: c, seed: 9) { _ in Walk() }
        try t.train()
        XCTAssertEqual(t.rollout.masks.count, t.rollout.rows * 3)
        var masked = 0
        for row in 0..<t.rollout.rows {
            XCTAssertEqual(t.rollout.masks[row * 3 + t.rollout.actions[row]], 1, "row \(row) took an illegal action")
            if t.rollout.masks[row * 3] == 0 { masked += 1 }
        }
        XCTAssertGreaterThan(masked, 0, "the wall was reached, so the mask mattered")
        XCTAssertTrue(t.lastUpdate.policyLoss.isFinite && t.lastUpdate.entropy.isFinite)
    }

    func weights(_ t: PPOTrainer<some Environment>) -> [[Float]] { t.parameters.map { $0.value.withUnsafeBufferPointer { Array($0) } } }

    func testResumeIsBitIdenticalToAnUninterruptedRun() throws {
        let variants = [tinyConfig(),
                        { var c = PPOConfig.a2c(from: tinyConfig()); c.frames = 4 * 5 * 12; return c }(),
                        { var c = tinyConfig(); c.sharedTrunk = false; return c }(),
                        { var c = tinyConfig(); c.clipValueLoss = true; return c }(),
                        { var c = tinyConfig(); c.targetKL = 0.001; return c }(),
                        { var c = tinyConfig(); c.annealLearningRate = false; return c }()]
        for config in variants {
            let straight = PPOTrainer(environmentID: "minatar/breakout", config: config, seed: 7) { _ in Breakout() }
            try straight.train()
            XCTAssertEqual(straight.iteration, config.iterations)
            let stopAfter = config.iterations / 2
            var done = 0
            let first = PPOTrainer(environmentID: "minatar/breakout", config: config, seed: 7) { _ in Breakout() }
            try first.train(shouldStop: { defer { done += 1 }; return done == stopAfter })
            XCTAssertEqual(first.iteration, stopAfter)
            let path = folder + "/mid.safetensors"
            try first.save(to: path, algorithm: "ppo")
            let resumed = try PPOTrainer.resume(from: path, make: { _ in Breakout() })
            XCTAssertEqual(resumed.frame, first.frame); XCTAssertEqual(resumed.iteration, stopAfter)
            XCTAssertEqual(resumed.recentReturns, first.recentReturns, "episode statistics rebuilt")
            XCTAssertEqual(resumed.episodes, first.episodes)
            try resumed.train()
            XCTAssertEqual(resumed.frame, straight.frame)
            XCTAssertEqual(weights(resumed), weights(straight), "N + resume + M = N + M, bit for bit (\(config.clipCoefficient), \(config.sharedTrunk))")
            XCTAssertEqual(resumed.recentReturns, straight.recentReturns)
            XCTAssertGreaterThan(straight.episodes, 0)
        }
    }

    func testChunkedMinibatchesGiveTheMinibatchGradient() throws {
        var c = tinyConfig()
        c.frames = c.framesPerIteration
        let whole = PPOTrainer(environmentID: "minatar/breakout", config: c, seed: 5) { _ in Breakout() }
        whole.chunkRows = c.minibatchSize
        let chunked = PPOTrainer(environmentID: "minatar/breakout", config: c, seed: 5) { _ in Breakout() }
        chunked.chunkRows = 5   // uneven: 32-row minibatches in chunks of 5, 5, …, 2
        try whole.train(); try chunked.train()
        for (a, b) in zip(weights(whole), weights(chunked)) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5) }
        }
        XCTAssertEqual(whole.lastUpdate.policyLoss, chunked.lastUpdate.policyLoss, accuracy: 1e-5)
        XCTAssertEqual(whole.lastUpdate.valueLoss, chunked.lastUpdate.valueLoss, accuracy: 1e-5)
        XCTAssertNotEqual(weights(whole), weights(PPOTrainer(environmentID: "minatar/breakout", config: c, seed: 5) { _ in Breakout() }), "training moved the weights")
    }

    func testResumeExtendsTheRunAndRefusesKeysThatChangeWhatWasLearned() throws {
        let config = tinyConfig()
        let first = PPOTrainer(environmentID: "minatar/breakout", config: config, seed: 2) { _ in Breakout() }
        try first.train()
        let path = folder + "/end.safetensors"
        try first.save(to: path, algorithm: "ppo")
        XCTAssertThrowsError(try PPOTrainer.resume(from: path, make: { _ in Breakout() }) { c in var c = c; c.learningRate = 0.1; return c }) { error in
            XCTAssertTrue("\(error)".contains("learningRate cannot change"), "\(error)")
        }
        let extended = try PPOTrainer.resume(from: path, make: { _ in Breakout() }) { c in var c = c; c.frames += 2 * c.framesPerIteration; return c }
        try extended.train()
        XCTAssertEqual(extended.iteration, config.iterations + 2)
        // A checkpoint whose counters disagree with its history is refused with a sentence.
        let file = try SafeTensorsFile.read(from: path)
        var meta = file.metadata
        meta["iteration"] = "2"
        try SafeTensorsFile(tensors: file.tensors, metadata: meta, byteArrays: [("history.actions", file.bytes(named: "history.actions") ?? [])]).write(to: path)
        XCTAssertThrowsError(try PPOTrainer.resume(from: path, make: { _ in Breakout() })) { error in
            XCTAssertTrue("\(error)".contains("do not agree"), "\(error)")
        }
    }

    func testWeightsThatAreNotNumbersAreASentenceNotATrap() throws {
        let t = PPOTrainer(environmentID: "minatar/breakout", config: tinyConfig(), seed: 2) { _ in Breakout() }
        t.parameters[0].value.scratchPointer[3] = .nan
        let path = folder + "/nan.safetensors"
        try t.save(to: path, algorithm: "ppo")
        for load in [{ _ = try PPOTrainer.resume(from: path, make: { _ in Breakout() }) },
                     { _ = try ActorCriticPolicy(checkpoint: path, observationShape: Breakout().observationShape, actions: 6) }] {
            XCTAssertThrowsError(try load()) { XCTAssertTrue("\($0)".contains("holds weights that are not numbers (ac.trunk.conv.weight)"), "\($0)") }
        }
        // Diverged logits in a running trainer: the first legal action, and a NaN the loss check reports.
        var g = SeededGenerator(seed: 1)
        let logits: [Float] = [.nan, .nan, .nan]
        for greedy in [false, true] {
            let d = logits.withUnsafeBufferPointer { PolicySampling.draw($0.baseAddress!, count: 3, legal: { $0 != 0 }, greedy: greedy, generator: &g) }
            XCTAssertEqual(d.action, 1)
            XCTAssertTrue(d.logProbability.isNaN)
        }
    }

    func testEveryNumericKeyIsRangeChecked() throws {
        let bad: [String: [Any]] = [
            "frames": [0, -1, 4_611_686_018_427_387_904], "environments": [0, 1_000_000], "steps": [0, 10_000_000],
            "epochs": [0, 100_000], "minibatches": [0, 7, 1_000_000],
            "gamma": [1.5, -0.1], "gaeLambda": [-0.1, 2.0], "clipCoefficient": [-0.2, 100.0],
            "valueCoefficient": [-1.0], "entropyCoefficient": [-0.01], "maxGradientNorm": [-1.0], "targetKL": [-0.5],
            "optimizer": ["sgd"], "learningRate": [0, -1e-3, 1e30], "adamEpsilon": [0, -1e-8],
            "rmspropAlpha": [1.0, -0.1], "rmspropEpsilon": [0],
            "convChannels": [0, 4_611_686_018_427_387_904], "hiddenUnits": [0, 4_611_686_018_427_387_904],
            "checkpointEvery": [0], "returnWindow": [0],
            "memory": ["transformer"], "memoryUnits": [0, 4_611_686_018_427_387_904], "memoryLength": [0, 1_000_000],
            "attentionHeads": [0, 1_000_000], "trunk": ["resnet"], "hiddenLayers": [0, 17, 4_611_686_018_427_387_904],
        ]
        let flags: Set<String> = ["annealLearningRate", "clipValueLoss", "normalizeAdvantages", "sharedTrunk", "memoryPositions", "memoryGate"]
        XCTAssertEqual(Set(ConfigOverrides.keys(of: PPOConfig())), Set(bad.keys).union(flags), "a new key needs its bad values here")
        XCTAssertNoThrow(try PPOConfig().validate())
        XCTAssertNoThrow(try PPOConfig.a2c(from: .minAtar).validate())
        for (key, values) in bad {
            for value in values {
                XCTAssertThrowsError(try ConfigOverrides.apply([key: value], to: PPOConfig(), source: "test").validate(), "\(key)=\(value)") { error in
                    XCTAssertTrue("\(error)".contains(key), "\(key)=\(value): \(error)")
                }
            }
        }
        var c = PPOConfig()
        c.environments = 4_096; c.steps = 1_024; c.hiddenUnits = 1 << 20
        XCTAssertThrowsError(try ActorCriticNetwork.check(c, observation: ObservationShape(channels: 10, height: 10, width: 10), actions: 6, environment: "minatar/seaquest")) { error in
            XCTAssertTrue("\(error)".contains("environments"), "\(error)")
        }
        // Deep wide trunks are counted layer by layer.
        c = PPOConfig()
        c.trunk = .mlp; c.hiddenUnits = 1 << 16; c.hiddenLayers = 16
        XCTAssertThrowsError(try ActorCriticNetwork.check(c, observation: ObservationShape(channels: 10, height: 10, width: 10), actions: 6, environment: "minatar/seaquest")) { error in
            XCTAssertTrue("\(error)".contains("hiddenLayers 16"), "\(error)")
        }
    }

    func testLearnsAGridWorldToOptimality() throws {
        var c = PPOConfig.gridWorld
        c.frames = 24_576; c.convChannels = 8; c.hiddenUnits = 32
        try checkLearnsTheEmptyGrid(c)
    }

    /// The gymnax baselines' network shape: a separate MLP of `hiddenLayers` layers for each
    /// head on the flattened observation, no convolution; it learns the same grid.
    func testTheMLPTrunkIsSeparateNetworksOfDenseLayersAndLearns() throws {
        var c = PPOConfig.gridWorld
        c.frames = 24_576; c.hiddenUnits = 32
        c.trunk = .mlp; c.hiddenLayers = 2; c.sharedTrunk = false
        let shapes = try checkLearnsTheEmptyGrid(c)
        let cells = GridWorld(map: try GridMap(parsing: BuiltInMaps.empty(6))).observationShape.count
        for side in ["policy", "value"] {
            XCTAssertEqual(shapes["ac.\(side)_trunk.fc.weight"].map { Set($0) }, Set([cells, 32]), "\(side): \(shapes.keys.sorted())")
            XCTAssertEqual(shapes["ac.\(side)_trunk.fc2.weight"], [32, 32])
        }
        XCTAssertFalse(shapes.keys.contains { $0.contains("conv") || $0.contains("fc3") }, "\(shapes.keys.sorted())")
    }

    /// Trains `config` on the empty 6×6 grid and checks the greedy policy walks the shortest
    /// path; returns the network's parameter shapes by name.
    @discardableResult
    func checkLearnsTheEmptyGrid(_ c: PPOConfig, file: StaticString = #filePath, line: UInt = #line) throws -> [String: [Int]] {
        let map = try GridMap(parsing: BuiltInMaps.empty(6) + "\n\nstep_penalty = 0.01\nmax_steps = 50")
        let t = PPOTrainer(environmentID: "gridworld/empty-6", config: c, seed: 3) { _ in GridWorld(map: map) }
        try t.train()
        let policy = ActorCriticPolicy(network: t.network, greedy: true)
        var env = GridWorld(map: map)
        var steps = 0, total: Float = 0
        while !env.isOver && steps < 50 {
            total += env.step(policy.act(on: env)).reward
            steps += 1
        }
        XCTAssertEqual(steps, 6, "the shortest path from corner to corner of the 4×4 interior", file: file, line: line)
        XCTAssertEqual(total, 1 - 0.06, accuracy: 1e-5, file: file, line: line)
        XCTAssertGreaterThan(t.recentReturn ?? 0, 0.85, "the sampled policy is near-optimal too", file: file, line: line)
        return Dictionary(uniqueKeysWithValues: t.network.parameters.map { ($0.name, $0.value.shape) })
    }

    /// The memory task's baseline: on a T-maze whose cue is out of sight at the junction
    /// (view 3), a feed-forward policy can do no better than chance (0.5), while with the whole
    /// map in view the same learner solves it — the gap a recurrent agent has to close.
    func testAFeedForwardPolicyCannotRememberTheCue() throws {
        var c = PPOConfig.gridWorld
        c.frames = 40_000; c.convChannels = 8; c.hiddenUnits = 32
        let map = try GridMap(parsing: BuiltInMaps.memory(2))
        var recent: [Double] = []
        for view in [nil, 3] as [Int?] {
            let t = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 4) { _ in GridWorld(map: map, view: view) }
            try t.train()
            recent.append(t.recentReturn ?? 0)
        }
        XCTAssertGreaterThan(recent[0], 0.95, "the whole map in view: solved")
        XCTAssertLessThan(recent[1], 0.7, "the cue out of sight at the junction: chance (0.5)")
        XCTAssertGreaterThan(recent[1], 0.3, "and not worse than chance: both exits are tried")
    }
}
