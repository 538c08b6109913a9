// KataGo's self-play techniques (Wu 2019) as AlphaZero settings: playout cap randomization
// (§3.1) gives most moves a cheap search whose visits train no policy, and forced playouts with
// policy target pruning (§3.2) change what full searches teach.
@testable import AlphaZero
import BoardGames
import Foundation
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

    func testSelfPlayRecordsTheFinalOwnersAndMarginForThePlayerToMove() throws {
        let c = try config()
        let t = trainer(c)
        let played = SelfPlay.play(try XCTUnwrap(t.start as? GoGame), evaluator: t.currentEvaluator(), config: c, seed: 5)
        XCTAssertNil(played.resigned)
        // Every position carries the final count, signed for its player to move.
        let first = try XCTUnwrap(played.positions.first?.ownership), second = try XCTUnwrap(played.positions.dropFirst().first?.ownership)
        XCTAssertEqual(first, second.map { -$0 }, "owners are for the player to move, who alternates")
        XCTAssertEqual(played.positions[0].score, -(played.positions[1].score ?? 0))
        XCTAssertEqual(Double(first.reduce(0, +)) - 0.5, Double(played.positions[0].score ?? 0), accuracy: 1e-4, "Black's area minus White's, minus komi 0.5")
        // A game that does not count ownership refuses the setting instead of ignoring it.
        XCTAssertThrowsError(try {
            var ticTacToe = try AlphaZeroConfig.preset("tiny", environment: "tic-tac-toe", game: ConnectionGame.ticTacToe())
            ticTacToe.ownershipWeight = 1.5
            try ticTacToe.validate(for: ConnectionGame.ticTacToe())
        }()) { XCTAssertTrue("\($0)".contains("ownershipWeight"), "\($0)") }
    }

    func testTheAuxiliaryHeadsLearnOwnershipAndScore() throws {
        var c = try config()
        c.ownershipWeight = 1.5
        c.scoreWeight = 1
        c.batchSize = 32
        c.learningRate = 0.05
        let t = trainer(c)
        XCTAssertNotNil(t.network.ownershipHead)
        t.window = (0..<6).flatMap { SelfPlay.play(t.start, evaluator: t.currentEvaluator(), config: c, seed: UInt64($0)).positions }
        XCTAssertTrue(t.window.allSatisfy { $0.ownership != nil })
        let early = t.train(steps: 5)
        _ = t.train(steps: 150)
        let late = t.train(steps: 5)
        XCTAssertLessThan(try XCTUnwrap(late.ownership), 0.75 * (try XCTUnwrap(early.ownership)), "ownership MSE per point (a 1×1 head on a one-block trunk)")
        XCTAssertLessThan(try XCTUnwrap(late.score), 0.5 * (try XCTUnwrap(early.score)), "score MSE")
    }

    func testGlobalPoolingIsASettingOfTheNetwork() throws {
        var c = try config()
        c.globalPoolingChannels = 4
        let names = trainer(c).network.parameters.map(\.name)
        XCTAssertTrue(names.contains("trunk.block0.pool.fc.weight"), "the tiny preset's one block pools")
        XCTAssertFalse(trainer(try config()).network.parameters.contains { $0.name.contains("pool.") }, "off by default")
        c.globalPoolingChannels = c.filters
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("globalPoolingChannels"), "\($0)") }
    }

    /// Gumbel search in self-play (Danihelka et al. 2022): the policy target is the improved
    /// policy over every sensible move, not 8 simulations' visits; the first moves are drawn,
    /// the rest are the search's deterministic choice; it refuses PUCT's forced playouts.
    func testGumbelSelfPlayTargetsTheImprovedPolicy() throws {
        var c = try config()
        c.simulations = 8
        c.search = .gumbel
        c.temperatureMoves = 2
        let t = trainer(c)
        let games = (0..<3).map { SelfPlay.play(t.start, evaluator: t.currentEvaluator(), config: c, seed: UInt64($0)) }
        for game in games {
            for p in game.positions {
                XCTAssertEqual(Double(p.policy.reduce(0, +)), 1, accuracy: 1e-4)
                XCTAssertTrue(zip(p.policy, p.legal).allSatisfy { $1 || $0 == 0 }, "no mass on illegal moves")
            }
            XCTAssertGreaterThan(game.positions[0].policy.filter { $0 > 0 }.count, 20, "the empty 5×5 board: every sensible move has a share, far more than 8 visits reach")
        }
        // Drawn first moves differ between games (the network and search are the same).
        XCTAssertGreaterThan(Set(games.compactMap { $0.positions.dropFirst().first?.planes }).count, 1)
        c.forcedPlayouts = 2
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("forcedPlayouts are PUCT's"), "\($0)") }
    }
}
