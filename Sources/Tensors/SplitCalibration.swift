// Whether handing a piece of work to the other workers pays, measured on this CPU once per
// process and kind of work, instead of a rule tuned on one CPU. On a Zen 4 machine `--threads 2`
// made `dojo bench dqn-step` 26% slower (its products are a few MFLOP: the hand-offs cost more
// than the second core gives), while on an Intel Xeon the same split gains 1.3× and batch-1
// inference lost 10% to its channel split: no fixed threshold holds on both.
// A kind of work (a product's shape, a layer's channel split, an optimizer's update) is run the
// first `rounds` times alternately whole and split, each timed; from then on the faster way is
// used (split only if at least `margin` faster), after `settling` untimed calls that split as
// the fixed rule did.
// Decisions are measured again after 256, 512, 1024, … further calls, at most `longestWait`
// apart: early in a process the scheduler may still have both threads on one CPU (a split
// then looked 4× slower in one run of two here), and a decision should not keep that moment.
// Whole steps (a DQN update) are decided too (`runStep`): on a Zen 4 guest, two-thread DQN
// updates ran at half their usual speed (1,500 against 2,950 steps/s, one thread 2,150) in
// about a third of the processes of some minutes, though every product inside still measured
// faster split: the cost lands in the work after each product (reading what the other core
// wrote), which a product's own timing cannot see. A step is timed as is and with every split
// inside run by the calling thread (`Parallel.serially`, same bits), in blocks of the same way.
// Only work whose result is the same bits either way is decided like this (Dojo's AVX-512
// products sum every element in an order that does not depend on how C is blocked; a channel
// split computes every element as the whole does; `serially` keeps every worker's share), so
// the measurement changes speed only, never results: same seed, build and threads ⇒ same results.
import Dispatch
import Synchronization

public final class SplitCalibration: @unchecked Sendable {   // every access to the tables holds `lock`
    public struct Key: Hashable, Sendable {
        let kind: Int, a: Int, b: Int, c: Int, workers: Int
        public init(kind: Int, _ a: Int, _ b: Int, _ c: Int, workers: Int) {
            self.kind = kind; self.a = a; self.b = b; self.c = c; self.workers = workers
        }
    }

    /// The process's measurements (tests may install their own, with a clock they control).
    nonisolated(unsafe) public static var shared = SplitCalibration()
    /// Timed runs of each way before deciding (the first of each is a warm-up, not counted).
    public let rounds: Int
    /// The split must take at most this fraction of the whole's time.
    public let margin: Double
    private let now: @Sendable () -> UInt64
    private let lock = Mutex<Void>(())
    nonisolated(unsafe) private var decided: [Key: (split: Bool, calls: Int, recheck: Int)] = [:]
    nonisolated(unsafe) private var best: [Key: (whole: UInt64, split: UInt64, runs: Int)] = [:]
    nonisolated(unsafe) private var recheckAfter: [Key: Int] = [:]
    nonisolated(unsafe) private var unmeasured: [Key: Int] = [:]
    nonisolated(unsafe) private var trialCalls: [Key: Int] = [:]
    /// Calls of each kind that split untimed before the first measurement (the pool's helpers
    /// and the scheduler settle meanwhile).
    public let settling: Int
    /// The most calls between two measurements of one kind (the host can change its mind later:
    /// the slow spells above lasted seconds).
    public let longestWait: Int
    nonisolated(unsafe) private var stepLabels: [Key: StaticString] = [:]

    public init(rounds: Int = 4, margin: Double = 0.95, settling: Int = 64, longestWait: Int = 4096,
                now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.rounds = rounds; self.margin = margin; self.settling = settling; self.longestWait = longestWait
        self.now = now
    }

    /// Runs `body`, a whole step of work that splits inside, either as it is or with every split
    /// in it done by this thread worker by worker (`Parallel.serially`: the same bits), whichever
    /// is faster now. `label` (a string literal: its address is the key) names the step in
    /// reports; `size` tells steps of one label apart.
    public func runStep(_ label: StaticString, size: Int = 0, _ body: () -> Void) {
        let workers = Parallel.workers(for: Parallel.threads)
        guard workers > 1, !Parallel.isSerial else { return body() }
        let key = Key(kind: 128, Int(bitPattern: label.utf8Start), size, 0, workers: workers)
        lock.withLock { _ in stepLabels[key] = label }
        run(key, block: 4, whole: { Parallel.serially(body) }, split: body)
    }

