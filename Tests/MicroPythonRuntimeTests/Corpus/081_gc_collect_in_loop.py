# expected: native
# GC-heavy: explicit gc.collect() inside functions while structures are live.
import gc

class Item:
    def __init__(self, k, payload):
        self.k = k
        self.payload = payload

def work(n):
    live = [Item(i, [i] * 5) for i in range(n)]
    gc.collect()
    s = 0
    for it in live:
        s += it.k + len(it.payload)
    temp = {i: str(i) for i in range(n)}
    gc.collect()
    return s + sum(len(v) for v in temp.values())

def main():
    results = []
    for r in range(60):
        results.append(work(50 + r))
        if r % 10 == 0:
            gc.collect()
    print(results[:5], results[-1], sum(results))

main()
