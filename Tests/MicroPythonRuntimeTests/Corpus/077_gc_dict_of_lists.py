# expected: native
# GC-heavy: dicts of lists built and discarded repeatedly, with an explicit
# gc.collect() inside the loop every few rounds.
import gc

def build(round_no):
    d = {}
    for i in range(600):
        key = "k%d" % (i % 97)
        d.setdefault(key, []).append([i, round_no, i * round_no])
    return d

def main():
    checksum = 0
    sizes = []
    for r in range(40):
        d = build(r)
        sizes.append(len(d))
        if r % 8 == 7:
            gc.collect()
        for k in sorted(d):
            lst = d[k]
            checksum = (checksum * 31 + len(lst) + lst[-1][2]) % 1000000007
    print(sizes[:5], sum(sizes))
    print("checksum", checksum)

main()
