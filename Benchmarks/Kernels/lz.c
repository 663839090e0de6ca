// LZSS-style compression with hash chains, then decompression and a round-trip check, over
// 256 KiB of generated text: byte-oriented memory traffic, hashing, data-dependent branches.
// Returns a checksum of (compressed size, output hash), or -1 if the round trip fails.
#include "kernel.h"

#define IN_SIZE (256 * 1024)
#define WINDOW 65535
#define MIN_MATCH 4
#define MAX_MATCH (MIN_MATCH + 255)
#define HASH_BITS 14
#define MAX_CHAIN 16

static u8 input[IN_SIZE];
static u8 packed[IN_SIZE + IN_SIZE / 8 + 64];
static u8 output[IN_SIZE];
static i32 head[1 << HASH_BITS];
static i32 previous[IN_SIZE];

static const char *const words[] = {
    "the ", "plugin ", "python ", "sandbox ", "memory ", "of ", "and ", "value ", "store ", "call ",
    "import ", "export ", "table ", "frame ", "stack ", "swift ", "wasm ", "guest ", "host ", "a ",
};

static void generate(void) {
    u32 seed = 2463534242u;
    i32 n = 0;
    while (n < IN_SIZE) {
        u32 r = xorshift32(&seed);
        if ((r & 31) == 0) {                       // now and then a number, which compresses worse
            u32 v = xorshift32(&seed) % 100000;
            do { if (n < IN_SIZE) input[n++] = (u8)('0' + v % 10); v /= 10; } while (v);
            if (n < IN_SIZE) input[n++] = ' ';
            continue;
        }
        const char *w = words[(r >> 8) % (sizeof words / sizeof words[0])];
        while (*w && n < IN_SIZE) input[n++] = (u8)*w++;
    }
}

static inline u32 hash4(const u8 *p) {
    u32 v = (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/// Compresses input[0..<IN_SIZE] into packed; returns the packed size.
static i32 compress(void) {
    for (i32 i = 0; i < (1 << HASH_BITS); i++) head[i] = -1;
    i32 in = 0, out = 0;
    while (in < IN_SIZE) {
        i32 flagAt = out++;
        u8 flags = 0;
        for (i32 bit = 0; bit < 8 && in < IN_SIZE; bit++) {
            i32 bestLength = 0, bestDistance = 0;
            if (in + MIN_MATCH <= IN_SIZE) {
                u32 h = hash4(input + in);
                i32 candidate = head[h];
                i32 limit = IN_SIZE - in < MAX_MATCH ? IN_SIZE - in : MAX_MATCH;
                for (i32 depth = 0; candidate >= 0 && in - candidate <= WINDOW && depth < MAX_CHAIN; depth++) {
                    i32 length = 0;
                    while (length < limit && input[candidate + length] == input[in + length]) length++;
                    if (length > bestLength) { bestLength = length; bestDistance = in - candidate; }
                    if (length == limit) break;
                    candidate = previous[candidate];
                }
                previous[in] = head[h];
                head[h] = in;
            }
            if (bestLength >= MIN_MATCH) {
                flags |= (u8)(1 << bit);
                packed[out++] = (u8)bestDistance;
                packed[out++] = (u8)(bestDistance >> 8);
                packed[out++] = (u8)(bestLength - MIN_MATCH);
                // Index the skipped positions too, so later matches can find them.
                for (i32 k = 1; k < bestLength; k++) {
                    i32 p = in + k;
                    if (p + MIN_MATCH <= IN_SIZE) {
                        u32 h = hash4(input + p);
                        previous[p] = head[h];
                        head[h] = p;
                    }
                }
                in += bestLength;
            } else {
                packed[out++] = input[in++];
            }
        }
        packed[flagAt] = flags;
    }
    return out;
}

/// Decompresses packed[0..<size] into output; returns the output size.
static i32 decompress(i32 size) {
    i32 in = 0, out = 0;
    while (in < size) {
        u8 flags = packed[in++];
        for (i32 bit = 0; bit < 8 && in < size; bit++) {
            if (flags & (1 << bit)) {
                i32 distance = packed[in] | packed[in + 1] << 8;
                i32 length = packed[in + 2] + MIN_MATCH;
                in += 3;
                for (i32 k = 0; k < length; k++, out++) output[out] = output[out - distance];
            } else {
                output[out++] = packed[in++];
            }
        }
    }
    return out;
}

EXPORT("lz") i32 lz(i32 repetitions) {
    generate();
    u32 checksum = 2166136261u;
    for (i32 r = 0; r < repetitions; r++) {
        i32 size = compress();
        if (decompress(size) != IN_SIZE) return -1;
        for (i32 i = 0; i < IN_SIZE; i++) {
            if (output[i] != input[i]) return -1;
            checksum = (checksum ^ output[i]) * 16777619u;
        }
        checksum ^= (u32)size;
        input[(r * 7919) % IN_SIZE] ^= 0x20;    // the next repetition sees different input
    }
    return (i32)checksum;
}
