def averager():
    total = 0
    count = 0
    avg = None
    while True:
        value = yield avg
        if value is None:
            return (count, avg)
        total += value
        count += 1
        avg = total / count

def delegator(results):
    while True:
        r = yield from averager()
        results.append(r)

results = []
g = delegator(results)
next(g)
for v in [10, 20, 30]:
    print(g.send(v))
g.send(None)
for v in [1, 2]:
    g.send(v)
g.send(None)
print(results)

def inner():
    yield 1
    yield 2
    return "inner done"

def outer():
    r = yield from inner()
    yield r

print(list(outer()))

def tree_walk(t):
    if isinstance(t, list):
        for c in t:
            yield from tree_walk(c)
    else:
        yield t

print(list(tree_walk([1, [2, [3, 4], [[5]]], 6])))

def catcher():
    while True:
        try:
            yield "waiting"
        except ValueError as e:
            yield "caught " + str(e)

c = catcher()
print(next(c), c.throw(ValueError("boom")), next(c))

def primes():
    n = 2
    found = []
    while True:
        if all(n % p for p in found):
            found.append(n)
            yield n
        n += 1

p = primes()
print([next(p) for _ in range(15)])
