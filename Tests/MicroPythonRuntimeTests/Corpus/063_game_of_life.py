def step(live, w, h):
    counts = {}
    for (x, y) in live:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    p = ((x + dx) % w, (y + dy) % h)
                    counts[p] = counts.get(p, 0) + 1
    return {p for p, c in counts.items() if c == 3 or (c == 2 and p in live)}

def show(live, w, h):
    for y in range(h):
        print("".join("#" if (x, y) in live else "." for x in range(w)))

glider = {(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)}
w, h = 8, 8
g = glider
for gen in range(4):
    g = step(g, w, h)
show(g, w, h)
print(sorted(g))
g = glider
for gen in range(32):
    g = step(g, w, h)
print("after 32:", sorted(g) == sorted(glider))
blinker = {(1, 0), (1, 1), (1, 2)}
print(sorted(step(blinker, 5, 5)), sorted(step(step(blinker, 5, 5), 5, 5)) == sorted(blinker))
rpent = {(10, 9), (11, 9), (9, 10), (10, 10), (10, 11)}
pop = []
g = rpent
for i in range(60):
    g = step(g, 24, 24)
    pop.append(len(g))
print(pop)
