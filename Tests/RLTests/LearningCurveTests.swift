// Learning curves: moving averages, resampling onto a frame grid, mean ± 95% CI over seeds,
// and the SVG they draw.
import Foundation
import RL
import Rendering
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
        let curves = try LearningCurve.aggregate(runs: runs, window: 2, points: 10)
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
        XCTAssertThrowsError(try LearningCurve.aggregate(runs: [root.path + "/missing"])) {
            XCTAssertTrue("\($0)".hasPrefix("cannot read"), "\($0)")
        }
    }
}
