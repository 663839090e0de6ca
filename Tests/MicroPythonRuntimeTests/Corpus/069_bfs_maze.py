MAZE = """
###############
#S..#.........#
#.#.#.#####.#.#
#.#...#...#.#.#
#.#####.#.#.#.#
#.....#.#...#.#
#####.#.#####.#
#.....#.....#E#
###############
""".strip().split("\n")

def find(ch):
    for r, row in enumerate(MAZE):
        c = row.find(ch)
        if c >= 0:
            return (r, c)

start, end = find("S"), find("E")
prev = {start: None}
queue = [start]
head = 0
while head < len(queue):
    cur = queue[head]
    head += 1
    if cur == end:
        break
    r, c = cur
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if MAZE[nr][nc] != "#" and (nr, nc) not in prev:
            prev[(nr, nc)] = cur
            queue.append((nr, nc))

path = []
p = end
while p:
    path.append(p)
    p = prev[p]
path.reverse()
print("steps", len(path) - 1, "explored", len(prev))
grid = [list(row) for row in MAZE]
for r, c in path[1:-1]:
    grid[r][c] = "*"
for row in grid:
    print("".join(row))

def flood_regions(rows):
    seen = set()
    sizes = []
    for r in range(len(rows)):
        for c in range(len(rows[0])):
            if rows[r][c] == "." and (r, c) not in seen:
                stack = [(r, c)]
                seen.add((r, c))
                n = 0
                while stack:
                    y, x = stack.pop()
                    n += 1
                    for yy, xx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                        if 0 <= yy < len(rows) and 0 <= xx < len(rows[0]) and rows[yy][xx] == "." and (yy, xx) not in seen:
                            seen.add((yy, xx))
                            stack.append((yy, xx))
                sizes.append(n)
    return sizes

print(flood_regions(["..#..", ".##..", "#..#.", "..###", "#...."]))
