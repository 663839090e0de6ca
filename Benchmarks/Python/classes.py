# Classes and methods: instance creation, attribute access, method calls, inheritance,
# super(), properties, __eq__ and special methods.
# expected output: classes 263832 12000
N = 4000


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def dot(self, o):
        return self.x * o.x + self.y * o.y

    def scaled(self, k):
        return Vec(self.x * k, self.y * k)


class Shape:
    def __init__(self, pos):
        self.pos = pos

    def area(self):
        return 0

    def describe(self):
        return self.area() + self.pos.x


class Rect(Shape):
    def __init__(self, pos, w, h):
        super().__init__(pos)
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Square(Rect):
    def __init__(self, pos, side):
        super().__init__(pos, side, side)

    @property
    def side(self):
        return self.w


class Counter:
    def __init__(self):
        self.n = 0

    def bump(self, k):
        self.n += k
        return self


total = 0
counter = Counter()
origin = Vec(0, 0)
for i in range(N):
    p = Vec(i % 17, i % 5) + origin
    shapes = [Rect(p, i % 7 + 1, 3), Square(p.scaled(2), i % 4 + 1), Shape(p)]
    for s in shapes:
        total += s.describe()
        counter.bump(1)
    total += shapes[1].side + p.dot(Vec(1, 2))
print("classes", total, counter.n)
