// Splitting work over workers is decided by measurement, per kind of work: the faster way wins
// (the split only by a margin), decisions are measured again later, and the split and whole
// ways of the work that is decided like this give the same bits. Whole steps are decided in
// blocks of the same way, so a cost that shows only after the previous step counts.
@testable import Tensors
import Synchronization
import XCTest

final class SplitCalibrationTests: XCTestCase {
    /// A clock that advances by what the work "costs": `whole` or `split` nanoseconds.
    final class FakeClock: @unchecked Sendable {
        var time: UInt64 = 0
        func tick(_ ns: UInt64) { time += ns }
    }

    func decide(whole: UInt64, split: UInt64, calls: Int = 20) -> (decision: Bool?, ways: [Bool]) {
        let clock = FakeClock()
        let calibration = SplitCalibration(rounds: 3, margin: 0.95, settling: 0, now: { clock.time })
        let key = SplitCalibration.Key(kind: 0, 1, 2, 3, workers: 2)
        var ways: [Bool] = []
        for _ in 0..<calls {
            calibration.run(key, whole: { ways.append(false); clock.tick(whole) }, split: { ways.append(true); clock.tick(split) })
        }
        return (calibration.decision(key), ways)
    }

    func testTheFasterWayWinsAfterTimedRoundsOfBoth() {
        let settled = SplitCalibration(rounds: 1, settling: 3, now: { 0 })
        var first: [Bool] = []
        for _ in 0..<3 { settled.run(SplitCalibration.Key(kind: 0, 1, 1, 1, workers: 2), whole: { first.append(false) }, split: { first.append(true) }) }
        XCTAssertEqual(first, [true, true, true], "the first calls split untimed")
        let fast = decide(whole: 100, split: 60)
        XCTAssertEqual(fast.decision, true)
        XCTAssertEqual(Array(fast.ways.prefix(8)), [false, true, false, true, false, true, false, true], "whole and split alternate while measured")
        XCTAssertTrue(fast.ways.dropFirst(8).allSatisfy { $0 }, "then the split")
        XCTAssertEqual(decide(whole: 100, split: 140).decision, false)
        XCTAssertEqual(decide(whole: 100, split: 97).decision, false, "a split must win by the margin")
    }

    func testDecisionsAreMeasuredAgainLater() {
        let clock = FakeClock()
        let calibration = SplitCalibration(rounds: 1, margin: 0.95, settling: 0, now: { clock.time })
        let key = SplitCalibration.Key(kind: 0, 1, 2, 3, workers: 2)
        var splitCost: UInt64 = 500   // the split is slow at first (both threads on one CPU) …
        for _ in 0..<4 { calibration.run(key, whole: { clock.tick(100) }, split: { clock.tick(splitCost) }) }
        XCTAssertEqual(calibration.decision(key), false)
        splitCost = 50                // … and fast once the scheduler has settled
        for _ in 0..<(256 + 4) { calibration.run(key, whole: { clock.tick(100) }, split: { clock.tick(splitCost) }) }
        XCTAssertEqual(calibration.decision(key), true, "the second measurement, after 256 calls, sees the split win")
    }

    /// The products decided like this give the same bits split or whole (Dojo's own kernels).
    func testDecidedProductsGiveTheSameBitsEitherWay() throws {
        try XCTSkipUnless(BLAS.hasSmallKernels, "without AVX-512 the products go to OpenBLAS and are not decided by measurement")
        let saved = (SplitCalibration.shared, Parallel.threads)
        defer { SplitCalibration.shared = saved.0; Parallel.threads = saved.1 }
        Parallel.threads = 2
        SplitCalibration.shared = SplitCalibration(rounds: 2, settling: 1)
        var g = SeededGenerator(seed: 3)
        let (m, n, k) = (32, 1024, 128)
        let a = Tensor.uniform(shape: [m, k], low: -1, high: 1, using: &g), b = Tensor.uniform(shape: [k, n], low: -1, high: 1, using: &g)
        var results: [[Float]] = []
        for _ in 0..<8 {   // the measured calls run whole and split in turn
            var c = Tensor(zeros: [m, n])
            BLAS.splitGemm(.none, .none, m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, c: c.scratchPointer, ldc: n)
            results.append(c.scalars)
        }
        XCTAssertNotNil(SplitCalibration.shared.decision(SplitCalibration.Key(kind: 0, m, n, k, workers: 2)), "decided after its rounds")
        for r in results.dropFirst() { XCTAssertEqual(r, results[0]) }
    }

    /// A step whose split costs most when the step before it was split too (data left in the
    /// other core's cache): alternating one by one, the split looks faster; in blocks it is not.
    func testStepsAreTimedInBlocksOfTheSameWay() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 2
        let clock = FakeClock()
        let calibration = SplitCalibration(rounds: 3, margin: 0.95, settling: 0, now: { clock.time })
        var previousSplit = false, ways: [Bool] = []
        for _ in 0..<60 {
            calibration.runStep("test step") {
                let split = !Parallel.isSerial
                clock.tick(split ? (previousSplit ? 150 : 60) : 100)
                previousSplit = split
                ways.append(split)
            }
        }
        XCTAssertEqual(Array(ways.prefix(8)), [false, false, false, false, true, true, true, true], "blocks of four of each way")
        XCTAssertTrue(ways.suffix(20).allSatisfy { !$0 }, "the step runs its splits on the calling thread: 150 a step split, 100 not")
        XCTAssertEqual(calibration.report, ["step test step (2 workers): every split on the calling thread"])
        // Winograd channel splits are reported by their tiling (kind 16 + points).
        for (points, name) in [(16, "F(2×2)"), (25, "F(3×3)"), (36, "F(4×4)")] {
            let key = SplitCalibration.Key(kind: 16 + points, 9, 64, 64, workers: 2)
            for _ in 0..<8 { calibration.run(key, whole: { clock.tick(100) }, split: { clock.tick(50) }) }
            XCTAssertTrue(calibration.report.contains("Winograd \(name) channel split 9 tiles, 64→64 channels (2 workers): split"), name)
        }
        Parallel.threads = 1
        var ran = false
        calibration.runStep("test step") { ran = !Parallel.isSerial }
        XCTAssertTrue(ran, "one thread: the step runs as it is")
    }
}
