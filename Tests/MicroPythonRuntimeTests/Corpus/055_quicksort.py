def quicksort(a):
    if len(a) <= 1:
        return a
    pivot = a[len(a) // 2]
    return quicksort([x for x in a if x < pivot]) + [x for x in a if x == pivot] + quicksort([x for x in a if x > pivot])

def quicksort_inplace(a, lo=0, hi=None):
    if hi is None:
        hi = len(a) - 1
    while lo < hi:
        p = a[(lo + hi) // 2]
        i, j = lo, hi
        while i <= j:
            while a[i] < p:
                i += 1
            while a[j] > p:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if j - lo < hi - i:
            quicksort_inplace(a, lo, j)
            lo = i
        else:
            quicksort_inplace(a, i, hi)
            hi = j
    return a

def lcg(seed):
    while True:
        seed = (seed * 1103515245 + 12345) % 2147483648
        yield seed

g = lcg(42)
data = [next(g) % 1000 for _ in range(500)]
s1 = quicksort(data)
s2 = quicksort_inplace(data[:])
print(s1 == s2 == sorted(data), s1[:10], s1[-5:])
print(quicksort([]), quicksort([1]), quicksort([3, 3, 3]), quicksort(list("sandpiper")))
def merge_sort(a):
    if len(a) <= 1:
        return a
    m = len(a) // 2
    l, r = merge_sort(a[:m]), merge_sort(a[m:])
    out = []
    i = j = 0
    while i < len(l) and j < len(r):
        if l[i] <= r[j]:
            out.append(l[i]); i += 1
        else:
            out.append(r[j]); j += 1
    return out + l[i:] + r[j:]
print(merge_sort(data) == s1, merge_sort([5, -1, 3]))
def insertion_sort(a):
    a = a[:]
    for i in range(1, len(a)):
        k = a[i]
        j = i - 1
        while j >= 0 and a[j] > k:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = k
    return a
print(insertion_sort(data[:50]) == sorted(data[:50]))
