# expected: native
# GC-heavy: hundreds of thousands of short-lived small objects with a rolling
# window of live ones.
class P:
    def __init__(self, i):
        self.i = i
        self.sq = i * i
        self.tag = "p" + str(i % 100)

def main():
    window = []
    total = 0
    tags = 0
    for i in range(120000):
        p = P(i)
        window.append(p)
        if len(window) > 500:
            old = window.pop(0)
            total = (total + old.sq) % 1000003
            tags += len(old.tag)
    print("window", len(window), window[0].i, window[-1].i)
    print("total", total, "tags", tags)
    print("live sum", sum(p.i for p in window))

main()
