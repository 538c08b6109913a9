// `dojo train dqn`, `dojo eval` and `dojo watch <checkpoint>` end to end on a tiny grid world:
// the run folder's files, TensorBoard's own reader on the event file, Ctrl-C then --resume.
import Foundation
import TestSupport
import XCTest

final class TrainCLITests: XCTestCase, RunsDojo {
    var root: String!
    override func setUp() { root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-runs-\(UUID().uuidString)").path }
    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    func onlyRun() throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: root)
        XCTAssertEqual(runs.count, 1)
        return root + "/" + runs[0]
    }

    func testTrainWritesARunThatEvalWatchAndTensorBoardRead() throws {
        let r = try run(["train", "dqn", "--env", "gridworld/empty-5", "--frames", "400", "--run-dir", root, "--seed", "2",
                         "--set", "warmupFrames=100", "--set", "epsilonDecayFrames=200", "--set", "hiddenUnits=8", "--eval-episodes", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("trained 400 frames"), r.stdout)
        XCTAssertTrue(r.stdout.contains("evaluation (ε = 0, 3 episodes"), r.stdout)
        let dir = try onlyRun()
        XCTAssertTrue((dir as NSString).lastPathComponent.hasPrefix("gridworld-empty-5__dqn__2__"), dir)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/config.json"))) as! [String: Any]
        XCTAssertEqual(config["frames"] as? Int, 400); XCTAssertEqual(config["hiddenUnits"] as? Int, 8)
        let csv = try String(contentsOfFile: dir + "/metrics.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("step,tag,value\n"))
        for tag in ["charts/episodic_return", "charts/episodic_length", "charts/epsilon", "losses/td_loss", "losses/q_values"] {
            XCTAssertTrue(csv.contains(",\(tag),"), tag)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/videos/final.gif"))
        let checkpoint = dir + "/checkpoints/latest.safetensors"
        let e = try run(["eval", checkpoint, "--episodes", "5"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.stdout.hasPrefix("gridworld/empty-5: mean return "), e.stdout)
        XCTAssertTrue(e.stdout.contains("(95% CI) over 5 episodes"), e.stdout)
        let w = try run(["watch", checkpoint, "--terminal", "--fps", "240", "--max-steps", "5"])
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stdout.contains("episode 1: return"), w.stdout)
        // A run folder stands for its latest checkpoint; another environment with other shapes
        // is one sentence naming both.
        let folder = try run(["eval", dir, "--episodes", "5"])
        XCTAssertEqual(folder.status, 0, folder.stderr)
        XCTAssertEqual(folder.stdout, e.stdout, "the folder evaluates its latest checkpoint")
        let watchFolder = try run(["watch", dir, "--terminal", "--fps", "240", "--max-steps", "5"])
        XCTAssertEqual(watchFolder.status, 0, watchFolder.stderr)
        let other = try run(["eval", checkpoint, "--env", "gridworld/empty-6", "--episodes", "1"])
        XCTAssertEqual(other.status, 1, other.stderr)
        XCTAssertTrue(other.stderr.contains("was trained on gridworld/empty-5 (observations 8×5×5, 4 actions); gridworld/empty-6 has observations 8×6×6"), other.stderr)
        XCTAssertFalse(other.stderr.contains("is this the checkpoint"), other.stderr)
        let bad = try run(["eval", dir + "/config.json"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("not a safetensors file") || bad.stderr.contains("truncated"), bad.stderr)
        // TensorBoard's own reader.
        let script = """
            import glob, sys
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            ea = EventAccumulator(glob.glob(sys.argv[1] + "/events.out.tfevents.*")[0]); ea.Reload()
            tags = ea.Tags()["scalars"]
            print(sorted(tags)); print(len(ea.Scalars("charts/episodic_return")))
            """
        let tb = try ExternalProcess.python(script, [dir], requires: "tensorboard")
        XCTAssertEqual(tb.status, 0, tb.stderr)
        XCTAssertTrue(tb.stdout.contains("'charts/episodic_return'") && tb.stdout.contains("'losses/td_loss'"), tb.stdout)
        let episodes = csv.split(separator: "\n").filter { $0.contains(",charts/episodic_return,") }.count
        XCTAssertEqual(tb.stdout.split(separator: "\n").last.map(String.init), String(episodes), "one TensorBoard scalar per CSV row")
    }

    /// A Q-learning run writes a checkpoint (its table) that eval and watch rebuild the greedy
    /// player from; a budget shorter than the DQN warm-up gets a warning.
    func testQLearningWritesATableThatEvalAndWatchRead() throws {
        let r = try run(["train", "qlearning", "--env", "gridworld/cliff-walking", "--frames", "20000", "--run-dir", root, "--eval-episodes", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let dir = try onlyRun()
        XCTAssertTrue(r.stdout.contains("checkpoint \(dir)/checkpoints/latest.safetensors"), r.stdout)
        let e = try run(["eval", dir, "--episodes", "2"])
        XCTAssertEqual(e.status, 0, e.stderr)
        XCTAssertTrue(e.stdout.hasPrefix("gridworld/cliff-walking: mean return -13.000"), "the optimal path: \(e.stdout)")
        let w = try run(["watch", dir + "/checkpoints/latest.safetensors", "--terminal", "--fps", "240", "--max-steps", "20"])
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stdout.contains("episode 1: return -13"), w.stdout)
        let short = try run(["train", "dqn", "--env", "gridworld/empty-5", "--frames", "100", "--run-dir", root + "/short", "--eval-episodes", "1", "--quiet"])
        XCTAssertEqual(short.status, 0, short.stderr)
        XCTAssertTrue(short.stderr.contains("warning: the run ends at frame 100, before learning starts after 500 warm-up frames"), short.stderr)
    }

    /// A resumed run keeps the worker count it trained with (results are bit-identical only at
    /// the same count), and says so; another count given on purpose gets a warning.
    func testResumeKeepsTheRunsWorkerThreads() throws {
        let first = try run(["train", "dqn", "--env", "gridworld/empty-5", "--frames", "400", "--threads", "2",
                             "--run-dir", root, "--quiet", "--eval-episodes", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let dir = try onlyRun()
        let same = try run(["train", "dqn", "--resume", dir, "--eval-episodes", "1"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stderr.contains("worker threads: 2, as this run trained with"), same.stderr)
        let other = try run(["train", "dqn", "--resume", dir, "--threads", "1", "--eval-episodes", "1"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertTrue(other.stderr.contains("this run trained with --threads 2; with 1 it will not be bit-identical"), other.stderr)
    }

    func testCtrlCWritesACheckpointAndSaysHowToResume() throws {
        let process = Process()
        process.executableURL = try dojo
        process.arguments = ["train", "dqn", "--env", "gridworld/empty-5", "--frames", "200000", "--run-dir", root, "--quiet"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        process.interrupt()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, "Ctrl-C after a clean save exits 130")
        XCTAssertTrue(text.contains("stopped at frame"), text)
        XCTAssertTrue(text.contains("continue with: dojo train dqn --resume"), text)
        let dir = try onlyRun()
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/checkpoints/latest.safetensors"))
        let tiny = try run(["train", "dqn", "--env", "go:2", "--frames", "10", "--run-dir", root + "/tiny"])
        XCTAssertNotEqual(tiny.status, 0)
        XCTAssertTrue(tiny.stderr.contains("go:2 has 2×2 observations; the DQN network's 3×3 convolution needs at least 3×3"), tiny.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/tiny"), "nothing written for a rejected run")
        let missing = try run(["train", "dqn", "--resume", root + "/nope"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("no such run folder"), missing.stderr)
    }
}
