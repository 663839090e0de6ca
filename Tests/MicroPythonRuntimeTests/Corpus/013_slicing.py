s = "abcdefghij"
print(s[2:5], s[:3], s[7:], s[-3:], s[:-3], s[:], s[100:], s[-100:2])
l = list(range(10))
print(l[::2], l[1::3], l[::-1], l[8:2:-2], l[-1:-4:-1])
l[2:5] = ["x", "y"]
print(l)
l[0:2] = [0] * 2
print(l)
del l[6:]
print(l)
t = tuple(range(6))
print(t[1:4], t[-2:], list(t)[::-2])
b = b"0123456789"
print(b[3:6], b[-2:])
print(s[1:8], l[0:2])
grid = [[r * 10 + c for c in range(5)] for r in range(4)]
print([row[1:3] for row in grid[1:3]])
print("".join(reversed(s)), "hello"[1:-1])
a = [1, 2, 3, 4, 5]
a[1:4] = []
print(a)
a[len(a):] = [6, 7]
print(a)
print(list(range(20))[5:15:4])
