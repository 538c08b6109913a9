// Exit codes: usage mistakes 64 with the usage line, every other failure 1 with one sentence
// and no usage line; negative numbers are values to range-check, not unknown options. Trace
// policies play legal moves in games that have illegal ones.
import Foundation
import Go
import TestSupport
import XCTest

final class ExitCodeCLITests: XCTestCase, RunsDojo {
    func testUsageMistakesExit64AndOtherFailuresExit1() throws {
        let cases: [([String], Int32, String)] = [
            (["train", "dqn", "--env", "minatar/breakout", "--frames", "-5"], 64, "--frames must be ≥ 1"),
            (["watch", "--agent", "random", "--env", "minatar/breakout", "--fps", "-3"], 64, "--fps must be in (0, 240], got -3.0"),
            (["eval", "x.safetensors", "--episodes", "-1"], 64, "--episodes must be ≥ 1"),
            (["trace", "minatar/breakout", "--steps", "-2"], 64, "--steps must be ≥ 0, got -2"),
            (["watch", "--agent", "random", "--env", "minatar/breakout", "--gif", "x.png"], 64, "--gif writes an animated GIF"),
            (["train", "dqn", "--env", "minatar/breakout", "--preset", "tiny"], 64, "Unknown option '--preset'"),
            (["train", "alphazero", "--env", "go:5", "--preset", "huge"], 64, "Please provide one of 'tiny' and 'small'"),
            (["train", "alphazero", "--resume", "runs/x", "--preset", "tiny"], 64, "a resumed run keeps its own"),
            (["train", "value", "--resume", "runs/x"], 64, "Unknown option '--resume'"),
            (["tournament", "--env", "go:9", "--player", "random", "--player", "b=random", "--format", "swiss"], 64, "Please provide one of 'round-robin', 'gauntlet' or 'match'"),
            (["selfplay-gtp", "--scorer", "area"], 64, "Please provide one of 'auto', 'gnugo' or 'tt'"),
            (["play", "minatar/breakout", "--opponent", "random", "--terminal"], 1, "is a one-player game"),
            (["trace", "minatar/breakout", "--actions", "/no/such/actions.txt"], 1, "cannot read actions file"),
        ]
        for (args, status, message) in cases {
            let r = try run(args)
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.contains("Usage:"), status == 64, "the usage line only for usage mistakes: \(args): \(r.stderr)")
        }
    }

    /// `dojo agents` lists every spec the playing commands take, with MCTS's defaults.
    func testAgentsListsEverySpecWithItsOptions() throws {
        let r = try run(["agents"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for spec in ["`random`", "`mcts[:options]`", "`alphazero:checkpoint=FILE", "`alphago:policy=FILE", "`policy:checkpoint=FILE", "`gtp:<command line>`", "`checkpoint:FILE"] {
            XCTAssertTrue(r.stdout.contains(spec), spec)
        }
        XCTAssertTrue(r.stdout.contains("playouts=1000"), "MCTS's default budget: \(r.stdout)")
    }

    /// A GTP line of megabytes (no command is that long) gets a failure and the session goes on;
    /// its bytes are dropped as they arrive (memory stays flat; each byte is scanned once — the
    /// old reader kept the line and rescanned it on every read, quadratic in its length).
    func testAnOverlongGTPLineIsAFailureAndTheSessionGoesOn() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have /usr/bin/time (make test installs it)") }
            throw XCTSkip("GNU time is not installed (apt-get install time)")
        }
        func gtp(_ input: String) throws -> (stdout: String, peakKB: Int) {
            let r = try ExternalProcess.run("/usr/bin/time", ["-f", "peak %M", try dojo.path, "gtp", "--agent", "random"], input: input)
            XCTAssertEqual(r.status, 0, r.stderr)
            let peak = r.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap { Int($0.dropFirst(5)) } ?? 0
            return (r.stdout, peak)
        }
        let plain = try gtp("name\nquit\n")
        let long = try gtp(String(repeating: "x", count: 20_000_000) + "\nname\nquit\n")
        XCTAssertTrue(long.stdout.hasPrefix("? unknown command"), String(long.stdout.prefix(200)))
        XCTAssertTrue(long.stdout.contains("= Dojo\n\n"), String(long.stdout.prefix(200)))
        XCTAssertGreaterThan(plain.peakKB, 0)
        XCTAssertLessThan(long.peakKB - plain.peakKB, 8_000, "a 20 MB line is not kept (peak \(long.peakKB) KB against \(plain.peakKB) KB)")
    }

    /// A piped `dojo watch` (standard output not a terminal) prints the episode lines only.
    func testPipedWatchWritesNoEscapeCodes() throws {
        let r = try run(["watch", "--agent", "random", "--env", "minatar/breakout", "--max-steps", "30", "--episodes", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("\u{1B}"), "no escape codes through a pipe")
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("episode ") }.count, 2, r.stdout)
    }

    /// The random trace policy used to pick occupied points in Go (a trap in GoGame.step).
    func testRandomTracesOfBoardGamesPlayOnlyLegalMoves() throws {
        let r = try run(["trace", "go:5", "--steps", "200", "--policy", "random", "--policy-seed", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var game = GoGame(size: 5, komi: 0.5, maxMoves: 50)
        var steps = 0
        for line in r.stdout.split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if object["k"] as? String == "reset" { game.reset(seed: nil); continue }
            let action = try XCTUnwrap(object["a"] as? Int)
            XCTAssertTrue(game.isLegalAction(action), "step \(steps): action \(action) is illegal")
            _ = game.step(action)
            steps += 1
        }
        XCTAssertEqual(steps, 200)
        let t = try run(["trace", "tic-tac-toe", "--steps", "50", "--policy", "random"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertEqual(t.stdout.split(separator: "\n").filter { $0.contains("\"step\"") }.count, 50)
    }
}
