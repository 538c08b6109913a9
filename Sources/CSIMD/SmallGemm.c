// Matrix products for the small, thin matrices of RL networks, with AVX-512 (see CSIMD.h).
//
// OpenBLAS packs both operands into panels on every call. For a DQN's dense layer (32 × 1024
// times 1024 × 128) or a Winograd product (64 × 64 times 64 × 72) the packing and the
// per-call setup are a large share of the work, and the kernels Debian's OpenBLAS runs on
// current AMD and Intel CPUs use 256-bit vectors. These two kernels read both operands where
// they lie and keep a block of C in 512-bit registers:
//
// - broadcast form, C = A·B with B's rows contiguous (row-major NN, or TN when A is read by
//   columns): each A element is broadcast and multiplied into four vectors (64 columns) of a
//   row of B; 6 rows × 64 columns of C per block (24 of the 32 registers; 1.15× over 4 rows
//   on im2col convolutions). When B's rows lie far apart (a layer's 1024-wide weight rows are
//   4 KB apart, so a 64-column panel falls into four of the 64 L1 sets and evicts itself) and
//   the panel serves several row blocks, it is first copied into a contiguous per-thread
//   buffer: 1.2–1.5× on a DQN's dX and dW products.
// - dot form, C = A·Bᵀ with A's and B's rows both contiguous in k (row-major NT, a dense
//   layer's forward pass): 2 × 8 elements of C per block, each a 16-lane partial sum over k;
//   the sixteen sums across lanes are one tree of shuffles at the end. Shallow NT products
//   with many rows (k ≤ 256, m ≥ 16 and ≥ k/4, n ≥ 16: heads over a batch, Winograd's dU)
//   instead copy Bᵀ into a per-thread buffer and take the broadcast form.
//
// Every element of C is a sum over k in an order that depends only on k (and, for NT, on
// which form takes the product), never on the blocking, so splitting C's columns over
// workers (BLAS.splitGemm, blocks of 16) gives the same bits as one call; a split by rows
// does too whenever every block takes the same NT form as the whole product.
#include "CSIMD.h"
#include "AVX512.h"
#include <stdlib.h>

#if defined(__x86_64__)

int dojo_small_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq");
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
    __m512 acc[6][4];
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
/// time and the leftover rows as one block. rows and cols are compile-time constants in each
/// call, so every block shape is its own unrolled kernel.
#define FOR_EACH_BLOCK(m, n, MR, NC, step, BLOCK)                                            \
    for (long j = 0; j < (n);) {                                                             \
        if (j + NC <= (n)) { FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, NC); j += NC; }             \
        else { FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, step); j += step; }                       \
    }
#define FOR_EACH_ROW_BLOCK(m, MR, BLOCK, j, cols)                                            \
    {                                                                                        \
        long i = 0;                                                                          \
        for (; i + MR <= (m); i += MR) BLOCK(i, MR, j, cols);                                \
        switch ((m) - i) { /* the leftover rows as one block (MR ≤ 6) */                     \
        case 1: BLOCK(i, 1, j, cols); break;                                                 \
        case 2: if (2 < MR) BLOCK(i, 2, j, cols); break;                                     \
        case 3: if (3 < MR) BLOCK(i, 3, j, cols); break;                                     \
        case 4: if (4 < MR) BLOCK(i, 4, j, cols); break;                                     \
        case 5: if (5 < MR) BLOCK(i, 5, j, cols); break;                                     \
        }                                                                                    \
    }

/// A per-thread scratch buffer, grown as needed and kept.
typedef struct { float *floats; long capacity; } Scratch;

/// The buffer with room for `count` floats (64-byte aligned), or NULL if it cannot grow; the
/// callers then read B where it lies.
static float *scratch_floats(Scratch *s, long count) {
    if (s->capacity < count) {
        free(s->floats);
        s->floats = aligned_alloc(64, (size_t)((count * 4 + 63) / 64 * 64));
        s->capacity = s->floats ? count : 0;
    }
    return s->floats;
}

/// B's panel for the broadcast form, and Bᵀ for dojo_gemm_nt's copy (separate: the copy
/// is the broadcast form's B and may itself be packed).
static __thread Scratch panelScratch, transposeScratch;

