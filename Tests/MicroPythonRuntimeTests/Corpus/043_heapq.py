import heapq
h = []
for v in [5, 3, 8, 1, 9, 2, 7]:
    heapq.heappush(h, v)
print(h[0], len(h))
print([heapq.heappop(h) for _ in range(len(h))])
data = [9, 4, 7, 1, 8, 2]
heapq.heapify(data)
print(data[0], sorted(data))
tasks = []
heapq.heappush(tasks, (2, "write"))
heapq.heappush(tasks, (1, "plan"))
heapq.heappush(tasks, (3, "test"))
heapq.heappush(tasks, (1, "coffee"))
while tasks:
    print(heapq.heappop(tasks))
def nsmallest(n, it):
    h = list(it)
    heapq.heapify(h)
    return [heapq.heappop(h) for _ in range(min(n, len(h)))]
print(nsmallest(3, [10, 4, 6, 2, 8]))
def merge(*lists):
    h = []
    for i, l in enumerate(lists):
        if l:
            heapq.heappush(h, (l[0], i, 0))
    out = []
    while h:
        v, i, j = heapq.heappop(h)
        out.append(v)
        if j + 1 < len(lists[i]):
            heapq.heappush(h, (lists[i][j + 1], i, j + 1))
    return out
print(merge([1, 4, 9], [2, 3, 10], [0, 5]))
def kth_largest(nums, k):
    h = []
    for n in nums:
        heapq.heappush(h, n)
        if len(h) > k:
            heapq.heappop(h)
    return h[0]
print(kth_largest([3, 2, 1, 5, 6, 4], 2))
