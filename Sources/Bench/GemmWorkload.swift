// sgemm throughput on square matrices and on the shapes RL networks actually multiply
// (the rows of reference/perf/RESULTS.md, so the two tables line up). Where Dojo's own
// small-matrix kernels apply (AVX-512 CPUs, BLAS.smallKernelFlops) each shape is timed with
// them and with OpenBLAS.
import Tensors

enum GemmWorkload {
    struct Shape {
        let name: String, m: Int, n: Int, k: Int
        var transA = false, transB = false
    }

    static let shapes: [Shape] = [
        Shape(name: "square 256", m: 256, n: 256, k: 256),
        Shape(name: "square 1024", m: 1024, n: 1024, k: 1024),
        Shape(name: "minatar conv fwd W[16x36]*col[36x2048]", m: 16, n: 2048, k: 36),
        Shape(name: "minatar fc1 fwd X[32x1024]*W^T", m: 32, n: 128, k: 1024, transB: true),
        Shape(name: "minatar fc1 dX dY[32x128]*W[128x1024]", m: 32, n: 1024, k: 128),
        Shape(name: "az9 conv fwd W[64x576]*col b256", m: 64, n: 20736, k: 576),
        Shape(name: "az9 conv fwd b8 (N=648)", m: 64, n: 648, k: 576),
        Shape(name: "az9 conv fwd b1 (N=81)", m: 64, n: 81, k: 576),
        Shape(name: "az9 F(4x4) product b8 V*U", m: 72, n: 64, k: 64),
        Shape(name: "az9 F(2x2) training M^T = V*U^T (10 samples)", m: 250, n: 64, k: 64, transB: true),
        Shape(name: "az9 F(2x2) training dU = dM^T*V (10 samples)", m: 64, n: 64, k: 250, transA: true),
        Shape(name: "az9 F(4x4) product b1 V*U", m: 9, n: 64, k: 64),
    ]

    static func measure(_ s: Shape, _ settings: BenchmarkSettings, label: String) -> BenchmarkResult {
        var generator = SeededGenerator(seed: settings.seed &+ 1)
        let a = Tensor.uniform(shape: s.transA ? [s.k, s.m] : [s.m, s.k], low: -1, high: 1, using: &generator)
        let b = Tensor.uniform(shape: s.transB ? [s.n, s.k] : [s.k, s.n], low: -1, high: 1, using: &generator)
        var c = Tensor(zeros: [s.m, s.n])
        let cp = c.scratchPointer
        let seconds = timeRepeats(settings) {
            BLAS.gemm(s.transA ? .transposed : .none, s.transB ? .transposed : .none, m: s.m, n: s.n, k: s.k,
                      a: a.pointer, lda: s.transA ? s.m : s.k,
                      b: b.pointer, ldb: s.transB ? s.k : s.n, c: cp, ldc: s.n)
        }
        _ = c.withUnsafeMutableBufferPointer { $0.count }
        let flops = 2.0 * Double(s.m * s.n * s.k)
        return makeResult("gemm", variant: "\(s.name) (\(s.m)x\(s.n)x\(s.k))\(label)", batch: 1, unit: "GFLOP/s",
                          itemsPerCall: flops / 1e9, flopsPerCall: flops, seconds: seconds, settings: settings)
    }

    /// Plain sgemm is the one workload where BLAS's own threads are the parallelism.
    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        let before = BLAS.threads
        BLAS.threads = settings.threads
        defer { BLAS.threads = before }
        let own = BLAS.usesSmallKernels
        defer { BLAS.usesSmallKernels = own }
        return shapes.flatMap { shape -> [BenchmarkResult] in
            BLAS.usesSmallKernels = own  // the previous shape's OpenBLAS timing turned them off
            let small = BLAS.smallKernelsTake(shape.transA ? .transposed : .none, shape.transB ? .transposed : .none,
                                              m: shape.m, n: shape.n, k: shape.k)
            guard small else { return [measure(shape, settings, label: "")] }
            BLAS.usesSmallKernels = true
            let ours = measure(shape, settings, label: " dojo kernel")
            BLAS.usesSmallKernels = false
            return [ours, measure(shape, settings, label: " openblas")]
        }
    }
}
