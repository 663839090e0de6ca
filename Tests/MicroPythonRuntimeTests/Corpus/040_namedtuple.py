from collections import namedtuple
Point = namedtuple("Point", ["x", "y"])
p = Point(3, 4)
print(p, p.x, p.y, p[0], p[1], len(p))
x, y = p
print(x + y, p == (3, 4), isinstance(p, tuple))
q = Point(x=1, y=2)
print(q, Point(*[v * 10 for v in q]))
Employee = namedtuple("Employee", "name dept salary")
staff = [Employee("ann", "eng", 120), Employee("bob", "ops", 90), Employee("cy", "eng", 100)]
print(sorted(staff, key=lambda e: e.salary))
by_dept = {}
for e in staff:
    by_dept.setdefault(e.dept, []).append(e.name)
print(sorted(by_dept.items()))
print(sum(e.salary for e in staff), max(staff, key=lambda e: e.salary).name)
print(type(p).__name__, tuple(p), list(staff[0]))
try:
    p.x = 10
except AttributeError:
    print("immutable")
