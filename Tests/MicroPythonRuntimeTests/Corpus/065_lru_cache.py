class Node:
    def __init__(self, key=None, val=None):
        self.key, self.val = key, val
        self.prev = self.next = None

class LRUCache:
    def __init__(self, capacity):
        self.cap = capacity
        self.map = {}
        self.head, self.tail = Node(), Node()
        self.head.next, self.tail.prev = self.tail, self.head
        self.hits = self.misses = 0
    def _unlink(self, n):
        n.prev.next, n.next.prev = n.next, n.prev
    def _push_front(self, n):
        n.next, n.prev = self.head.next, self.head
        self.head.next.prev = n
        self.head.next = n
    def get(self, key):
        n = self.map.get(key)
        if n is None:
            self.misses += 1
            return None
        self.hits += 1
        self._unlink(n)
        self._push_front(n)
        return n.val
    def put(self, key, val):
        n = self.map.get(key)
        if n:
            n.val = val
            self._unlink(n)
        else:
            if len(self.map) >= self.cap:
                lru = self.tail.prev
                self._unlink(lru)
                del self.map[lru.key]
            n = Node(key, val)
            self.map[key] = n
        self._push_front(n)
    def keys(self):
        out, n = [], self.head.next
        while n is not self.tail:
            out.append(n.key)
            n = n.next
        return out

c = LRUCache(3)
for k in "abc":
    c.put(k, k.upper())
print(c.keys())
print(c.get("a"), c.keys())
c.put("d", "D")
print(c.keys(), c.get("b"))
c.put("c", "C2")
print(c.keys(), c.get("c"))

def cached(cap):
    def deco(fn):
        cache = LRUCache(cap)
        def wrapper(n):
            v = cache.get(n)
            if v is None:
                v = fn(n)
                cache.put(n, v)
            return v
        return wrapper, cache
    return deco

def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

f, cache = cached(50)(collatz_len)
total = 0
for i in range(1, 400):
    total += f(i * i % 71 + 1)
print(total, cache.hits, cache.misses, len(cache.keys()))
