// Learning curves: moving averages, resampling onto a frame grid, mean ± 95% CI over seeds,
// and the SVG they draw.
import Foundation
import RL
import Rendering
import Runs
import XCTest

final class LearningCurveTests: XCTestCase {
    func testAggregatesSeedsOfOneConfiguration() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-curves-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // Two seeds: returns 1, 1, 1, ... and 3, 3, 3, ... at frames 10, 20, ..., 100.
        for (seed, value) in [(1, 1.0), (2, 3.0)] {
            let run = root.appendingPathComponent("minatar-breakout__dqn__\(seed)__20261122-000000")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            var csv = "step,tag,value\n"
            for k in 1...10 { csv += "\(k * 10),charts/episodic_return,\(value)\n\(k * 10),charts/epsilon,0.5\n" }
            try csv.write(to: run.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        }
        let other = root.appendingPathComponent("gridworld-empty-5__dqn__1__20261122-000000")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "step,tag,value\n5,charts/episodic_return,0\n15,charts/episodic_return,2\n".write(to: other.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        let runs = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().map { root.path + "/" + $0 }
        let curves = try LearningCurve.plot(runs: runs, window: 2, points: 10).curves
        XCTAssertEqual(curves.map(\.label), ["gridworld-empty-5__dqn", "minatar-breakout__dqn"])
        let breakout = curves[1]
        XCTAssertEqual(breakout.seeds, 2)
        XCTAssertEqual(breakout.frames, (1...10).map { Double($0 * 10) })
        XCTAssertEqual(breakout.mean, Array(repeating: 2, count: 10))
        XCTAssertEqual(breakout.halfWidth[0], 1.96 * 2.0.squareRoot() / 2.0.squareRoot(), accuracy: 1e-9, "sd √2 over √2 seeds")
        XCTAssertEqual(curves[0].mean.last, 1, "moving average of 0 and 2")
        XCTAssertEqual(LearningCurve.smoothed([(1, 1), (2, 3), (3, 5)], window: 2).map(\.value), [1, 2, 4])
        let svg = SVGPlot.render(curves, title: "a <test>")
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2, "one line per configuration")
        XCTAssertEqual(svg.components(separatedBy: "<polygon").count - 1, 1, "a band only where there are several seeds")
        XCTAssertTrue(svg.contains("minatar-breakout__dqn (2 seeds)") && svg.contains("a &lt;test&gt;") && svg.contains(">frames<"))
        XCTAssertThrowsError(try LearningCurve.plot(runs: [root.path + "/missing"])) {
            XCTAssertTrue("\($0)".contains("nothing to plot: skipped") && "\($0)".contains("cannot read"), "\($0)")
        }
    }

