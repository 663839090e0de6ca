# expected: native
# GC-heavy: a dict grown and shrunk repeatedly, forcing rehashes, with string
# keys, and gc.collect() after every round.
import gc

def main():
    d = {}
    log = []
    for r in range(6):
        for i in range(4000):
            d["key-%d-%d" % (r, i)] = [i]
        for i in range(0, 4000, 2):
            del d["key-%d-%d" % (r, i)]
        if r % 2:
            d = {k: v for k, v in d.items() if v[0] % 3}
        log.append(len(d))
        gc.collect()
    print(log)
    print(sum(v[0] for v in d.values()), min(d), max(d))

main()
