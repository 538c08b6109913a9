// Network features: the 8 board symmetries as a group, the ladder reader on textbook
// positions (expected answers from GNU Go's `ladder_attack`), and the AlphaGo planes.
@testable import Go
import XCTest

final class FeatureTests: XCTestCase {
    func testSymmetriesFormTheDihedralGroup() {
        let all = GoSymmetry.all
        XCTAssertEqual(Set(all.map { s in (0..<9).map { s.apply(action: $0, size: 3) } }).count, 8, "eight distinct maps")
        for a in all {
            XCTAssertEqual(a.after(.identity), a); XCTAssertEqual(GoSymmetry.identity.after(a), a)
            XCTAssertEqual(a.inverse.after(a), .identity); XCTAssertEqual(a.after(a.inverse), .identity)
            for b in all {
                XCTAssertTrue(all.contains(b.after(a)), "closed")
                for action in [0, 5, 17, 40, 80, 81] {
                    XCTAssertEqual(b.after(a).apply(action: action, size: 9), b.apply(action: a.apply(action: action, size: 9), size: 9))
                }
                for c in all { XCTAssertEqual(c.after(b.after(a)), c.after(b).after(a), "associative") }
            }
        }
        XCTAssertEqual(all.filter { $0.after($0) == .identity }.count, 6, "identity, rot180 and four reflections are involutions")
    }

    func testPlanesPolicyAndMovesTransformTogether() {
        var g = GoGame(size: 5)
        for v in ["B4", "C2", "D5"] { _ = g.step(GTPVertex.parse(v, size: 5)!) }
        let planes = g.observation()
        for s in GoSymmetry.all {
            let moved = s.apply(planes: planes, channels: 17, size: 5)
            // The stone at B4 appears where the symmetry sends B4, in the same plane.
            let b4 = GTPVertex.parse("B4", size: 5)!, target = s.apply(action: b4, size: 5)
            XCTAssertEqual(moved[8 * 25 + target], planes[8 * 25 + b4])
            XCTAssertEqual(s.inverse.apply(planes: moved, channels: 17, size: 5), planes)
            var policy = [Float](repeating: 0, count: 26)
            policy[b4] = 0.7; policy[25] = 0.3
            let p2 = s.apply(policy: policy, size: 5)
            XCTAssertEqual(p2[target], 0.7); XCTAssertEqual(p2[25], 0.3, "pass stays")
        }
    }

    /// White e5 caught by black d5, e6, f4; `breakers`: white stones on the ladder's paths.
    func ladderPosition(_ breakers: [String]) -> GoGame {
        var g = GoGame(size: 9)
        func put(_ v: String, _ c: Stone) { g.setToPlay(c); _ = g.step(GTPVertex.parse(v, size: 9)!) }
        put("E5", .white); put("D5", .black); put("E6", .black); put("F4", .black)
        for b in breakers { put(b, .white) }
        g.setToPlay(.black)
        return g
    }

    func vertex(_ g: GoGame, _ v: String) -> Int { g.board.point(action: GTPVertex.parse(v, size: g.size)!) }

    func testLaddersAgreeWithGNUGo() {
        // GNU Go 3.8 ladder_attack e5: "1 F5" with no breaker, "1 E4" with C3, "1 F5" with G7, "0" with both.
        let cases: [([String], f5: Bool, e4: Bool)] = [([], true, true), (["C3"], false, true), (["G7"], true, false), (["C3", "G7"], false, false)]
        for (breakers, f5, e4) in cases {
            let g = ladderPosition(breakers)
            XCTAssertEqual(g.board.isLadderCapture(vertex(g, "F5"), .black), f5, "F5 with breakers \(breakers)")
            XCTAssertEqual(g.board.isLadderCapture(vertex(g, "E4"), .black), e4, "E4 with breakers \(breakers)")
            // After black's atari at F5, extending at E4 is white's ladder escape exactly when the ladder fails.
            var after = g
            _ = after.step(GTPVertex.parse("F5", size: 9)!)
            XCTAssertEqual(after.board.isLadderEscape(vertex(after, "E4"), .white), !f5, "escape with breakers \(breakers)")
            XCTAssertEqual(after.board.ladderCaptures(groupAt: vertex(after, "E5")), f5)
        }
    }

    func testAlphaGoPlanesOnAKnownPosition() {
        let g = ladderPosition(["C3"])      // black to move
        let f = g.alphaGoFeatures(valueNetwork: true)
        XCTAssertEqual(f.count, 49 * 81)
        func plane(_ k: Int, _ v: String) -> Float { f[k * 81 + GTPVertex.parse(v, size: 9)!] }
        XCTAssertEqual(plane(0, "D5"), 1); XCTAssertEqual(plane(1, "E5"), 1); XCTAssertEqual(plane(2, "A1"), 1)
        XCTAssertEqual(plane(3, "J9"), 1); XCTAssertEqual(plane(47, "J9"), 0)
        XCTAssertEqual(plane(4 + 0, "C3"), 1, "C3 was the last move"); XCTAssertEqual(plane(4 + 4, "E5"), 1, "E5 five moves ago")
        XCTAssertEqual(plane(12 + 1, "E5"), 1, "white E5 has two liberties")
        XCTAssertEqual(plane(12 + 2, "D5"), 1, "black D5 has three (E5 is white)")
        XCTAssertEqual(plane(20 + 0, "A1"), 1, "nothing to capture at A1")
        XCTAssertEqual(plane(36 + 1, "A1"), 1, "a stone at A1 has two liberties")
        XCTAssertEqual(plane(44, "E4"), 1, "E4 wins the ladder"); XCTAssertEqual(plane(44, "F5"), 0, "C3 breaks the F5 ladder")
        XCTAssertEqual(plane(46, "A1"), 1); XCTAssertEqual(plane(46, "E5"), 0, "occupied")
        XCTAssertEqual(plane(48, "A1"), 1, "black to move")
        // Capture and self-atari sizes: white E5 can be taken after F5 and E4 are black.
        var h = g
        _ = h.step(GTPVertex.parse("F5", size: 9)!)
        _ = h.step(GTPVertex.parse("A9", size: 9)!)
        let f2 = h.alphaGoFeatures()
        XCTAssertEqual(f2[(20 + 1) * 81 + GTPVertex.parse("E4", size: 9)!], 1, "E4 captures one stone")
        XCTAssertEqual(f2[(28 + 0) * 81 + GTPVertex.parse("B9", size: 9)!], 0)
    }
}
