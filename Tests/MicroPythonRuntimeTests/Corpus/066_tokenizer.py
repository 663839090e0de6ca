KEYWORDS = {"let", "if", "else", "while", "print"}

def tokenize(src):
    toks, i, line = [], 0, 1
    while i < len(src):
        ch = src[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch in " \t":
            i += 1
        elif ch == "#":
            while i < len(src) and src[i] != "\n":
                i += 1
        elif ch.isdigit():
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            text = src[i:j]
            toks.append(("NUM", float(text) if "." in text else int(text), line))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < len(src) and (src[j].isalpha() or src[j].isdigit() or src[j] == "_"):
                j += 1
            word = src[i:j]
            toks.append(("KW" if word in KEYWORDS else "ID", word, line))
            i = j
        elif ch == '"':
            j = i + 1
            buf = []
            while src[j] != '"':
                if src[j] == "\\":
                    j += 1
                    buf.append({"n": "\n", "t": "\t"}.get(src[j], src[j]))
                else:
                    buf.append(src[j])
                j += 1
            toks.append(("STR", "".join(buf), line))
            i = j + 1
        elif src[i:i + 2] in ("==", "!=", "<=", ">=", "&&", "||"):
            toks.append(("OP", src[i:i + 2], line))
            i += 2
        elif ch in "+-*/%=<>(){};,!":
            toks.append(("OP", ch, line))
            i += 1
        else:
            raise ValueError("bad char %r at line %d" % (ch, line))
    return toks

SRC = '''let x = 42;   # the answer
let name_2 = "a \\"quoted\\" str\\n";
while (x >= 10 && x != 13) { x = x - 3.5; }
if (x == 0) print(x) else print(name_2, -1);
'''
toks = tokenize(SRC)
for t in toks:
    print(t)
counts = {}
for kind, _, _ in toks:
    counts[kind] = counts.get(kind, 0) + 1
print(sorted(counts.items()))
try:
    tokenize("let y = 3 @ 4;")
except ValueError as e:
    print("error:", e)
