def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc

c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(5), c2())

def make_adders():
    return [lambda x, n=n: x + n for n in range(4)]

print([f(10) for f in make_adders()])

def compose(*fns):
    def composed(x):
        for f in reversed(fns):
            x = f(x)
        return x
    return composed

inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5))

def memo(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    return wrapper, cache

def _sq(n):
    return n * n

slow_sq, sq_cache = memo(_sq)

print(slow_sq(4), slow_sq(4), len(sq_cache))

def outer():
    x = "outer"
    def middle():
        def inner():
            return x + "!"
        return inner()
    return middle()

print(outer())

def accumulator():
    total = []
    def add(v):
        total.append(v)
        return sum(total)
    return add

acc = accumulator()
for v in [3, 4, 5]:
    print(acc(v), end=" ")
print()
