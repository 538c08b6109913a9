// Vector operations Swift's SIMD types do not lower to single instructions on Linux.
// Swift's Float.squareRoot() goes through C's sqrtf, whose errno handling (-fmath-errno, the
// Linux default) keeps LLVM from vectorising it; clang's element-wise builtin has no errno and
// becomes one vsqrtps (or two sqrtps without AVX).
#ifndef DOJO_CSIMD_H
#define DOJO_CSIMD_H

typedef float dojo_float8 __attribute__((ext_vector_type(8)));
typedef float dojo_float16 __attribute__((ext_vector_type(16)));

static inline __attribute__((always_inline)) dojo_float8 dojo_sqrt8(dojo_float8 x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) dojo_float16 dojo_sqrt16(dojo_float16 x) {
    return __builtin_elementwise_sqrt(x);
}

/// Transposes an 8×8 block of floats: row r of the source (8 floats at src + r·srcStride)
/// becomes row r of the destination's columns (dst[c·dstStride + r] = src[r·srcStride + c]).
/// Three rounds of shuffles (pairs, quads, halves); about ten times fewer instructions than 64
/// scalar moves. Used to interleave eight channel planes for the Winograd transforms and back.
static inline __attribute__((always_inline)) void dojo_transpose8x8(const float *src, long srcStride,
                                                                   float *dst, long dstStride) {
    dojo_float8 r[8];
    for (int i = 0; i < 8; i++) __builtin_memcpy(&r[i], src + i * srcStride, sizeof(dojo_float8));
    dojo_float8 t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
    dojo_float8 t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
    dojo_float8 t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
    dojo_float8 t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
    dojo_float8 t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
    dojo_float8 t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
    dojo_float8 t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
    dojo_float8 t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
    dojo_float8 s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    dojo_float8 s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    dojo_float8 s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    dojo_float8 s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    dojo_float8 s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    dojo_float8 s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    dojo_float8 s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    dojo_float8 s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    dojo_float8 o[8] = {
        __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11),
        __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11),
        __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11),
        __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11),
        __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15),
        __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15),
        __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15),
        __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15),
    };
    for (int i = 0; i < 8; i++) __builtin_memcpy(dst + i * dstStride, &o[i], sizeof(dojo_float8));
}

/// A spin-wait hint (x86 `pause`): lets the sibling hyper-thread run and saves power while a
/// worker waits a few microseconds for its next job (Tensors/WorkerPool.swift).
static inline __attribute__((always_inline)) void dojo_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// Whether this CPU runs the AVX-512 small-matrix products below (SmallGemm.c).
int dojo_small_gemm_available(void);

/// C[m×n] = alpha·A·B + beta·C, with A(i, p) = a[i·ai + p·ak] (row-major A: ai = lda, ak = 1;
/// transposed A: ai = 1, ak = lda) and B row-major. beta 0: C is not read.
void dojo_gemm_broadcast(long m, long n, long k, float alpha, const float *a, long ai, long ak,
                         const float *b, long ldb, float beta, float *c, long ldc);

/// C[m×n] = alpha·A·Bᵀ + beta·C with A [m×k] and B [n×k] row-major. beta 0: C is not read.
/// The dot form for deep products, Bᵀ copied and the broadcast form below k = 257.
void dojo_gemm_nt(long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc);

/// The dot form of dojo_gemm_nt, for any k.
void dojo_gemm_dot(long m, long n, long k, float alpha, const float *a, long lda,
                   const float *b, long ldb, float beta, float *c, long ldc);

/// The sparse first layer's scatter (SparseScatter.c; AVX-512 CPUs only): for every non-zero
/// x[i], i < count, and every pair k in start[i] ..< start[i + 1], with (p, q) = (pairs[2k],
/// pairs[2k + 1]) when destinationFirst, else (pairs[2k + 1], pairs[2k]):
/// dst[p·width ..< (p + 1)·width] += x[i] · src[q·width ..< (q + 1)·width], as fused
/// multiply-adds in pair order.
void dojo_scatter_pairs(long count, const float *x, const int *start, const int *pairs,
                        int destinationFirst, long width, const float *src, float *dst);

#endif
