// Data parallelism above BLAS. DESIGN.md §5: on this kind of machine two BLAS threads do not
// help the small matrices of RL networks, so layers split their batch into chunks and run the
// chunks on `Parallel.threads` workers, each calling single-threaded BLAS.
//
// Work is assigned statically (worker w takes chunks w, w+T, w+2T, ...) and anything the
// workers accumulate (weight gradients) is reduced in worker order, so results depend on the
// thread count but never on scheduling: same seed, build and threads ⇒ identical results.
import Dispatch

public enum Parallel {
    /// Workers for data-parallel layers; the CLI's `--threads`. 1 runs everything inline.
    nonisolated(unsafe) public static var threads = 1

    /// Calls `body(chunk, worker)` for every chunk in 0..<count, chunks spread over
    /// min(threads, count) workers as described above.
    /// `split: false` runs inline (for work too small to be worth handing out).
    public static func forEach(_ count: Int, split: Bool = true, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        let workers = split ? min(threads, count) : 1
        if workers <= 1 {
            for chunk in 0..<count { body(chunk, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Workers touch disjoint chunks and their own scratch; the caller guarantees that.
            nonisolated(unsafe) let run = body
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var chunk = worker
                while chunk < count { run(chunk, worker); chunk += workers }
            }
        }
    }

    /// Workers `forEach` will use for `count` chunks.
    public static func workers(for count: Int) -> Int { max(1, min(threads, count)) }
}
