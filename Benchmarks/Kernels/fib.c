// Recursive Fibonacci: call-heavy, nearly no memory traffic. fib(35) = 9227465.
#include "kernel.h"

__attribute__((noinline)) static i32 fib_rec(i32 n) {
    return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2);
}

EXPORT("fib") i32 fib(i32 n) { return fib_rec(n); }
