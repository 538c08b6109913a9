// The messages of a distributed job (issue 22 §3): each kind survives its encoding, and bytes
// that do not make a message — too short, the wrong length for their tag, an unknown tag, a
// number beyond a file name's six digits — are one sentence naming the sender; a published
// network sent as bytes rebuilds the same evaluator as the file, and damaged bytes say so.
@testable import AlphaZero
import Foundation
import Go
import GoSearch
import MCTS
import Tensors
import XCTest

final class ActorMessageTests: XCTestCase {
    func testEveryKindSurvivesItsEncoding() throws {
        let messages: [ActorMessage] = [.start(nextGame: 17, seed: .max), .network(version: 3, checkpoint: [1, 2, 3]), .stop,
                                        .game(number: 999_999, record: Array("DOJOAZ04".utf8)), .done(games: 0)]
        for message in messages {
            XCTAssertEqual(try ActorMessage.decode(tag: message.tag, bytes: message.encoded(), sender: "rank 1"), message)
        }
        XCTAssertEqual(Set(messages.map(\.tag)).count, messages.count, "one tag per kind")
    }

    func testBytesThatMakeNoMessageAreOneSentence() {
        let eight = ActorMessage.done(games: 5).encoded()
        let cases: [(Int32, [UInt8], String)] = [
            (4, [1, 2, 3], "of 3 bytes, too short for its number"),
            (5, eight + [0], "the wrong length for its kind"),
            (3, [0], "the wrong length for its kind"),
            (1, eight, "the wrong length for its kind"),
            (9, [], "unknown tag 9"),
            (4, [0x40, 0x42, 0x0F, 0, 0, 0, 0, 0], "sent the number 1000000 (tag 4), beyond 999999"),
            (2, [UInt8](repeating: 0xFF, count: 8), "beyond 999999"),
        ]
        for (tag, bytes, expected) in cases {
            XCTAssertThrowsError(try ActorMessage.decode(tag: tag, bytes: bytes, sender: "actor rank 2")) { error in
                XCTAssertTrue("\(error)".hasPrefix("actor rank 2 sent"), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "tag \(tag): \(error)")
            }
        }
    }

    func testAPublishedNetworkTravelsAsBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-message-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try GoAlphaZero.preset("tiny", environment: "go:5", game: GoGame(size: 5))
        let trainer = AlphaZeroTrainer(config: config, seed: 3, start: GoAlphaZero.start(config, game: GoGame(size: 5)), players: GoEvaluationPlayers())
        let path = try trainer.publish(to: folder)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let fromFile = try AlphaZeroTrainer.evaluator(checkpoint: path).evaluator
        let fromBytes = try AlphaZeroTrainer.evaluator(checkpointBytes: [UInt8](bytes), name: "network version 0 from the learner")
        XCTAssertEqual(fromBytes.config, config)
        var sent = fromBytes.evaluator
        let position = GoAlphaZero.start(config, game: GoGame(size: 5))
        let a = fromFile.evaluate(position, legal: position.legalActions), b = sent.evaluate(position, legal: position.legalActions)
        XCTAssertEqual(a.values, b.values)
        XCTAssertEqual(a.priors, b.priors)
        XCTAssertGreaterThan(a.priors.count, 20)
        var damaged = [UInt8](bytes)
        damaged.removeLast(100)
        XCTAssertThrowsError(try AlphaZeroTrainer.evaluator(checkpointBytes: damaged, name: "network version 0 from the learner")) { error in
            XCTAssertTrue("\(error)".hasPrefix("network version 0 from the learner: "), "\(error)")
        }
    }
}
