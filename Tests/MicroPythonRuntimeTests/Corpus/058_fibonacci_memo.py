memo = {0: 0, 1: 1}
def fib(n):
    if n not in memo:
        memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]

print([fib(i) for i in range(20)])
# Fill the memo bottom-up so the recursion stays shallow (the guest's
# recursion limit is far below CPython's).
for i in range(0, 301, 10):
    fib(i)
print(fib(100))
print(fib(300))

def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

print(fib_iter(300) == fib(300))

def fib_fast(n):
    def go(n):
        if n == 0:
            return (0, 1)
        a, b = go(n >> 1)
        c = a * (2 * b - a)
        d = a * a + b * b
        return (d, c + d) if n & 1 else (c, d)
    return go(n)[0]

print(fib_fast(1000) == fib_iter(1000), len(str(fib_fast(1000))))

def count_paths(r, c, cache={}):
    if r == 0 or c == 0:
        return 1
    if (r, c) not in cache:
        cache[(r, c)] = count_paths(r - 1, c) + count_paths(r, c - 1)
    return cache[(r, c)]

for k in range(1, 17):
    count_paths(k, k)
print(count_paths(16, 16))

def coin_change(coins, amount):
    ways = [1] + [0] * amount
    for c in coins:
        for a in range(c, amount + 1):
            ways[a] += ways[a - c]
    return ways[amount]

print(coin_change([1, 2, 5, 10, 20, 50, 100, 200], 200))
