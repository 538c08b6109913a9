// The AlphaGo pipeline end to end on 5×5 with tiny budgets: sl-policy from SGF files and
// pg-policy from the supervised checkpoint (each with its resume), value from the
// policy-gradient one, then the networks as players over GTP and in a tournament; wrong inputs are one sentence.
import Arena
import Foundation
import Go
import Tensors
import TestSupport
import XCTest

final class AlphaGoCLITests: XCTestCase, RunsDojo {
    /// `count` random 5×5 games (uniform legal non-pass moves, then passes) as SGF files.
    func writeGames(_ count: Int, to directory: String) throws {
        var generator = SeededGenerator(seed: 5)
        for g in 0..<count {
            var game = GoGame(size: 5, komi: 0.5)
            while !game.isOver {
                let moves = game.legalActions.filter { $0 != game.passAction && !game.board.isEye(game.board.point(action: $0), game.toPlay) }
                _ = game.step(moves.isEmpty ? game.passAction : moves[generator.nextInt(below: moves.count)])
            }
            try SGF.serialize([SGF.tree(for: game)]).write(toFile: "\(directory)/g\(g).sgf", atomically: true, encoding: .utf8)
        }
    }

    func line(_ prefix: String, _ text: String) throws -> String {
        String(try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(prefix) }).dropFirst(prefix.count))
    }

    /// Inputs are checked before anything is created: a missing game folder leaves no run folder.
    func testMissingGameRecordsCreateNoRunFolder() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-ag-missing")
        defer { dir.remove() }
        let r = try run(["train", "sl-policy", "--env", "go:9", "--sgf", dir.path("nothere"), "--run-dir", dir.path("runs")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("runs")), "no run folder for a run that could not start")
    }

    func testPipelineTrainsAndPlays() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-ag")
        defer { dir.remove() }
        let games = dir.path("games")
        try FileManager.default.createDirectory(atPath: games, withIntermediateDirectories: true)
        try writeGames(12, to: games)
        let runs = dir.path("runs")
        let sl = try run(["train", "sl-policy", "--env", "go:5", "--preset", "tiny", "--sgf", games, "--run-dir", runs,
                          "--set", "slSteps=20", "--set", "slReportEvery=10"])
        XCTAssertEqual(sl.status, 0, sl.stderr)
        XCTAssertTrue(sl.stdout.contains("held-out accuracy"), sl.stdout)
        let slRun = try line("run ", sl.stdout), slCheckpoint = try line("checkpoint ", sl.stdout)
        let resumed = try run(["train", "sl-policy", "--resume", slRun, "--set", "slSteps=30"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("at step 20"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 30 steps"), resumed.stdout)
        let metrics = try String(contentsOfFile: "\(slRun)/metrics.csv", encoding: .utf8)
        XCTAssertTrue(metrics.contains("30,charts/held_out_accuracy,"), metrics)

        let pg = try run(["train", "pg-policy", "--init", slCheckpoint, "--run-dir", runs, "--set", "pgIterations=2",
                          "--set", "pgGamesPerIteration=4", "--set", "evaluationGames=2", "--set", "pgReportEvery=1"])
        XCTAssertEqual(pg.status, 0, pg.stderr)
        XCTAssertTrue(pg.stdout.contains("trained 2 iterations (8 games)"), pg.stdout)
        let pgCheckpoint = try line("checkpoint ", pg.stdout)
        let pgResumed = try run(["train", "pg-policy", "--resume", try line("run ", pg.stdout), "--set", "pgIterations=3"])
        XCTAssertEqual(pgResumed.status, 0, pgResumed.stderr)
        XCTAssertTrue(pgResumed.stderr.contains("at iteration 2"), pgResumed.stderr)
        XCTAssertTrue(pgResumed.stdout.contains("trained 3 iterations (12 games)"), pgResumed.stdout)
        let value = try run(["train", "value", "--from", pgCheckpoint, "--run-dir", runs, "--set", "valueGames=30", "--set", "valueSteps=10",
                             "--set", "valueReportEvery=5"])
        XCTAssertEqual(value.status, 0, value.stderr)
        XCTAssertTrue(value.stdout.contains("held-out MSE"), value.stdout)
        let valueCheckpoint = try line("checkpoint ", value.stdout)
        let saved = "\(try line("run ", value.stdout))/positions.dojoagv"
        XCTAssertTrue(FileManager.default.fileExists(atPath: saved))
        let pooled = try run(["train", "value", "--from", pgCheckpoint, "--run-dir", runs, "--positions", saved, "--set", "valueGames=10",
                              "--set", "valueSteps=5", "--set", "valueReportEvery=5"])
        XCTAssertEqual(pooled.status, 0, pooled.stderr)
        XCTAssertTrue(pooled.stderr.contains("positions added from"), pooled.stderr)

        // The networks play: GTP with search, and a tournament with the policy alone.
        let gtp = try ExternalProcess.run(try dojo.path, ["gtp", "--agent", "alphago:policy=\(slCheckpoint),value=\(valueCheckpoint),playouts=16", "--size", "5"],
                                          input: "boardsize 5\ngenmove b\nquit\n")
        XCTAssertEqual(gtp.status, 0, gtp.stderr)
        let reply = try XCTUnwrap(gtp.stdout.components(separatedBy: "\n\n").dropFirst().first)
        XCTAssertTrue(reply.hasPrefix("= ") && reply.count > 2 && reply != "= resign", gtp.stdout)
        let db = dir.path("t.sqlite")
        let t = try run(["tournament", "--env", "go:5", "--komi", "0.5", "--player", "random", "--player", "pg=policy:checkpoint=\(pgCheckpoint)",
                         "--games", "2", "--db", db])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertEqual(try ResultsStore.open(path: db).games().count, 2)

        // Wrong inputs: one sentence each, non-zero exit.
        for (arguments, expected) in [
            (["train", "pg-policy", "--run-dir", runs], "give --init"),
            (["train", "pg-policy", "--init", valueCheckpoint, "--run-dir", runs], "is a alphago-value checkpoint"),
            (["train", "value", "--from", dir.path("nothing.safetensors"), "--run-dir", runs], "--from"),
            (["train", "sl-policy", "--env", "go:5", "--run-dir", runs], "give --sgf DIR"),
            (["train", "sl-policy", "--env", "go:9", "--sgf", games, "--run-dir", runs], "usable 9×9 game"),
            (["gtp", "--agent", "alphago:policy=\(valueCheckpoint)", "--size", "5"], "holds a value network"),
            (["gtp", "--agent", "alphago:policy=\(slCheckpoint),lambda=2", "--size", "5"], "lambda=2 must be a number in 0…1"),
            (["gtp", "--agent", "policy:checkpoint=\(slCheckpoint)", "--size", "9"], "plays 5×5 only"),
        ] {
            let r = try run(arguments)
            XCTAssertNotEqual(r.status, 0, "\(arguments)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
        }
    }
}
