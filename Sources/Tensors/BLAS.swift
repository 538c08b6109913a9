// Every call into BLAS lives in this file, so that the library behind it (OpenBLAS today)
// can be swapped or instrumented in one place. Matrices are row-major, as in the rest of
// Dojo; `lda`/`ldb`/`ldc` are row strides in elements.
import CBLAS
import CSIMD
import Foundation

public enum Transpose: Sendable {
    case none, transposed

    @usableFromInline var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

public enum BLAS {
    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, row-major.
    @inlinable
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS leaves C·beta; keep that meaning explicit for empty inner dimensions.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            return
        }
        if smallKernelsTake(transA, transB, m: m, n: n, k: k) {
            switch (transA, transB) {
            case (.none, .none): return dojo_gemm_broadcast(m, n, k, alpha, a, lda, 1, b, ldb, beta, c, ldc)
            case (.transposed, .none): return dojo_gemm_broadcast(m, n, k, alpha, a, 1, lda, b, ldb, beta, c, ldc)
            default: return dojo_gemm_nt(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            }
        }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Products up to this size (2·m·n·k) go to Dojo's own AVX-512 kernels (CSIMD/SmallGemm.c)
    /// where the CPU has them: RL-sized products, where OpenBLAS's packing and its 256-bit
    /// kernels on current CPUs leave half the machine unused. Larger ones go to OpenBLAS, whose
    /// cache blocking wins there.
    public static let smallKernelFlops = 1 << 27
    /// The broadcast kernel streams k rows of 64 columns of B per block of C: up to 256 KB.
    public static let smallKernelDepth = 1024
    /// Whether this CPU has the small kernels' instructions (AVX-512 F, VL, DQ).
    public static let hasSmallKernels = dojo_small_gemm_available() != 0
    /// Use the small kernels where they apply; false sends everything to OpenBLAS (benchmarks
    /// and tests compare the two).
    nonisolated(unsafe) public static var usesSmallKernels = hasSmallKernels

    /// Whether `gemm` gives this product to Dojo's kernels (the one routing rule; benchmarks
    /// and layers that prepare C differently for OpenBLAS ask it too).
    @inlinable
    public static func smallKernelsTake(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) -> Bool {
        guard usesSmallKernels && hasSmallKernels && 2 * m * n * k <= smallKernelFlops else { return false }
        switch (transA, transB) {
        case (.none, .none), (.transposed, .none): return k <= smallKernelDepth
        case (.none, .transposed): return true
        case (.transposed, .transposed): return false
        }
    }

    /// `gemm` spread over `Parallel.threads` workers when it is big enough to pay for the hand-off
    /// (`splitFlops`): C's columns (or rows, when C is taller than wide) in blocks of 16, each
    /// block an ordinary single-threaded product. The blocks depend only on the worker count, so
    /// the same threads give the same bits. Inside a worker it is plain `gemm`. When Dojo's own
    /// kernels take the product, the split gives the same bits as one call, so whether it pays
    /// is measured on this CPU for each shape (SplitCalibration.swift) rather than assumed.
    public static func splitGemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let byColumns = n >= m, extent = byColumns ? n : m
        let workers = Parallel.workers(for: (extent + 15) / 16)
        // Local functions, not closures kept in constants: nothing is allocated per product.
        func whole() { gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc) }
        guard workers > 1, 2 * m * n * k >= splitFlops else { return whole() }
        func split() {
            Parallel.forEach(workers) { worker, _ in
                let block = Parallel.share(of: worker, workers: workers, count: extent, group: 16)
                guard !block.isEmpty else { return }
                let first = block.lowerBound
                if byColumns {
                    gemm(transA, transB, m: m, n: block.count, k: k, alpha: alpha, a: a, lda: lda,
                         b: transB == .none ? b + first : b + first * ldb, ldb: ldb, beta: beta, c: c + first, ldc: ldc)
                } else {
                    gemm(transA, transB, m: block.count, n: n, k: k, alpha: alpha, a: transA == .none ? a + first * lda : a + first,
                         lda: lda, b: b, ldb: ldb, beta: beta, c: c + first * ldc, ldc: ldc)
                }
            }
        }
        guard smallKernelsTake(transA, transB, m: m, n: n, k: k) else { return split() }
        let kind = (transA == .none ? 0 : 2) + (transB == .none ? 0 : 1)
        SplitCalibration.shared.run(SplitCalibration.Key(kind: kind, m, n, k, workers: workers), whole: whole, split: split)
    }

    /// Below this many FLOPs a product stays on one thread (a hand-off costs about a microsecond,
    /// these products run at 40–60 GFLOP/s).
    public static let splitFlops = 1_000_000

    /// Tensor-level matrix multiply: `op(a) · op(b)` for rank-2 tensors.
    public static func matmul(_ a: Tensor, _ b: Tensor,
                              transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
        let (m, ka) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(ka == kb, "matmul inner dimensions differ: \(a.shape) and \(b.shape)")
        var c = Tensor(zeros: [m, n])
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(transposeA ? .transposed : .none, transposeB ? .transposed : .none,
                         m: m, n: n, k: ka, a: pa.baseAddress!, lda: a.shape[1],
                         b: pb.baseAddress!, ldb: b.shape[1], c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }

    /// The same product for a batch of matrices laid out one after another.
    @inlinable
    public static func batchedGemm(
        _ transA: Transpose, _ transB: Transpose, batch: Int, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, strideA: Int,
        b: UnsafePointer<Float>, ldb: Int, strideB: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int
    ) {
        for i in 0..<batch {
            gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a + i * strideA, lda: lda,
                 b: b + i * strideB, ldb: ldb, beta: beta, c: c + i * strideC, ldc: ldc)
        }
    }

    /// Name of the kernel family OpenBLAS chose at load time (e.g. "SkylakeX", "Prescott").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
    }

    /// OpenBLAS threads. Layers keep this at 1 and use `Parallel.threads` workers instead (DESIGN.md §5).
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
