def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]

pairs = [("kitten", "sitting"), ("flaw", "lawn"), ("", "abc"), ("same", "same"),
         ("intention", "execution"), ("sandpiper", "sandpaper"), ("abc", "")]
for a, b in pairs:
    print(a, b, lev(a, b))

def lcs(a, b):
    m = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a)):
        for j in range(len(b)):
            m[i + 1][j + 1] = m[i][j] + 1 if a[i] == b[j] else max(m[i][j + 1], m[i + 1][j])
    out = []
    i, j = len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1]); i -= 1; j -= 1
        elif m[i - 1][j] >= m[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(reversed(out))

print(lcs("AGGTAB", "GXTXAYB"), lcs("ABCBDAB", "BDCABA"))
words = ["apple", "apply", "ample", "maple", "angle", "apples", "happy"]
target = "appel"
print(sorted(words, key=lambda w: (lev(w, target), w)))
