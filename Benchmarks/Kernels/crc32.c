// Table-driven CRC-32 (IEEE 802.3, reflected) over 1 MiB of pseudo-random bytes, chained
// over several passes: byte loads, table lookups, shifts and xors.
#include "kernel.h"

#define SIZE (1 << 20)
static u8 buffer[SIZE];
static u32 table[256];

static void make_table(void) {
    for (u32 n = 0; n < 256; n++) {
        u32 c = n;
        for (i32 k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

EXPORT("crc32") u32 crc32(i32 passes) {
    make_table();
    u32 seed = 0x12345678u;
    for (i32 i = 0; i < SIZE; i++) buffer[i] = (u8)xorshift32(&seed);
    u32 crc = 0;
    for (i32 p = 0; p < passes; p++) {
        u32 c = crc ^ 0xFFFFFFFFu;
        for (i32 i = 0; i < SIZE; i++) c = table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
        crc = c ^ 0xFFFFFFFFu;
    }
    return crc;
}
