// Fuzzing the self-play reader in all three versions: every mutated file is an AlphaZeroError
// or positions that training can use (finite visit shares summing to 1 on legal moves, an
// outcome in −1…1); nothing traps.
import AlphaZero
import Foundation
import RL
import Tensors
import TestSupport
import XCTest

final class SelfPlayRecordFuzzTests: XCTestCase {
    func testMutatedRecordsAreReadOrRefused() throws {
        let shape = PositionShape(observation: ObservationShape(channels: 3, height: 3, width: 3), actions: 9)
        var g = SeededGenerator(seed: 3)
        let positions = (0..<4).map { k -> TrainingPosition in
            let legal = (0..<9).map { $0 != k }
            var policy = (0..<9).map { legal[$0] ? Float(g.nextUniform()) : 0 }
            let sum = policy.reduce(0, +)
            policy = policy.map { $0 / sum }
            return TrainingPosition(planes: (0..<27).map { _ in g.nextUniform() < 0.5 ? 1 : 0 }, legal: legal, policy: policy,
                                    outcome: [1, -1, 0, 1][k])
        }
        let v4 = try SelfPlayRecord.encode(positions, shape: shape)
        let v2 = Array("DOJOAZ02".utf8) + LegacyRecords.version3(positions, shape: shape).dropFirst(8).dropLast(4)
        var m = Mutator(seed: 21)
        var read = 0, refused = 0
        for round in 0..<600 {
            let input = m.mutate(round % 2 == 0 ? v4 : Array(v2), edits: 2)
            do {
                let (s, back, _) = try SelfPlayRecord.decode(input)
                for p in back {
                    XCTAssertEqual(p.policy.count, s.actions)
                    XCTAssertTrue(p.outcome.isFinite && abs(p.outcome) <= 1)
                    XCTAssertEqual(p.policy.reduce(0, +), 1, accuracy: 2e-3)
                    XCTAssertTrue(p.policy.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
                }
                read += 1
            } catch is AlphaZeroError { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 400)
        XCTAssertGreaterThan(read, 0, "unchecked version-2 files whose planes were hit still read")
    }
}
