// `dojo strength` (issue 22 §5) on a tiny Tic-tac-toe run: every chosen version plays a match
// against each anchor (an anchor added later only adds its matches), one fit rates them all, strength.csv holds Elo and training
// hours per version for `dojo plot --x`, a second call resumes without replaying, and options
// that would mix results are refused.
import Foundation
import Neural
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
        // An anchor added later: only its matches are played, and the fit takes them all.
        let more = try run(options + ["--anchor", "mcts8=mcts:playouts=8"])
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertEqual(more.stderr.components(separatedBy: "game 4/4").count - 1, 3, "one new match per version: \(more.stderr)")
        XCTAssertTrue(more.stdout.contains("mcts8 "), more.stdout)
        XCTAssertTrue(try String(contentsOfFile: "\(runPath)/strength.csv", encoding: .utf8).contains("2,strength/games,12.0"))
        let looksLikeAVersion = try run(options + ["--anchor", "v000001=random"])
        XCTAssertEqual(looksLikeAVersion.status, 64, looksLikeAVersion.stderr)
        XCTAssertTrue(looksLikeAVersion.stderr.contains("must not look like a version"), looksLikeAVersion.stderr)
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

    /// A run from before charts/training_hours (no such rows, no training_seconds in its
    /// checkpoint) resumes with its clock at the estimate from its metrics, so hours keep growing
    /// across the change, and `dojo strength` reads estimated and logged hours as one series.
    func testHoursContinueFromAnEstimateForOlderRuns() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-hours")
        defer { dir.remove() }
        let budget = ["--set", "gamesPerIteration=2", "--set", "trainSteps=5", "--threads", "1", "--eval-episodes", "0"]
        let trained = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=2", "--run-dir", dir.url.path] + budget)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let runPath = String(try XCTUnwrap(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        // Make it look older: no logged hours, no clock in the checkpoint.
        let metricsPath = "\(runPath)/metrics.csv", checkpoint = "\(runPath)/checkpoints/latest.safetensors"
        let metrics = try String(contentsOfFile: metricsPath, encoding: .utf8)
        try metrics.split(separator: "\n").filter { !$0.contains("charts/training_hours") }.joined(separator: "\n").appending("\n")
            .write(toFile: metricsPath, atomically: true, encoding: .utf8)
        var file = try SafeTensorsFile.read(from: checkpoint)
        XCTAssertNotNil(file.metadata.removeValue(forKey: "training_seconds"))
        try file.write(to: checkpoint)
        // The estimate for iteration 2: each iteration's games over its games per hour, plus its
        // training samples over its samples per second.
        var estimate = 0.0
        for step in 1...2 {
            func value(_ tag: String) throws -> Double {
                try XCTUnwrap(metrics.split(separator: "\n").first { $0.hasPrefix("\(step),\(tag),") }.flatMap { Double($0.split(separator: ",")[2]) })
            }
            estimate += 2 / (try value("charts/selfplay_games_per_hour")) + 5 * 8 / (try value("charts/train_samples_per_second")) / 3600
        }
        let resumed = try run(["train", "alphazero", "--resume", runPath, "--set", "iterations=3"] + budget)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let after = try String(contentsOfFile: metricsPath, encoding: .utf8)
        let third = try XCTUnwrap(after.split(separator: "\n").first { $0.hasPrefix("3,charts/training_hours,") }.flatMap { Double($0.split(separator: ",")[2]) }, after)
        XCTAssertGreaterThan(third, estimate, "the clock went on from the estimate")
        XCTAssertLessThan(third, estimate + 0.01, "by one short iteration")
        let rated = try run(["strength", "--run", runPath, "--anchor", "random", "--every", "1", "--games", "2", "--playouts", "4"])
        XCTAssertEqual(rated.status, 0, rated.stderr)
        XCTAssertTrue(rated.stdout.contains("and for the 2 iterations before it was logged an estimate"), rated.stdout)
        let csv = try String(contentsOfFile: "\(runPath)/strength.csv", encoding: .utf8)
        let hours = csv.split(separator: "\n").filter { $0.contains("strength/training_hours") }.compactMap { Double($0.split(separator: ",")[2]) }
        XCTAssertEqual(hours.count, 4)
        XCTAssertEqual(hours, hours.sorted(), "one growing series: \(csv)")
    }
}
