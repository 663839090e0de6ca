import heapq

def dijkstra(graph, src):
    dist = {src: 0}
    prev = {}
    pq = [(0, src)]
    done = set()
    while pq:
        d, u = heapq.heappop(pq)
        if u in done:
            continue
        done.add(u)
        for v, w in graph.get(u, []):
            nd = d + w
            if v not in dist or nd < dist[v]:
                dist[v] = nd
                prev[v] = u
                heapq.heappush(pq, (nd, v))
    return dist, prev

def path(prev, t):
    out = [t]
    while t in prev:
        t = prev[t]
        out.append(t)
    out.reverse()
    return out

edges = [("A", "B", 7), ("A", "C", 9), ("A", "F", 14), ("B", "C", 10), ("B", "D", 15),
         ("C", "D", 11), ("C", "F", 2), ("D", "E", 6), ("E", "F", 9)]
g = {}
for a, b, w in edges:
    g.setdefault(a, []).append((b, w))
    g.setdefault(b, []).append((a, w))
dist, prev = dijkstra(g, "A")
for node in sorted(dist):
    print(node, dist[node], "->".join(path(prev, node)))

n = 30
grid = [[(r * 7 + c * 13) % 9 + 1 for c in range(n)] for r in range(n)]
gg = {}
for r in range(n):
    for c in range(n):
        nbrs = []
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            rr, cc = r + dr, c + dc
            if 0 <= rr < n and 0 <= cc < n:
                nbrs.append(((rr, cc), grid[rr][cc]))
        gg[(r, c)] = nbrs
d2, p2 = dijkstra(gg, (0, 0))
print(d2[(n - 1, n - 1)], len(path(p2, (n - 1, n - 1))), len(d2))
