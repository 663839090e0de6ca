# expected: native
# GC-heavy: gc.threshold(4096) makes the collector run after every 4 KiB of
# allocation, during a mixed workload (lists, dicts, strings, objects).
import gc
gc.threshold(4096)

class Box:
    def __init__(self, v):
        self.v = v

def main():
    d = {}
    lst = []
    for i in range(6000):
        b = Box([i, str(i), (i, i + 1)])
        d["b" + str(i % 300)] = b
        lst.append(b.v[1])
        if len(lst) > 100:
            lst = lst[50:]
    s = 0
    for k in sorted(d):
        s += d[k].v[0] + len(d[k].v[1]) + d[k].v[2][1]
    print(len(d), len(lst), lst[-1], s)

main()
