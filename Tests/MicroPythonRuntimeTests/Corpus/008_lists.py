a = [5, 3, 8, 1]
a.append(7)
a.insert(0, 10)
a.extend([2, 2])
print(a, len(a))
print(a.pop(), a.pop(0), a)
a.remove(2)
print(a, a.index(8), a.count(1))
a.sort()
print(a)
a.reverse()
print(a)
print(sorted(a, reverse=True), a[::-1], a[::2])
b = a.copy()
b[0] = 99
print(a[0], b[0])
m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m)
print([1, 2] + [3], [0] * 4, 3 in [1, 2, 3], [1, 2] == [1, 2], [1, 2] < [1, 3])
del a[1]
print(a)
del a[1:3]
print(a)
a[1:1] = [100, 200]
print(a)
a.clear()
print(a, bool(a))
nested = [1, [2, [3, [4]]]]
def flatten(x):
    out = []
    for e in x:
        if isinstance(e, list):
            out.extend(flatten(e))
        else:
            out.append(e)
    return out
print(flatten(nested))
print(list(range(10, 0, -3)), list(reversed([1, 2, 3])))
stack = []
for ch in "abc":
    stack.append(ch)
print(stack.pop(), stack.pop(), stack)
print(max([3, 1, 4, 1, 5, 9, 2, 6]), min([3, 1, 4]), sum([[1], [2]], []))
