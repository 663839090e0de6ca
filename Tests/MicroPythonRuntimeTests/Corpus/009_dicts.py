# MicroPython dicts are not insertion-ordered: print them sorted.
def show(d):
    return "{" + ", ".join("%r: %r" % kv for kv in sorted(d.items())) + "}"

d = {"one": 1, "two": 2}
d["three"] = 3
print(show(d), len(d), d["two"], d.get("four"), d.get("four", 4))
print(sorted(d.keys()), sorted(d.values()), sorted(d.items()))
print("one" in d, "zero" in d)
d.update({"four": 4, "one": 11})
print(show(d))
print(d.pop("two"), d.pop("nope", None), show(d))
print(d.setdefault("five", 5), d.setdefault("one", 0), show(d))
del d["three"]
print(show(d))
n = len(d)
k, v = d.popitem()
print(len(d) == n - 1, k not in d, d.get(k) is None)
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e)
counts = {}
for w in "a b a c b a d".split():
    counts[w] = counts.get(w, 0) + 1
print(show(counts))
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
inv = {v: k for k, v in {"x": 1, "y": 2}.items()}
print(show(inv))
print(show(dict(zip("abc", range(3)))), dict([("p", 1)]), show(dict(a=1, b=2)))
print(show(dict.fromkeys(["a", "b"], 0)))
nested = {"a": {"b": {"c": 42}}}
print(nested["a"]["b"]["c"], nested)
keys = {(1, 2): "tuple key", 3: "int key", "s": "str key"}
print(keys[(1, 2)], keys[3], keys["s"])
e = {}
for i in range(20):
    e[i] = i * i
for i in range(0, 20, 2):
    del e[i]
print(show(e), sum(e.values()))
merged = dict({"a": 1})
merged.update({"b": 2})
print(show(merged))
c = d.copy()
c["new"] = 1
print(len(d), len(c))
print(d == c, {"a": 1} == {"a": 1}, {1: 2} != {1: 3})
