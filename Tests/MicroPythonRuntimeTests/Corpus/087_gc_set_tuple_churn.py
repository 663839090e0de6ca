# expected: native
# GC-heavy: sets of tuples and frozensets grown and rebuilt, with
# gc.threshold so that collections happen while the sets grow.
import gc
gc.threshold(256 * 1024)

def main():
    visited = set()
    x = y = 0
    seed = 99
    for i in range(30000):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        d = seed % 4
        if d == 0:
            x += 1
        elif d == 1:
            x -= 1
        elif d == 2:
            y += 1
        else:
            y -= 1
        visited.add((x, y))
        if i % 5000 == 4999:
            visited = {p for p in visited if (p[0] + p[1]) % 2 == 0} | {(x, y)}
    print(len(visited), (x, y))
    groups = set()
    for i in range(3000):
        groups.add(frozenset([i % 10, i % 7, i % 3]))
    print(len(groups), sorted(sorted(g) for g in groups)[:4])

main()
