# Recursion: naive fib(N). Function calls, returns, small-int arithmetic.
# expected output: fib 25 75025
N = 25


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print("fib", N, fib(N))
