// Every numeric DQN config key is range-checked, sizes are bounded by a maximum and by the
// memory a run implies, and configs read from checkpoints are checked like typed ones.
import DQN
import Foundation
import Neural
import RL
import Runs
import Tensors
import XCTest

final class DQNConfigValidationTests: XCTestCase {
    /// For each key, values that cannot work (the booleans have none).
    static var badValues: [String: [Any]] { [
        "frames": [0, -5, 4_611_686_018_427_387_904],
        "replayCapacity": [0, 4_611_686_018_427_387_904],
        "batchSize": [0, -1, 1_000_000_000],
        "warmupFrames": [-1, 31],
        "updateEvery": [0], "targetUpdateEvery": [0, -3],
        "epsilonStart": [-0.1, 1.5], "epsilonEnd": [2.0], "epsilonDecayFrames": [-1],
        "gamma": [1.01, -1.0],
        "huberDelta": [0, -1.0],
        "optimizer": ["sgd"],
        "learningRate": [0, -1e-3, 1e30],
        "rmspropAlpha": [-0.5, 1.0], "rmspropEpsilon": [0, -0.01], "adamEpsilon": [0, -1e-8],
        "convChannels": [0, 4_611_686_018_427_387_904], "hiddenUnits": [0, -1, 4_611_686_018_427_387_904],
        "nStep": [0, 1_000_000],
        "priorityAlpha": [-0.1, 1e9], "priorityBetaStart": [1.5], "priorityEpsilon": [0],
        "gradientClip": [-1.0],
        "frameStack": [0, 1_000_000],
        "checkpointEvery": [0], "returnWindow": [0, 1_000_000_000],
    ] }
    static let flags: Set<String> = ["doubleDQN", "dueling", "prioritized", "rewardClip"]

    func testEveryNumericKeyIsRangeChecked() throws {
        XCTAssertEqual(Set(DQNConfig.keys), Set(Self.badValues.keys).union(Self.flags), "a new key needs its bad values here")
        XCTAssertNoThrow(try DQNConfig().validate())
        for (key, values) in Self.badValues {
            for value in values {
                XCTAssertThrowsError(try ConfigOverrides.apply([key: value], to: DQNConfig(), source: "test").validate(), "\(key)=\(value)") { error in
                    XCTAssertTrue("\(error)".contains(key), "\(key)=\(value): \(error)")
                }
            }
        }
        var nan = DQNConfig()
        nan.gamma = .nan
        XCTAssertThrowsError(try nan.validate()) { XCTAssertTrue("\($0)".contains("gamma"), "\($0)") }
    }

    func testAConfigTooLargeForThisMachineIsRefusedBeforeAllocating() throws {
        var c = DQNConfig()
        c.replayCapacity = 100_000_000
        c.hiddenUnits = 1 << 20
        XCTAssertNoThrow(try c.validate(), "each size alone is within its bound")
        let shape = ObservationShape(channels: 10, height: 10, width: 10)
        XCTAssertThrowsError(try QNetwork.check(c, observation: shape, actions: 6, binaryObservations: false, environment: "minatar/seaquest")) { error in
            XCTAssertTrue("\(error)".contains("more than this machine's"), "\(error)")
        }
        XCTAssertNoThrow(try QNetwork.check(DQNConfig(), observation: shape, actions: 6, binaryObservations: true, environment: "minatar/seaquest"))
    }
}
