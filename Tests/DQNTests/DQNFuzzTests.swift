// Fuzzing what a DQN run reads: configs (--config objects and --set pairs with random keys,
// types and absurd values) are a ConfigError or a valid config; mutated checkpoints given to
// `resume` and to the policy loader are an error sentence or a working trainer; nothing traps
// and nothing allocates beyond what the config check allows.
import DQN
import Foundation
import Neural
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class DQNFuzzTests: XCTestCase {
    static var values: [Any] {
        [0, 1, -1, 2, 32, 1_000, 100_000, Int.max, Int.min, 4_611_686_018_427_387_904, 0.5, -0.5, 1.5, 1e-9, 1e30, -1e30,
         true, false, "adam", "rmsprop-centered", "sgd", "", [1, 2], ["a": 1], NSNull()]
    }

    func testRandomConfigsAreValidOrOneSentence() {
        var m = Mutator(seed: 51)
        let keys = DQNConfig.keys + ["frmaes", "", "hiddenunits"]
        var valid = 0, refused = 0
        for _ in 0..<1_000 {
            var object: [String: Any] = [:]
            for _ in 0..<(1 + m.int(4)) { object[m.pick(keys)] = m.pick(Self.values) }
            do {
                let c = try ConfigOverrides.apply(object, to: DQNConfig.gridWorld, source: "fuzz")
                try c.validate()
                let shape = ObservationShape(channels: 4, height: 10, width: 10)
                let bytes = c.memoryEstimate(observation: shape, actions: 6, binaryObservations: true)
                XCTAssertTrue(bytes.isFinite && bytes > 0)
                valid += 1
            } catch let error as ConfigError {
                XCTAssertFalse(error.description.isEmpty)
                refused += 1
            } catch { XCTFail("not a ConfigError: \(error)") }
        }
        for _ in 0..<300 {
            let setting = m.mutate("\(m.pick(DQNConfig.keys))=\(m.pick(["1", "-1", "0.5", "true", "1e400", "nan", "x", "9223372036854775808"]))", edits: 1)
            do { try DQNConfig().overridden(bySettings: [setting]).validate() } catch is ConfigError {} catch { XCTFail("\(setting): \(error)") }
        }
        XCTAssertGreaterThan(valid, 50)
        XCTAssertGreaterThan(refused, 300)
    }

    /// A tiny environment for checkpoints that resume fast.
    struct Walk: Environment {
        var x = 0, t = 0, isOver = false
        var actionCount: Int { 3 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 3, width: 3) }
        mutating func reset(seed: UInt64?) { x = 0; t = 0; isOver = false }
        mutating func step(_ action: Int) -> StepResult {
            x = max(-4, min(4, x + action - 1)); t += 1
            isOver = x == 4 || t >= 12
            return StepResult(reward: x == 4 ? 1 : 0, terminated: x == 4, truncated: x != 4 && t >= 12)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b.update(repeating: 0); b[x + 4] = 1 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func testMutatedCheckpointsResumeOrFailWithASentence() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-dqn-fuzz")
        defer { dir.remove() }
        var c = DQNConfig.gridWorld
        c.frames = 150; c.warmupFrames = 50; c.replayCapacity = 200; c.hiddenUnits = 8; c.convChannels = 2; c.prioritized = true
        let t = DQNTrainer(env: Walk(), environmentID: "test/walk", config: c, seed: 3)
        try t.train()
        let good = dir.path("good.safetensors")
        try t.save(to: good)
        let (_, refused) = try CheckpointFuzz(seed: 52).run(good, in: dir, resume: { path in
            let r = try DQNTrainer.resume(from: path, env: Walk())
            XCTAssertLessThanOrEqual(r.frame, r.config.frames)
        }, load: { _ = try DQNPolicy(checkpoint: $0, observationShape: Walk().observationShape, actions: 3) },
           isRefusal: { $0 is DQNTrainingError || $0 is SafeTensorsError || $0 is ConfigError })
        XCTAssertGreaterThan(refused, 50)
    }
}
