// The game's rules: superko, passes and the end, the move cap, rewards per player, handicap,
// the AlphaGo Zero planes, and GTP vertices.
@testable import Go
import RL
import XCTest

final class GoGameTests: XCTestCase {
    func act(_ g: GoGame, _ vertex: String) -> Int { GTPVertex.parse(vertex, size: g.size)! }

    func play(_ g: inout GoGame, _ vertices: [String]) {
        for v in vertices { _ = g.step(act(g, v)) }
    }

    func testGTPVerticesSkipIAndCountRowsFromTheBottom() {
        XCTAssertEqual(GTPVertex.parse("A1", size: 9), 72, "bottom-left is row 8, col 0")
        XCTAssertEqual(GTPVertex.parse("j9", size: 9), 8, "J is the ninth column (no I)")
        XCTAssertEqual(GTPVertex.parse("pass", size: 9), 81)
        XCTAssertNil(GTPVertex.parse("I5", size: 9)); XCTAssertNil(GTPVertex.parse("K1", size: 9)); XCTAssertNil(GTPVertex.parse("A10", size: 9))
        XCTAssertEqual(GTPVertex.format(action: 72, size: 9), "A1")
        XCTAssertEqual(GTPVertex.format(action: 360, size: 19), "T1")
        let b = GoBoard(size: 19)
        XCTAssertEqual(GTPVertex.format(b.point(row: 0, col: 18), board: b), "T19")
    }

    func testPositionalSuperkoForbidsRetakingAKoAtOnce() {
        var g = GoGame(size: 5, komi: 0)
        // A ko in the top-left: B C5? Build with setup moves.
        play(&g, ["B5", "C5", "A4", "D4", "B3", "C3", "E1", "B4"])
        // White B4 captured nothing yet; black takes at C4 capturing B4.
        XCTAssertTrue(g.isLegal(action: act(g, "C4")))
        play(&g, ["C4"])
        XCTAssertEqual(g.board[1, 1], .empty, "white B4 captured")
        XCTAssertFalse(g.isLegal(action: act(g, "B4")), "retaking at once repeats the position")
        XCTAssertFalse(g.legalActions.contains(act(g, "B4")))
        play(&g, ["E2", "D1"])     // ko threats elsewhere
        XCTAssertTrue(g.isLegal(action: act(g, "B4")), "after an exchange elsewhere the position is new")
    }

    /// A cycle whose repeating move captures nothing: White's C4 would recreate the position
    /// after move 4 (stones were captured and given back in between), so it is illegal although
    /// it takes no stone. Found by a random search over 4×4 games (sgfmill's board as referee).
    func testPositionalSuperkoForbidsANonCapturingRepetition() {
        var g = GoGame(size: 4, komi: 0)
        play(&g, ["C3", "A2", "A4", "C4", "D4", "A3", "A1", "B1", "B3", "C2", "D1", "B4", "A4"])
        XCTAssertEqual(g.toPlay, .white)
        let c4 = act(g, "C4")
        XCTAssertTrue(g.board.isLegalIgnoringKo(g.board.point(action: c4), .white), "empty, not suicide")
        XCTAssertEqual(g.board.hash(afterPlaying: g.board.point(action: c4), .white), g.board.hash ^ Zobrist.key(g.board.point(action: c4), .white),
                       "C4 captures nothing")
        XCTAssertFalse(g.isLegal(action: c4), "C4 recreates an earlier arrangement")
        XCTAssertFalse(g.legalActions.contains(c4))
    }

    func testTwoPassesEndTheGameWithAreaScoringAndPerPlayerRewards() {
        var g = GoGame(size: 5, komi: 0.5)
        play(&g, ["C1", "pass", "C2", "pass", "C3", "pass", "C4", "pass", "C5"])
        XCTAssertFalse(g.isOver)
        let r1 = g.step(g.passAction)
        XCTAssertFalse(r1.isOver)
        XCTAssertEqual(g.consecutivePasses, 1)
        let r2 = g.step(g.passAction)
        XCTAssertTrue(r2.terminated); XCTAssertFalse(r2.truncated)
        XCTAssertEqual(g.board.area().black, 25, "a wall through the middle owns the whole board")
        XCTAssertEqual(r2.rewards, SIMD2(1, -1))
        XCTAssertEqual(g.resultString, "B+24.5")
        XCTAssertEqual(g.legalActions, [])
    }

    func testTheMoveCapTruncatesAndScoresThePosition() {
        var g = GoGame(size: 3, komi: 7.5, maxMoves: 3)
        play(&g, ["B2", "pass"])
        let r = g.step(act(g, "A1"))
        XCTAssertTrue(r.truncated); XCTAssertFalse(r.terminated)
        XCTAssertEqual(r.rewards, SIMD2(1, -1), "9 points for black beat komi 7.5")
        XCTAssertTrue(g.wasTruncated)
    }

    func testHandicapStonesAndWhiteToMove() throws {
        var g = GoGame(size: 9)
        try g.placeStones([g.board.point(row: 2, col: 6), g.board.point(row: 6, col: 2)])
        XCTAssertEqual(g.toPlay, .white)
        XCTAssertEqual(g.currentPlayer, 1)
        XCTAssertThrowsError(try g.placeStones([g.board.point(row: 2, col: 6)]))
        _ = g.step(g.passAction)
        XCTAssertThrowsError(try g.placeStones([g.board.point(row: 0, col: 0)])) { XCTAssertEqual("\($0)", "stones can only be placed before the first move") }
    }

    func testAlphaGoZeroPlanesFollowThePlayerToMove() {
        var g = GoGame(size: 3)
        play(&g, ["B2", "A1"])
        let n = 9
        var o = g.observation()
        XCTAssertEqual(o.count, 17 * n)
        // Black to move: plane 0 = black stones now, plane 8 = white stones now, plane 1 = black one ply ago.
        XCTAssertEqual(o[0 * n + 4], 1); XCTAssertEqual(o[8 * n + 6], 1)
        XCTAssertEqual(o[1 * n + 4], 1); XCTAssertEqual(o[9 * n + 6], 0, "one ply ago A1 was empty")
        XCTAssertEqual(o[2 * n + 4], 0, "two plies ago the board was empty")
        XCTAssertEqual(o[16 * n], 1, "black to move")
        _ = g.step(g.passAction)
        o = g.observation()
        XCTAssertEqual(o[0 * n + 6], 1, "white to move: own stones are white's")
        XCTAssertEqual(o[8 * n + 4], 1)
        XCTAssertEqual(o[16 * n], 0)
    }

    func testRenderMarksTheLastMoveAndFindsClickedPoints() {
        var g = GoGame(size: 9)
        _ = g.step(act(g, "E5"))
        let f = g.frame()
        let centre = g.pixel(row: 4, col: 4)
        XCTAssertEqual(f[centre.x, centre.y], RGB(200, 40, 40), "red marker on the last move")
        XCTAssertEqual(f[centre.x + g.cellPixels / 2 - 3, centre.y], RGB(30, 30, 30), "black stone body")
        XCTAssertEqual(f[2, 2], GoGame.wood)
        XCTAssertTrue(g.boardPoint(x: centre.x + 3, y: centre.y - 4)! == (4, 4))
        XCTAssertNil(g.boardPoint(x: 1, y: 1))
    }
}
