PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}

def check(s):
    stack = []
    for i, ch in enumerate(s):
        if ch in "([{<":
            stack.append((ch, i))
        elif ch in PAIRS:
            if not stack:
                return "unmatched %s at %d" % (ch, i)
            top, j = stack.pop()
            if top != PAIRS[ch]:
                return "mismatch %s at %d vs %s at %d" % (top, j, ch, i)
    if stack:
        return "unclosed %s at %d" % stack[-1]
    return "ok"

tests = ["", "()", "([]{})", "(((", "())", "{[}]", "<a>(b)[c]{d}", "f(x[0], {y: (z)})", "]["]
for t in tests:
    print(repr(t), check(t))

def max_depth(s):
    d = m = 0
    for ch in s:
        if ch == "(":
            d += 1
            m = max(m, d)
        elif ch == ")":
            d -= 1
    return m

print(max_depth("(a(b(c)d)(e))"), max_depth("no parens"))

def gen_balanced(n):
    out = []
    def go(s, o, c):
        if len(s) == 2 * n:
            out.append(s)
            return
        if o < n:
            go(s + "(", o + 1, c)
        if c < o:
            go(s + ")", o, c + 1)
    go("", 0, 0)
    return out

print(gen_balanced(3))
print([len(gen_balanced(k)) for k in range(1, 9)])
print(all(check(s) == "ok" for s in gen_balanced(6)))