DOJO_AVX512 void dojo_gemm_broadcast(long m, long n, long k, float alpha, const float *a, long ai, long ak,
                                     const float *b, long ldb, float beta, float *c, long ldc) {
    // Copy a panel when it is reused by at least three row blocks, is not contiguous already,
    // and fits L1 (k ≤ 128: 32 KB); deeper panels do not stay in L1 either way.
    float *panel = m >= 16 && ldb > 64 && k <= 128 ? scratch_floats(&panelScratch, k * 64) : NULL;
    int pack = panel != NULL;
    for (long j0 = 0; j0 < n; j0 += 64) {
        long width = n - j0 < 64 ? n - j0 : 64;
        const float *bp = b + j0;
        long ld = ldb;
        if (pack) {
            long vectors = (width + 15) / 16;
            __mmask16 last = lanes(width - (vectors - 1) * 16);
            for (long p = 0; p < k; p++)
                for (long v = 0; v < vectors; v++)
                    _mm512_store_ps(panel + p * 64 + 16 * v,
                                    _mm512_maskz_loadu_ps(v == vectors - 1 ? last : (__mmask16)0xFFFF,
                                                          b + p * ldb + j0 + 16 * v));
            bp = panel;
            ld = 64;
        }
        // Columns j…j+cols of the panel (cols 64 or 16, the last vector masked at C's right edge).
#define BROADCAST(i, rows, j, cols)                                                          \
    broadcast_block(rows, (cols) / 16, k, a + (i) * ai, ai, ak, bp + (j), ld, alpha, beta,   \
                    c + (i) * ldc + j0 + (j), ldc, lanes(width - (j) - ((cols) / 16 - 1) * 16))
        FOR_EACH_BLOCK(m, width, 6, 64, 16, BROADCAST)
#undef BROADCAST
    }
}

