nums = [5, -3, 8, 0, -1, 12, 7]
print(list(map(lambda x: x * 2, nums)))
print(list(filter(lambda x: x > 0, nums)))
print(list(filter(None, nums)))
print(sorted(nums), sorted(nums, key=abs), sorted(nums, key=lambda x: -x))
print(list(map(pow, [2, 3, 4], [3, 2, 1])))
people = [("alice", 31, "nyc"), ("bob", 25, "sf"), ("carol", 31, "la"), ("dave", 25, "nyc")]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (p[1], p[0]), reverse=True))
print(sorted(people, key=lambda p: p[2] + p[0]))
print(max(people, key=lambda p: p[1]), min(people, key=lambda p: len(p[0])))
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=lambda w: w.lower()))
people2 = people[:]
people2.sort(key=lambda p: p[0], reverse=True)
print([p[0] for p in people2])
square = lambda x: x * x
print(square(12), (lambda a, b=1: a - b)(10), (lambda *a: len(a))(1, 2, 3))
print(list(zip(*[(1, "a"), (2, "b")])))
print(list(enumerate("abc", 1)))
def reduce(fn, seq, init):
    acc = init
    for x in seq:
        acc = fn(acc, x)
    return acc
print(reduce(lambda a, b: a * b, range(1, 8), 1))
by_first = sorted([(1, "b"), (0, "z"), (1, "a"), (0, "y")], key=lambda t: t[0])
print(by_first)
