def bisect_left(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo

def bisect_right(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo

def search(a, x):
    i = bisect_left(a, x)
    return i if i < len(a) and a[i] == x else -1

a = [1, 3, 3, 3, 5, 8, 13, 21, 34]
for x in [0, 1, 3, 4, 34, 35]:
    print(x, bisect_left(a, x), bisect_right(a, x), search(a, x))
big = list(range(0, 100000, 7))
print(search(big, 69993), search(big, 69994), bisect_left(big, 50000))
def isqrt(n):
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo
print([isqrt(n) for n in [0, 1, 15, 16, 17, 10 ** 12, 10 ** 30 + 1]])
def first_true(lo, hi, pred):
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo
print(first_true(0, 1000, lambda n: n * n * n >= 12345))
