// Sieve of Eratosthenes over a byte array: byte loads and stores in tight loops.
// sieve(10000000, 1) = 664579 (the primes below ten million).
#include "kernel.h"

#define LIMIT 10000000
static u8 composite[LIMIT];

EXPORT("sieve") i32 sieve(i32 n, i32 repetitions) {
    if (n > LIMIT) n = LIMIT;
    i32 count = 0;
    for (i32 r = 0; r < repetitions; r++) {
        for (i32 i = 0; i < n; i++) composite[i] = 0;
        count = 0;
        for (i32 i = 2; i < n; i++) {
            if (composite[i]) continue;
            count++;
            for (u64 j = (u64)i * (u64)i; j < (u64)n; j += (u64)i) composite[j] = 1;
        }
    }
    return count;
}
