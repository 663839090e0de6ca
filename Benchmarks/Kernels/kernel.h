// Shared by the benchmark kernels: freestanding wasm32 C (no libc), compiled by the Swift
// toolchain's clang at benchmark time (see Sources/sandpiper-bench/KernelCompiler.swift).
#ifndef SANDPIPER_BENCH_KERNEL_H
#define SANDPIPER_BENCH_KERNEL_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef unsigned long size_t;

/// Exports a function under `name` (the name the benchmark workload calls).
#define EXPORT(name) __attribute__((export_name(name)))

// The compiler may turn loops into calls to these; with no libc they must exist here.
// (Compiled with -fno-builtin, so their own loops are not turned back into calls to themselves.)
void *memset(void *dst, int value, size_t count);
void *memcpy(void *restrict dst, const void *restrict src, size_t count);

/// A deterministic pseudo-random generator (xorshift32) so inputs are identical on every engine.
static inline u32 xorshift32(u32 *state) {
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#endif
