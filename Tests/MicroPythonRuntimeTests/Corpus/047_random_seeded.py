import random
random.seed(12345)
print([random.getrandbits(8) for _ in range(10)])
print([random.randrange(100) for _ in range(10)])
print([random.randint(1, 6) for _ in range(10)])
print([random.choice("abcdef") for _ in range(10)])
print([round(random.random(), 6) for _ in range(5)])
print([round(random.uniform(-1, 1), 6) for _ in range(5)])
random.seed(7)
a = [random.getrandbits(16) for _ in range(5)]
random.seed(7)
b = [random.getrandbits(16) for _ in range(5)]
print(a == b, a)
random.seed(99)
deck = list(range(10))
for i in range(len(deck) - 1, 0, -1):
    j = random.randrange(i + 1)
    deck[i], deck[j] = deck[j], deck[i]
print(deck, sorted(deck) == list(range(10)))
random.seed(2024)
inside = 0
for _ in range(2000):
    x, y = random.random(), random.random()
    if x * x + y * y <= 1:
        inside += 1
print(inside, 4 * inside / 2000)
