// sgemm against a naive triple loop on odd shapes, every transpose combination, sub-matrix
// strides, alpha and beta: a wrong or broken OpenBLAS kernel family can never go unnoticed.
// Every check runs twice where the CPU has AVX-512: through Dojo's own small-matrix kernels
// (CSIMD/SmallGemm.c) and through OpenBLAS.
import Tensors
import XCTest

final class GEMMTests: XCTestCase {
    /// Naive row-major C = alpha·op(A)·op(B) + beta·C in Double.
    func naive(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int,
               b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta ? a[p * lda + i] : a[i * lda + p]
                    let bv = tb ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(av) * Double(bv)
                }
                out[i * ldc + j] = Float(Double(alpha) * s + Double(beta) * Double(c[i * ldc + j]))
            }
        }
        return out
    }

    /// The kernel families to check: OpenBLAS always, Dojo's own where the CPU runs them.
    var kernelFamilies: [Bool] { BLAS.hasSmallKernels ? [true, false] : [false] }

    func testSgemmMatchesNaiveLoopOnOddShapes() {
        defer { BLAS.usesSmallKernels = BLAS.hasSmallKernels }
        for own in kernelFamilies {
            BLAS.usesSmallKernels = own
            checkAgainstNaiveLoop(threads: 1, split: false)
        }
    }

    /// `splitGemm` over 2 and 3 workers, split by columns (130×70 is split by rows), agrees
    /// with the naive loop too, and repeats bit for bit.
    func testSplitGemmMatchesNaiveLoop() {
        defer { Parallel.threads = 1; BLAS.usesSmallKernels = BLAS.hasSmallKernels }
        for own in kernelFamilies {
            BLAS.usesSmallKernels = own
            for threads in [2, 3] { checkAgainstNaiveLoop(threads: threads, split: true) }
        }
    }

    /// The small kernels sum every element of C over k in an order that does not depend on
    /// how C is blocked, so a product split over workers gives the same bits as one call, and
    /// with beta 0 they never read C (NaN there stays out of the result), as BLAS promises.
    func testSmallKernelsSplitBitForBitAndIgnoreCWithBetaZero() throws {
        try XCTSkipUnless(BLAS.hasSmallKernels, "this CPU has no AVX-512: products go to OpenBLAS only")
        defer { Parallel.threads = 1 }
        var g = SeededGenerator(seed: 13)
        for (ta, tb) in [(false, false), (true, false), (false, true)] {
            let (m, n, k) = (67, 150, 70)  // above BLAS.splitFlops, so it does split
            let lda = ta ? m : k, ldb = tb ? k : n
            let a = Tensor.uniform(shape: [ta ? k : m, lda], low: -1, high: 1, using: &g)
            let b = Tensor.uniform(shape: [tb ? n : k, ldb], low: -1, high: 1, using: &g)
            func product(threads: Int) -> [Float] {
                Parallel.threads = threads
                var c = Tensor(repeating: .nan, shape: [m, n])
                BLAS.splitGemm(ta ? .transposed : .none, tb ? .transposed : .none, m: m, n: n, k: k,
                               a: a.pointer, lda: lda, b: b.pointer, ldb: ldb, c: c.scratchPointer, ldc: n)
                return c.scalars
            }
            let one = product(threads: 1)
            XCTAssertFalse(one.contains { $0.isNaN }, "transA \(ta) transB \(tb): beta 0 must not read C")
            for threads in [2, 3] {
                XCTAssertEqual(product(threads: threads), one, "transA \(ta) transB \(tb), \(threads) workers")
            }
        }
    }

    func checkAgainstNaiveLoop(threads: Int, split: Bool) {
        Parallel.threads = threads
        var g = SeededGenerator(seed: 11)
        let shapes = [(1, 1, 1), (3, 5, 7), (17, 31, 13), (33, 65, 129), (64, 81, 576), (5, 130, 3), (127, 1, 63),
                      (130, 70, 97), (48, 200, 60)]
        for (m, n, k) in shapes {
            for ta in [false, true] {
                for tb in [false, true] {
                    // Leading dimensions larger than needed exercise sub-matrix strides.
                    let lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1
                    let a = (0..<((ta ? k : m) * lda)).map { _ in g.uniform(-1, 1) }
                    let b = (0..<((tb ? n : k) * ldb)).map { _ in g.uniform(-1, 1) }
                    let c = (0..<(m * ldc)).map { _ in g.uniform(-1, 1) }
                    let alpha: Float = 0.75, beta: Float = 0.5
                    let expected = naive(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                         beta: beta, c: c, ldc: ldc)
                    let product = { () -> [Float] in
                        var got = c
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in
                                got.withUnsafeMutableBufferPointer { pc in
                                    let (opA, opB): (Transpose, Transpose) = (ta ? .transposed : .none, tb ? .transposed : .none)
                                    if split {
                                        BLAS.splitGemm(opA, opB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: lda,
                                                       b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc)
                                    } else {
                                        BLAS.gemm(opA, opB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: lda,
                                                  b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc)
                                    }
                                }
                            }
                        }
                        return got
                    }
                    let got = product()
                    let worst = zip(got, expected).map { abs($0 - $1) }.max()!
                    XCTAssertLessThan(worst, 1e-4 * Float(k).squareRoot() + 1e-5,
                                      "\(split ? "splitGemm, \(threads) workers" : "sgemm") \(m)x\(n)x\(k) transA \(ta) transB \(tb) with \(BLAS.usesSmallKernels ? "Dojo's AVX-512" : BLAS.coreName) kernels")
                    if split { XCTAssertEqual(product(), got, "\(m)x\(n)x\(k), \(threads) workers: bit for bit again") }
                }
            }
        }
    }

    func testBatchedGemmEqualsOneProductPerMatrix() {
        var g = SeededGenerator(seed: 12)
        let a = Tensor.uniform(shape: [3, 4, 5], low: -1, high: 1, using: &g)
        let b = Tensor.uniform(shape: [3, 5, 2], low: -1, high: 1, using: &g)
        var c = Tensor(zeros: [3, 4, 2])
        BLAS.batchedGemm(.none, .none, batch: 3, m: 4, n: 2, k: 5, a: a.pointer, lda: 5, strideA: 20,
                         b: b.pointer, ldb: 2, strideB: 10, c: c.scratchPointer, ldc: 2, strideC: 8)
        for i in 0..<3 {
            let expected = BLAS.matmul(a.sample(i), b.sample(i))
            XCTAssertLessThan(c.sample(i).maxAbsDifference(expected), 1e-5, "matrix \(i)")
        }
    }

    func testMatmulOfTensors() {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(BLAS.matmul(a, b).scalars, [58, 64, 139, 154])
        XCTAssertEqual(BLAS.matmul(a, a, transposeB: true).scalars, [14, 32, 32, 77])
        XCTAssertEqual(BLAS.matmul(a, a, transposeA: true).shape, [3, 3])
    }

    func testThreadCountIsSettable() {
        let before = BLAS.threads
        BLAS.threads = 1
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.threads = before
    }

    func testSkylakeXIsRequestedOnlyWithFullAVX512() {
        let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        XCTAssertEqual(OpenBLASKernels.preferredCoreType(cpuFlags: avx512), "SkylakeX")
        XCTAssertNil(OpenBLASKernels.preferredCoreType(cpuFlags: ["avx", "avx2", "fma"]))
        XCTAssertNil(OpenBLASKernels.preferredCoreType(cpuFlags: ["avx512f", "avx2"]))
        XCTAssertNil(OpenBLASKernels.preferredCoreType(cpuFlags: []))
    }
}
