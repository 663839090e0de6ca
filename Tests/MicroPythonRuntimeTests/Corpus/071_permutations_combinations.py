def permutations(seq):
    if len(seq) <= 1:
        yield list(seq)
        return
    for i in range(len(seq)):
        for rest in permutations(seq[:i] + seq[i + 1:]):
            yield [seq[i]] + rest

def combinations(seq, k):
    if k == 0:
        yield []
        return
    for i in range(len(seq) - k + 1):
        for rest in combinations(seq[i + 1:], k - 1):
            yield [seq[i]] + rest

def powerset(seq):
    for mask in range(1 << len(seq)):
        yield [seq[i] for i in range(len(seq)) if mask >> i & 1]

print(["".join(p) for p in permutations("abc")])
print(len(list(permutations(list(range(6))))))
print(list(combinations([1, 2, 3, 4], 2)))
print([len(list(combinations(list(range(10)), k))) for k in range(11)])
print(list(powerset("xyz")))
def next_permutation(a):
    a = a[:]
    i = len(a) - 2
    while i >= 0 and a[i] >= a[i + 1]:
        i -= 1
    if i < 0:
        return None
    j = len(a) - 1
    while a[j] <= a[i]:
        j -= 1
    a[i], a[j] = a[j], a[i]
    a[i + 1:] = list(reversed(a[i + 1:]))
    return a
p = [1, 2, 3, 4]
count = 0
while p:
    count += 1
    last = p
    p = next_permutation(p)
print(count, last)
def subset_sums(nums, target):
    return [s for s in powerset(nums) if sum(s) == target]
print(subset_sums([3, 34, 4, 12, 5, 2], 9))
cart = [(a, b) for a in "AB" for b in (1, 2, 3)]
print(cart)
