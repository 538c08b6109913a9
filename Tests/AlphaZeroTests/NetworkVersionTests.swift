// Numbered network versions (issue 22 §2's groundwork): the learner publishes each version
// atomically, keeps the newest and every 25th, and any published file plays as a player.
@testable import AlphaZero
import Foundation
import Go
import GoSearch
import XCTest

final class NetworkVersionTests: XCTestCase {
    func config() throws -> AlphaZeroConfig { try GoAlphaZero.preset("tiny", environment: "go:5", game: GoGame(size: 5)) }

    func trainer(_ c: AlphaZeroConfig) -> AlphaZeroTrainer {
        AlphaZeroTrainer(config: c, seed: 1, start: GoAlphaZero.start(c, game: GoGame(size: 5, komi: 0.5)), players: GoEvaluationPlayers())
    }

    func testPublishedNetworkVersionsAreNumberedPrunedAndPlayable() throws {
        let c = try config()
        let t = trainer(c)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-publish-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for version in 0...30 {
            t.iteration = version
            try t.publish(to: dir)
        }
        XCTAssertEqual(AlphaZeroTrainer.publishedVersions(in: dir), [0] + Array(11...30), "the newest 20 and every 25th")
        for stranger in ["-00001.safetensors", "+00040.safetensors", "00004a.safetensors"] {
            FileManager.default.createFile(atPath: (dir as NSString).appendingPathComponent(stranger), contents: Data())
        }
        XCTAssertEqual(AlphaZeroTrainer.publishedVersions(in: dir).last, 30, "only six digits name a version")
        XCTAssertFalse(AlphaZeroTrainer.publishedVersions(in: dir).contains { $0 < 0 })
        let (loaded, evaluator) = try AlphaZeroTrainer.evaluator(checkpoint: (dir as NSString).appendingPathComponent("000030.safetensors"))
        XCTAssertEqual(loaded, c)
        XCTAssertEqual(evaluator.actionCount, 26)
        let checkpoint = (dir as NSString).appendingPathComponent("full.safetensors")
        try t.save(to: checkpoint)
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        XCTAssertLessThan(try size((dir as NSString).appendingPathComponent("000030.safetensors")), try size(checkpoint), "no optimizer state")
    }
}
