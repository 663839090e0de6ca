TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness,
it was the spring of hope, it was the winter of despair, we had everything
before us, we had nothing before us, we were all going direct to Heaven, we were
all going direct the other way."""

def words(text):
    out, cur = [], []
    for ch in text.lower():
        if ch.isalpha():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out

ws = words(TEXT)
print(len(ws), len(set(ws)))
freq = {}
for w in ws:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
for w, n in top:
    print("%-8s %3d %s" % (w, n, "*" * n))
by_len = {}
for w in set(ws):
    by_len.setdefault(len(w), []).append(w)
for n in sorted(by_len):
    print(n, sorted(by_len[n]))
bigrams = {}
for a, b in zip(ws, ws[1:]):
    bigrams[(a, b)] = bigrams.get((a, b), 0) + 1
print(sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
letters = {}
for ch in TEXT.lower():
    if ch.isalpha():
        letters[ch] = letters.get(ch, 0) + 1
print("".join(k for k, v in sorted(letters.items(), key=lambda kv: (-kv[1], kv[0]))))
lines = TEXT.split("\n")
print([len(l) for l in lines], max(lines, key=len)[:20])
