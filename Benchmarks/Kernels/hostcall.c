// Calls into the host in a loop: measures the cost of a Wasm -> Swift -> Wasm round trip, which
// dominates WASI-heavy guests. The host implements env.mix(a, b) = (a * 31) ^ (b + (a >> 7))
// (see ImportSetup.hostcallMix); the guest does the same work inline every 16th step as a check.
#include "kernel.h"

__attribute__((import_module("env"), import_name("mix"))) u32 host_mix(u32 a, u32 b);

static inline u32 guest_mix(u32 a, u32 b) { return (a * 31u) ^ (b + (a >> 7)); }

EXPORT("hostcall") u32 hostcall(i32 n) {
    u32 acc = 1;
    for (i32 i = 0; i < n; i++) acc = (i & 15) ? host_mix(acc, (u32)i) : guest_mix(acc, (u32)i);
    return acc;
}
