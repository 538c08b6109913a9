// Matrix products for the small, thin matrices of RL networks, with AVX-512 (see CSIMD.h).
//
// OpenBLAS packs both operands into panels on every call. For a DQN's dense layer (32 × 1024
// times 1024 × 128) or a Winograd product (64 × 64 times 64 × 72) the packing and the
// per-call setup are a large share of the work, and the kernels Debian's OpenBLAS runs on
// current AMD and Intel CPUs use 256-bit vectors. These two kernels read both operands where
// they lie and keep a block of C in sixteen 512-bit registers:
//
// - broadcast form, C = A·B with B's rows contiguous (row-major NN, or TN when A is read by
//   columns): each A element is broadcast and multiplied into four vectors (64 columns) of a
//   row of B; 4 rows × 64 columns of C per block.
// - dot form, C = A·Bᵀ with A's and B's rows both contiguous in k (row-major NT, a dense
//   layer's forward pass): 4 × 4 elements of C per block, each a 16-lane partial sum over k,
//   summed across lanes at the end. The sums across lanes cost as much as 160 multiply-adds
//   per block, so below k = 257 NT products with at least 16 rows (small heads over a batch)
//   instead copy Bᵀ into a per-thread buffer and take the broadcast form.
//
// Every element of C is a sum over k in an order that depends only on k (and, for NT, on
// whether m ≥ 16), never on the blocking, so splitting C's columns over workers
// (BLAS.splitGemm) gives the same bits as one call; a split by rows does too whenever every
// block keeps m ≥ 16 or the whole product has fewer rows.
#include "CSIMD.h"
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define DOJO_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,fma")))

int dojo_small_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq");
}

/// The first `count` lanes (0…16) of a vector.
DOJO_AVX512 static inline __mmask16 lanes(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

/// c = alpha·acc + beta·c on the lanes of `mask` (beta 0: c is not read).
DOJO_AVX512 static inline __attribute__((always_inline)) void
finish(float *c, __mmask16 mask, __m512 acc, float alpha, float beta) {
    __m512 v = _mm512_mul_ps(acc, _mm512_set1_ps(alpha));
    if (beta != 0) v = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, c), v);
    _mm512_mask_storeu_ps(c, mask, v);
}

/// One block of the broadcast form: MR rows × NV vectors of C, the last vector's lanes in `last`.
DOJO_AVX512 static inline __attribute__((always_inline)) void
broadcast_block(const int MR, const int NV, long k, const float *a, long ai, long ak,
                const float *b, long ldb, float alpha, float beta, float *c, long ldc, __mmask16 last) {
    __m512 acc[4][4];
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    for (long p = 0; p < k; p++) {
        const float *bp = b + p * ldb;
        __m512 bv[4];
        for (int v = 0; v < NV; v++)
            bv[v] = v == NV - 1 ? _mm512_maskz_loadu_ps(last, bp + 16 * v) : _mm512_loadu_ps(bp + 16 * v);
        for (int r = 0; r < MR; r++) {
            __m512 av = _mm512_set1_ps(a[r * ai + p * ak]);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < NV; v++)
            finish(c + r * ldc + 16 * v, v == NV - 1 ? last : (__mmask16)0xFFFF, acc[r][v], alpha, beta);
}

/// Calls BLOCK(i, rows, j, cols) over C: columns outermost (so B's panel stays in cache while
/// every row block passes it), NC at a time and the leftover `step` at a time; rows MR at a
/// time and the leftover one at a time. rows and cols are compile-time constants in each call,
/// so every block shape is its own unrolled kernel.
#define FOR_EACH_BLOCK(m, n, MR, NC, step, BLOCK)                                            \
    for (long j = 0; j < (n);) {                                                             \
        if (j + NC <= (n)) { FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, NC); j += NC; }             \
        else { FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, step); j += step; }                       \
    }
#define FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, cols)                                            \
    {                                                                                        \
        long i = 0;                                                                          \
        for (; i + MR <= (m); i += MR) BLOCK(i, MR, j, cols);                                \
        for (; i < (m); i++) BLOCK(i, 1, j, cols);                                           \
    }

