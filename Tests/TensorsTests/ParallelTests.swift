// Parallel.forEach on the worker pool: every chunk once, on the worker the static assignment
// names; nested calls inline; two callers at once (one gets the pool, the other libdispatch)
// and changing worker counts neither deadlock nor lose work; inside `serially` the same shares
// run on the calling thread.
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
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

    func testSeriallyRunsTheSameSharesOnTheCallingThread() {
        Parallel.threads = 2
        let caller = pthread_self()
        var order: [(chunk: Int, worker: Int)] = []
        var others = 0
        Parallel.serially {
            XCTAssertTrue(Parallel.isSerial)
            Parallel.forEach(5) { chunk, worker in
                if pthread_equal(pthread_self(), caller) == 0 { others += 1 }
                XCTAssertTrue(Parallel.isWorker, "nested calls inside a share run inline, as on the pool")
                order.append((chunk, worker))
            }
        }
        XCTAssertEqual(others, 0, "no chunk left the calling thread")
        XCTAssertEqual(order.map(\.worker), (0..<5).map { $0 % 2 }.sorted(), "worker 0's share, then worker 1's")
        XCTAssertEqual(order.map(\.chunk), [0, 2, 4, 1, 3], "each chunk on the worker the pool would give it")
        XCTAssertFalse(Parallel.isSerial || Parallel.isWorker, "the caller is no longer marked afterwards")
        XCTAssertEqual(assignment(chunks: 5), [0, 1, 0, 1, 0], "outside, the pool again")
    }
}
