// A person playing Go against the random player through the viewer, driven by a script of
// clicks and keys: a click plays, the opponent answers, `u` takes both moves back, `p` passes.
@testable import Go
import RL
import Rendering
import XCTest

final class PlayTests: XCTestCase {
    func testClicksPlayUndoTakesBackAndPassEndsTheGame() throws {
        var game = GoGame(size: 5, komi: 0.5)
        let viewer = try Viewer(options: ViewerOptions(), title: "test", frameSize: game.frameSize, person: true)
        func click(_ v: String) -> InputEvent {
            let a = GTPVertex.parse(v, size: 5)!
            let p = game.pixel(row: a / 5, col: a % 5)
            return .click(x: p.x + 2, y: p.y - 3)
        }
        struct Passer: Policy { mutating func act(on env: some Environment) -> Int { env.actionCount - 1 } }
        // Black clicks C3; white (always passing here) answers; undo takes both back; black
        // plays B2 instead, white passes, black passes: two passes end the game.
        viewer.script = [click("C3"), .step, .undo, click("B2"), .step, .pause, .step, .quit]
        let episodes = try viewer.run(&game, actor: .person(opponent: Passer(), seat: 0))
        XCTAssertEqual(episodes.count, 1)
        XCTAssertTrue(game.isOver)
        XCTAssertEqual(game.moves.map { $0.point.map { GTPVertex.format($0, board: game.board) } ?? "pass" }, ["B2", "pass", "pass"])
        XCTAssertEqual(episodes[0].episodeReturn, 1, "black owns the whole board")
    }

    /// An opponent that resigns ends the game in the viewer as it stands (it used to pass).
    func testAnOpponentsResignationEndsTheGame() throws {
        var game = GoGame(size: 5, komi: 0.5)
        let viewer = try Viewer(options: ViewerOptions(), title: "test", frameSize: game.frameSize, person: true)
        struct Resigner: Player {
            var name: String { "resigner" }
            func supports(_ env: some Environment) -> Bool { true }
            mutating func move(in state: some Environment, secondsLeft: Double?) -> Move { .resign }
        }
        let a = GTPVertex.parse("C3", size: 5)!, p = game.pixel(row: a / 5, col: a % 5)
        viewer.script = [.click(x: p.x + 2, y: p.y - 3), .step, .step, .quit]
        let episodes = try viewer.run(&game, actor: .person(opponent: Resigner(), seat: 0))
        XCTAssertEqual(episodes.count, 1)
        XCTAssertTrue(episodes[0].terminated, "the resignation ended the game")
        XCTAssertEqual(game.moves.count, 1, "black's C3, then white resigned instead of moving")
        XCTAssertFalse(game.isOver, "the rules did not end it")
    }
}
