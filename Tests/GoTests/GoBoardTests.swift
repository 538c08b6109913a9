// The board core: captures, suicide, simple ko, eyes, Tromp-Taylor area, and the pseudo-liberty
// bookkeeping checked against exact liberty counts over thousands of random positions.
@testable import Go
import Tensors
import XCTest

final class GoBoardTests: XCTestCase {
    func testSingleAndGroupCaptures() {
        var b = GoBoard(diagram: """
            .X...
            XO...
            .X...
            .....
            .....
            """)
        XCTAssertEqual(b.atariLiberty(ofGroupAt: b.point(row: 1, col: 1)), b.point(row: 1, col: 2))
        XCTAssertEqual(b.play(b.point(row: 1, col: 2), .black), 1, "the last liberty taken")
        XCTAssertEqual(b[1, 1], .empty)
        XCTAssertEqual(b.emptyCount, 21)
        var d = GoBoard(diagram: """
            OO...
            XX...
            .....
            .....
            .....
            """)
        XCTAssertEqual(d.play(d.point(row: 0, col: 2), .black), 2, "a two-stone group in the corner")
        XCTAssertEqual(d.diagram, "..X..\nXX...\n.....\n.....\n.....")
        XCTAssertEqual(d.emptyCount, 22)
        XCTAssertEqual(d.stoneCount(ofGroupAt: d.point(row: 1, col: 0)), 2)
    }

    func testSuicideIsIllegalButCapturingIsNot() {
        let b = GoBoard(diagram: """
            .X.O.
            X.XO.
            .X.O.
            OOOO.
            .....
            """)
        XCTAssertFalse(b.isLegal(b.point(row: 1, col: 1), .white), "single-stone suicide")
        XCTAssertTrue(b.isLegal(b.point(row: 1, col: 1), .black))
        XCTAssertFalse(b.isLegal(b.point(row: 0, col: 0), .white), "suicide in the corner")
        XCTAssertFalse(b.isLegal(b.point(row: 0, col: 1), .white), "occupied")
        var multi = GoBoard(diagram: """
            XX.O.
            OOO..
            .....
            .....
            .....
            """)
        XCTAssertFalse(multi.isLegal(multi.point(row: 0, col: 2), .black), "filling the group's last liberty: multi-stone suicide")
        XCTAssertTrue(multi.isLegal(multi.point(row: 0, col: 2), .white), "white captures instead")
        XCTAssertEqual(multi.play(multi.point(row: 0, col: 2), .white), 2)
    }

    func testSimpleKoBlocksTheImmediateRecapture() {
        var b = GoBoard(diagram: """
            .XO..
            X.XO.
            .XO..
            .....
            .....
            """)
        XCTAssertEqual(b.play(b.point(row: 1, col: 1), .white), 1, "white takes the ko")
        XCTAssertEqual(b.koPoint, b.point(row: 1, col: 2))
        XCTAssertFalse(b.isLegal(b.point(row: 1, col: 2), .black))
        XCTAssertTrue(b.isLegalIgnoringKo(b.point(row: 1, col: 2), .black))
        b.play(b.point(row: 4, col: 4), .black)
        XCTAssertEqual(b.koPoint, 0)
    }

    /// Two black stones capture one white stone and are left with one liberty (the captured
    /// point): no ko, since White's recapture takes two stones; it is legal at once.
    func testCapturingOneStoneWithAGroupIsNoKo() {
        var b = GoBoard(diagram: """
            O.XO.
            XOO..
            .....
            .....
            .....
            """)
        XCTAssertEqual(b.play(b.point(row: 0, col: 1), .black), 1, "black connects to C5 and takes A5")
        XCTAssertEqual(b.koPoint, 0, "the capturing group has two stones: no ko")
        XCTAssertTrue(b.isLegal(b.point(row: 0, col: 0), .white))
        XCTAssertEqual(b.play(b.point(row: 0, col: 0), .white), 2, "White takes the two stones back")
    }

