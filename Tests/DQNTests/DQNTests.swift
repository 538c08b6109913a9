// DQN: exact resume, terminal vs truncated bootstrapping, n-step targets, compact replay,
// config errors, and a tiny grid world learned to optimality in seconds.
import DQN
import Foundation
import GridWorld
import MinAtar
import Neural
import RL
import Tensors
import XCTest

final class DQNTests: XCTestCase {
    var folder: String!

    override func setUp() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-dqn-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func smallConfig() -> DQNConfig {
        var c = DQNConfig.minAtar
        c.frames = 400; c.warmupFrames = 100; c.replayCapacity = 300; c.targetUpdateEvery = 50
        c.epsilonDecayFrames = 150; c.checkpointEvery = 10_000; c.hiddenUnits = 8; c.convChannels = 2
        return c
    }

    func weights(_ t: DQNTrainer<some Environment>) -> [[Float]] { t.agent.parameters.map { $0.value.withUnsafeBufferPointer { Array($0) } } }

    func testResumeIsBitIdenticalToAnUninterruptedRun() throws {
        let variants = [smallConfig(),
                        { var c = smallConfig(); c.doubleDQN = true; c.dueling = true; c.nStep = 3; c.optimizer = .adam; return c }(),
                        { var c = smallConfig(); c.prioritized = true; c.gradientClip = 10; return c }()]
        for config in variants {
            let straight = DQNTrainer(env: Breakout(), environmentID: "minatar/breakout", config: config, seed: 7)
            try straight.train()
            let first = DQNTrainer(env: Breakout(), environmentID: "minatar/breakout", config: config, seed: 7)
            try first.train(stopAt: 230)
            let path = folder + "/mid.safetensors"
            try first.save(to: path)
            let resumed = try DQNTrainer.resume(from: path, env: Breakout())
            XCTAssertEqual(resumed.frame, 230); XCTAssertEqual(resumed.agent.updates, first.agent.updates)
            XCTAssertEqual(resumed.recentReturns, first.recentReturns, "episode statistics rebuilt")
            try resumed.train()
            XCTAssertEqual(resumed.frame, 400)
            XCTAssertEqual(weights(resumed), weights(straight), "N + resume + M = N + M, bit for bit")
            XCTAssertEqual(resumed.recentReturns, straight.recentReturns)
        }
    }

