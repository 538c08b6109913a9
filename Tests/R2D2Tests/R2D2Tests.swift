// R2D2: value rescaling, the sequence replay's bookkeeping (every step trained once, burn-in
// clipped at episode starts, never across an episode's end, stored states from the right
// step), the n-step double-Q targets, the learner seeing each trained step exactly as the
// actor did, bit-identical resume, refused damaged checkpoints, and a recurrent agent that
// remembers the T-maze's cue.
import Foundation
import GridWorld
import MinAtar
import Neural
@testable import R2D2
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class R2D2Tests: XCTestCase {
    var directory: TemporaryDirectory!
    var folder: String { directory.url.path }

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "dojo-r2d2") }
    override func tearDown() { directory.remove() }

    func testValueRescalingInvertsAndSquashes() {
        let h = ValueRescaling(epsilon: 1e-3)
        for x in [-1000.0, -37.5, -1, -0.01, 0, 0.3, 1, 8, 99, 12_345] {
            XCTAssertEqual(h.inverse(h.forward(x)), x, accuracy: 1e-9 * max(1, abs(x)), "h⁻¹(h(\(x)))")
        }
        XCTAssertEqual(h.forward(99), 9 + 0.099, accuracy: 1e-12)   // √100 − 1 + εx
        XCTAssertEqual(h.forward(-3), -(2 - 1) - 0.003, accuracy: 1e-12)
        XCTAssertEqual(ValueRescaling(epsilon: nil).forward(99), 99)
    }

    /// A replay whose observations are one number, the slot's index, and whose stored states
    /// name the slot they were taken at: episodes of the given lengths.
    func filledReplay(_ lengths: [Int], burnIn: Int = 3, unroll: Int = 4, nStep: Int = 2, capacity: Int = 1_000,
                      truncatedLast: Bool = false) -> SequenceReplay {
        var r = SequenceReplay(capacity: capacity, observationCount: 1, binary: false, actionCount: 2, storesMasks: false,
                               burnIn: burnIn, unroll: unroll, nStep: nStep, units: 2, prioritized: true)
        for (e, length) in lengths.enumerated() {
            for t in 0..<length {
                let g = r.written
                [Float(g)].withUnsafeBufferPointer { o in
                    r.observe(o, mask: nil, firstOfEpisode: t == 0) { ([Float(g), 0.5], [Float(-g), 0.25]) }
                }
                r.recordStep(action: g % 2, reward: Float(g))
            }
            [Float(r.written)].withUnsafeBufferPointer {
                r.endEpisode(finalObservation: $0, mask: nil, terminated: !(truncatedLast && e == lengths.count - 1))
            }
        }
        return r
    }

    func testSequencesTrainEveryStepOnceAndNeverCrossAnEpisode() {
        let lengths = [1, 5, 9, 4, 8]
        let r = filledReplay(lengths)
        var starts: [Int] = [], finals: [Int] = [], g = 0
        for l in lengths { starts.append(g); finals.append(g + l); g += l + 1 }
        var trained = Set<Int>()
        let sequences = (0..<r.liveCount).map { r.live[(r.head + $0) % r.maxSequences] }
        for q in sequences {
            let e = starts.lastIndex { $0 <= q.trainStart }!
            XCTAssertEqual((q.trainStart - starts[e]) % 4, 0, "sequences start every unroll steps")
            XCTAssertEqual(q.burnStart, max(starts[e], q.trainStart - 3), "burn-in clipped at the episode's start")
            XCTAssertEqual(q.trained, min(4, finals[e] - q.trainStart))
            XCTAssertEqual(q.end, min(finals[e], q.trainStart + 3 + 2), "the n-step tail, never past the episode's end")
            for s in q.trainStart..<(q.trainStart + q.trained) { XCTAssertTrue(trained.insert(s).inserted, "step \(s) trained twice") }
        }
        let steps = Set(zip(starts, lengths).flatMap { $0..<($0 + $1) })
        XCTAssertEqual(trained, steps, "every step is trained by one sequence")
        // The stored state is the actor's where the burn-in starts, zeros at an episode's start.
        let states = r.storedStates
        for (i, q) in sequences.enumerated() {
            let atStart = starts.contains(q.burnStart)
            XCTAssertEqual(Array(states.h[(2 * i)..<(2 * i + 2)]), atStart ? [0, 0] : [Float(q.burnStart), 0.5], "sequence \(q)")
            XCTAssertEqual(Array(states.c[(2 * i)..<(2 * i + 2)]), atStart ? [0, 0] : [Float(-q.burnStart), 0.25])
        }
    }

    func testOldSequencesLeaveWithTheirFirstSlot() {
        let r = filledReplay([30, 30], capacity: 40)
        let sequences = (0..<r.liveCount).map { r.live[(r.head + $0) % r.maxSequences] }
        XCTAssertFalse(sequences.isEmpty)
        for q in sequences { XCTAssertGreaterThan(q.burnStart, r.written - 1 - 40, "sequence \(q) reads an overwritten slot") }
        XCTAssertEqual(sequences.last?.trainStart, 31 + 28, "the newest sequence stays")
    }

    func testABatchPadsBurnInAtAnEpisodeStartAndStopsAtItsEnd() {
        let r = filledReplay([6], burnIn: 3, unroll: 4, nStep: 2, truncatedLast: true)
        // Two sequences: steps 0–3 (no burn-in) and 4–5 with burn-in 1–3 and the final slot 6.
        XCTAssertEqual(r.liveCount, 2)
        var b = SequenceBatch()
        r.gather([r.head, (r.head + 1) % r.maxSequences], shape: [1, 1, 1], into: &b)
        let burn = Array(UnsafeBufferPointer(start: b.burnObservations.pointer, count: 6))
        XCTAssertEqual(burn, [0, 1, 0, 2, 0, 3], "sequence 0's burn-in is all padding, sequence 1's is steps 1–3")
        XCTAssertNil(b.burnResets, "no reset: sequence 0 has no burn-in step, sequence 1's starts at its first row")
        XCTAssertEqual(b.startsEpisode, [true, false])
        XCTAssertEqual(b.trained, [4, 2])
        let train = Array(UnsafeBufferPointer(start: b.trainObservations.pointer, count: 12))
        XCTAssertEqual(train, [0, 4, 1, 5, 2, 6, 3, 0, 4, 0, 5, 0])
        XCTAssertEqual(b.actions, [0, 0, 1, 1, 0, -1, 1, -1, -1, -1, -1, -1])
        XCTAssertEqual(b.finals, [false, false, false, false, false, true, false, false, false, false, false, false])
        XCTAssertEqual(b.terminals[5], false, "the episode was cut off: its final slot bootstraps")
        XCTAssertEqual(b.padding, [false, false, false, false, false, false, false, true, false, true, false, true])
        // A later sequence whose burn-in is clipped part way: padding, then a reset at the start.
        let r2 = filledReplay([2, 6], burnIn: 3, unroll: 2, nStep: 1)
        let q = (0..<r2.liveCount).map { (r2.head + $0) % r2.maxSequences }.first { r2.live[$0].trainStart == 5 }!
        r2.gather([q], shape: [1, 1, 1], into: &b)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: b.burnObservations.pointer, count: 3)), [0, 3, 4])
        XCTAssertEqual(b.burnResets, [false, true, false])
    }

    func testTargetsAreNStepDoubleQWithRescaling() {
        // One sequence, two actions, rows: step 0 (reward 1), step 1 (reward 2), step 2 (bootstrap).
        var b = SequenceBatch()
        b.batch = 1; b.trainRows = 3
        b.rewards = [1, 2, 0]; b.finals = [false, false, false]; b.terminals = [false, false, false]
        let q: [Float] = [0, 0, 0, 0, 5, 7], qTarget: [Float] = [0, 0, 0, 0, 4, -2]   // online picks action 1 at row 2
        let h = ValueRescaling(epsilon: 1e-3)
        func y(_ batch: SequenceBatch, _ rescaling: ValueRescaling = ValueRescaling(epsilon: 1e-3)) -> Double {
            R2D2Learner.target(step: 0, sequence: 0, batch: batch, actions: 2, q: q, qTarget: qTarget, gamma: 0.5, nStep: 2, rescaling: rescaling)
        }
        XCTAssertEqual(y(b), h.forward(1 + 0.5 * 2 + 0.25 * h.inverse(-2)), accuracy: 1e-12, "double Q: the online argmax, the target's value")
        XCTAssertEqual(y(b, ValueRescaling(epsilon: nil)), 1 + 1 - 0.5, accuracy: 1e-12)
        var legal = b
        legal.legal = [true, true, true, true, true, false]   // action 1 illegal at row 2
        XCTAssertEqual(y(legal, ValueRescaling(epsilon: nil)), 1 + 1 + 0.25 * 4, accuracy: 1e-12)
        var ended = b
        ended.finals = [false, true, false]; ended.terminals = [false, true, false]
        XCTAssertEqual(y(ended, ValueRescaling(epsilon: nil)), 1, accuracy: 1e-12, "terminated after one step: no bootstrap")
        ended.terminals = [false, false, false]
        XCTAssertEqual(y(ended, ValueRescaling(epsilon: nil)), 1 + 0.5 * 0, accuracy: 1e-12, "cut off: bootstrap from the final slot (row 1: Q 0)")
    }

    /// memory-2 with the agent-centred 3×3 view, episodes cut off after `cap` steps.
    func maze(cap: Int = 12) throws -> GridMap { try GridMap(parsing: BuiltInMaps.memory(2) + "\n\nmax_steps = \(cap)") }

    func smallConfig() -> R2D2Config {
        var c = R2D2Config.gridWorld
        c.frames = 600; c.warmupFrames = 100; c.replayCapacity = 300; c.batchSize = 4
        c.burnIn = 2; c.unroll = 3; c.nStep = 2; c.updateEvery = 4; c.targetUpdateEvery = 10
        c.convChannels = 4; c.hiddenUnits = 16; c.memoryUnits = 8; c.checkpointEvery = 1_000_000
        return c
    }

    func testTheLearnerSeesEveryTrainedStepAsTheActorDid() throws {
        // No update yet (the warm-up): replaying a sequence from its stored state through its
        // burn-in must give the Q-values the actor computed step by step from its episode's start.
        var c = smallConfig()
        c.warmupFrames = 400; c.frames = 400
        let map = try maze(cap: 9)
        let t = R2D2Trainer(env: GridWorld(map: map, view: 3), environmentID: "gridworld/memory-2", config: c, seed: 5)
        try t.train()
        let net = t.learner.online, r = t.replay, A = net.actions
        var checked = 0
        for i in 0..<r.liveCount {
            let position = (r.head + i) % r.maxSequences, q = r.live[position]
            let (online, _) = t.learner.evaluate([position], replay: r, shape: t.shape)
            let learnerQ = Array(UnsafeBufferPointer(start: online.pointer, count: q.trained * A))
            // The actor's way: every step of the episode from zeros, one at a time.
            var episodeStart = q.burnStart
            while episodeStart > 0 && !r.finals[(episodeStart - 1) % r.capacity] { episodeStart -= 1 }
            var state = net.zeroState(batch: 1), actorQ: [Float] = []
            for g in episodeStart..<(q.trainStart + q.trained) {
                let x = Tensor(zeros: [1] + t.shape)
                r.readObservation(g, into: x.scratchPointer)
                let out = net.forward(x, steps: 1, batch: 1, initial: state, resets: nil)
                state = net.finalState.copy()
                if g >= q.trainStart { actorQ += Array(UnsafeBufferPointer(start: out.pointer, count: A)) }
            }
            for (a, b) in zip(learnerQ, actorQ) { XCTAssertEqual(a, b, accuracy: 1e-5, "sequence \(q)") }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func weights(_ t: R2D2Trainer<some Environment>) -> [[Float]] { t.learner.parameters.map { $0.value.withUnsafeBufferPointer { Array($0) } } }

    func testResumeIsBitIdenticalToAnUninterruptedRun() throws {
        let map = try maze()
        let c = smallConfig()
        let straight = R2D2Trainer(env: GridWorld(map: map, view: 3), environmentID: "gridworld/memory-2", config: c, seed: 7)
        try straight.train()
        let first = R2D2Trainer(env: GridWorld(map: map, view: 3), environmentID: "gridworld/memory-2", config: c, seed: 7)
        try first.train(stopAt: 333)
        let path = folder + "/c.safetensors"
        try first.save(to: path)
        let resumed = try R2D2Trainer.resume(from: path, env: GridWorld(map: map, view: 3))
        try resumed.train()
        XCTAssertGreaterThan(straight.learner.updates, 100)
        XCTAssertEqual(resumed.learner.updates, straight.learner.updates)
        XCTAssertEqual(weights(resumed), weights(straight))
        XCTAssertEqual(resumed.replay.livePriorities, straight.replay.livePriorities)
        XCTAssertEqual(resumed.recentReturns.count, straight.recentReturns.count)
    }

    func testDamagedCheckpointsAreRefusedInOneSentence() throws {
        let t = R2D2Trainer(env: Breakout(), environmentID: "minatar/breakout", config: {
            var c = smallConfig(); c.frames = 200; return c }(), seed: 1)
        try t.train()
        let path = folder + "/c.safetensors"
        try t.save(to: path)
        XCTAssertThrowsError(try R2D2Trainer.resume(from: path, env: Seaquest())) {
            XCTAssertTrue("\($0)".contains("has shape") || "\($0)".contains("action"), "\($0)")
        }
        // Files that parse but lie: each is refused with a sentence naming the problem.
        func edited(_ name: String, _ edit: (inout SafeTensorsFile) -> Void) throws -> String {
            var file = try SafeTensorsFile.read(from: path)
            edit(&file)
            let out = folder + "/\(name).safetensors"
            try file.write(to: out)
            return out
        }
        func bytes(_ file: SafeTensorsFile, _ name: String) -> [UInt8] { file.bytes(named: name)! }
        func replaceBytes(_ file: inout SafeTensorsFile, _ name: String, _ new: [UInt8]) {
            file.byteArrays = file.byteArrays.map { $0.name == name ? (name, new) : $0 }
        }
        func nanState(_ file: inout SafeTensorsFile) {
            file.tensors = file.tensors.map { entry in
                guard entry.name == "replay.states.h" else { return entry }
                let t = entry.tensor.copy(); t.scratchPointer[0] = .nan; return (entry.name, t)
            }
        }
        let lies: [(String, (inout SafeTensorsFile) -> Void, String)] = [
            ("frame", { $0.metadata["frame"] = "199" }, "inconsistent"),
            ("numbers", { replaceBytes(&$0, "replay.state_numbers", Array(bytes($0, "replay.state_numbers").dropLast(3))) }, "8-byte"),
            ("renumbered", { f in var b = bytes(f, "replay.state_numbers"); b[0] ^= 1; replaceBytes(&f, "replay.state_numbers", b) }, "numbers its stored states"),
            ("priorities", { f in var b = bytes(f, "replay.priorities"); b[7] = 0xBF; replaceBytes(&f, "replay.priorities", b) }, "priorities"),
            ("nan", nanState, "not finite"),
            ("episode", { $0.metadata["first_of_episode"] = $0.metadata["first_of_episode"] == "1" ? "0" : "1" }, "replaying its actions"),
        ]
        for (name, edit, phrase) in lies {
            XCTAssertThrowsError(try R2D2Trainer.resume(from: try edited(name, edit), env: Breakout()), name) {
                XCTAssertTrue($0 is R2D2TrainingError && "\($0)".contains(phrase), "\(name): \($0)")
            }
        }
        // A config asking for an absurd network: refused before anything is allocated.
        let huge = try edited("huge") { f in
            var c = try! JSONDecoder().decode(R2D2Config.self, from: Data(f.metadata["config"]!.utf8))
            (c.convChannels, c.hiddenUnits) = (60_000, 60_000)
            f.metadata["config"] = c.json
        }
        XCTAssertThrowsError(try R2D2Policy(checkpoint: huge, observationShape: Breakout().observationShape, actions: Breakout().actionCount)) {
            XCTAssertTrue("\($0)".contains("more than this machine's"), "\($0)")
        }
        XCTAssertThrowsError(try R2D2Trainer.resume(from: huge, env: Breakout())) { XCTAssertTrue("\($0)".contains("more than this machine's"), "\($0)") }
        let fuzz = CheckpointFuzz(seed: 11)
        let (resumed, refused) = try fuzz.run(path, in: directory, resume: { _ = try R2D2Trainer.resume(from: $0, env: Breakout()) },
                                              load: { _ = try R2D2Trainer.resume(from: $0, env: Breakout()) },
                                              isRefusal: { $0 is R2D2TrainingError || $0 is SafeTensorsError || $0 is ConfigError })
        XCTAssertGreaterThan(refused, 0)
        XCTAssertEqual(resumed + refused, fuzz.rounds)
    }

    /// Mean return of `episodes` greedy episodes (cue and layout drawn by each reset).
    func greedyReturn(_ policy: R2D2Policy, map: GridMap, episodes: Int, seed: UInt64) -> Double {
        var env = GridWorld(map: map, view: 3), total = 0.0
        env.reset(seed: seed)
        for _ in 0..<episodes {
            policy.beginEpisode()
            while true {
                let r = env.step(policy.act(on: env))
                total += Double(r.reward)
                if r.isOver { break }
            }
            env.reset(seed: nil)
        }
        return total / Double(episodes)
    }

    func testARecurrentAgentRemembersTheCue() throws {
        // memory-2 with the 3×3 view: at the junction the cue is out of sight, so a policy
        // without memory scores 0.5 at best (PPOTests.testAFeedForwardPolicyCannotRememberTheCue);
        // the best with memory is 1 − 0.01 per step ≈ 0.95. The step penalty makes the greedy
        // policy's way out clear: without it moving on and bumping a wall differ by 1% of a
        // value, and a greedy Q-learner at 40k frames keeps bumping (ε-greedy ones do not).
        let map = try GridMap(parsing: BuiltInMaps.memory(2) + "\n\nstep_penalty = 0.01")
        var c = R2D2Config.gridWorld
        c.frames = 40_000
        c.convChannels = 8; c.hiddenUnits = 32; c.memoryUnits = 32
        let t = R2D2Trainer(env: GridWorld(map: map, view: 3), environmentID: "gridworld/memory-2", config: c, seed: 4)
        try t.train()
        let score = greedyReturn(R2D2Policy(network: t.learner.online), map: map, episodes: 100, seed: 99)
        XCTAssertGreaterThan(score, 0.9, "the recurrent agent remembers the cue")
    }
}
