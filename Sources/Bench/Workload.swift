// The registry of `dojo bench` workloads. Each produces rows of the shared result schema;
// `core` runs the foundation's set (gemm, conv, dqn-step, az-train, az-infer).
import RL
import Tensors

/// The `dojo bench` options that change what a workload measures (besides --threads, --seed,
/// --repeats and --min-time, which every workload honours). An option no chosen workload reads
/// is refused, never ignored.
public enum BenchOption: String, Sendable, CaseIterable {
    case env, size, blocks, filters, batch
}

public struct Workload: Sendable {
    public let name: String
    public let summary: String
    /// Its rows; an error (one sentence) when it cannot run, e.g. a trainer stopping on a
    /// non-finite loss.
    public let run: @Sendable (BenchmarkSettings) throws -> [BenchmarkResult]
    /// Whether its rows report GFLOP/s (so the run measures the sgemm peak first).
    public var reportsFlops = true
    /// For workloads that take `--env`: one sentence (a thrown error) when the environment
    /// cannot run them, checked before anything is measured.
    public var check: (@Sendable (any Environment, String) throws -> Void)? = nil
    /// The options it reads.
    public var takes: Set<BenchOption> = []

    public static let all: [Workload] = [
        Workload(name: "gemm", summary: "OpenBLAS sgemm, square and the RL shapes (GFLOP/s)", run: GemmWorkload.run),
        Workload(name: "conv", summary: "Conv2D forward and backward on MinAtar and 9×9 AlphaZero shapes (GFLOP/s)", run: ConvWorkload.run),
        Workload(name: "dqn-step", summary: "MinAtar DQN update, batch 32, centered RMSprop (steps/s)", run: DQNStepWorkload.run),
        Workload(name: "az-train", summary: "AlphaZero 9×9 6×64 training step, batch 256, Adam (steps/s)", run: AlphaZeroWorkload.runTraining, takes: [.blocks, .filters, .batch]),
        Workload(name: "az-infer", summary: "AlphaZero 9×9 6×64 inference at batch 1, 8, 64 (positions/s)", run: AlphaZeroWorkload.runInference, takes: [.blocks, .filters, .batch]),
    ]

    /// Workloads outside `core`.
    public static let extra: [Workload] = [
        Workload(name: "env", summary: "environment steps/s, random actions, observation every step (default: the five MinAtar games)",
                 run: EnvironmentWorkload.run, reportsFlops: false, check: EnvironmentWorkload.check, takes: [.env]),
        Workload(name: "dqn-train", summary: "DQN training frames/s after warm-up, MinAtar reference config (default minatar/breakout)",
                 run: DQNTrainWorkload.run, reportsFlops: false, check: DQNTrainWorkload.check, takes: [.env]),
        Workload(name: "r2d2-train", summary: "R2D2 training frames/s after warm-up, MinAtar preset: one learner step of 32 sequences of 10 + 20 + 3 steps every 20 frames (default minatar/breakout)",
                 run: R2D2TrainWorkload.run, reportsFlops: false, check: R2D2TrainWorkload.check, takes: [.env]),
        Workload(name: "ppo-train", summary: "PPO training frames/s, MinAtar preset (64 copies × 128 steps, 4 epochs × 8 minibatches), whole iterations and the update alone (default minatar/breakout)",
                 run: PPOTrainWorkload.run, check: { try PPOTrainWorkload.check($0, id: $1, memories: [.none]) }, takes: [.env]),
        Workload(name: "ppo-memory", summary: "PPO training frames/s as ppo-train with each memory (lstm, gru, attention over 16 steps) between trunk and heads (default minatar/breakout)",
                 run: PPOTrainWorkload.runMemory, reportsFlops: false,
                 check: { try PPOTrainWorkload.check($0, id: $1, memories: PPOTrainWorkload.memories) }, takes: [.env]),
        Workload(name: "sequence", summary: "LSTM and GRU (128 hidden, 32 steps, 64 inputs) and 4-head attention (width 64, 64 steps), batch 16: forward and backward (sequences/s)",
                 run: SequenceWorkload.run, reportsFlops: false),
        Workload(name: "mcts", summary: "MCTS simulations/s with light playouts from the empty Go board, one core (default 9×9)",
                 run: MCTSWorkload.run, reportsFlops: false, takes: [.size]),
        Workload(name: "mcts-nn", summary: "MCTS visits/s with a policy/value network (PUCT, batch 8, 1,600 visits from the empty board; default 19×19, 6×64)",
                 run: MCTSNetworkWorkload.run, reportsFlops: false, takes: [.size, .blocks, .filters]),
        Workload(name: "alphago", summary: "AlphaGo features/s (default 9×9 and 19×19), supervised-policy training examples/s and policy inference (9×9, 6×64)",
                 run: AlphaGoWorkload.run, reportsFlops: false, takes: [.size]),
        Workload(name: "kata-train", summary: "AlphaZero 9×9 6×64 with KataGo's global pooling and ownership/score heads: training step, batch 256, Adam (steps/s)",
                 run: AlphaZeroWorkload.runKataTraining, takes: [.blocks, .filters, .batch]),
        Workload(name: "kata-infer", summary: "the same KataGo-shaped network's inference at batch 1, 8, 64 (positions/s)", run: AlphaZeroWorkload.runKataInference, takes: [.blocks, .filters, .batch]),
        Workload(name: "go-playouts", summary: "light Go playouts/s on one core from the empty board (default 9×9 and 19×19)",
                 run: GoPlayoutWorkload.run, reportsFlops: false, takes: [.size]),
    ]

    /// The foundation's workloads in order, `core` standing for all of them.
    public static func named(_ name: String) -> [Workload]? {
        if name == "core" { return all }
        return (all + extra).first { $0.name == name }.map { [$0] }
    }

    public static var names: [String] { ["core"] + (all + extra).map(\.name) }

    /// Every workload on a line of its own with what it measures and the options it reads
    /// (for `dojo bench --help`).
    public static var listing: String {
        (all + extra).map { w in
            let options = BenchOption.allCases.filter(w.takes.contains).map { "--" + $0.rawValue }
            return "  \(w.name): \(w.summary)" + (options.isEmpty ? "" : "; reads \(options.joined(separator: ", "))")
        }.joined(separator: "\n")
    }
}

/// Measures single-precision GEMM peak (1024³) in this run, for peak fractions.
/// With several threads it is the threaded sgemm peak (what all cores can do).
public func measureGemmPeak(_ settings: BenchmarkSettings) -> Double {
    let before = BLAS.threads
    BLAS.threads = settings.threads
    defer { BLAS.threads = before }
    return GemmWorkload.measure(GemmWorkload.Shape(name: "square 1024", m: 1024, n: 1024, k: 1024), settings, label: "").gflops ?? 0
}
