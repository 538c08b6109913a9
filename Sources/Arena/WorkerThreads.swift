// The tournaments' worker threads: `count` threads with large stacks (search players recurse),
// each running `work(worker)`; waits for all of them and rethrows the first error any threw.
import Foundation

public enum WorkerThreads {
    public static func run(_ count: Int, _ work: @escaping @Sendable (_ worker: Int) throws -> Void) throws {
        let group = DispatchGroup(), lock = NSLock()
        nonisolated(unsafe) var failure: Error?
        for worker in 0..<max(1, count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do { try work(worker) } catch { lock.withLock { failure = failure ?? error } }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