    func testEyes() {
        let b = GoBoard(diagram: """
            .X.X.
            X.XX.
            XXX..
            .X.X.
            X.X.X
            """)
        XCTAssertTrue(b.isEye(b.point(row: 0, col: 0), .black))
        XCTAssertTrue(b.isEye(b.point(row: 1, col: 1), .black))
        XCTAssertTrue(b.isEye(b.point(row: 0, col: 2), .black))
        XCTAssertTrue(b.isEye(b.point(row: 3, col: 2), .black), "empty diagonals do not spoil an eye")
        XCTAssertFalse(b.isEye(b.point(row: 3, col: 2), .white))
        XCTAssertFalse(b.isEye(b.point(row: 0, col: 4), .black))
        let falseEye = GoBoard(diagram: """
            .XO..
            X.X..
            OX...
            .....
            .....
            """)
        XCTAssertFalse(falseEye.isEye(falseEye.point(row: 1, col: 1), .black), "two enemy diagonals: a false eye")
    }

    func testTrompTaylorArea() {
        let b = GoBoard(diagram: """
            .X.O.
            .X.O.
            XX.OO
            .....
            .....
            """)
        // Black: 4 stones + the region (0,0),(1,0); white: 4 stones + (0,4),(1,4); the middle
        // column reaches both colours through the open rows below, so it is nobody's.
        XCTAssertEqual(b.area().black, 6)
        XCTAssertEqual(b.area().white, 6)
        let sealed = GoBoard(diagram: """
            .X.O.
            .X.O.
            .X.O.
            .X.O.
            .X.O.
            """)
        XCTAssertEqual(sealed.area().black, 10); XCTAssertEqual(sealed.area().white, 10)
        XCTAssertEqual(GoBoard(size: 9).area().black, 0)
    }

    /// Exact liberties by flood fill, for every group, against the pseudo-liberty state.
    func checkInvariants(_ b: GoBoard, file: StaticString = #filePath, line: UInt = #line) {
        var seenGroups = Set<Int>()
        for p in b.points where b[p] == .black || b[p] == .white {
            let g = b.group(at: p)
            if !seenGroups.insert(g).inserted { continue }
            let libs = b.liberties(ofGroupAt: p)
            XCTAssertFalse(libs.isEmpty, "a group without liberties stayed on the board", file: file, line: line)
            XCTAssertEqual(b.atariLiberty(ofGroupAt: p), libs.count == 1 ? libs.first : nil, "atari detection", file: file, line: line)
            var count = 0
            b.forEachStone(inGroupAt: p) { q in
                count += 1
                XCTAssertEqual(b[q], b[p]); XCTAssertEqual(b.group(at: q), g)
            }
            XCTAssertEqual(count, b.stoneCount(ofGroupAt: p))
        }
        XCTAssertEqual(Set(b.emptyPoints), Set(b.points.filter { b[$0] == .empty }))
        var h: UInt64 = 0
        for p in b.points where b[p] != .empty { h ^= Zobrist.key(p, b[p]) }
        XCTAssertEqual(h, b.hash, "incremental hash")
    }

    func testPseudoLibertiesMatchExactLibertiesInRandomGames() {
        var g = SeededGenerator(seed: 7)
        for size in [5, 9, 13] {
            for _ in 0..<20 {
                var b = GoBoard(size: size)
                var color = Stone.black
                for _ in 0..<(size * size * 2) {
                    let legal = b.emptyPoints.filter { b.isLegal($0, color) }
                    if legal.isEmpty { b.pass() } else {
                        let p = legal[g.nextInt(below: legal.count)]
                        let predicted = b.hash(afterPlaying: p, color)
                        b.play(p, color)
                        XCTAssertEqual(b.hash, predicted, "hash(afterPlaying:) predicts captures")
                    }
                    color = color.opponent
                }
                checkInvariants(b)
            }
        }
    }

    func testPlayoutsEndAndKeepTheBoardConsistent() {
        var g = SeededGenerator(seed: 3)
        var blackWins = 0
        for i in 0..<200 {
            var b = GoBoard(size: 9)
            let plies = b.playout(toPlay: .black, generator: &g, maxMoves: 300)
            XCTAssertLessThan(plies, 300, "light playouts end by passes well before the cap")
            if i % 20 == 0 { checkInvariants(b) }
            // At the end every empty point is an eye or illegal for both sides.
            for p in b.emptyPoints {
                XCTAssertTrue(!b.isLegal(p, .black) || b.isEye(p, .black))
            }
            if b.blackMargin(komi: 7.5) > 0 { blackWins += 1 }
        }
        XCTAssertTrue((40...160).contains(blackWins), "random play with komi 7.5 is roughly balanced: \(blackWins)/200")
    }
}
