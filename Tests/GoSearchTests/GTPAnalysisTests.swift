// GTP analysis (lz-analyze, lz-genmove_analyze, GoGui's analyze commands) from a searching
// player: the stream's framing and the contents of its info lines.
import Go
import GoSearch
import MCTS
import XCTest

final class GTPAnalysisTests: XCTestCase {
    func session(_ spec: String = "playouts=400") throws -> (GTPSession, () -> String) {
        var config = try MCTSConfig.parse(spec)
        config.rave = true
        let session = GTPSession(player: MCTSGoPlayer(config: config, seed: 3), size: 9, komi: 7.5)
        var text = ""
        session.output = { text += $0 }
        var polls = 0
        session.inputPending = { polls += 1; return polls > 3 }   // "the next command arrives" after three reports
        return (session, { text })
    }

    /// (move, visits, winrate, prior, lcb, order, pv) of every entry of an info line.
    func entries(_ line: String) -> [(move: String, visits: Int, winrate: Int, prior: Int, lcb: Int, order: Int, pv: [String])] {
        line.components(separatedBy: "info ").filter { !$0.isEmpty }.map { entry in
            let w = entry.split(separator: " ").map(String.init)
            func value(_ key: String) -> Int { Int(w[w.firstIndex(of: key)! + 1])! }
            return (w[w.firstIndex(of: "move")! + 1], value("visits"), value("winrate"), value("prior"), value("lcb"), value("order"),
                    Array(w[(w.firstIndex(of: "pv")! + 1)...]))
        }
    }

    func testLzAnalyzeStreamsInfoLinesUntilTheNextCommand() throws {
        let (s, text) = try session()
        XCTAssertNil(s.respond(to: "7 lz-analyze b interval 5"), "the response is streamed")
        let out = text()
        XCTAssertTrue(out.hasPrefix("=7\n"), out)
        XCTAssertTrue(out.hasSuffix("\n\n"), "a blank line ends the response")
        let lines = out.dropFirst(3).split(separator: "\n").map(String.init)
        XCTAssertGreaterThanOrEqual(lines.count, 3, "one line per interval until input arrived")
        var previousTotal = 0
        for line in lines {
            let e = entries(line)
            XCTAssertFalse(e.isEmpty)
            XCTAssertEqual(e.map(\.order), Array(0..<e.count))
            XCTAssertEqual(e.map(\.visits), e.map(\.visits).sorted(by: >), "most visited first")
            for x in e {
                XCTAssertNotNil(GTPVertex.parse(x.move, size: 9), x.move)
                XCTAssertTrue((0...10000).contains(x.winrate) && (0...10000).contains(x.prior))
                XCTAssertLessThanOrEqual(x.lcb, x.winrate)
                XCTAssertEqual(x.pv.first, x.move)
            }
            let total = e.map(\.visits).reduce(0, +)
            XCTAssertGreaterThanOrEqual(total, previousTotal, "the search keeps growing between reports")
            previousTotal = total
        }
        XCTAssertEqual(s.game.moves.count, 0, "analysis plays nothing")
        // Without a streaming connection or with a non-searching player: one-sentence failures.
        let plain = GTPSession(player: RandomGoPlayer(seed: 1))
        XCTAssertTrue(plain.respond(to: "lz-analyze 10")!.hasPrefix("? "))
    }

    func testAbsurdIntervalsAreSyntaxErrorsAndAnAnalysisInterruptedAtOnceStillAnswers() throws {
        for command in ["lz-analyze b -1", "lz-analyze b 1e300", "lz-analyze b nan", "lz-analyze b interval -5", "lz-analyze b interval"] {
            let (s, text) = try session()
            let answer = s.respond(to: command)
            XCTAssertEqual(answer?.hasPrefix("? syntax error"), true, "\(command): \(answer ?? text())")
        }
        let (s, text) = try session()
        s.inputPending = { true }   // the next command is already waiting: no visit happens
        XCTAssertNil(s.respond(to: "lz-analyze B 9"))
        XCTAssertEqual(text(), "=\n\n", "an empty analysis, then the blank line")
        XCTAssertEqual(s.respond(to: "name"), "= Dojo\n\n", "the session goes on")
    }

    func testGenmoveAnalyzeSearchesItsBudgetAndPlays() throws {
        let (s, text) = try session("playouts=300")
        XCTAssertNil(s.respond(to: "lz-genmove_analyze b 5"))
        let out = text()
        XCTAssertTrue(out.hasPrefix("=\n"), out)
        let last = out.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("play "), last)
        XCTAssertTrue(out.hasSuffix("\n\n"))
        XCTAssertEqual(s.game.moves.count, 1)
        XCTAssertEqual(GTPVertex.format(action: s.game.board.action(s.game.moves[0].point!), size: 9), String(last.dropFirst(5)))
        // The move played is the most visited in the final report.
        let finalInfo = out.split(separator: "\n").dropLast().last.map(String.init) ?? ""
        XCTAssertEqual(entries(finalInfo).first?.move, String(last.dropFirst(5)))
    }

    func testGoGuiAnalyzeCommands() throws {
        let (s, _) = try session("playouts=200")
        let list = s.respond(to: "gogui-analyze_commands")!
        XCTAssertTrue(list.contains("pspairs/Dojo visits/dojo-visits"))
        let visits = s.respond(to: "dojo-visits")!.dropFirst(2).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        XCTAssertEqual(visits.count % 2, 0)
        let counts = stride(from: 1, to: visits.count, by: 2).map { Int(visits[$0])! }
        XCTAssertGreaterThanOrEqual(counts.reduce(0, +), 150, "about the playout budget, spread over moves")
        _ = s.respond(to: "play b E5")
        let rows = s.respond(to: "dojo-ownership")!.split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 9)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: " ").count == 9 })
        // One black stone in random playouts: its point leans Black (about +0.17 with 400 playouts).
        XCTAssertGreaterThan(Double(rows[4].split(separator: " ")[4])!, 0.05, "Black's stone's point leans Black")
        XCTAssertTrue(rows.flatMap { $0.split(separator: " ") }.allSatisfy { (-1...1).contains(Double($0)!) })
    }
}
