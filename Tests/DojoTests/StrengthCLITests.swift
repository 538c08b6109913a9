// `dojo strength` (issue 22 §5) on a tiny Tic-tac-toe run: every chosen version plays its
// gauntlet against the anchors, one fit rates them all, strength.csv holds Elo and training
// hours per version for `dojo plot --x`, a second call resumes without replaying, and options
// that would mix results are refused.
import Foundation
import TestSupport
import XCTest

final class StrengthCLITests: XCTestCase, RunsDojo {
    func testVersionsAreRatedAgainstAnchorsAndPlotted() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-strength")
        defer { dir.remove() }
        let trained = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=2", "--set", "gamesPerIteration=4",
                               "--set", "trainSteps=20", "--threads", "1", "--eval-episodes", "0", "--run-dir", dir.url.path])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let runPath = String(try XCTUnwrap(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        let metrics = try String(contentsOfFile: "\(runPath)/metrics.csv", encoding: .utf8)
        XCTAssertTrue(metrics.contains("2,charts/training_hours,"), metrics)
        let options = ["strength", "--run", runPath, "--anchor", "random", "--anchor", "mcts=mcts:playouts=16", "--every", "1", "--games", "4", "--seconds", "0.01"]
        let first = try run(options)
        XCTAssertEqual(first.status, 0, first.stderr)
        for version in 0...2 { XCTAssertTrue(first.stdout.contains("| \(version) | "), "version \(version) is rated: \(first.stdout)") }
        XCTAssertTrue(first.stdout.contains("anchors: random 0, mcts "), first.stdout)
        let csv = try String(contentsOfFile: "\(runPath)/strength.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("step,tag,value\n"), csv)
        XCTAssertTrue(csv.contains("0,strength/training_hours,0.0\n"), csv)
        let hours = csv.split(separator: "\n").filter { $0.contains("strength/training_hours") }.compactMap { Double($0.split(separator: ",")[2]) }
        XCTAssertEqual(hours.count, 3)
        XCTAssertEqual(hours, hours.sorted(), "training hours grow with the version")
        XCTAssertGreaterThan(hours.last ?? 0, 0)
        XCTAssertEqual(csv.split(separator: "\n").filter { $0.contains("strength/games,8.0") }.count, 3, "each version played 4 games against each anchor: \(csv)")
        // Again: nothing left to play, the same table.
        let again = try run(options)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("game 1/"), "no game is replayed: \(again.stderr)")
        XCTAssertEqual(try String(contentsOfFile: "\(runPath)/strength.csv", encoding: .utf8), csv)
        let plotted = try run(["plot", runPath, "--metric", "strength/elo", "--x", "strength/training_hours", "--window", "1", "--out", dir.path("elo.svg")])
        XCTAssertEqual(plotted.status, 0, plotted.stderr)
        XCTAssertTrue(try String(contentsOfFile: dir.path("elo.svg"), encoding: .utf8).contains("strength/training_hours"))
        let otherGames = try run(options.map { $0 == "4" ? "6" : $0 })
        XCTAssertEqual(otherGames.status, 64, otherGames.stderr)
        XCTAssertTrue(otherGames.stderr.contains("was played with other players or --games"), otherGames.stderr)
        let missing = try run(["strength", "--run", runPath, "--anchor", "random", "--versions", "0,7"])
        XCTAssertEqual(missing.status, 64, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--versions names '7', which is not a published version"), missing.stderr)
        let noAnchor = try run(["strength", "--run", runPath])
        XCTAssertEqual(noAnchor.status, 64, noAnchor.stderr)
        XCTAssertTrue(noAnchor.stderr.contains("give at least one --anchor"), noAnchor.stderr)
    }
}
