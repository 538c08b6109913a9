// The timing harness behind `dojo bench`: warm up, calibrate the calls per repeat so each
// repeat lasts at least `minRepeatSeconds`, time `repeats` repeats, report median/min/max of
// the per-call rate. Same method as reference/perf/torch_bench.py, so numbers compare directly.
import Foundation

/// One line of `dojo bench --json`. The first eight fields are the stable schema every
/// workload shares; the optional ones add detail.
public struct BenchmarkResult: Codable, Equatable {
    public var workload: String
    public var threads: Int
    public var batch: Int
    public var unit: String
    public var median: Double
    public var min: Double
    public var max: Double
    public var runs: Int
    /// What exactly was timed ("forward", "backward", "256x256x256", ...).
    public var variant: String?
    /// Floating-point work per second at the median (conv + matmul FLOPs, 1 MAC = 2 FLOP).
    public var gflops: Double?
    /// `gflops` as a fraction of the sgemm peak measured in the same run.
    public var peakFraction: Double?
    /// Median seconds per call.
    public var secondsPerCall: Double?

    enum CodingKeys: String, CodingKey {
        case workload, threads, batch, unit, median, min, max, runs, variant, gflops
        case peakFraction = "peak_fraction", secondsPerCall = "seconds_per_call"
    }

    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

public struct BenchmarkSettings: Sendable {
    public var repeats = 7
    public var minRepeatSeconds = 0.3
    public var warmupCalls = 5
    public var threads = 1
    /// Seed of the workloads' inputs and initial weights.
    public var seed: UInt64 = 0
    /// Environment spec for the `env` workload (nil: the five MinAtar games).
    public var environment: String?
    /// Board size for `go-playouts` (nil: 9 and 19).
    public var boardSize: Int?
    /// Network shape for `mcts-nn` and the AlphaZero workloads.
    public var blocks = 6, filters = 64
    /// Batch sizes for the AlphaZero workloads (nil: each one's default — inference the
    /// reference's 1, 8 and 64, training 256).
    public var batches: [Int]?
    public init() {}
}

/// Monotonic seconds.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Times `body` and returns seconds per call for each repeat.
public func timeRepeats(_ settings: BenchmarkSettings, warmup: Int? = nil, _ body: () throws -> Void) rethrows -> [Double] {
    for _ in 0..<(warmup ?? settings.warmupCalls) { try body() }
    // Calibrate: how many calls fill half a repeat.
    let start = monotonicSeconds()
    var calls = 0
    while calls < 1 || monotonicSeconds() - start < settings.minRepeatSeconds / 2 { try body(); calls += 1 }
    let perCall = (monotonicSeconds() - start) / Double(calls)
    let iterations = Swift.max(1, Int(settings.minRepeatSeconds / perCall))
    return try (0..<settings.repeats).map { _ in
        let t = monotonicSeconds()
        for _ in 0..<iterations { try body() }
        return (monotonicSeconds() - t) / Double(iterations)
    }
}

/// Steady-state training frames per second of a frame-budget trainer (DQN, R2D2): trained
/// to `warmFrames` first (past the warm-up, into the ε decay), then timed `framesPerCall`
/// frames at a time. `frame` reads the trainer's count; `train(n)` trains until frame n.
func measureTrainingFrames(_ workload: String, id: String, batch: Int, settings: BenchmarkSettings, warmFrames: Int,
                           framesPerCall: Int, frame: () -> Int, train: (Int) throws -> Void) throws -> BenchmarkResult {
    try train(warmFrames)
    let seconds = try timeRepeats(settings, warmup: 2) { try train(frame() + framesPerCall) }
    return makeResult(workload, variant: id, batch: batch, unit: "frames/s", itemsPerCall: Double(framesPerCall),
                      seconds: seconds, settings: settings)
}

/// Turns per-call seconds into a result measured in `itemsPerCall` items per second.
public func makeResult(_ workload: String, variant: String?, batch: Int, unit: String, itemsPerCall: Double,
                       flopsPerCall: Double? = nil, seconds: [Double], settings: BenchmarkSettings) -> BenchmarkResult {
    let sorted = seconds.sorted()
    let median = sorted[sorted.count / 2]
    return BenchmarkResult(
        workload: workload, threads: settings.threads, batch: batch, unit: unit,
        median: itemsPerCall / median, min: itemsPerCall / sorted.last!, max: itemsPerCall / sorted.first!,
        runs: seconds.count, variant: variant,
        gflops: flopsPerCall.map { $0 / median / 1e9 }, peakFraction: nil, secondsPerCall: median)
}
