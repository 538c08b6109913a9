// The Winograd F(2×2, 3×3) input transform of one plane with AVX-512 (see
// Tensors/WinogradF2x3.swift for the algorithm and the layout), for inference split over
// channels (Neural/Conv2D+WinogradChannelSplit.swift); training transforms sixteen channels at
// a time instead (WinogradF2x3+Interleaved.swift). The Swift version works one 4×4 tile at a
// time in scalars; here a row of up to sixteen tiles is one vector: the tiles' even and odd
// columns are separated with two permutes, and each ξ's sixteen results are one masked store
// into V's contiguous tile columns. Every value is computed by the same operations in the
// same order as the scalar code, so the results are the same bits.
#include "CSIMD.h"
#include "AVX512.h"

#if defined(__x86_64__)

/// Elements x, x+2, x+4, … (even) and x+1, x+3, … (odd) of `row` for sixteen tiles, reading
/// only row[0 ..< length] (zeros past it).
DOJO_AVX512 static inline __attribute__((always_inline)) void
split_columns(const float *row, long x, long length, __m512 *even, __m512 *odd) {
    __m512 lo = _mm512_maskz_loadu_ps(lanes(length - x), row + x);
    __m512 hi = _mm512_maskz_loadu_ps(lanes(length - x - 16), row + x + 16);
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    *even = _mm512_permutex2var_ps(lo, evens, hi);
    *odd = _mm512_permutex2var_ps(lo, odds, hi);
}

DOJO_AVX512 void dojo_winograd2_input(const float *padded, long pw, long tilesY, long tilesX, float *v, long stride) {
    for (long ty = 0; ty < tilesY; ty++) {
        const float *r0 = padded + 2 * ty * pw, *r1 = r0 + pw, *r2 = r1 + pw, *r3 = r2 + pw;
        for (long tx0 = 0; tx0 < tilesX; tx0 += 16) {
            __mmask16 store = lanes(tilesX - tx0);
            float *o = v + ty * tilesX + tx0;
            // Columns 2t…2t+3 of the four rows: x0 = even, x1 = odd, x2 = next even, x3 = next odd.
            __m512 e[4], d[4], e2[4], d2[4];
            const float *rows[4] = {r0, r1, r2, r3};
            for (int i = 0; i < 4; i++) {
                split_columns(rows[i], 2 * tx0, pw, &e[i], &d[i]);
                split_columns(rows[i], 2 * tx0 + 2, pw, &e2[i], &d2[i]);
            }
            // Bᵀ d, column by column: a = r0 − r2, b = r1 + r2, c = r2 − r1, e = r1 − r3.
            __m512 x0[4] = {_mm512_sub_ps(e[0], e[2]), _mm512_add_ps(e[1], e[2]), _mm512_sub_ps(e[2], e[1]), _mm512_sub_ps(e[1], e[3])};
            __m512 x1[4] = {_mm512_sub_ps(d[0], d[2]), _mm512_add_ps(d[1], d[2]), _mm512_sub_ps(d[2], d[1]), _mm512_sub_ps(d[1], d[3])};
            __m512 x2[4] = {_mm512_sub_ps(e2[0], e2[2]), _mm512_add_ps(e2[1], e2[2]), _mm512_sub_ps(e2[2], e2[1]), _mm512_sub_ps(e2[1], e2[3])};
            __m512 x3[4] = {_mm512_sub_ps(d2[0], d2[2]), _mm512_add_ps(d2[1], d2[2]), _mm512_sub_ps(d2[2], d2[1]), _mm512_sub_ps(d2[1], d2[3])};
            // (Bᵀ d) B: each combined row's columns.
            for (int i = 0; i < 4; i++) {
                _mm512_mask_storeu_ps(o + (4 * i) * stride, store, _mm512_sub_ps(x0[i], x2[i]));
                _mm512_mask_storeu_ps(o + (4 * i + 1) * stride, store, _mm512_add_ps(x1[i], x2[i]));
                _mm512_mask_storeu_ps(o + (4 * i + 2) * stride, store, _mm512_sub_ps(x2[i], x1[i]));
                _mm512_mask_storeu_ps(o + (4 * i + 3) * stride, store, _mm512_sub_ps(x1[i], x3[i]));
            }
        }
    }
}

#else

void dojo_winograd2_input(const float *padded, long pw, long tilesY, long tilesX, float *v, long stride) { __builtin_trap(); }

#endif
