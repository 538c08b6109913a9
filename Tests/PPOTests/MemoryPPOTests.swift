// PPO with memory: the update replays every step exactly as the acting copies saw it (the
// recurrent state across rollouts and episode starts, attention's window of context), resume is
// bit-identical with the copies' memory in the checkpoint, a policy forgets between episodes,
// and on the T-maze whose cue is out of sight at the junction a recurrent and an attention
// agent succeed where a feed-forward one stays at chance.
import Foundation
import GridWorld
import Neural
@testable import PPO
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class MemoryPPOTests: XCTestCase {
    var directory: TemporaryDirectory!
    var folder: String { directory.url.path }

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "dojo-ppo-memory") }
    override func tearDown() { directory.remove() }

    /// memory-2 with the agent-centred 3×3 view, episodes cut off after `cap` steps.
    func maze(cap: Int = 8) throws -> GridMap { try GridMap(parsing: BuiltInMaps.memory(2) + "\n\nmax_steps = \(cap)") }

    func config(_ memory: PPOConfig.Memory) -> PPOConfig {
        var c = PPOConfig.gridWorld
        c.environments = 4; c.steps = 12; c.minibatches = 2; c.epochs = 2
        c.frames = 6 * 48; c.convChannels = 4; c.hiddenUnits = 16; c.memoryUnits = 8
        c.memory = memory; c.memoryLength = 5; c.attentionHeads = 2
        return c
    }

    func testTheUpdateSeesEveryStepAsTheCopiesDid() throws {
        let map = try maze(cap: 5)
        // Attention's window shorter and longer than a rollout.
        for (memory, length, gated) in [(PPOConfig.Memory.lstm, 5, false), (.gru, 5, false), (.attention, 5, false), (.attention, 30, false),
                                        (.attention, 5, true), (.none, 5, false)] {
            var c = config(memory)
            c.memoryLength = length
            c.memoryGate = gated
            let t = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 3) { _ in GridWorld(map: map, view: 3) }
            // The second rollout starts from remembered steps made with the old weights' rollout.
            for _ in 0..<2 { t.collectRollout(logging: false); _ = t.update() }
            t.collectRollout(logging: false)
            XCTAssertTrue(t.rollout.truncated.contains(true) && t.rollout.terminated.contains(true), "episodes end and are cut off inside the rollout")
            let replayed = t.replayedRollout()
            for row in 0..<t.rollout.rows {
                XCTAssertEqual(replayed.logProbabilities[row], t.rollout.logProbabilities[row], accuracy: 2e-5, "\(memory) row \(row)")
                XCTAssertEqual(replayed.values[row], t.rollout.values[row], accuracy: 2e-5, "\(memory) row \(row)")
            }
        }
    }

    func testMemoryChangesWhatTheNetworkSays() throws {
        // The replay test would pass for a memory that ignored the past; this one would not.
        let map = try maze(cap: 5)
        for memory in [PPOConfig.Memory.lstm, .gru, .attention] {
            var c = config(memory)
            c.convChannels = 8; c.hiddenUnits = 32   // the tiny net's features are mostly 0 at the start
            let t = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 3) { _ in GridWorld(map: map, view: 3) }
            t.collectRollout(logging: false)
            let n = t.config.environments
            var carry = MemoryCarry(t.network.memory, copies: n)
            Tensor.prepare(&t.batch, shape: [n] + [t.shape.channels, t.shape.height, t.shape.width])
            t.rollout.observations.withUnsafeBufferPointer { t.batch.scratchPointer.update(from: $0.baseAddress! + (t.config.steps - 1) * n * t.shape.count, count: n * t.shape.count) }
            let fresh = t.network.act(t.batch, episodes: [Int](repeating: 99, count: n), positions: [Int](repeating: 0, count: n), carry: &carry, commit: false).value
            let remembered = (0..<n).map { t.rollout.values[(t.config.steps - 1) * n + $0] }
            XCTAssertNotEqual((0..<n).map { fresh.pointer[$0] }, remembered, "\(memory): the last step's value depends on the steps before it")
        }
    }

    func testResumeIsBitIdenticalWithMemory() throws {
        let map = try maze()
        for (memory, gated) in [(PPOConfig.Memory.lstm, false), (.gru, false), (.attention, false), (.attention, true)] {
            var c = config(memory)
            c.memoryGate = gated
            let make: (Int) -> GridWorld = { _ in GridWorld(map: map, view: 3) }
            let straight = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 7, make: make)
            try straight.train()
            var done = 0
            let first = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 7, make: make)
            try first.train(shouldStop: { defer { done += 1 }; return done == 3 })
            let path = folder + "/mid-\(memory).safetensors"
            try first.save(to: path, algorithm: "ppo")
            let resumed = try PPOTrainer.resume(from: path, make: make)
            try resumed.train()
            XCTAssertEqual(resumed.parameters.map { $0.value.withUnsafeBufferPointer { Array($0) } },
                           straight.parameters.map { $0.value.withUnsafeBufferPointer { Array($0) } }, "\(memory): N + resume + M = N + M, bit for bit")
            XCTAssertGreaterThan(straight.episodes, 4)
            if memory == .lstm {
                // Without the copies' state, a resume would start them from zeros: refused.
                let file = try SafeTensorsFile.read(from: path)
                XCTAssertNotNil(file["memory.state.c"], "the cell state is in the checkpoint")
                XCTAssertNoThrow(try ActorCriticPolicy(checkpoint: path, observationShape: make(0).observationShape, actions: 4), "a policy skips the copies' state")
                try SafeTensorsFile(tensors: file.tensors.filter { $0.name != "memory.state.c" }, metadata: file.metadata, byteArrays: file.byteArrays).write(to: path)
                XCTAssertThrowsError(try PPOTrainer.resume(from: path, make: make)) { XCTAssertTrue("\($0)".contains("tensor memory.state.c is missing"), "\($0)") }
            }
        }
    }

    func testAPolicyForgetsBetweenEpisodes() throws {
        let map = try maze(cap: 20)
        let t = PPOTrainer(environmentID: "gridworld/memory-2", config: config(.lstm), seed: 5) { _ in GridWorld(map: map, view: 3) }
        try t.train()
        /// The actions and the memory after each step.
        func episode(_ policy: ActorCriticPolicy, seed: UInt64) -> [[Float]] {
            var env = GridWorld(map: map, view: 3)
            env.reset(seed: seed)
            policy.beginEpisode()
            var states: [[Float]] = []
            while !env.isOver {
                let a = policy.act(on: env)
                _ = env.step(a)
                states.append([Float(a)] + policy.carry.state.h.withUnsafeBufferPointer { Array($0) })
            }
            return states
        }
        let fresh = ActorCriticPolicy(network: t.network, greedy: true)
        let used = ActorCriticPolicy(network: t.network, greedy: true)
        _ = episode(used, seed: 1); _ = episode(used, seed: 2)
        XCTAssertEqual(episode(used, seed: 3), episode(fresh, seed: 3), "an episode plays the same after others")
        // And evaluation tells the policy when an episode starts.
        var counter = CountingPolicy()
        _ = ReturnSummary.evaluate(GridWorld(map: map, view: 3), policy: &counter, episodes: 3, seed: 1)
        XCTAssertEqual(counter.episodes, 3)
    }

    /// The T-maze of memory-2 with the 3×3 view: the cue is out of sight at the junction, so a
    /// feed-forward agent stays at chance (testAFeedForwardPolicyCannotRememberTheCue); with
    /// memory the same learner finds the paying exit.
    func testRecurrentAndAttentionAgentsRememberTheCue() throws {
        let map = try GridMap(parsing: BuiltInMaps.memory(2))
        for memory in [PPOConfig.Memory.lstm, .attention] {
            var c = PPOConfig.gridWorld
            c.frames = 40_000; c.convChannels = 8; c.hiddenUnits = 32; c.memoryUnits = 32
            c.memory = memory; c.memoryLength = 8; c.minibatches = 4
            let t = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 4) { _ in GridWorld(map: map, view: 3) }
            try t.train()
            XCTAssertGreaterThan(t.recentReturn ?? 0, 0.9, "\(memory) remembers the cue")
        }
    }

    func testMemoryKeysAreChecked() {
        var c = PPOConfig.gridWorld
        c.memory = .lstm
        XCTAssertNoThrow(try c.validate())
        c.sharedTrunk = false
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("sharedTrunk=true"), "\($0)") }
        c.sharedTrunk = true
        c.minibatches = 16   // divides the 8 × 64 rows, not the 8 copies
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("must divide environments"), "\($0)") }
        c = .gridWorld
        c.memory = .attention; c.hiddenUnits = 30; c.attentionHeads = 4
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("attentionHeads (4), which must divide"), "\($0)") }
    }
}

