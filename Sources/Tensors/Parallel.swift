// Data parallelism above BLAS. DESIGN.md §5: on this kind of machine two BLAS threads do not
// help the small matrices of RL networks, so layers split their batch into chunks and run the
// chunks on `Parallel.threads` workers, each calling single-threaded BLAS.
//
// Work is assigned statically (worker w takes chunks w, w+T, w+2T, ...) and anything the
// workers accumulate (weight gradients) is reduced in worker order, so results depend on the
// thread count but never on scheduling: same seed, build and threads ⇒ identical results.
// Inside a worker, a nested `forEach` runs inline: when whole jobs (self-play games) are spread
// over the workers, the layers inside each job do not split their batches again.
// Inside `serially`, every `forEach` runs each worker's share in turn on the calling thread, with
// the same worker numbers: the same partition and the same per-worker sums, so the same bits as
// on the pool (a step can then be timed both ways and the faster kept, SplitCalibration.swift).
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Marks the threads that are running a `Parallel.forEach` worker.
nonisolated(unsafe) private let workerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Marks the threads that are inside `Parallel.serially`.
nonisolated(unsafe) private let serialKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

public enum Parallel {
    /// Workers for data-parallel layers; the CLI's `--threads`. 1 runs everything inline.
    nonisolated(unsafe) public static var threads = 1

    /// Calls `body(chunk, worker)` for every chunk in 0..<count, chunks spread over
    /// min(threads, count) workers as described above.
    /// `split: false` runs inline (for work too small to be worth handing out).
    public static func forEach(_ count: Int, split: Bool = true, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        let workers = split && !isWorker ? min(threads, count) : 1
        if workers <= 1 {
            for chunk in 0..<count { body(chunk, 0) }
            return
        }
        if isSerial {
            markWorker()
            defer { pthread_setspecific(workerKey, nil) }
            for worker in 0..<workers {
                var chunk = worker
                while chunk < count { body(chunk, worker); chunk += workers }
            }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Workers touch disjoint chunks and their own scratch; the caller guarantees that.
            nonisolated(unsafe) let run = body
            nonisolated(unsafe) let share = { (worker: Int) in
                var chunk = worker
                while chunk < count { run(chunk, worker); chunk += workers }
            }
            let pooled = WorkerPool.shared.run(workers: workers) { worker in
                if worker == 0 {
                    markWorker()
                    defer { pthread_setspecific(workerKey, nil) }
                    share(0)
                } else {
                    share(worker)
                }
            }
            // The pool serves one caller at a time; a second one gets libdispatch's threads.
            if !pooled {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    markWorker()
                    defer { pthread_setspecific(workerKey, nil) }
                    share(worker)
                }
            }
        }
    }

    /// Runs `body` with every `forEach` inside it done by the calling thread, worker by worker
    /// (same bits as on the pool; no hand-offs, no data crossing cores).
    public static func serially<R>(_ body: () throws -> R) rethrows -> R {
        let outer = isSerial
        if !outer { pthread_setspecific(serialKey, UnsafeRawPointer(bitPattern: 1)) }
        defer { if !outer { pthread_setspecific(serialKey, nil) } }
        return try body()
    }

    /// Whether this thread is inside `serially`.
    public static var isSerial: Bool { pthread_getspecific(serialKey) != nil }

    /// Marks the calling thread as a worker (nested `forEach` calls run inline).
    static func markWorker() { pthread_setspecific(workerKey, UnsafeRawPointer(bitPattern: 1)) }

    /// The items [lower, upper) of `count` that `worker` of `workers` takes when they are dealt
    /// out in contiguous groups of `group` (the last group may be short), as evenly as whole groups allow.
    public static func share(of worker: Int, workers: Int, count: Int, group: Int) -> Range<Int> {
        let groups = (count + group - 1) / group
        let lower = worker * groups / workers * group, upper = (worker + 1) * groups / workers * group
        return min(lower, count)..<min(upper, count)
    }

    /// Workers `forEach` will use for `count` chunks.
    public static func workers(for count: Int) -> Int { isWorker ? 1 : max(1, min(threads, count)) }

    /// Whether this thread is one of `forEach`'s workers (nested calls run inline).
    public static var isWorker: Bool { pthread_getspecific(workerKey) != nil }
}
