// Connection games: lines in every direction win for the player who completes them, gravity
// drops stones to the bottom of a column, a full board is a draw, and the observation is
// from the mover's side.
import BoardGames
import RL
import Rendering
import XCTest

final class ConnectionGameTests: XCTestCase {
    func play(_ game: inout ConnectionGame, _ actions: [Int]) -> StepResult {
        var last = StepResult()
        for a in actions { XCTAssertFalse(game.isOver, "move \(a) after the end"); last = game.step(a) }
        return last
    }

    func testTicTacToeLinesInEveryDirectionWin() {
        // First player's line: a row, a column, the diagonal, the anti-diagonal.
        for (moves, winner) in [([0, 3, 1, 4, 2], 0), ([1, 0, 4, 3, 2, 6], 1), ([0, 1, 4, 2, 8], 0), ([2, 0, 4, 1, 6], 0)] {
            var g = ConnectionGame.ticTacToe()
            let r = play(&g, moves)
            XCTAssertTrue(r.terminated && g.isOver, "\(moves)")
            XCTAssertEqual(g.winner, winner, "\(moves)")
            XCTAssertEqual(r.rewards, winner == 0 ? SIMD2(1, -1) : SIMD2(-1, 1), "\(moves)")
            XCTAssertEqual(g.legalActions, [])
        }
    }

    func testAFullBoardWithoutALineIsADraw() {
        var g = ConnectionGame.ticTacToe()
        let r = play(&g, [0, 1, 2, 4, 3, 5, 7, 6, 8])   // X O X / X O O / O X X
        XCTAssertTrue(r.terminated)
        XCTAssertNil(g.winner)
        XCTAssertEqual(r.rewards, .zero)
    }

    func testGravityStacksStonesAndFullColumnsAreIllegal() {
        var g = ConnectionGame(width: 4, height: 3, connect: 3, gravity: true)
        XCTAssertEqual(g.actionCount, 4)
        _ = play(&g, [1, 1, 1])
        XCTAssertEqual([g[1, 2], g[1, 1], g[1, 0]], [0, 1, 0], "bottom row first")
        XCTAssertEqual(g.legalActions, [0, 2, 3])
        XCTAssertEqual(g.step(1), StepResult(), "a full column changes nothing")
        XCTAssertEqual(g.moves, 3)
        // The first player's bottom row.
        var h = ConnectionGame.connectFour()
        let r = play(&h, [0, 0, 1, 1, 2, 2, 3])
        XCTAssertEqual(h.winner, 0)
        XCTAssertEqual(r.rewards, SIMD2(1, -1))
        // A rising diagonal for the first player: columns 0…3 at heights 1…4.
        var d = ConnectionGame.connectFour()
        _ = play(&d, [0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3])
        XCTAssertEqual(d.winner, 0)
    }

    func testObservationIsFromTheMoversSide() {
        var g = ConnectionGame.ticTacToe()
        _ = g.step(4)   // player 0 takes the centre; player 1 to move
        let o = g.observation()
        XCTAssertEqual(g.observationShape, ObservationShape(channels: 3, height: 3, width: 3))
        XCTAssertEqual(Array(o[0..<9]), [Float](repeating: 0, count: 9), "the mover (player 1) has no stones")
        XCTAssertEqual(o[9 + 4], 1, "the opponent's centre stone")
        XCTAssertEqual(Array(o[18..<27]), [Float](repeating: 0, count: 9), "the mover is not the first player")
    }

