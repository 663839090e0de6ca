# String building: formatting, concatenation, join, split, replace, slicing, methods.
# expected output: strings 844379844
N = 1000


def build(n):
    parts = []
    for i in range(n):
        word = "item%d" % i
        line = "{}:{}:{}".format(word, i * 7 % 13, word.upper())
        parts.append(line + "," + str(i & 255))
    return "\n".join(parts)


def digest(text):
    acc = 0
    for line in text.split("\n"):
        fields = line.split(":")
        key = fields[0].replace("item", "k")
        acc = (acc * 31 + len(key) + int(fields[1]) + len(fields[2].lower())) % 1000000007
        if line.startswith("item1") and line.endswith("5"):
            acc ^= line.find(":")
    return acc


total = 0
for r in range(3):
    text = build(N + r)
    s = ""
    for ch in text[:2000]:
        s += ch
    total = (total + digest(text) + len(s) + text.count("item")) % 1000000007
print("strings", total)