/// Counts the episodes it is told about.
struct CountingPolicy: Policy {
    var episodes = 0
    mutating func act(on env: some Environment) -> Int { env.legalActions[0] }
    mutating func beginEpisode() { episodes += 1 }
}

extension MemoryPPOTests {
    func testACheckpointFromBeforeMemoryReadsAsFeedForward() throws {
        let map = try maze()
        var c = config(.none)
        (c.memoryUnits, c.memoryLength, c.attentionHeads) = (PPOConfig().memoryUnits, PPOConfig().memoryLength, PPOConfig().attentionHeads)
        c.memoryPositions = false   // what builds before the key ran
        let t = PPOTrainer(environmentID: "gridworld/memory-2", config: c, seed: 1) { _ in GridWorld(map: map, view: 3) }
        let path = folder + "/old.safetensors"
        try t.save(to: path, algorithm: "ppo")
        let file = try SafeTensorsFile.read(from: path)
        var meta = file.metadata
        var stored = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(meta["config"]).utf8)) as? [String: Any])
        for key in ["memory", "memoryUnits", "memoryLength", "attentionHeads", "memoryPositions", "memoryGate"] { XCTAssertNotNil(stored.removeValue(forKey: key), key) }
        meta["config"] = String(decoding: try JSONSerialization.data(withJSONObject: stored), as: UTF8.self)
        try SafeTensorsFile(tensors: file.tensors, metadata: meta, byteArrays: file.byteArrays).write(to: path)
        let info = try PPOCheckpointInfo.read(path)
        XCTAssertEqual(info.config, t.config)
        XCTAssertNoThrow(try PPOTrainer.resume(from: path, make: { _ in GridWorld(map: map, view: 3) }))
        meta["config"] = "{\"memory\": 3}"
        try SafeTensorsFile(tensors: file.tensors, metadata: meta, byteArrays: file.byteArrays).write(to: path)
        XCTAssertThrowsError(try PPOCheckpointInfo.read(path)) { XCTAssertTrue("\($0)".contains("no readable config"), "\($0)") }
    }
}

