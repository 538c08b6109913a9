// A full disk while writing metrics is a sentence from `flush` (which training calls before
// every checkpoint), never a trap.
import Foundation
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class MetricsWriteFailureTests: XCTestCase {
    func testTensorBoardOnAFullDiskThrowsFromFlush() throws {
        let full = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"), "Linux's /dev/full")
        let writer = TensorBoardWriter(handle: full, path: "events.out.tfevents.test")
        for step in 0..<5_000 { writer.scalar("charts/episodic_return", Double(step), step: step) }
        XCTAssertThrowsError(try writer.flush()) { error in
            XCTAssertEqual("\(error)", "cannot write the TensorBoard event file events.out.tfevents.test: No space left on device")
        }
        XCTAssertNotNil(writer.failure)
    }

    func testMetricsCSVOnAFullDiskThrowsFromFlush() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-metrics")
        defer { dir.remove() }
        try FileManager.default.createSymbolicLink(atPath: dir.path("metrics.csv"), withDestinationPath: "/dev/full")
        let metrics = try MetricsLogger(run: RunDirectory(path: dir.url.path), tensorBoard: false)
        metrics.log("losses/td_loss", 0.5, step: 1)
        XCTAssertThrowsError(try metrics.flush()) { error in
            XCTAssertTrue("\(error)".hasSuffix("metrics.csv: No space left on device"), "\(error)")
        }
    }
}
