// A learner fed by actors' files (issue 22 §2): games are taken in the order they were
// finished, each exactly once; the list of games taken travels in the checkpoint, so a learner
// resumed from it refills the same window and takes none twice, and one resumed from an older
// checkpoint (a learner killed after taking games but before saving) takes them again rather
// than losing them.
@testable import AlphaZero
import Foundation
import Go
import GoSearch
import XCTest

final class ActorLearnerTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-actors-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/selfplay", withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func learner() throws -> AlphaZeroTrainer {
        var c = try GoAlphaZero.preset("tiny", environment: "go:5", game: GoGame(size: 5))
        c.simulations = 8
        c.trainSteps = 2
        c.gamesPerIteration = 2
        return AlphaZeroTrainer(config: c, seed: 1, selfPlayDirectory: folder + "/selfplay",
                                start: GoAlphaZero.start(c, game: GoGame(size: 5, komi: 0.5)), players: GoEvaluationPlayers())
    }

    /// An actor's game, written as `dojo selfplay` writes it.
    func act(_ t: AlphaZeroTrainer, _ name: String, seed: UInt64) throws {
        let game = SelfPlay.play(t.start, evaluator: t.currentEvaluator(), config: t.config, seed: seed)
        try SelfPlayRecord.write(game.positions, shape: t.shape, networkVersion: t.networkVersion, to: folder + "/selfplay/" + name)
        Thread.sleep(forTimeInterval: 0.01)   // distinct modification times: finished in this order
    }

    func testGamesAreTakenOnceInOrderAndSurviveAResume() throws {
        let t = try learner()
        for (k, name) in ["actor-b-000000.dojoaz", "actor-a-000000.dojoaz", "actor-a-000001.dojoaz"].enumerated() {
            try act(t, name, seed: UInt64(k))
        }
        XCTAssertEqual(t.pendingGames(), ["actor-b-000000.dojoaz", "actor-a-000000.dojoaz", "actor-a-000001.dojoaz"], "oldest first")
        let before = folder + "/before.safetensors"
        try t.save(to: before)
        _ = try t.runIteration(ingesting: Array(t.pendingGames().prefix(2)))
        XCTAssertEqual(t.pendingGames(), ["actor-a-000001.dojoaz"])
        XCTAssertThrowsError(try t.runIteration(ingesting: ["actor-b-000000.dojoaz"])) { XCTAssertTrue("\($0)".contains("counted once"), "\($0)") }
        let after = folder + "/after.safetensors"
        try t.save(to: after)
        // Resumed from the checkpoint: the same games taken, the same window, nothing pending twice.
        let resumed = try learner()
        try resumed.restore(from: after)
        XCTAssertEqual(resumed.ingested, ["actor-b-000000.dojoaz", "actor-a-000000.dojoaz"])
        XCTAssertEqual(resumed.window, t.window)
        XCTAssertEqual(resumed.gamesPlayed, 2)
        XCTAssertEqual(resumed.pendingGames(), ["actor-a-000001.dojoaz"])
        // Resumed from before the games were taken (killed before saving): they are taken again.
        let older = try learner()
        try older.restore(from: before)
        XCTAssertEqual(older.pendingGames().count, 3)
        // A damaged list in a checkpoint is a sentence.
        XCTAssertThrowsError(try AlphaZeroTrainer.ledger(Array("../../etc/passwd".utf8), path: "x")) {
            XCTAssertTrue("\($0)".contains("damaged"), "\($0)")
        }
    }
}
