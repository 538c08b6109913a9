// The vector runner: per-copy seeds from one run seed, the same-step auto-reset rule, and
// results independent of the thread count.
import RL
import Tensors
import XCTest

final class VectorEnvironmentTests: XCTestCase {
    func testAutoResetKeepsTheFinalObservation() {
        var v = VectorEnvironment(copies: 2, seed: 1) { i in Corridor(length: 2 + i) }
        XCTAssertEqual(v.observationShape.count, 2)
        v.step([1, 1])
        XCTAssertTrue(v.results[0].terminated); XCTAssertFalse(v.results[1].isOver)
        XCTAssertEqual(Array(v.finalObservation(0)), [10, 1], "the state the episode ended in")
        XCTAssertEqual(Array(v.observation(0)), [1, 0], "already the next episode's first observation")
        XCTAssertEqual(v.copies[0].steps, 0)
        XCTAssertEqual(v.copies[1].position, 1)
    }

    func testSeedsAreDerivedPerCopyAndRunsDoNotDependOnThreads() {
        XCTAssertNotEqual(VectorEnvironment<Corridor>.seed(forCopy: 0, runSeed: 5), VectorEnvironment<Corridor>.seed(forCopy: 1, runSeed: 5))
        XCTAssertEqual(VectorEnvironment<Corridor>.seed(forCopy: 3, runSeed: 5), VectorEnvironment<Corridor>.seed(forCopy: 3, runSeed: 5))
        func run(threads: Int) -> ([Float], [StepResult]) {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            var v = VectorEnvironment(copies: 7, seed: 2) { _ in StickyActions(Corridor(length: 6), probability: 0.3) }
            var g = SeededGenerator(seed: 4)
            var results: [StepResult] = []
            for _ in 0..<60 {
                v.step((0..<7).map { _ in g.nextInt(below: 2) })
                results += v.results
            }
            return (v.observations, results)
        }
        let one = run(threads: 1), two = run(threads: 2), three = run(threads: 3)
        XCTAssertEqual(one.0, two.0); XCTAssertEqual(one.1, two.1)
        XCTAssertEqual(one.0, three.0); XCTAssertEqual(one.1, three.1)
        XCTAssertTrue(one.1.contains { $0.terminated }, "episodes ended and were reset during the run")
    }
}