/// One block of the dot form: MR ≤ 2 rows of A against NR ≤ 8 rows of B, the sixteen sums
/// x[8r + s] in registers.
DOJO_AVX512 static inline __attribute__((always_inline)) void
dot_block(const int MR, const int NR, long k, float alpha, const float *a, long lda,
          const float *b, long ldb, float beta, float *c, long ldc) {
    __m512 x[16];
    for (int q = 0; q < 16; q++) x[q] = _mm512_setzero_ps();
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 av[2], bv[8];
        for (int r = 0; r < MR; r++) av[r] = _mm512_loadu_ps(a + r * lda + p);
        for (int s = 0; s < NR; s++) bv[s] = _mm512_loadu_ps(b + s * ldb + p);
        for (int r = 0; r < MR; r++)
            for (int s = 0; s < NR; s++) x[8 * r + s] = _mm512_fmadd_ps(av[r], bv[s], x[8 * r + s]);
    }
    if (p < k) {
        __mmask16 tail = lanes(k - p);
        __m512 av[2], bv[8];
        for (int r = 0; r < MR; r++) av[r] = _mm512_maskz_loadu_ps(tail, a + r * lda + p);
        for (int s = 0; s < NR; s++) bv[s] = _mm512_maskz_loadu_ps(tail, b + s * ldb + p);
        for (int r = 0; r < MR; r++)
            for (int s = 0; s < NR; s++) x[8 * r + s] = _mm512_fmadd_ps(av[r], bv[s], x[8 * r + s]);
    }
    // The sixteen sums across lanes as one tree of shuffles (15 combining steps instead of 16
    // separate reductions). Each sum pairs lane i with i+8, then i+4, i+2 and i+1: the order
    // of _mm512_reduce_add_ps, so the bits match a lane-by-lane reduction. Missing rows or
    // columns of an edge block are zeros that only ever meet each other.
    __m512 y[8], z[4], w[2];
    for (int j = 0; j < 8; j++)
        y[j] = _mm512_add_ps(_mm512_shuffle_f32x4(x[2 * j], x[2 * j + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(x[2 * j], x[2 * j + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int j = 0; j < 4; j++)
        z[j] = _mm512_add_ps(_mm512_shuffle_f32x4(y[2 * j], y[2 * j + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(y[2 * j], y[2 * j + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    for (int j = 0; j < 2; j++)
        w[j] = _mm512_add_ps(_mm512_shuffle_ps(z[2 * j], z[2 * j + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(z[2 * j], z[2 * j + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 sums = _mm512_add_ps(_mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                _mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(3, 1, 3, 1)));
    // The tree leaves x[q]'s sum in lane 4·(q mod 4) + q/4: put it back in lane q (row-major).
    sums = _mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), sums);
    sums = _mm512_mul_ps(sums, _mm512_set1_ps(alpha));
    __mmask8 columns = (__mmask8)((1u << NR) - 1u);
    for (int r = 0; r < MR; r++) {   // row r is lanes 8r…8r+7
        float *cp = c + r * ldc;
        __m256 v = r == 0 ? _mm512_extractf32x8_ps(sums, 0) : _mm512_extractf32x8_ps(sums, 1);
        if (beta != 0) v = _mm256_fmadd_ps(_mm256_set1_ps(beta), _mm256_maskz_loadu_ps(columns, cp), v);
        _mm256_mask_storeu_ps(cp, columns, v);
    }
}

DOJO_AVX512 void dojo_gemm_dot(long m, long n, long k, float alpha, const float *a, long lda,
                               const float *b, long ldb, float beta, float *c, long ldc) {
#define DOT(i, rows, j, cols) \
    dot_block(rows, cols, k, alpha, a + (i) * lda, lda, b + (j) * ldb, ldb, beta, c + (i) * ldc + (j), ldc)
    FOR_EACH_BLOCK(m, n, 2, 8, 1, DOT)
#undef DOT
}

/// Transposes a 16 × 16 block held as sixteen row vectors (three rounds of shuffles: pairs,
/// quads, then 128-bit lanes twice).
DOJO_AVX512 static inline __attribute__((always_inline)) void transpose16(__m512 r[16]) {
    __m512 t[16], u[16], v[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        u[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 2; i++)
        for (int q = 0; q < 4; q++) {
            v[8 * i + q] = _mm512_shuffle_f32x4(u[8 * i + q], u[8 * i + 4 + q], _MM_SHUFFLE(2, 0, 2, 0));
            v[8 * i + 4 + q] = _mm512_shuffle_f32x4(u[8 * i + q], u[8 * i + 4 + q], _MM_SHUFFLE(3, 1, 3, 1));
        }
    for (int q = 0; q < 8; q++) {
        r[q] = _mm512_shuffle_f32x4(v[q], v[8 + q], _MM_SHUFFLE(2, 0, 2, 0));
        r[q + 8] = _mm512_shuffle_f32x4(v[q], v[8 + q], _MM_SHUFFLE(3, 1, 3, 1));
    }
}

DOJO_AVX512 void dojo_gemm_nt(long m, long n, long k, float alpha, const float *a, long lda,
                              const float *b, long ldb, float beta, float *c, long ldc) {
    // Copying Bᵀ costs n·k moves; the dot form's sums across lanes cost about as much as 2·m·n
    // multiply-adds, and it streams A once per eight rows of B. In a training step F(2×2)'s
    // dU (64 × 64, k = 250) is 1.06× faster copied (alone the dot form wins by 10%); the dot
    // form wins clearly for few rows against deep k (32 × 128 × 256: 2×) and for fewer than 16
    // columns (a value head's single output), where most of the copy's lanes are empty.
    if (k > 256 || m < 16 || 4 * m < k || n < 16) {
        dojo_gemm_dot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    float *packed = scratch_floats(&transposeScratch, n * k);
    // Without the buffer the dot form still gives the product.
    if (!packed) { dojo_gemm_dot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return; }
    // Sixteen rows of Bᵀ at a time, each written left to right (a column-at-a-time copy
    // writes k lines n floats apart, which for n = 64 or 128 fall into a few L1 sets and
    // evict each other before their neighbours arrive: 10× slower at 32 × 128 × 256), whole
    // 16 × 16 blocks through registers.
    for (long p0 = 0; p0 < k; p0 += 16) {
        long rows = k - p0 < 16 ? k - p0 : 16, j = 0;
        if (rows == 16)
            for (; j + 16 <= n; j += 16) {
                __m512 r[16];
                for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(b + (j + i) * ldb + p0);
                transpose16(r);
                for (int i = 0; i < 16; i++) _mm512_storeu_ps(packed + (p0 + i) * n + j, r[i]);
            }
        for (; j < n; j++)
            for (long p = p0; p < p0 + rows; p++) packed[p * n + j] = b[j * ldb + p];
    }
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
