# expected: native
# GC-heavy: sorting many objects with key functions that allocate tuples;
# gc.threshold makes the collector run often, including mid-sort.
import gc
gc.threshold(64 * 1024)

class Rec:
    def __init__(self, i, seed):
        self.id = i
        self.score = seed % 1000
        self.name = "r%05d" % (seed % 50000)

def main():
    seed = 7
    recs = []
    for i in range(1000):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        recs.append(Rec(i, seed))
    for r in range(2):
        by_score = sorted(recs, key=lambda x: (x.score, x.name, x.id))
        by_name = sorted(recs, key=lambda x: (x.name, -x.id))
        print(r, by_score[0].id, by_score[-1].id, by_name[0].name, by_name[-1].name)
    recs.sort(key=lambda x: (x.score % 10, x.id))
    print([x.id for x in recs[:8]])

main()
