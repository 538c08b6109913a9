// Fuzzing a GTP session with a searching player: random and malformed commands — every command
// of list_commands with good, bad and absurd arguments, ids, case and control characters, and
// analysis commands interrupted at once or after a few reports. Every answer is a GTP success
// or failure (streamed ones framed the same way); nothing traps.
import Foundation
import Go
import GoSearch
import MCTS
import Tensors
import TestSupport
import XCTest

final class GTPFuzzTests: XCTestCase {
    func testRandomCommandStreamsNeverTrap() throws {
        let sgf = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-gtp-fuzz-\(getpid()).sgf").path
        try "(;GM[1]SZ[9]KM[6.5];B[ee];W[cc];B[gg])".write(toFile: sgf, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: sgf) }
        var config = try MCTSConfig.parse("playouts=24")
        config.rave = true
        let session = GTPSession(player: MCTSGoPlayer(config: config, seed: 5), size: 5, komi: 0.5)
        var streamed = ""
        session.output = { streamed += $0 }
        var m = Mutator(seed: 31)
        var polls = 0, budget = 0
        session.inputPending = { polls += 1; return polls > budget }
        let names = GTPSession.commands + ["foo", "", "PLAY", "lz-analyze", "genmove_analyze", "kgs-time_settings"]
        let words = ["b", "w", "black", "WHITE", "x", "A1", "E5", "j9", "T19", "Z99", "I3", "pass", "PASS", "resign", "0", "1", "-1", "2", "5",
                     "9", "19", "25", "7.5", "-1000", "1e30", "nan", "inf", "99999999999999999999", "interval", "10", "minmoves", "avoid",
                     sgf, "/nonexistent.sgf", "/dev/zero", "/", "dead", "alive", "\u{7}", "#", "=", "?", "C3 D4"]
        var answered = 0
        for round in 0..<600 {
            var line = m.pick(names)
            for _ in 0..<m.int(4) { line += " " + m.pick(words) }
            if m.int(5) == 0 { line = "\(m.int(1000)) " + line }
            if line.contains("analyze") { line += " 1" }   // reports every 50 ms (the floor), not every second
            if m.int(8) == 0 { line = m.mutate(line, edits: 2) }
            if line.lowercased().hasPrefix("quit") { continue }
            budget = m.int(3)
            polls = 0
            streamed = ""
            if let answer = session.respond(to: line) {
                XCTAssertTrue(answer.hasPrefix("=") || answer.hasPrefix("?"), "round \(round) '\(line)': \(answer)")
                XCTAssertTrue(answer.hasSuffix("\n\n"), "round \(round) '\(line)': \(answer)")
            } else if !streamed.isEmpty {
                XCTAssertTrue(streamed.hasPrefix("=") && streamed.hasSuffix("\n\n"), "round \(round) '\(line)': \(streamed)")
            } else {
                // No answer at all only for a line without a command (blank, or a comment).
                let command = (line.split(separator: "#", omittingEmptySubsequences: false).first ?? "")
                    .unicodeScalars.filter { $0.value >= 32 }.map(String.init).joined()
                XCTAssertTrue(command.trimmingCharacters(in: .whitespaces).isEmpty, "round \(round) '\(line)': no answer")
            }
            answered += 1
            if session.game.isOver || session.game.moves.count > 40 { _ = session.respond(to: "clear_board") }
        }
        XCTAssertGreaterThan(answered, 540)
    }
}
