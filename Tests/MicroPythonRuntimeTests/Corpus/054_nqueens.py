def solve(n):
    cols = [0] * n
    solutions = []
    def place(row, used_cols, d1, d2):
        if row == n:
            solutions.append(cols[:])
            return
        for c in range(n):
            if c in used_cols or (row + c) in d1 or (row - c) in d2:
                continue
            cols[row] = c
            used_cols.add(c); d1.add(row + c); d2.add(row - c)
            place(row + 1, used_cols, d1, d2)
            used_cols.discard(c); d1.discard(row + c); d2.discard(row - c)
    place(0, set(), set(), set())
    return solutions

for n in range(1, 9):
    print(n, len(solve(n)))
first = solve(8)[0]
print(first)
for r in range(8):
    print("".join("Q" if first[r] == c else "." for c in range(8)))
