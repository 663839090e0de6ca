# Loops: nested for/while loops over ranges with small-int arithmetic and branches
# (a Collatz search and a prime count by trial division).
# expected output: loops 2463 208 174737 1229
N = 2500


def collatz_steps(limit):
    best, best_n, total = 0, 0, 0
    for n in range(1, limit):
        steps = 0
        x = n
        while x != 1:
            if x & 1:
                x = 3 * x + 1
            else:
                x >>= 1
            steps += 1
        total += steps
        if steps > best:
            best, best_n = steps, n
    return best_n, best, total


def primes_below(limit):
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


best_n, best, total = collatz_steps(N)
print("loops", best_n, best, total, primes_below(N * 4))