    /// A run whose resume changed a training key (config-changes.jsonl) is its own
    /// configuration; one whose resume only extended the budget is not.
    func testARunChangedMidwayIsNotAveragedWithTheOthers() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-curves-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = #"{"learningRate": 0.02, "iterations": 50}"#
        func run(_ seed: Int, value: Double, changes: String?) throws -> String {
            let dir = root.appendingPathComponent("go-9__alphazero__\(seed)__20261207-000000-\(seed)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var csv = "step,tag,value\n"
            for step in 1...10 { csv += "\(step),charts/episodic_return,\(value)\n" }
            try csv.write(to: dir.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
            try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            if let changes { try changes.write(to: dir.appendingPathComponent(RunDirectory.configChangesFile), atomically: true, encoding: .utf8) }
            return dir.path
        }
        let runs = [
            try run(1, value: 1, changes: nil),
            try run(2, value: 3, changes: #"{"step":5,"key":"iterations","from":5,"to":50}"# + "\n"),
            try run(3, value: 7, changes: #"{"step":4,"key":"iterations","from":4,"to":50}"# + "\n" + #"{"step":4,"key":"learningRate","from":0.02,"to":0.002}"# + "\n"),
        ]
        let curves = try LearningCurve.plot(runs: runs, window: 1, points: 5).curves
        XCTAssertEqual(curves.map(\.seeds), [2, 1], "a longer budget does not split a configuration; another learning rate does")
        XCTAssertEqual(curves.map { $0.mean.last }, [2, 7])
        guard curves.count == 2 else { return }
        XCTAssertEqual(curves[1].label, "go-9__alphazero (config-changes=learningRate 0.02 → 0.002 at step 4)")
    }

    /// A metric of strength.csv (written by `dojo strength`) against another tag at the same
    /// steps: the x axis is that tag's value, steps without it are left out.
    func testAnotherTagAsTheXAxis() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("go-9__alphazero__1__20261207-000000-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: run) }
        try "step,tag,value\n1,losses/policy_loss,2\n".write(to: run.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        try "step,tag,value\n0,strength/elo,-300\n0,strength/training_hours,0\n25,strength/elo,-100\n25,strength/training_hours,0.5\n50,strength/elo,40\n"
            .write(to: run.appendingPathComponent("strength.csv"), atomically: true, encoding: .utf8)
        let points = try LearningCurve.points(inRun: run.path, metric: "strength/elo", x: "strength/training_hours")
        XCTAssertEqual(points.map(\.frame), [0, 0.5])
        XCTAssertEqual(points.map(\.value), [-300, -100])
        XCTAssertEqual(try LearningCurve.points(inRun: run.path, metric: "strength/elo").map(\.frame), [0, 25, 50], "by step without --x")
        XCTAssertThrowsError(try LearningCurve.points(inRun: run.path, metric: "strength/elo", x: "charts/nothing")) {
            XCTAssertTrue("\($0)".contains("has no charts/nothing rows at the steps of strength/elo"), "\($0)")
        }
    }

    /// Runs of different configurations are different lines, longer seeds are cut with a note,
    /// folders without the metric are skipped, and any logged tag can be plotted.
    func testGroupsByConfigurationCutsWithANoteAndSkipsWhatItCannotPlot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-curves-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func run(_ name: String, config: String?, frames: Int, value: Double, tag: String = "charts/episodic_return") throws -> String {
            let dir = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var csv = "step,tag,value\n"
            for f in stride(from: 10, through: frames, by: 10) { csv += "\(f),\(tag),\(value)\n" }
            try csv.write(to: dir.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
            if let config { try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8) }
            return dir.path
        }
        let plain = #"{"doubleDQN": false, "dueling": false, "frames": 200}"#
        let improved = #"{"doubleDQN": true, "dueling": true, "frames": 60}"#
        let runs = [
            try run("minatar-breakout__dqn__1__20261206-000000-1", config: plain, frames: 200, value: 1),
            try run("minatar-breakout__dqn__2__20261206-000000-2", config: plain.replacingOccurrences(of: "200", with: "60"), frames: 60, value: 3),
            try run("minatar-breakout__dqn__1__20261206-000000-3", config: improved, frames: 60, value: 5),
            try run("go-5__alphazero__0__20261206-000000-4", config: #"{"blocks": 1}"#, frames: 30, value: 0.5, tag: "losses/policy_loss"),
        ]
        let plot = try LearningCurve.plot(runs: runs, window: 1, points: 6)
        XCTAssertEqual(plot.curves.map(\.label), ["minatar-breakout__dqn (doubleDQN=false, dueling=false)",
                                                  "minatar-breakout__dqn (doubleDQN=true, dueling=true)"])
        XCTAssertEqual(plot.curves.map(\.seeds), [2, 1], "the budget (frames) does not split a configuration")
        XCTAssertEqual(plot.curves[0].frames.last, 60, "cut at the shortest seed")
        XCTAssertEqual(plot.curves[0].mean.last, 2)
        XCTAssertEqual(plot.curves[1].mean.last, 5, "the improved run is not averaged with plain DQN")
        XCTAssertTrue(plot.notes.contains { $0.contains("cut at step 60") && $0.contains("reaches 200") }, "\(plot.notes)")
        XCTAssertTrue(plot.notes.contains { $0.hasPrefix("skipped \(runs[3])") && $0.contains("losses/policy_loss") }, "\(plot.notes)")
        let losses = try LearningCurve.plot(runs: [runs[3]], metric: "losses/policy_loss", window: 1, points: 3)
        XCTAssertEqual(losses.curves.map(\.label), ["go-5__alphazero"])
        XCTAssertEqual(losses.curves[0].mean, [0.5, 0.5, 0.5])
    }
}
