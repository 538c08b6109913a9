// Vector operations Swift's SIMD types do not lower to single instructions on Linux.
// Swift's Float.squareRoot() goes through C's sqrtf, whose errno handling (-fmath-errno, the
// Linux default) keeps LLVM from vectorising it; clang's element-wise builtin has no errno and
// becomes one vsqrtps (or two sqrtps without AVX).
#ifndef DOJO_CSIMD_H
#define DOJO_CSIMD_H

typedef float dojo_float8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) dojo_float8 dojo_sqrt8(dojo_float8 x) {
    return __builtin_elementwise_sqrt(x);
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

#endif
