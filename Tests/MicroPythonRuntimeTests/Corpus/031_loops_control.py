for i in range(3):
    for j in range(3):
        if j == i:
            continue
        if i + j > 3:
            break
        print(i, j, end="; ")
print()

def find(items, target):
    for i, v in enumerate(items):
        if v == target:
            print("found at", i)
            break
    else:
        print("not found")

find([4, 5, 6], 5)
find([4, 5, 6], 9)

n = 27
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
print("collatz 27 steps:", steps)

i = 0
while True:
    i += 1
    if i % 2:
        continue
    if i > 10:
        break
    print(i, end=" ")
print()

total = 0
for row in [[1, 2], [3], [], [4, 5, 6]]:
    for v in row:
        total += v
print(total)

pairs = []
for a in range(1, 20):
    for b in range(a, 20):
        c2 = a * a + b * b
        c = int(c2 ** 0.5)
        if c * c == c2 and c < 20:
            pairs.append((a, b, c))
print(pairs)
count = 0
for _ in range(1000):
    count += 1
print(count)
