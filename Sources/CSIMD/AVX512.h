// What the AVX-512 C files share (private to CSIMD): the target attribute their functions are
// compiled with (the files themselves are built for any x86-64; callers check
// dojo_small_gemm_available() first) and lane masks.
#ifndef DOJO_AVX512_H
#define DOJO_AVX512_H
#if defined(__x86_64__)
#include <immintrin.h>

#define DOJO_AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,fma")))

/// The first `count` lanes of a vector (none for count ≤ 0, all sixteen from 16 on).
DOJO_AVX512 static inline __mmask16 lanes(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1u);
}

#endif
#endif
