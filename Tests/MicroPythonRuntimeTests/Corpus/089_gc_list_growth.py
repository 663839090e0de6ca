# expected: native
# GC-heavy: big lists grown, sliced, copied, concatenated and dropped, with
# gc.threshold so that collections happen mid-way.
import gc
gc.threshold(100 * 1024)

def main():
    checksum = 0
    for r in range(20):
        a = []
        for i in range(4000):
            a.append(i ^ r)
        b = a[::2] + a[1::2]
        c = [v * 3 for v in b if v % 5]
        c.reverse()
        d = c[:]
        d.sort()
        checksum = (checksum + d[len(d) // 2] + len(c) + c[0]) % 1000003
    print("checksum", checksum)
    rows = [[r * c for c in range(60)] for r in range(60)]
    flat = [v for row in rows for v in row]
    print(len(flat), sum(flat), max(flat))

main()
