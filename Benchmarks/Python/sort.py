# Sorting with a key: records sorted by a field, by a computed key, and reversed; plus
# sorted() on strings by length, min/max with key. (MicroPython's sort is not stable, so
# the checksum only looks at the sorted keys, never at the order of equal ones.)
# expected output: sort 405604278
N = 5000

seed = 12345
records = []
for i in range(N):
    seed = (seed * 1103515245 + 12345) & 0x3FFFFFFF
    records.append((i, seed % 100003, "n%d" % (seed % 911)))


def positional_sum(keys):
    acc = 0
    for i, k in enumerate(keys):
        acc = (acc + i * k) % 1000000007
    return acc


total = 0
by_value = sorted(records, key=lambda r: r[1])
total += positional_sum([r[1] for r in by_value])
by_name = sorted(records, key=lambda r: r[2])
total += positional_sum([len(r[2]) + ord(r[2][-1]) for r in by_name])
names = [r[2] for r in records[:3000]]
records.sort(key=lambda r: r[1] % 1000, reverse=True)
total += positional_sum([r[1] % 1000 for r in records])
names = sorted(names, key=len)
total += positional_sum([len(n) for n in names])
total += max(records, key=lambda r: r[1] * 7 % 101 * 100000 + r[0])[0]
print("sort", total % 1000000007)
