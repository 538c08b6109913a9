// An outside GTP engine as a player (GTPEnginePlayer): it answers legal moves for the game it
// is asked about, follows the game when moves were made without it, starts over after a
// take-back, and a fault is a resignation with the reason kept. GNU Go is the engine (make
// test installs it).
@testable import Arena
import Foundation
import Go
import RL
import XCTest

final class GTPEnginePlayerTests: XCTestCase {
    func gnugo() throws -> [String] {
        guard let path = GoScorer.findGNUGo() else { throw XCTSkip("GNU Go is not installed (apt-get install gnugo)") }
        return [path, "--mode", "gtp", "--level", "0"]
    }

    func testFollowsTheGameAndStartsOverAfterATakeBack() throws {
        let engine = GTPEnginePlayer(name: "gnugo", command: try gnugo())
        var player: any Player = engine
        var random = RandomGoPlayer(seed: 4)
        var game = GoGame(size: 5, komi: 0.5)
        var history: [GoGame] = []
        // The engine plays white; black's moves reach it only through the game it is shown.
        while game.moves.count < 12 && !game.isOver {
            history.append(game)
            let move = game.toPlay == .black ? random.chooseMove(game, secondsLeft: nil) : player.move(in: game, secondsLeft: nil)
            let a = try XCTUnwrap(move.action, "\(engine.lastFault.map { "\($0)" } ?? "resigned")")
            XCTAssertTrue(game.isLegal(action: a), "move \(game.moves.count): \(a) is legal")
            _ = game.step(a)
        }
        XCTAssertNil(engine.lastFault)
        // Take back to an earlier position (a person's undo): the engine answers for that one.
        let earlier = try XCTUnwrap(history.dropLast(4).last { $0.toPlay == .white })
        let answer = try XCTUnwrap(player.move(in: earlier, secondsLeft: nil).action)
        XCTAssertTrue(earlier.isLegal(action: answer), "after a take-back the engine's board is the game's again")
        var expected = earlier
        _ = expected.step(answer)
        for (colour, stone) in [("black", Stone.black), ("white", Stone.white)] {
            let listed = try engine.ask("list_stones \(colour)").split(separator: " ").map(String.init).sorted()
            let ours = (0..<25).filter { expected.board[expected.board.point(action: $0)] == stone }.map { GTPVertex.format(action: $0, size: 5) }.sorted()
            XCTAssertEqual(listed, ours, "the engine's \(colour) stones are the game's")
        }
        XCTAssertFalse(player.supports(ConnectFourStandIn()), "a Go engine plays Go only")
    }

    func testAFaultIsAResignationWithItsReason() throws {
        var player: any Player = GTPEnginePlayer(name: "false", command: ["/bin/false"])
        XCTAssertEqual(player.move(in: GoGame(size: 5), secondsLeft: nil), .resign)
        XCTAssertEqual((player as? GTPEnginePlayer)?.lastFault?.reason, "crash")
    }
}

/// Any environment that is not Go.
struct ConnectFourStandIn: Environment {
    var actionCount: Int { 1 }
    var observationShape: ObservationShape { ObservationShape(channels: 1, height: 1, width: 1) }
    func observe(into buffer: UnsafeMutableBufferPointer<Float>) { buffer[0] = 0 }
    var isOver: Bool { false }
    mutating func reset(seed: UInt64?) {}
    mutating func step(_ action: Int) -> StepResult { StepResult() }
    var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
    func render(into frame: inout Frame) {}
}
