class Countdown:
    def __init__(self, start):
        self.current = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1

print(list(Countdown(5)))

class Range2D:
    def __init__(self, w, h):
        self.w, self.h = w, h
    def __iter__(self):
        for y in range(self.h):
            for x in range(self.w):
                yield (x, y)

print(list(Range2D(3, 2)))

it = iter([10, 20, 30])
print(next(it))
for v in it:
    print("rest", v)

print(list(zip([1, 2, 3], "abcd", (True, False, None))))
print(list(enumerate(["x", "y"], start=5)))
print(list(map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
r = range(2, 20, 3)
print(len(r), r[2], r[-1], 11 in r, 12 in r, list(r))
print(list(reversed(range(5))), sum(range(0, 100, 7)))

class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError
        return i * 10

print(list(Seq()))

def chunked(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]

print(list(chunked(list(range(10)), 3)))

def window(seq, n):
    it = iter(seq)
    win = []
    for v in it:
        win.append(v)
        if len(win) > n:
            win.pop(0)
        if len(win) == n:
            yield tuple(win)

print(list(window("abcde", 3)))
print(sorted(iter({3, 1, 2})), min(iter([4, 2, 8])), "".join(iter("xyz")))
