from collections import OrderedDict
od = OrderedDict()
od["zebra"] = 1
od["apple"] = 2
od["mango"] = 3
print(list(od.keys()), list(od.values()))
print(od)
od["apple"] = 20
print(list(od.items()))
del od["zebra"]
od["zebra"] = 99
print(list(od))
print(od.pop("mango"), list(od))
od2 = OrderedDict([("b", 2), ("a", 1), ("c", 3)])
print(list(od2.items()), od2.get("a"), od2.get("x", "none"))
k, v = od2.popitem()
print(k, v, list(od2))
od2.setdefault("d", 4)
od2.update([("e", 5)])
print(list(od2.items()))
class LRU:
    def __init__(self, cap):
        self.cap = cap
        self.d = OrderedDict()
    def get(self, k):
        if k not in self.d:
            return None
        v = self.d.pop(k)
        self.d[k] = v
        return v
    def put(self, k, v):
        if k in self.d:
            self.d.pop(k)
        elif len(self.d) >= self.cap:
            first = next(iter(self.d))
            del self.d[first]
        self.d[k] = v
c = LRU(2)
c.put(1, "one"); c.put(2, "two"); c.get(1); c.put(3, "three")
print(list(c.d.items()), c.get(2))
print(sorted(OrderedDict.fromkeys("xyz", 0).items()))
