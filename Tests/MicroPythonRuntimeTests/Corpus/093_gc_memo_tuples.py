# expected: native
# GC-heavy: a memo table keyed by tuples holding big integers (grid path counts
# and binomials), rebuilt several times, with gc.collect() between tables.
import gc

def paths(w, h):
    memo = {}
    for x in range(w + 1):
        for y in range(h + 1):
            if x == 0 or y == 0:
                memo[(x, y)] = 1
            else:
                memo[(x, y)] = memo[(x - 1, y)] + memo[(x, y - 1)]
    return memo[(w, h)], len(memo)

def main():
    results = []
    for n in range(10, 34, 3):
        v, size = paths(n, n)
        results.append((n, v % 1000000007, size))
        gc.collect()
    for r in results:
        print(r)
    v, _ = paths(32, 32)
    print(v)

main()