    /// Runs `whole` or `split` for `key`: the decided way, or the next trial. While measured, the
    /// two ways alternate in blocks of `block` calls and the last call of each block is timed
    /// (a step's cost shows only after a step of the same way: the data it reads sit where the
    /// previous one left them).
    public func run(_ key: Key, block: Int = 1, whole: () -> Void, split: () -> Void) {
        guard !Parallel.isSerial else { return whole() }   // inside a step timed serially: same bits, no hand-off
        let (choice, timed) = lock.withLock { _ -> (Bool, Bool) in
            if var d = decided[key] {
                d.calls += 1
                if d.calls >= d.recheck { decided[key] = nil; recheckAfter[key] = min(2 * d.recheck, longestWait) } else { decided[key] = d }
                return (d.split, false)
            }
            let seen = unmeasured[key, default: 0]
            if seen < settling {   // the first calls split, untimed, as the fixed rule did
                unmeasured[key] = seen + 1
                return (true, false)
            }
            let runs = best[key]?.runs ?? 0, calls = trialCalls[key, default: 0]
            trialCalls[key] = calls + 1
            return (runs % 2 == 1, calls % block == block - 1)    // whole first, then split, alternating
        }
        guard timed else { return choice ? split() : whole() }
        // A split is timed with the helpers awake, as they are while splits run back to back: a
        // helper parked meanwhile (by the whole runs around it) would charge its wake-up to the split.
        if choice && block == 1 { Parallel.forEach(key.workers) { _, _ in } }
        let start = now()
        if choice { split() } else { whole() }
        let elapsed = now() &- start
        lock.withLock { _ in
            guard decided[key] == nil else { return }
            var entry = best[key] ?? (.max, .max, 0)
            if entry.runs >= 2 {   // the first run of each way only warms up
                if choice { entry.split = min(entry.split, elapsed) } else { entry.whole = min(entry.whole, elapsed) }
            }
            entry.runs += 1
            if entry.runs >= 2 * (rounds + 1) {
                decided[key] = (Double(entry.split) <= margin * Double(entry.whole), 0, min(recheckAfter[key] ?? 256, longestWait))
                best[key] = nil
                trialCalls[key] = nil
            } else {
                best[key] = entry
            }
        }
    }

    /// The decision for `key`, once made (nil while it is being measured).
    public func decision(_ key: Key) -> Bool? { lock.withLock { _ in decided[key]?.split } }

    /// "F(m×m)" for a Winograd channel split's kind, 16 + (m + 2)² (Neural/Conv2D+Winograd.swift).
    static func winogradTiling(kind: Int) -> String {
        let side = Int(Double(kind - 16).squareRoot().rounded()) - 2
        return "F(\(side)×\(side))"
    }

    /// Every decision so far, one line each ("product 32×1600×128 (2 workers): split"), for
    /// `--verbose` reports.
    public var report: [String] {
        lock.withLock { _ in
            decided.sorted { ($0.key.kind, $0.key.a, $0.key.b, $0.key.c) < ($1.key.kind, $1.key.a, $1.key.b, $1.key.c) }.map { key, d in
                let split = d.split
                let what = key.kind < 16 ? "product \(key.a)×\(key.b)×\(key.c)"
                    : key.kind == 128 ? "step \(stepLabels[key].map { "\($0)" } ?? "?")\(key.b > 0 ? " (size \(key.b))" : "")"
                    : key.kind == 64 ? "optimizer update of \(key.b) values in \(key.a) pieces"
                    : "Winograd \(Self.winogradTiling(kind: key.kind)) channel split \(key.a) tiles, \(key.b)→\(key.c) channels"
                return "\(what) (\(key.workers) workers): \(split ? "split" : key.kind == 128 ? "every split on the calling thread" : "one thread")"
            }
        }
    }
}
