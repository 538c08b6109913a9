// The sparse first layer's scatter (Neural/Conv2D+SparseInput.swift) with AVX-512: every
// non-zero input value adds value · (one row of `src`) to one row of `dst` for each of its
// (output position, weight row) pairs. The portable Swift loop (Tensors/Kernels+ScatterPairs.swift)
// finds non-zero values lane by lane through memory and runs a general-length loop per pair;
// here the non-zero inputs' indices are compressed into a list first (one compare per sixteen
// inputs, no branches), and a row of up to sixteen floats is one fused multiply-add with its
// load and store.
#include "CSIMD.h"
#include "AVX512.h"

#if defined(__x86_64__)

/// dst row p += value · src row q for every pair of input i (p, q as dojo_scatter_pairs says).
DOJO_AVX512 static inline __attribute__((always_inline)) void
scatter_one(long i, float x, const int *start, const int *pairs, int d, long width, const float *src, float *dst) {
    const __m512 value = _mm512_set1_ps(x);
    const int *pair = pairs + 2 * (long)start[i], *end = pairs + 2 * (long)start[i + 1];
    if (width == 16) {
        for (; pair < end; pair += 2) {
            float *o = dst + 16 * (long)pair[d];
            _mm512_storeu_ps(o, _mm512_fmadd_ps(value, _mm512_loadu_ps(src + 16 * (long)pair[1 - d]), _mm512_loadu_ps(o)));
        }
        return;
    }
    for (; pair < end; pair += 2) {
        float *o = dst + width * pair[d];
        const float *r = src + width * pair[1 - d];
        for (long j = 0; j < width; j += 16) {
            __mmask16 m = lanes(width - j);
            _mm512_mask_storeu_ps(o + j, m, _mm512_fmadd_ps(value, _mm512_maskz_loadu_ps(m, r + j), _mm512_maskz_loadu_ps(m, o + j)));
        }
    }
}

DOJO_AVX512 void dojo_scatter_pairs(long count, const float *x, const int *start, const int *pairs,
                                    int destinationFirst, long width, const float *src, float *dst) {
    // The pair's first index is the output position, its second the weight row.
    const int d = destinationFirst ? 0 : 1;
    const __m512 zero = _mm512_setzero_ps();
    const __m512i offsets = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // The non-zero inputs' indices are gathered first, 256 inputs at a time, with compressing
    // stores and no branches: walking mask bits inside the scatter loop cost a mispredicted
    // branch per sixteen inputs (1.2× slower on the MinAtar layer).
    int list[256 + 16];
    for (long first = 0; first < count; first += 256) {
        long n = 0, last = first + 256 < count ? first + 256 : count;
        for (long i0 = first; i0 < last; i0 += 16) {
            __mmask16 valid = lanes(last - i0);
            // Unordered compare: a NaN input counts as non-zero, as `!= 0` does in Swift.
            __mmask16 nonZero = _mm512_mask_cmp_ps_mask(valid, _mm512_maskz_loadu_ps(valid, x + i0), zero, _CMP_NEQ_UQ);
            __m512i index = _mm512_add_epi32(offsets, _mm512_set1_epi32((int)i0));
            _mm512_storeu_si512(list + n, _mm512_maskz_compress_epi32(nonZero, index));
            n += __builtin_popcount(nonZero);
        }
        for (long t = 0; t < n; t++) scatter_one(list[t], x[list[t]], start, pairs, d, width, src, dst);
    }
}

#else

void dojo_scatter_pairs(long count, const float *x, const int *start, const int *pairs,
                        int destinationFirst, long width, const float *src, float *dst) { __builtin_trap(); }

#endif
