// KataGo's self-play techniques (Wu 2019) as AlphaZero settings: playout cap randomization
// (§3.1) gives most moves a cheap search whose visits train no policy, and forced playouts with
// policy target pruning (§3.2) change what full searches teach.
@testable import AlphaZero
import Go
import GoSearch
import Neural
import RL
import XCTest

final class KataGoTechniquesTests: XCTestCase {
    func config() throws -> AlphaZeroConfig {
        var c = try GoAlphaZero.preset("tiny", environment: "go:5", game: GoGame(size: 5))
        c.simulations = 16
        c.maxMoves = 40
        return c
    }

    func trainer(_ c: AlphaZeroConfig) -> AlphaZeroTrainer {
        AlphaZeroTrainer(config: c, seed: 1, start: GoAlphaZero.start(c, game: GoGame(size: 5, komi: 0.5)), players: GoEvaluationPlayers())
    }

    func testPlayoutCapRandomizationMarksCheapSearchesAsNoPolicyTarget() throws {
        var c = try config()
        let full = trainer(c)
        let everyMove = (0..<4).flatMap { SelfPlay.play(full.start, evaluator: full.currentEvaluator(), config: c, seed: UInt64($0)).positions }
        XCTAssertTrue(everyMove.allSatisfy(\.policyTarget), "off: every move a full search")
        c.cheapSimulations = 4
        c.fullSearchFraction = 0.25
        let capped = trainer(c)
        let positions = (0..<8).flatMap { SelfPlay.play(capped.start, evaluator: capped.currentEvaluator(), config: c, seed: UInt64($0)).positions }
        let share = Double(positions.filter(\.policyTarget).count) / Double(positions.count)
        XCTAssertEqual(share, 0.25, accuracy: 0.1, "\(positions.count) positions")
        // A cheap search of 4 simulations spreads at most 4 visits (3 below the root's first).
        for p in positions where !p.policyTarget {
            XCTAssertLessThanOrEqual(p.policy.filter { $0 > 0 }.count, 4)
        }
    }

    func testPositionsWithoutPolicyTargetTrainOnlyTheValue() throws {
        var c = try config()
        c.weightDecay = 0
        c.trainSteps = 3
        c.batchSize = 16
        let t = trainer(c)
        let game = SelfPlay.play(t.start, evaluator: t.currentEvaluator(), config: c, seed: 3)
        t.window = game.positions.map { var p = $0; p.policyTarget = false; return p }
        let policyHead = t.network.policyHead.parameters.trainable, valueHead = t.network.valueHead.parameters.trainable
        let before = (policyHead.map(\.value.scalars), valueHead.map(\.value.scalars))
        _ = t.train(steps: c.trainSteps)
        XCTAssertEqual(policyHead.map(\.value.scalars), before.0, "no policy target, no policy gradient (BatchNorm's running statistics aside)")
        XCTAssertNotEqual(valueHead.map(\.value.scalars), before.1, "the value head still learns")
    }
}
