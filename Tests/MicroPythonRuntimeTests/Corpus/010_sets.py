a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)))
print(a.issubset({1, 2, 3, 4, 5}), {1}.issuperset(set()), a.isdisjoint({9}))
s = set()
for x in [3, 1, 3, 2, 1]:
    s.add(x)
print(sorted(s), len(s), 2 in s, 7 in s)
s.discard(2)
s.discard(99)
s.remove(1)
print(sorted(s))
try:
    s.remove(42)
except KeyError as e:
    print("KeyError", e)
print(sorted({x % 5 for x in range(20)}))
fs = frozenset([1, 2, 3])
print(sorted(fs), 2 in fs, len(fs))
d = {fs: "frozen"}
print(d[frozenset([3, 2, 1])])
print(sorted(set("mississippi")))
u = {1, 2}
u.update([3, 4])
u |= {5}
u -= {1}
print(sorted(u))
print({1, 2} == {2, 1}, {1} < {1, 2}, set() == set())
words = ["apple", "banana", "apple", "cherry", "banana"]
seen = set()
uniq = []
for w in words:
    if w not in seen:
        seen.add(w)
        uniq.append(w)
print(uniq)