DOJO_AVX512 void dojo_gemm_broadcast(long m, long n, long k, float alpha, const float *a, long ai, long ak,
                                     const float *b, long ldb, float beta, float *c, long ldc) {
    // Columns j…j+cols (cols 64 or 16, the last vector masked at C's right edge).
#define BROADCAST(i, rows, j, cols)                                                          \
    broadcast_block(rows, (cols) / 16, k, a + (i) * ai, ai, ak, b + (j), ldb, alpha, beta,   \
                    c + (i) * ldc + (j), ldc, lanes(n - (j) - ((cols) / 16 - 1) * 16))
    FOR_EACH_BLOCK(m, n, 4, 64, 16, BROADCAST)
#undef BROADCAST
}

/// One block of the dot form: MR rows of A against NR rows of B.
DOJO_AVX512 static inline __attribute__((always_inline)) void
dot_block(const int MR, const int NR, long k, float alpha, const float *a, long lda,
          const float *b, long ldb, float beta, float *c, long ldc) {
    __m512 acc[4][4];
    for (int r = 0; r < MR; r++)
        for (int s = 0; s < NR; s++) acc[r][s] = _mm512_setzero_ps();
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 av[4], bv[4];
        for (int r = 0; r < MR; r++) av[r] = _mm512_loadu_ps(a + r * lda + p);
        for (int s = 0; s < NR; s++) bv[s] = _mm512_loadu_ps(b + s * ldb + p);
        for (int r = 0; r < MR; r++)
            for (int s = 0; s < NR; s++) acc[r][s] = _mm512_fmadd_ps(av[r], bv[s], acc[r][s]);
    }
    if (p < k) {
        __mmask16 tail = lanes(k - p);
        __m512 av[4], bv[4];
        for (int r = 0; r < MR; r++) av[r] = _mm512_maskz_loadu_ps(tail, a + r * lda + p);
        for (int s = 0; s < NR; s++) bv[s] = _mm512_maskz_loadu_ps(tail, b + s * ldb + p);
        for (int r = 0; r < MR; r++)
            for (int s = 0; s < NR; s++) acc[r][s] = _mm512_fmadd_ps(av[r], bv[s], acc[r][s]);
    }
    for (int r = 0; r < MR; r++)
        for (int s = 0; s < NR; s++) {
            float sum = alpha * _mm512_reduce_add_ps(acc[r][s]);
            float *cp = c + r * ldc + s;
            *cp = beta != 0 ? sum + beta * *cp : sum;
        }
}

DOJO_AVX512 void dojo_gemm_dot(long m, long n, long k, float alpha, const float *a, long lda,
                               const float *b, long ldb, float beta, float *c, long ldc) {
#define DOT(i, rows, j, cols) \
    dot_block(rows, cols, k, alpha, a + (i) * lda, lda, b + (j) * ldb, ldb, beta, c + (i) * ldc + (j), ldc)
    FOR_EACH_BLOCK(m, n, 4, 4, 1, DOT)
#undef DOT
}

/// Bᵀ for the broadcast form, one buffer per thread, grown as needed and kept.
static __thread float *packed;
static __thread long packedCapacity;

DOJO_AVX512 void dojo_gemm_nt(long m, long n, long k, float alpha, const float *a, long lda,
                              const float *b, long ldb, float beta, float *c, long ldc) {
    // Copying Bᵀ costs n·k moves against m·n·k/16 multiply-adds: only worth it for m ≥ 16.
    if (k > 256 || m < 16) {
        dojo_gemm_dot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    if (packedCapacity < n * k) {
        free(packed);
        packed = aligned_alloc(64, (size_t)((n * k * 4 + 63) / 64 * 64));
        packedCapacity = packed ? n * k : 0;
        // Without the buffer the dot form still gives the product.
        if (!packed) { dojo_gemm_dot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return; }
    }
    for (long j = 0; j < n; j++)
        for (long p = 0; p < k; p++) packed[p * n + j] = b[j * ldb + p];
    dojo_gemm_broadcast(m, n, k, alpha, a, lda, 1, packed, n, beta, c, ldc);
}

#else

int dojo_small_gemm_available(void) { return 0; }
void dojo_gemm_nt(long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc) { __builtin_trap(); }
void dojo_gemm_broadcast(long m, long n, long k, float alpha, const float *a, long ai, long ak,
                         const float *b, long ldb, float beta, float *c, long ldc) { __builtin_trap(); }
void dojo_gemm_dot(long m, long n, long k, float alpha, const float *a, long lda,
                   const float *b, long ldb, float beta, float *c, long ldc) { __builtin_trap(); }

#endif
