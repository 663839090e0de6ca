# Dicts: insertion, lookup, update, membership, deletion, items(), with str and int keys.
# expected output: dicts 997 23336 997 19800
N = 6000


def word_counts(n):
    counts = {}
    for i in range(n):
        w = "w" + str(i * 7919 % 997)
        counts[w] = counts.get(w, 0) + 1
    return counts


def int_table(n):
    table = {}
    for i in range(n):
        table[i * 7 % n] = i
    hits = 0
    for i in range(0, n, 3):
        if i in table:
            hits += table[i] & 15
    for i in range(0, n, 5):
        del table[i]
    return hits + len(table)


counts = word_counts(N)
total = sum(v * len(k) for k, v in counts.items())
merged = {}
for k, v in counts.items():
    merged.setdefault(v % 7, []).append(k)
print("dicts", len(counts), total, sum(len(v) for v in merged.values()), int_table(N))
