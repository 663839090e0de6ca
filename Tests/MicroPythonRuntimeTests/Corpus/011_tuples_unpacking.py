t = (1, "two", 3.0)
print(t, len(t), t[1], t[-1], t[:2])
a, b, c = t
print(a, b, c)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "hello"
print(init, last)
x, (y, z) = 1, (2, 3)
print(x, y, z)
p, q = 10, 20
p, q = q, p
print(p, q)
print((1, 2) + (3,), (0,) * 3, (1, 2) < (1, 3), (2,) > (1, 9))
print(t.index("two"), (1, 1, 2).count(1))
print(tuple([1, 2]), tuple("ab"), tuple())
pairs = [(3, "c"), (1, "a"), (2, "b")]
for n, s in sorted(pairs):
    print(n, s)
def minmax(seq):
    return min(seq), max(seq)
lo, hi = minmax([4, 8, 1, 9])
print(lo, hi)
for i, (k, v) in enumerate({"a": 1, "b": 2}.items()):
    print(i, k, v)
print(hash((1, 2)) == hash((1, 2)))
nested = ((1, 2), (3, 4))
print([a * b for a, b in nested])