    /// Digits name tic-tac-toe's cells (row by row from the top) and Connect Four's columns, so
    /// the games can be played in a terminal: a scripted person wins tic-tac-toe by digits alone.
    func testDigitsPlayCellsAndColumns() throws {
        var t = ConnectionGame.ticTacToe()
        XCTAssertEqual(t.action(forDigit: 1), 0); XCTAssertEqual(t.action(forDigit: 9), 8)
        XCTAssertNil(t.action(forDigit: 0)); XCTAssertNil(t.action(forDigit: 10))
        _ = t.step(4)
        XCTAssertNil(t.action(forDigit: 5), "an occupied cell is no move")
        let c = ConnectionGame.connectFour()
        XCTAssertEqual(c.action(forDigit: 7), 6); XCTAssertNil(c.action(forDigit: 8))
        XCTAssertNil(ConnectionGame(width: 4, height: 4, connect: 3, gravity: false).action(forDigit: 2), "16 cells cannot be named by one digit")
        var game = ConnectionGame.ticTacToe()
        let viewer = try Viewer(options: ViewerOptions(), title: "test", frameSize: game.frameSize, person: true)
        viewer.script = [.digit(5), .digit(1), .digit(4), .digit(2), .digit(6)]   // X: centre row; O: 1, 2
        let episodes = try viewer.run(&game, actor: .person(opponent: nil, seat: 0))
        XCTAssertEqual(episodes.map(\.episodeReturn), [1])
        XCTAssertEqual(episodes.first?.length, 5)
        XCTAssertEqual(game.winningLine, [3, 4, 5])
    }

    /// X and O on paper, the last stone dotted, a won line outlined in green; discs for gravity games.
    func testRenderingShowsMarksTheLastMoveAndTheWinningLine() {
        let p = ConnectionGame.cellPixels
        var t = ConnectionGame.ticTacToe()
        for a in [4, 0, 3, 1, 5] { _ = t.step(a) }   // X: 4, 3, 5 (the middle row); O: 0, 1
        let f = t.frame()
        let green = RGB(60, 200, 90), paper = RGB(245, 240, 225), red = RGB(210, 40, 40), blue = RGB(40, 80, 200)
        for c in [3, 4, 5] { XCTAssertEqual(f[(c % 3) * p, (c / 3) * p], green, "cell \(c) outlined") }
        for c in [0, 1, 2, 6, 7, 8] { XCTAssertNotEqual(f[(c % 3) * p, (c / 3) * p], green, "cell \(c)") }
        XCTAssertEqual(f[1 * p + 3, 1 * p + 3], red, "an X's stroke in the centre cell")
        XCTAssertEqual(f[0 * p + p / 2, 0 * p + 3], blue, "the top of O's ring in the first cell")
        XCTAssertEqual(f[2 * p + 2, 2 * p + 2], paper, "an empty cell is paper")
        XCTAssertEqual(f[2 * p + p / 2 - 1, 1 * p + p / 2 - 1], RGB(20, 20, 20), "the last stone (cell 5) is dotted")
        var c = ConnectionGame.connectFour()
        _ = c.step(3)
        let g = c.frame()
        XCTAssertEqual(g[3 * p + p / 2, 5 * p + 3], RGB(220, 40, 40), "a red disc at the bottom of column 3")
        XCTAssertEqual(g[3 * p, 5 * p], RGB(30, 60, 160), "the rack around it")
    }

    func testClicksNameCellsOrColumnsAndTheStatusSaysWhoIsToPlay() {
        let p = ConnectionGame.cellPixels
        var t = ConnectionGame.ticTacToe()
        XCTAssertEqual(t.action(forClickAt: 2 * p + 3, 1 * p + 5), 5, "row 1, column 2")
        XCTAssertNil(t.action(forClickAt: 3 * p, 0), "off the board")
        XCTAssertNil(t.passMove)
        XCTAssertEqual(t.statusText, "X TO PLAY")
        _ = t.step(5)
        XCTAssertNil(t.action(forClickAt: 2 * p + 3, 1 * p + 5), "an occupied cell is no move")
        XCTAssertEqual(t.statusText, "O TO PLAY")
        for a in [0, 4, 1, 3] { _ = t.step(a) }   // O: 0, 1; X: 5, 4, 3 (a row)
        XCTAssertEqual(t.statusText, "X WINS")
        XCTAssertEqual(t.winningLine, [3, 4, 5])
        XCTAssertEqual(t.lastCell, 3)
        var c = ConnectionGame.connectFour()
        XCTAssertEqual(c.action(forClickAt: 4 * p + 1, 0), 4, "any height of column 4")
        XCTAssertEqual(c.action(forClickAt: 4 * p + 1, 5 * p + 1), 4)
        for _ in 0..<6 { _ = c.step(4) }
        XCTAssertNil(c.action(forClickAt: 4 * p + 1, 5 * p + 1), "a full column is no move")
    }
}
