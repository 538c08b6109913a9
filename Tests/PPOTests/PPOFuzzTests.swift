// Fuzzing what a PPO run reads: configs with random keys, types and absurd values are a
// ConfigError or a valid config whose memory estimate is finite; mutated checkpoints given to
// `resume` and to the policy loader are an error sentence or a working trainer — nothing traps,
// and nothing is allocated from an unchecked number.
import Foundation
import Neural
import PPO
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class PPOFuzzTests: XCTestCase {
    static var values: [Any] {
        [0, 1, -1, 2, 7, 64, 1_000, 100_000, Int.max, Int.min, 4_611_686_018_427_387_904, 0.5, -0.5, 1.5, 1e-9, 1e30, -1e30,
         true, false, "adam", "rmsprop", "sgd", "", [1, 2], ["a": 1], NSNull()]
    }

    func testRandomConfigsAreValidOrOneSentence() {
        var m = Mutator(seed: 61)
        let keys = ConfigOverrides.keys(of: PPOConfig()) + ["enviroments", "", "Steps"]
        var valid = 0, refused = 0
        for _ in 0..<1_000 {
            var object: [String: Any] = [:]
            for _ in 0..<(1 + m.int(4)) { object[m.pick(keys)] = m.pick(Self.values) }
            do {
                let c = try ConfigOverrides.apply(object, to: PPOConfig.gridWorld, source: "fuzz")
                try c.validate()
                let bytes = c.memoryEstimate(observation: ObservationShape(channels: 4, height: 10, width: 10), actions: 6)
                XCTAssertTrue(bytes.isFinite && bytes > 0)
                valid += 1
            } catch let error as ConfigError {
                XCTAssertFalse(error.description.isEmpty)
                refused += 1
            } catch { XCTFail("not a ConfigError: \(error)") }
        }
        XCTAssertGreaterThan(valid, 50)
        XCTAssertGreaterThan(refused, 300)
    }

    func testMutatedCheckpointsResumeOrFailWithASentence() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-ppo-fuzz")
        defer { dir.remove() }
        var c = PPOConfig.gridWorld
        c.environments = 2; c.steps = 8; c.minibatches = 2; c.frames = 64; c.hiddenUnits = 8; c.convChannels = 2
        let t = PPOTrainer(environmentID: "test/walk", config: c, seed: 3) { _ in PPOTests.Walk() }
        try t.train()
        let good = dir.path("good.safetensors")
        try t.save(to: good, algorithm: "ppo")
        XCTAssertEqual(try PPOTrainer.resume(from: good, make: { _ in PPOTests.Walk() }).frame, 64, "the unmutated file resumes")
        let (resumed, refused) = try CheckpointFuzz(seed: 62).run(good, in: dir, resume: { path in
            let r = try PPOTrainer.resume(from: path, make: { _ in PPOTests.Walk() })
            XCTAssertLessThanOrEqual(r.iteration, r.config.iterations)
        }, load: { _ = try ActorCriticPolicy(checkpoint: $0, observationShape: PPOTests.Walk().observationShape, actions: 3) },
           isRefusal: { $0 is PPOTrainingError || $0 is SafeTensorsError || $0 is ConfigError })
        XCTAssertGreaterThan(refused, 50)
        XCTAssertGreaterThan(resumed, 0)
    }
}
