// `dojo train r2d2` end to end on a tiny memory maze: the run folder and its metrics, eval
// (and the refused --greedy), watch and a tournament seat for the checkpoint, --resume ending
// with the checkpoint an uninterrupted run writes, and the refusals.
import Foundation
import TestSupport
import XCTest

final class R2D2CLITests: XCTestCase, RunsDojo {
    var root: String!
    override func setUp() { root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-r2d2-\(UUID().uuidString)").path }
    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func runs(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
    }

    let small = ["--env", "gridworld/memory-2,view=3", "--set", "warmupFrames=200", "--set", "batchSize=4", "--set", "hiddenUnits=16",
                 "--set", "memoryUnits=8", "--set", "convChannels=4", "--set", "replayCapacity=500"]

    func testR2D2WritesARunThatEvalWatchAndTournamentsRead() throws {
        let r = try run(["train", "r2d2", "--frames", "600", "--run-dir", root, "--seed", "2", "--eval-episodes", "3"] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("trained 600 frames"), r.stdout)
        XCTAssertTrue(r.stdout.contains("evaluation (ε = 0, 3 episodes"), r.stdout)
        let dir = try XCTUnwrap(try runs(root).first)
        XCTAssertTrue((dir as NSString).lastPathComponent.hasPrefix("gridworld-memory-2-view-3__r2d2__2__"), dir)
        let csv = try String(contentsOfFile: dir + "/metrics.csv", encoding: .utf8)
        for tag in ["charts/episodic_return", "charts/episodic_length", "charts/epsilon"] { XCTAssertTrue(csv.contains(",\(tag),"), tag) }
        let checkpoint = dir + "/checkpoints/latest.safetensors"
        let e = try run(["eval", checkpoint, "--episodes", "4", "--epsilon", "0.1"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.stdout.hasPrefix("gridworld/memory-2,view=3: mean return "), e.stdout)
        XCTAssertTrue(e.stdout.contains("R2D2, ε = 0.1"), e.stdout)
        let greedy = try run(["eval", dir, "--greedy"])
        XCTAssertEqual(greedy.status, 64, greedy.stderr)
        XCTAssertTrue(greedy.stderr.contains("--greedy is for PPO/A2C checkpoints"), greedy.stderr)
        let w = try run(["watch", checkpoint, "--terminal", "--fps", "240", "--max-steps", "5"])
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stdout.contains("episode 1: return"), w.stdout)
        let t = try run(["tournament", "--env", "gridworld/memory-2,view=3", "--player", "r2d2=checkpoint:\(checkpoint)", "--player", "random",
                         "--episodes", "4", "--db", root + "/t.sqlite"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("| r2d2 | 4 | "), t.stdout)
    }

    func testResumeEndsWithTheCheckpointOfAnUninterruptedRun() throws {
        let straightRoot = root + "/straight", splitRoot = root + "/split"
        let args = ["--seed", "4", "--eval-episodes", "2", "--quiet"] + small
        let straight = try run(["train", "r2d2", "--frames", "900", "--run-dir", straightRoot] + args)
        XCTAssertEqual(straight.status, 0, straight.stderr)
        let first = try run(["train", "r2d2", "--frames", "500", "--run-dir", splitRoot] + args)
        XCTAssertEqual(first.status, 0, first.stderr)
        let dir = try XCTUnwrap(try runs(splitRoot).first)
        let wrongCommand = try run(["train", "dqn", "--resume", dir])
        XCTAssertEqual(wrongCommand.status, 64, wrongCommand.stderr)
        XCTAssertTrue(wrongCommand.stderr.contains("is an r2d2 run; continue it with dojo train r2d2 --resume"), wrongCommand.stderr)
        let twoPlayer = try run(["train", "r2d2", "--env", "tic-tac-toe", "--run-dir", root + "/ttt"])
        XCTAssertEqual(twoPlayer.status, 64, twoPlayer.stderr)
        XCTAssertTrue(twoPlayer.stderr.contains("tic-tac-toe is a two-player game; r2d2 trains single-player environments"), twoPlayer.stderr)
        let changed = try run(["train", "r2d2", "--resume", dir, "--set", "burnIn=1"])
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.stderr.contains("burnIn cannot change"), changed.stderr)
        let resumed = try run(["train", "r2d2", "--resume", dir, "--frames", "900", "--eval-episodes", "2", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoints/latest.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: try XCTUnwrap(try runs(straightRoot).first) + "/checkpoints/latest.safetensors"))
        XCTAssertEqual(a, b, "the same checkpoint, byte for byte")
    }
}
