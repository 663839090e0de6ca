from collections import deque
d = deque((), 10)
for i in range(5):
    d.append(i)
d.appendleft(-1)
print(len(d), bool(d))
print(d.popleft(), d.pop(), len(d))
d.extend([7, 8])
out = []
while d:
    out.append(d.popleft())
print(out)
bounded = deque((), 3)
for i in range(6):
    bounded.append(i)
print([bounded.popleft() for _ in range(len(bounded))])
def bfs(graph, start):
    seen = {start}
    order = []
    q = deque((start,), 100)
    while q:
        n = q.popleft()
        order.append(n)
        for m in graph[n]:
            if m not in seen:
                seen.add(m)
                q.append(m)
    return order
g = {"a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": ["f"], "e": ["f"], "f": []}
print(bfs(g, "a"))
window = deque((), 4)
avgs = []
for v in [10, 20, 30, 40, 50, 60]:
    window.append(v)
    if len(window) == 4:
        items = []
        for _ in range(4):
            x = window.popleft()
            items.append(x)
        for x in items:
            window.append(x)
        avgs.append(sum(items) / 4)
print(avgs)
try:
    deque((), 2).popleft()
except IndexError:
    print("IndexError on empty")
