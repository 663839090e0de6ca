print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 >= 2, 1 == 1.0, "a" < "b" < "c")
print(None is None, [] is [], [] == [], (1, [2]) == (1, [2]))
print(0 or "default", "" or None, 1 and 2, 0 and 1, not 0, not "x")
x = None
print(x if x is not None else "fallback")
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c)
print(min("b", "a"), max([1, 2], [1, 3]), "abc" < "abd", "Z" < "a", (1, 2) < (1, 2, 0))
def classify(n):
    if n < 0:
        return "neg"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "big"
print([classify(n) for n in [-5, 0, 3, 99]])
calls = []
def t(v):
    calls.append(v)
    return v
r = t(0) and t(1)
r2 = t(2) or t(3)
print(r, r2, calls)
print(all([]), any([]), all([1, "a", [0]]), any([0, "", None]))
print(True == 1, False == 0, True is True, 3 in (1, 2, 3), "ab" in "cabd")
print(1 if 0 else 2, "yes" if [0] else "no")
