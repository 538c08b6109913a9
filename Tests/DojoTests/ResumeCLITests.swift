// A resumed run is the same run: options are applied or refused (never ignored), the budget can
// be extended, the end-of-run evaluation is the one an uninterrupted run reports, and a second
// writer, stale temporary files and a removed videos/ folder are all handled.
import Files
import Foundation
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class ResumeCLITests: XCTestCase, RunsDojo {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "dojo-resume") }
    override func tearDown() { dir.remove() }

    let tiny = ["--env", "gridworld/empty-5", "--set", "warmupFrames=100", "--set", "epsilonDecayFrames=200",
                "--set", "hiddenUnits=8", "--eval-episodes", "3", "--quiet"]

    func train(_ root: String, _ extra: [String]) throws -> (Run, String) {
        let r = try run(["train", "dqn", "--run-dir", root] + tiny + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        let runs = try FileManager.default.contentsOfDirectory(atPath: root)
        XCTAssertEqual(runs.count, 1, "\(runs)")
        return (r, root + "/" + (runs.first ?? "?"))
    }

    func evaluationLine(_ r: Run) -> String? { r.stdout.split(separator: "\n").first { $0.hasPrefix("evaluation") }.map(String.init) }

    func testExtendingARunMatchesAnUninterruptedRunAndItsEvaluation() throws {
        let (straight, _) = try train(dir.path("straight"), ["--frames", "600", "--seed", "3"])
        let (_, folder) = try train(dir.path("split"), ["--frames", "400", "--seed", "3"])
        let extended = try run(["train", "dqn", "--resume", folder, "--frames", "600", "--eval-episodes", "3", "--quiet"])
        XCTAssertEqual(extended.status, 0, extended.stderr)
        XCTAssertTrue(extended.stdout.contains("trained 600 frames"), extended.stdout)
        XCTAssertNotNil(evaluationLine(straight))
        XCTAssertTrue(evaluationLine(straight)?.contains("seed 1003") ?? false, straight.stdout)
        XCTAssertEqual(evaluationLine(extended), evaluationLine(straight), "same run, same evaluation")
        let config = try String(contentsOfFile: folder + "/checkpoints/latest.safetensors", encoding: .isoLatin1)
        XCTAssertTrue(config.contains("\\\"frames\\\" : 600"), "the checkpoint records the extended budget")
        let json = try String(contentsOfFile: folder + "/config.json", encoding: .utf8)
        XCTAssertTrue(json.contains("\"frames\" : 600"), "config.json too: \(json)")
        let changes = try String(contentsOfFile: folder + "/" + RunDirectory.configChangesFile, encoding: .utf8)
        XCTAssertEqual(changes, #"{"step":400,"key":"frames","from":400,"to":600}"# + "\n")
    }

    func testOptionsAResumeCannotHonourAreRefused() throws {
        let (_, folder) = try train(dir.path("runs"), ["--frames", "400", "--seed", "3"])
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/checkpoints/latest.safetensors"))
        let cases: [([String], Int32, String)] = [
            (["--set", "hiddenUnits=16"], 1, "hiddenUnits cannot change"),
            (["--frames", "300"], 1, "past the 300 frames asked for"),
            (["--env", "gridworld/empty-6"], 64, "--env gridworld/empty-6 cannot change it"),
            (["--seed", "4"], 64, "--seed 4 cannot change it"),
        ]
        for (extra, status, message) in cases {
            let r = try run(["train", "dqn", "--resume", folder, "--quiet"] + extra)
            XCTAssertEqual(r.status, status, "\(extra): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/checkpoints/latest.safetensors")), before,
                       "a refused resume leaves the run as it was")
        let same = try run(["train", "dqn", "--resume", folder, "--env", "gridworld/empty-5", "--seed", "3", "--set", "checkpointEvery=50", "--quiet", "--eval-episodes", "1"])
        XCTAssertEqual(same.status, 0, "repeating the run's own values is fine: \(same.stderr)")
    }

    func testASecondWriterIsRefusedAndStaleFilesAndMissingVideosAreHandled() throws {
        let (_, folder) = try train(dir.path("runs"), ["--frames", "400"])
        do {
            let held = try RunLock(folder: folder)
            let r = try run(["train", "dqn", "--resume", folder, "--frames", "500", "--quiet"])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("is in use by another process (pid \(getpid()))"), r.stderr)
            withExtendedLifetime(held) {}
        }
        let stale = folder + "/checkpoints/" + AtomicFile.temporaryName(for: "latest.safetensors", pid: 4_000_001)
        XCTAssertTrue(FileManager.default.createFile(atPath: stale, contents: Data(count: 1000)))
        try FileManager.default.removeItem(atPath: folder + "/videos")
        let r = try run(["train", "dqn", "--resume", folder, "--frames", "500", "--quiet", "--eval-episodes", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "stale temporary files are removed on resume")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/videos/final.gif"))
    }
}
