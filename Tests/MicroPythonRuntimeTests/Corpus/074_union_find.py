class DSU:
    def __init__(self, n):
        self.parent = list(range(n))
        self.size = [1] * n
        self.sets = n
    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root
    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.sets -= 1
        return True

d = DSU(10)
for a, b in [(0, 1), (2, 3), (1, 3), (5, 6), (7, 8), (8, 9), (3, 0)]:
    print(a, b, d.union(a, b), d.sets)
groups = {}
for i in range(10):
    groups.setdefault(d.find(i), []).append(i)
print(sorted(groups.values()))

def kruskal(n, edges):
    dsu = DSU(n)
    total, used = 0, []
    for w, a, b in sorted(edges):
        if dsu.union(a, b):
            total += w
            used.append((a, b, w))
    return total, used

edges = []
for i in range(12):
    for j in range(i + 1, 12):
        w = (i * 31 + j * 17) % 23 + 1
        if (i + j) % 3 != 0:
            edges.append((w, i, j))
total, used = kruskal(12, edges)
print(total, len(used), used[:5])
