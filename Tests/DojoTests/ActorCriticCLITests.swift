// `dojo train ppo` and `dojo train a2c` end to end on a tiny grid world: the run folder with
// CleanRL's metric names, eval (sampled and --greedy) and watch of the checkpoint, a tournament
// seat, --resume extending the run to what an uninterrupted run gives, and the refusals.
import Foundation
import TestSupport
import XCTest

final class ActorCriticCLITests: XCTestCase, RunsDojo {
    var root: String!
    override func setUp() { root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-ac-\(UUID().uuidString)").path }
    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func runs(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
    }

    let small = ["--set", "environments=4", "--set", "steps=32", "--set", "minibatches=2", "--set", "hiddenUnits=16", "--set", "convChannels=4"]

    func testPPOWritesARunThatEvalWatchAndTournamentsRead() throws {
        let r = try run(["train", "ppo", "--env", "gridworld/empty-5", "--frames", "1024", "--run-dir", root, "--seed", "2", "--eval-episodes", "3"] + small)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("trained 1024 frames, 8 iterations"), r.stdout)
        XCTAssertTrue(r.stdout.contains("evaluation (actions drawn from the policy, 3 episodes"), r.stdout)
        let dir = try XCTUnwrap(try runs(root).first)
        XCTAssertTrue((dir as NSString).lastPathComponent.hasPrefix("gridworld-empty-5__ppo__2__"), dir)
        let csv = try String(contentsOfFile: dir + "/metrics.csv", encoding: .utf8)
        for tag in ["charts/episodic_return", "charts/episodic_length", "charts/sps", "charts/learning_rate", "losses/policy_loss",
                    "losses/value_loss", "losses/entropy", "losses/approx_kl", "losses/clipfrac", "losses/explained_variance"] {
            XCTAssertTrue(csv.contains(",\(tag),"), tag)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/videos/final.gif"))
        let checkpoint = dir + "/checkpoints/latest.safetensors"
        let e = try run(["eval", checkpoint, "--episodes", "4"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.stdout.hasPrefix("gridworld/empty-5: mean return "), e.stdout)
        XCTAssertTrue(e.stdout.contains("ppo policy sampled"), e.stdout)
        let g = try run(["eval", dir, "--episodes", "4", "--greedy"])
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(g.stdout.contains("ppo policy greedy"), g.stdout)
        let epsilon = try run(["eval", dir, "--epsilon", "0.1"])
        XCTAssertEqual(epsilon.status, 64, epsilon.stderr)
        XCTAssertTrue(epsilon.stderr.contains("--epsilon is for DQN checkpoints"), epsilon.stderr)
        let w = try run(["watch", checkpoint, "--terminal", "--fps", "240", "--max-steps", "5"])
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stdout.contains("episode 1: return"), w.stdout)
        let t = try run(["tournament", "--env", "gridworld/empty-5", "--player", "ppo=checkpoint:\(checkpoint)", "--player", "random",
                         "--episodes", "4", "--db", root + "/t.sqlite"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("| ppo | 4 | "), t.stdout)
    }

    func testResumeExtendsTheRunToWhatAnUninterruptedRunGives() throws {
        let straightRoot = root + "/straight", splitRoot = root + "/split"
        // Without annealing: an annealed run's schedule spans the frames it was given, so
        // extending one stretches the rest of its schedule (said in --help).
        let args = ["--env", "gridworld/empty-5", "--seed", "4", "--eval-episodes", "5", "--quiet", "--set", "annealLearningRate=false"] + small
        let straight = try run(["train", "a2c", "--frames", "800", "--run-dir", straightRoot] + args)
        XCTAssertEqual(straight.status, 0, straight.stderr)
        let first = try run(["train", "a2c", "--frames", "400", "--run-dir", splitRoot] + args)
        XCTAssertEqual(first.status, 0, first.stderr)
        let dir = try XCTUnwrap(try runs(splitRoot).first)
        XCTAssertTrue(dir.contains("__a2c__4__"), dir)
        let wrongCommand = try run(["train", "ppo", "--resume", dir])
        XCTAssertEqual(wrongCommand.status, 64, wrongCommand.stderr)
        XCTAssertTrue(wrongCommand.stderr.contains("is an a2c run; continue it with dojo train a2c --resume"), wrongCommand.stderr)
        let changed = try run(["train", "a2c", "--resume", dir, "--set", "gamma=0.5"])
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.stderr.contains("gamma cannot change"), changed.stderr)
        let resumed = try run(["train", "a2c", "--resume", dir, "--frames", "800", "--eval-episodes", "5", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        func evaluation(_ s: String) -> String? { s.split(separator: "\n").first { $0.hasPrefix("evaluation") }.map(String.init) }
        XCTAssertNotNil(evaluation(straight.stdout), straight.stdout)
        XCTAssertEqual(evaluation(resumed.stdout), evaluation(straight.stdout), "the resumed run evaluates as the uninterrupted one")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoints/latest.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: try XCTUnwrap(try runs(straightRoot).first) + "/checkpoints/latest.safetensors"))
        XCTAssertEqual(a, b, "the same checkpoint, byte for byte")
        let straightFolder = try XCTUnwrap(try runs(straightRoot).first)
        XCTAssertEqual(try String(contentsOfFile: dir + "/config.json", encoding: .utf8),
                       try String(contentsOfFile: straightFolder + "/config.json", encoding: .utf8), "config.json is the config in effect")
    }

    func testTwoPlayerGamesAndBadSettingsAreRefused() throws {
        let go = try run(["train", "ppo", "--env", "tic-tac-toe", "--run-dir", root])
        XCTAssertEqual(go.status, 64, go.stderr)
        XCTAssertTrue(go.stderr.contains("two-player game"), go.stderr)
        let bad = try run(["train", "ppo", "--env", "gridworld/empty-5", "--run-dir", root, "--set", "minibatches=7"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("minibatches (7) must divide"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root), "nothing written for a refused run")
    }
}
