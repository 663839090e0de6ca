class Date:
    created = 0
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
        Date.created += 1
    @classmethod
    def from_string(cls, s):
        y, m, d = [int(p) for p in s.split("-")]
        return cls(y, m, d)
    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    def day_of_year(self):
        days = [31, 29 if Date.is_leap(self.y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return sum(days[:self.m - 1]) + self.d
    def __repr__(self):
        return "%04d-%02d-%02d" % (self.y, self.m, self.d)

class MyDate(Date):
    def __repr__(self):
        return "MyDate(" + Date.__repr__(self) + ")"

d = Date.from_string("2024-03-01")
print(d, d.day_of_year(), type(d).__name__)
m = MyDate.from_string("2023-12-31")
print(m, m.day_of_year(), type(m).__name__)
print([y for y in range(1896, 1912) if Date.is_leap(y)], Date.is_leap(2000), d.is_leap(1900))
print(Date.created)

class Shape:
    registry = []
    def __init__(self):
        type(self).registry.append(type(self).__name__)
    @classmethod
    def count(cls):
        return len(cls.registry)

class Sq(Shape):
    registry = []

Shape(); Sq(); Sq()
print(Shape.count(), Sq.count(), Sq.registry)
