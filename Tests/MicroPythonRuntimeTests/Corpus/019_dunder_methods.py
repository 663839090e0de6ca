class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __str__(self):
        return "<%s, %s>" % (self.x, self.y)
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __rmul__(self, k):
        return self * k
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __eq__(self, o):
        return isinstance(o, Vec) and self.x == o.x and self.y == o.y
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __bool__(self):
        return bool(self.x or self.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __iter__(self):
        yield self.x
        yield self.y
    def __contains__(self, v):
        return v == self.x or v == self.y

a, b = Vec(1, 2), Vec(3, 4)
print(a + b, a - b, a * 3, 2 * a, -a)
print(repr(a), str(b), [a, b])
print(a == Vec(1, 2), a != b, a < b, sorted([b, a, Vec(0, 9)]))
print(abs(b), bool(Vec(0, 0)), bool(a), len(a), a[0], a[1], list(b), 4 in b, 5 in b)
print(len({a, Vec(1, 2), b}))
x, y = b
print(x, y)

class Matrix:
    def __init__(self, rows):
        self.rows = rows
    def __matmul__(self, o):
        cols = list(zip(*o.rows))
        return Matrix([[sum(p * q for p, q in zip(r, c)) for c in cols] for r in self.rows])
    def __repr__(self):
        return "Matrix(%r)" % (self.rows,)

print(Matrix([[1, 2], [3, 4]]) @ Matrix([[5, 6], [7, 8]]))

class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self, k=1):
        self.n += k
        return self.n
    def __iadd__(self, k):
        self.n += k
        return self

c = Counter()
c()
c(5)
c += 10
print(c.n)

class Registry:
    def __init__(self):
        self._d = {}
    def __setitem__(self, k, v):
        self._d[k] = v
    def __getitem__(self, k):
        return self._d[k]
    def __delitem__(self, k):
        del self._d[k]
    def __len__(self):
        return len(self._d)

r = Registry()
r["a"] = 1
r["b"] = 2
del r["a"]
print(len(r), r["b"])

class Dyn:
    def __getattr__(self, name):
        return "dyn_" + name

print(Dyn().hello, Dyn().world)