extension MemoryPPOTests {
    /// The whole network with each memory — trunk, memory, heads — against central
    /// differences on sequences that cross an episode start, attention with context rows.
    func testNetworkGradientsMatchCentralDifferences() {
        var g = SeededGenerator(seed: 9)
        let shape = ObservationShape(channels: 2, height: 3, width: 3), actions = 3
        for (memory, gated) in [(PPOConfig.Memory.lstm, false), (.gru, false), (.attention, false), (.attention, true)] {
            var c = config(memory)
            c.convChannels = 3; c.hiddenUnits = 8; c.memoryUnits = 4; c.memoryLength = 3; c.memoryGate = gated
            let network = ActorCriticNetwork.make(c, observation: shape, actions: actions, generator: &g)
            let steps = 3, batch = 2, context = network.memory?.contextLength ?? 0, rows = (context + steps) * batch
            // Sequence 0 starts episode 6 at step 2 (of the rows); sequence 1 has an empty slot first.
            let episodes = (0..<(context + steps)).flatMap { s in [s < 2 ? 5 : 6, s == 0 ? -1 : 4] }
            let initial = network.memory?.isRecurrent == true ? RecurrentState(h: .uniform(shape: [1, batch, 4], low: -0.5, high: 0.5, using: &g),
                                                                               c: memory == .lstm ? .uniform(shape: [1, batch, 4], low: -0.5, high: 0.5, using: &g) : .empty) : nil
            func forward(_ x: Tensor) -> Tensor {
                let (logits, values) = network.forward(x, steps: steps, batch: batch, episodes: episodes, firstPositions: [3, 0], initial: initial)
                return Tensor(shape: [steps * batch * (actions + 1)], values: logits.withUnsafeBufferPointer { Array($0) } + values.withUnsafeBufferPointer { Array($0) })
            }
            GradientCheck().check("\(memory)\(gated ? " gated" : "")", input: .uniform(shape: [rows, 2, 3, 3], low: 0, high: 1, using: &g),
                                  parameters: network.parameters, forward: forward,
                                  backward: { r in
                                      let values = r.withUnsafeBufferPointer { Array($0) }, n = steps * batch * actions
                                      network.backward(policyGradient: Tensor(shape: [steps * batch, actions], values: Array(values[0..<n])),
                                                       valueGradient: Tensor(shape: [steps * batch, 1], values: Array(values[n...])))
                                      return Tensor(zeros: [rows, 2, 3, 3])
                                  }, checkInput: false, generator: &g)
        }
    }
}

extension MemoryPPOTests {
    /// Positions count on within an episode and start again at 0 where it changes; indices past
    /// the table (an endless episode) are computed, not tabled, and equal the formula.
    func testPositionsCountWithinEpisodes() throws {
        var g = SeededGenerator(seed: 2)
        var c = config(.attention)
        c.hiddenUnits = 8
        let memory = try XCTUnwrap(ActorCriticNetwork.make(c, observation: ObservationShape(channels: 2, height: 3, width: 3), actions: 3, generator: &g).memory)
        let first = ActorCriticMemory.tabledPositions - 2
        let features = Tensor.uniform(shape: [4 * 2, 8], low: -1, high: 1, using: &g)
        // Sequence 0: one episode from index first; sequence 1: episode 7 from 3, then episode 8.
        let encoded = memory.encode(features, sequence: 4, batch: 2, episodes: [1, 7, 1, 7, 1, 8, 1, 8], firstPositions: [first, 3]).copy()
        let expected = [[first, 3], [first + 1, 4], [first + 2, 0], [first + 3, 1]]
        for s in 0..<4 {
            for b in 0..<2 {
                for j in 0..<8 {
                    let r = s * 2 + b
                    XCTAssertEqual(encoded[flat: r * 8 + j] - features[flat: r * 8 + j],
                                   PositionalEncoding.value(position: expected[s][b], index: j, embed: 8), accuracy: 1e-6, "step \(s) sequence \(b)")
                }
            }
        }
    }
}
