// The few libc functions the compiler may call from the kernels. Linked into every kernel.
#include "kernel.h"

void *memset(void *dst, int value, size_t count) {
    u8 *d = dst;
    while (count--) *d++ = (u8)value;
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t count) {
    u8 *d = dst;
    const u8 *s = src;
    while (count--) *d++ = *s++;
    return dst;
}
