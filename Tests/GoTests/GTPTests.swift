// The GTP engine: a recorded session replayed and diffed (Fixtures/gtp-session.in/.out), and
// the command-line parser.
@testable import Go
import Foundation
import XCTest

final class GTPTests: XCTestCase {
    func testRecordedSessionIsReproducedExactly() throws {
        let input = try String(contentsOf: XCTUnwrap(Bundle.module.url(forResource: "gtp-session", withExtension: "in", subdirectory: "Fixtures")), encoding: .utf8)
        let expected = try String(contentsOf: XCTUnwrap(Bundle.module.url(forResource: "gtp-session", withExtension: "out", subdirectory: "Fixtures")), encoding: .utf8)
        let session = GTPSession(player: RandomGoPlayer(seed: 0), size: 9, komi: 7.5)
        session.date = { "2026-11-22" }
        var output = ""
        for line in input.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = session.respond(to: String(line)) { output += r }
            if session.wantsToQuit { break }
        }
        let got = output.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, (a, b)) in zip(got, want).enumerated() where a != b {
            XCTFail("line \(i + 1): expected '\(b)', got '\(a)'")
            return
        }
        XCTAssertEqual(got.count, want.count)
    }

    func testParserHandlesIdsCommentsCaseAndControlCharacters() {
        XCTAssertNil(GTPCommand(line: "   # only a comment"))
        XCTAssertNil(GTPCommand(line: ""))
        let c = GTPCommand(line: "12 PLAY\tB  d4 # the move\u{7}")!
        XCTAssertEqual(c.id, 12); XCTAssertEqual(c.name, "play"); XCTAssertEqual(c.arguments, ["B", "d4"])
        XCTAssertEqual(c.success("x"), "=12 x\n\n")
        XCTAssertEqual(GTPCommand(line: "genmove b")!.failure("illegal move"), "? illegal move\n\n")
        XCTAssertEqual(GTPCommand(line: "7")!.name, "", "an id alone is a syntax error, answered with the id")
    }

    func testKomiBeyondAnyScoreIsASyntaxError() {
        let s = GTPSession(player: RandomGoPlayer(seed: 0), size: 5, komi: 0.5)
        for k in ["1e30", "-1e30", "nan", "inf", "-inf", "1000.5"] {
            XCTAssertEqual(s.respond(to: "komi \(k)"), "? syntax error\n\n", k)
        }
        XCTAssertEqual(s.game.komi, 0.5, "a refused komi changes nothing")
        XCTAssertEqual(s.respond(to: "komi -1000"), "=\n\n")
        XCTAssertEqual(s.respond(to: "final_score"), "= B+1000\n\n")
        XCTAssertTrue(s.respond(to: "printsgf")?.contains("KM[-1000]") ?? false)
    }

    func testGenmoveNeverFillsOwnEyesAndPassesAtTheEnd() {
        let session = GTPSession(player: RandomGoPlayer(seed: 2), size: 5, komi: 0.5)
        var passes = 0, moves = 0
        while passes < 2 && moves < 200 {
            let colour = moves % 2 == 0 ? "b" : "w"
            let answer = session.respond(to: "genmove \(colour)")!
            XCTAssertTrue(answer.hasPrefix("= "), answer)
            passes = answer.contains("pass") ? passes + 1 : 0
            moves += 1
        }
        XCTAssertEqual(passes, 2, "random players end their games")
        let score = session.respond(to: "final_score")!
        XCTAssertTrue(score.hasPrefix("= B+") || score.hasPrefix("= W+"), score)
    }
}

final class DeadStoneTests: XCTestCase {
    /// A lone white stone inside black's wall: Tromp-Taylor counts the area around it as
    /// nobody's; Monte Carlo ownership sees it die and gives the area to black.
    func testMonteCarloDeadStonesChangeTheCount() {
        func session(_ mode: GTPSession.DeadStones) -> GTPSession {
            let s = GTPSession(player: RandomGoPlayer(seed: 1), size: 7, komi: 0.5, deadStones: mode, seed: 4)
            for row in 1...7 {
                _ = s.respond(to: "play b D\(row)")
                _ = s.respond(to: "play w F\(row)")
            }
            _ = s.respond(to: "play w B4")
            return s
        }
        let tt = session(.none), mc = session(.mc)
        XCTAssertEqual(tt.respond(to: "final_score"), "= W+8.5\n\n", "black 7 stones; white 7 + 7 + B4 = 15; komi 0.5")
        XCTAssertEqual(mc.respond(to: "final_status_list dead"), "= B4\n\n")
        XCTAssertEqual(mc.respond(to: "final_score"), "= B+13.5\n\n", "black 7 + 21 area = 28; white 14; komi 0.5")
        XCTAssertEqual(tt.respond(to: "final_status_list dead"), "=\n\n")
    }
}
