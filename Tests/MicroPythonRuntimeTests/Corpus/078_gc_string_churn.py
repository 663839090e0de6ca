# expected: native
# GC-heavy: lots of temporary strings from concatenation, formatting, split and join.
def main():
    acc = 0
    longest = ""
    for i in range(25000):
        s = "item-" + str(i) + "-" + ("x" * (i % 13))
        parts = s.split("-")
        joined = "/".join(reversed(parts))
        f = "%s|%05d|%s" % (parts[0].upper(), i, joined)
        acc = (acc + len(f) * 7 + ord(f[-1])) % 999983
        if len(f) > len(longest):
            longest = f
    print("acc", acc)
    print("longest", longest)
    words = []
    for i in range(3000):
        words.append("w%d" % (i * 7919 % 3001))
    text = " ".join(words)
    print(len(text), text[:40])
    print(len(set(text.split())))

main()
