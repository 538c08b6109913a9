// Long-lived helper threads for `Parallel.forEach`. Handing work to libdispatch's pool costs a
// thread wake-up per call (measured here: ~7 µs per fork-join in a tight loop, and far more —
// a quarter of all samples in the scheduler — when a batch-1 network forward hands off twice per
// convolution). Helpers here spin for a short while after each job (`spinNanoseconds`) before
// they park on a condition variable, so back-to-back layers reach a waiting helper in well under
// a microsecond, and an idle program sleeps. The caller, once its own share is done, polls for
// the helpers the same way and then waits on a condition variable (self-play jobs run seconds).
//
// Every helper acknowledges every job (the ones it has no share in at once), so a helper can
// never mistake a later job for the one it woke up for.
//
// One job at a time: a caller that finds the pool busy (two threads of a program each running a
// network) falls back to libdispatch with the same worker numbering, so results never depend on
// which path ran.
import CSIMD
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle helper keeps polling for the next job before it parks.
    static let spinNanoseconds: UInt64 = 200_000

    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    /// Allocated once (never moved: pthread objects must keep their address).
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The current job and its worker count; written by the caller holding `busy` before it
    /// publishes a new generation, read by helpers after they observe it.
    private var job: ((Int) -> Void)?
    private var jobWorkers = 0
    /// Helper threads started so far (worker numbers 1...helpers); only grown by a caller holding `busy`.
    private var helpers = 0

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
    }

    /// Runs `body(worker)` for worker in 0..<workers, worker 0 on the calling thread; returns
    /// false without running anything when another caller holds the pool.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        while helpers < workers - 1 { startHelper(helpers + 1) }
        withoutActuallyEscaping(body) { body in
            job = body
            jobWorkers = workers
            remaining.store(helpers, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            if sleepers.load(ordering: .relaxed) > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            body(0)
            waitForHelpers()
            job = nil
        }
        return true
    }

    private func startHelper(_ index: Int) {
        helpers = index
        // The helper must wait for the job after the current generation, even if it first runs
        // after the caller has published that job.
        let seen = generation.load(ordering: .acquiring)
        let thread = Thread { [self] in helperLoop(index, seen: seen) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func helperLoop(_ index: Int, seen start: Int) {
        Parallel.markWorker()
        var seen = start
        while true {
            seen = waitForGeneration(after: seen)
            if index < jobWorkers, let job { job(index) }
            if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                // The last one out wakes a caller that stopped polling (long jobs: self-play games).
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(finished)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Polls until every helper has acknowledged the job, for `spinNanoseconds`, then parks.
    private func waitForHelpers() {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
        var polls = 0
        while remaining.load(ordering: .acquiring) > 0 {
            polls += 1
            if polls & 255 == 0 && DispatchTime.now().uptimeNanoseconds > deadline {
                pthread_mutex_lock(mutex)
                while remaining.load(ordering: .acquiring) > 0 { pthread_cond_wait(finished, mutex) }
                pthread_mutex_unlock(mutex)
                return
            }
            dojo_cpu_relax()
        }
    }

    /// Polls for a generation newer than `seen` for `spinNanoseconds`, then parks until one comes.
    private func waitForGeneration(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
        var polls = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            polls += 1
            if polls & 255 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { break }
            dojo_cpu_relax()
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .relaxed)
        while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, mutex) }
        sleepers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
        return generation.load(ordering: .acquiring)
    }
}