    /// A corridor whose end terminates (reward 1) and whose step limit truncates.
    struct Line: Environment {
        var position = 0, steps = 0, isOver = false
        var terminations = 0      // survives resets, for the test
        var actionCount: Int { 2 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 3, width: 3) }
        mutating func reset(seed: UInt64?) { position = 0; steps = 0; isOver = false }
        mutating func step(_ action: Int) -> StepResult {
            steps += 1
            position += action
            let terminated = position >= 2, truncated = !terminated && steps >= 4
            isOver = terminated || truncated
            if terminated { terminations += 1 }
            return StepResult(reward: terminated ? 1 : 0.5, terminated: terminated, truncated: truncated)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b.update(repeating: 0); b[min(position, 8)] = 1 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func testTerminalStopsBootstrappingAndTruncationKeepsIt() throws {
        var c = smallConfig(); c.warmupFrames = 1_000; c.frames = 60; c.replayCapacity = 100; c.gamma = 0.9
        for n in [1, 2] {
            c.nStep = n
            let t = DQNTrainer(env: Line(), environmentID: "test/line", config: c, seed: 1)
            try t.train()
            let r = t.replay, count = r.count
            let terminations = t.env.terminations, truncations = t.episodes - terminations
            XCTAssertGreaterThan(terminations, 0); XCTAssertGreaterThan(truncations, 0, "both kinds of ending happened")
            let zero = r.discounts.prefix(count).filter { $0 == 0 }.count
            // Only the last n transitions of a terminated episode stop bootstrapping.
            XCTAssertEqual(zero, n * terminations)
            for i in 0..<count where r.discounts[i] != 0 {
                // Everything else — truncated endings included — bootstraps with γ^k.
                XCTAssertTrue(abs(r.discounts[i] - 0.9) < 1e-6 || (n == 2 && abs(r.discounts[i] - 0.81) < 1e-6), "\(r.discounts[i])")
            }
            if n == 1 {
                for i in 0..<count { XCTAssertEqual(r.discounts[i] == 0, r.rewards[i] == 1, "terminal reward ⇔ no bootstrap") }
            }
        }
    }

    /// Episodes of given lengths, each terminated or truncated, with reward t + 1 at step t.
    struct Scripted: Environment {
        static let episodes: [(length: Int, terminated: Bool)] = [(5, true), (4, false), (2, true), (1, false), (1, true), (3, false)]
        var episode = 0, step = 0, isOver = false
        var actionCount: Int { 2 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 3, width: 3) }
        mutating func reset(seed: UInt64?) {
            if isOver { episode += 1 }
            step = 0; isOver = false
        }
        mutating func step(_ action: Int) -> StepResult {
            let (length, terminated) = Self.episodes[episode % Self.episodes.count]
            step += 1
            isOver = step == length
            return StepResult(reward: Float(step), terminated: isOver && terminated, truncated: isOver && !terminated)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b.update(repeating: 0); b[min(step, 8)] = 1 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    /// Every stored n-step transition, in order: the discounted reward sum over the steps left
    /// (at most n), and a bootstrap discount of γ^k — or 0 when the episode terminated within
    /// those n steps (a truncated one still bootstraps from its last observation).
    func testNStepTransitionsAtTheEndsOfEpisodes() throws {
        let gamma = 0.5
        for n in [1, 2, 3] {
            var c = smallConfig()
            c.nStep = n; c.gamma = gamma
            c.frames = Scripted.episodes.map(\.length).reduce(0, +)
            c.warmupFrames = 1_000; c.replayCapacity = 1_000
            let t = DQNTrainer(env: Scripted(), environmentID: "test/scripted", config: c, seed: 1)
            try t.train()
            var expected: [(reward: Float, discount: Float)] = []
            for (length, terminated) in Scripted.episodes {
                for start in 0..<length {
                    let k = min(n, length - start)
                    let reward = (0..<k).reduce(0.0) { $0 + pow(gamma, Double($1)) * Double(start + $1 + 1) }
                    let discount = terminated && start + n >= length ? 0 : pow(gamma, Double(k))
                    expected.append((Float(reward), Float(discount)))
                }
            }
            XCTAssertEqual(t.replay.count, expected.count, "n = \(n)")
            for (i, e) in expected.enumerated() where i < t.replay.count {
                XCTAssertEqual(t.replay.rewards[i], e.reward, accuracy: 1e-6, "n = \(n), transition \(i)")
                XCTAssertEqual(t.replay.discounts[i], e.discount, accuracy: 1e-6, "n = \(n), transition \(i)")
            }
        }
    }

    /// The target network is the online one exactly after every targetUpdateEvery-th update,
    /// and stays behind it in between.
    func testTargetNetworkCopiesTheOnlineOneEveryTargetUpdateEvery() throws {
        var c = smallConfig()
        c.warmupFrames = 40; c.targetUpdateEvery = 5; c.frames = 70; c.learningRate = 1e-2
        let t = DQNTrainer(env: Line(), environmentID: "test/line", config: c, seed: 2)
        func values(_ p: [Parameter]) -> [[Float]] { p.map { $0.value.withUnsafeBufferPointer { Array($0) } } }
        XCTAssertEqual(values(t.agent.targetParameters), values(t.agent.onlineParameters), "a copy at the start")
        var checked = 0
        while t.frame < c.frames {
            try t.train(stopAt: t.frame + 1)
            let updates = t.agent.updates
            guard updates > 0 else { continue }
            let same = values(t.agent.targetParameters) == values(t.agent.onlineParameters)
            XCTAssertEqual(same, updates % 5 == 0, "after update \(updates)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 25)
    }

    func testSumTreeSamplesInProportionToPriority() {
        var tree = SumTree(capacity: 5)
        for (i, p) in [1.0, 0, 3, 2, 4].enumerated() { tree.set(i, p) }
        XCTAssertEqual(tree.total, 10); XCTAssertEqual(tree.minimum, 0)
        XCTAssertEqual(tree.find(0.5), 0); XCTAssertEqual(tree.find(1.0), 2); XCTAssertEqual(tree.find(3.9), 2)
        XCTAssertEqual(tree.find(4.0), 3); XCTAssertEqual(tree.find(9.99), 4)
        var g = SeededGenerator(seed: 1)
        var counts = [0, 0, 0, 0, 0]
        for _ in 0..<20_000 { counts[tree.find(Double(g.nextUniform()) * tree.total)] += 1 }
        XCTAssertEqual(counts[1], 0, "zero priority is never drawn")
        for (i, p) in [1.0, 0, 3, 2, 4].enumerated() where p > 0 {
            XCTAssertEqual(Double(counts[i]) / 20_000, p / 10, accuracy: 0.015)
        }
        tree.set(2, 0.5)
        XCTAssertEqual(tree.total, 7.5)
    }

    func testPrioritizedWeightsFavourRareSamples() {
        var r = ReplayBuffer(capacity: 4, observationCount: 1, binary: false, actionCount: 2, storesMasks: false, prioritized: true)
        let o: [Float] = [0]
        for _ in 0..<4 { o.withUnsafeBufferPointer { r.add(observation: $0, action: 0, reward: 0, nextObservation: $0, discount: 0.9, nextMask: nil) } }
        r.updatePriorities([0, 1, 2, 3], [1, 1, 1, 5])
        var g = SeededGenerator(seed: 2)
        let (indices, weights) = r.samplePrioritized(4, beta: 1, generator: &g)
        for (i, w) in zip(indices, weights) {
            XCTAssertEqual(w, i == 3 ? 0.2 : 1, accuracy: 1e-6, "weights (N·P)^−β over their maximum")
        }
        XCTAssertEqual(r.maxPriority, 5)
    }

    func testReplayPacksBinaryObservations() {
        let seaquest = Seaquest()
        let r = ReplayBuffer(capacity: 100_000, observationCount: seaquest.observationShape.count, binary: seaquest.observationsAreBinary,
                             actionCount: 6, storesMasks: false)
        XCTAssertTrue(r.packed)
        XCTAssertEqual(r.bytesPerTransition, 2 * 125 + 12)
        XCTAssertLessThan(r.bytesPerTransition * 100_000, 50_000_000, "the 100k Seaquest buffer stays under 50 MB")
    }

    func testConfigOverridesAndErrors() throws {
        let c = try DQNConfig.minAtar.overridden(byJSON: Data(#"{"frames": 1000, "doubleDQN": true}"#.utf8), source: "my.json")
        XCTAssertEqual(c.frames, 1000); XCTAssertTrue(c.doubleDQN); XCTAssertEqual(c.batchSize, 32)
        func message(_ json: String) -> String {
            do { _ = try DQNConfig.minAtar.overridden(byJSON: Data(json.utf8), source: "my.json"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(#"{"frmaes": 10}"#).hasPrefix("unknown key 'frmaes' in my.json (did you mean frames?); known keys: adamEpsilon, batchSize"))
        XCTAssertEqual(message(#"{"frames": "many"}"#), "key 'frames' in my.json has the wrong type (`dojo train <agent> --help` lists each key's type and default)")
        XCTAssertEqual(message(#"{"optimizer": "sgd"}"#), "optimizer must be rmsprop-centered or adam, got 'sgd'")
        XCTAssertEqual(message("[1, 2]"), "my.json is not a JSON object of config keys (for example {\"frames\": 100000})")
        XCTAssertEqual(try DQNConfig.minAtar.overridden(bySettings: ["gamma=0.9", "dueling=true"]).gamma, 0.9)
    }

    func testCheckpointErrorsAreOneSentence() throws {
        let t = DQNTrainer(env: Breakout(), environmentID: "minatar/breakout", config: smallConfig(), seed: 1)
        try t.train(stopAt: 120)
        let path = folder + "/c.safetensors"
        try t.save(to: path)
        XCTAssertThrowsError(try DQNTrainer.resume(from: path, env: Seaquest())) {
            XCTAssertTrue("\($0)".contains("has shape"), "\($0)")   // 10 input planes instead of 4
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: URL(fileURLWithPath: folder + "/torn.safetensors"))
        XCTAssertThrowsError(try DQNTrainer.resume(from: folder + "/torn.safetensors", env: Breakout())) {
            XCTAssertTrue("\($0)".contains("truncated"), "\($0)")
        }
    }

    /// The tiny learning test: a 5×5 room (start and goal in opposite corners, 0.01 per step
    /// penalty); DQN must learn the shortest path (6 steps) within a few thousand frames.
    func testLearnsAGridWorldToOptimality() throws {
        var c = DQNConfig.gridWorld
        c.frames = 2_500; c.warmupFrames = 200; c.epsilonDecayFrames = 1_000; c.targetUpdateEvery = 50; c.convChannels = 8; c.hiddenUnits = 32
        let map = try GridMap(parsing: BuiltInMaps.empty(6) + "\n\nstep_penalty = 0.01\nmax_steps = 50")
        let t = DQNTrainer(env: GridWorld(map: map), environmentID: "gridworld/empty-6", config: c, seed: 3)
        try t.train()
        // Greedy rollout.
        var env = GridWorld(map: map)
        var steps = 0, total: Float = 0
        while !env.isOver && steps < 50 {
            let obs = env.observation()
            let a = obs.withUnsafeBufferPointer { t.agent.greedyAction($0, mask: nil) }
            total += env.step(a).reward
            steps += 1
        }
        XCTAssertEqual(steps, 6, "the shortest path from corner to corner of the 4×4 interior")
        XCTAssertEqual(total, 1 - 0.06, accuracy: 1e-5)
    }
}
