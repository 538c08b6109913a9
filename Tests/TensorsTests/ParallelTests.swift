// Parallel.forEach on the worker pool: every chunk once, on the worker the static assignment
// names; nested calls inline; two callers at once (one gets the pool, the other libdispatch)
// and changing worker counts neither deadlock nor lose work.
import Dispatch
import Synchronization
import Tensors
import XCTest

final class ParallelTests: XCTestCase {
    override func tearDown() { Parallel.threads = 1 }

    /// Which worker ran each chunk (-1: never ran, -2: ran twice).
    func assignment(chunks: Int) -> [Int] {
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
        defer { seen.deallocate() }
        seen.initialize(repeating: -1)
        nonisolated(unsafe) let record = seen
        Parallel.forEach(chunks) { chunk, worker in record[chunk] = record[chunk] == -1 ? worker : -2 }
        return Array(seen)
    }

    func testEveryChunkRunsOnceOnItsStaticWorker() {
        for threads in [1, 2, 3, 2, 4] {
            Parallel.threads = threads
            for chunks in [1, 2, 3, 7, 64] {
                let workers = min(threads, chunks)
                // Many rounds: a helper that missed or repeated a job would show up here.
                for _ in 0..<200 {
                    XCTAssertEqual(assignment(chunks: chunks), (0..<chunks).map { $0 % workers },
                                   "\(threads) threads, \(chunks) chunks")
                }
            }
        }
    }

    func testNestedCallsRunInlineOnTheirWorker() {
        Parallel.threads = 2
        let inner = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * 5)
        defer { inner.deallocate() }
        inner.initialize(repeating: -1)
        nonisolated(unsafe) let record = inner
        Parallel.forEach(2) { outer, _ in
            XCTAssertTrue(Parallel.isWorker)
            Parallel.forEach(5) { chunk, worker in record[outer * 5 + chunk] = worker }
        }
        XCTAssertEqual(Array(inner), Array(repeating: 0, count: 10), "nested chunks all on worker 0 of their call")
        XCTAssertFalse(Parallel.isWorker, "the caller is no longer marked afterwards")
    }

    func testTwoCallersAtOnceBothFinish() {
        Parallel.threads = 2
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<500 {
                var local = 0
                // Each caller's own results; chunks write disjoint slots.
                let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
                sums.initialize(repeating: 0)
                nonisolated(unsafe) let s = sums
                Parallel.forEach(8) { chunk, _ in s[chunk] = chunk + 1 }
                local = sums.reduce(0, +)
                sums.deallocate()
                total.add(local, ordering: .relaxed)
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 2 * 500 * 36)
    }
}
