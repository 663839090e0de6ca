def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1

print(list(count_up(5)))

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

out = []
for v in fib():
    if v > 200:
        break
    out.append(v)
print(out)

def take(n, it):
    it = iter(it)
    for _ in range(n):
        yield next(it)

print(list(take(4, fib())))

def chain(*its):
    for it in its:
        yield from it

print(list(chain([1, 2], "ab", range(3))))

def squares(it):
    for x in it:
        yield x * x

print(sum(squares(count_up(10))))

def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received

g = echo()
print(next(g), g.send("a"), g.send("b"))
try:
    g.send(None)
except StopIteration as e:
    print("returned", e.value)

def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")

g = gen_with_finally()
print(next(g))
g.close()
print("closed")

def pipeline(data):
    evens = (x for x in data if x % 2 == 0)
    doubled = (x * 2 for x in evens)
    return list(doubled)

print(pipeline(range(12)))
it = iter([1, 2])
print(next(it), next(it), next(it, "default"))
