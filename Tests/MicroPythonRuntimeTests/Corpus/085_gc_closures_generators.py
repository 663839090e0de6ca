# expected: native
# GC-heavy: many closures and generator objects created and abandoned, with
# gc.threshold so that collections happen while they are live.
import gc
gc.threshold(128 * 1024)

def make_adder(n):
    def add(x):
        return x + n
    return add

def gen_range(a, b):
    i = a
    while i < b:
        yield i
        i += 1

def main():
    total = 0
    for r in range(3000):
        adders = [make_adder(i) for i in range(10)]
        total += sum(f(r) for f in adders)
        g = gen_range(r, r + 20)
        total += sum(x * 2 for x in g if x % 3)
        total %= 1000000007
    print("total", total)
    pipeline = (x * x for x in gen_range(0, 50000) if x % 7 == 0)
    print(sum(pipeline))
    fns = [lambda v, k=k: v * k for k in range(200)]
    print(sum(fn(3) for fn in fns))

main()
