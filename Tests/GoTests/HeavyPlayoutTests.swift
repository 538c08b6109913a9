// Heavy playouts: the 3×3 pattern table under symmetries and colour swaps, and the tactical
// moves (capture the last stone, save a group in atari, shape) chosen before random ones.
@testable import Go
import Tensors
import XCTest

final class HeavyPlayoutTests: XCTestCase {
    /// The code of the centre of a 3×3 diagram (X black, O white, . empty, # edge).
    func code(_ rows: [String]) -> Int {
        let cells = rows.map(Array.init)
        let order = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)]
        return order.enumerated().reduce(0) { code, item in
            let value = ["." : 0, "X": 1, "O": 2, "#": 3][String(cells[item.element.0][item.element.1])]!
            return code | value << (2 * item.offset)
        }
    }

    func testPatternTableMatchesHaneAndCutsUnderSymmetriesOnly() {
        let t = PlayoutPatterns.table
        XCTAssertTrue(t[code(["XOX", "...", "..."])], "enclosing hane")
        XCTAssertTrue(t[code(["...", "...", "XOX"])], "the same upside down")
        XCTAssertTrue(t[code(["OXO", "...", "..."])], "colours swapped")
        XCTAssertTrue(t[code(["X..", "O..", "X.."])], "rotated")
        XCTAssertTrue(t[code([".X.", "O.O", "..."])], "cut")
        XCTAssertTrue(t[code(["X..", "O..", "###"])], "edge")
        XCTAssertFalse(t[code(["...", "...", "..."])], "empty surroundings are no shape")
        XCTAssertFalse(t[code(["XXX", "...", "..."])], "one colour only")
        XCTAssertTrue(t[code([".X.", "O.O", ".X."])], "cut2: X cuts between two O stones")
        XCTAssertFalse(t[code([".X.", "O.O", ".O."])], "cut2 needs no third O stone below")
    }

    func testTacticalMovesComeFirst() {
        var g = SeededGenerator(seed: 1)
        let patterns = PlayoutPatterns.table
        // White's last stone at (1, 1) is in atari: Black takes it.
        var capture = GoBoard(diagram: """
            .X...
            XO...
            .X...
            .....
            .....
            """)
        let capturePoint = capture.point(row: 1, col: 2)
        let taken = patterns.withUnsafeBufferPointer { capture.tacticalMove(.black, last: capture.point(row: 1, col: 1), patterns: $0, &g) }
        XCTAssertEqual(taken, capturePoint)
        // Black's stone at (0, 0) is in atari after White's (0, 1): extending at (1, 0) gives it two liberties.
        var save = GoBoard(diagram: """
            XO...
            .....
            .....
            .....
            .....
            """)
        let saved = patterns.withUnsafeBufferPointer { save.tacticalMove(.black, last: save.point(row: 0, col: 1), patterns: $0, &g) }
        XCTAssertEqual(saved, save.point(row: 1, col: 0))
        // A lone stone in the middle of an empty board: nothing tactical.
        var quiet = GoBoard(diagram: """
            .......
            .......
            .......
            ...O...
            .......
            .......
            .......
            """)
        let none = patterns.withUnsafeBufferPointer { quiet.tacticalMove(.black, last: quiet.point(row: 3, col: 3), patterns: $0, &g) }
        XCTAssertNil(none)
    }

    func testHeavyPlayoutsFinishAndRepeatWithTheSeed() {
        func run(_ seed: UInt64) -> (Int, Double, String) {
            var board = GoBoard(size: 9)
            var g = SeededGenerator(seed: seed)
            let plies = board.heavyPlayout(toPlay: .black, generator: &g, maxMoves: 243)
            return (plies, board.blackMargin(komi: 7.5), board.diagram)
        }
        let a = run(3), b = run(3)
        XCTAssertEqual(a.0, b.0); XCTAssertEqual(a.1, b.1); XCTAssertEqual(a.2, b.2)
        XCTAssertLessThan(a.0, 243, "ends by two passes")
        XCTAssertFalse(a.2.contains(".."), "only eyes are left empty:\n\(a.2)")
    }
}
