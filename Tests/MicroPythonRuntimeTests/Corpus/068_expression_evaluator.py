
def tokens(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            out.append(s[i:j])
            i = j
        elif c.isalpha():
            j = i
            while j < len(s) and s[j].isalpha():
                j += 1
            out.append(s[i:j])
            i = j
        elif s[i:i + 2] == "**":
            out.append("**")
            i += 2
        else:
            out.append(c)
            i += 1
    return out

class Calc:
    def __init__(self, text, env):
        self.t = tokens(text)
        self.p = 0
        self.env = env
    def peek(self):
        return self.t[self.p] if self.p < len(self.t) else None
    def take(self):
        v = self.t[self.p]
        self.p += 1
        return v
    def expr(self):
        v = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            r = self.term()
            v = v + r if op == "+" else v - r
        return v
    def term(self):
        v = self.power()
        while self.peek() in ("*", "/", "%"):
            op = self.take()
            r = self.power()
            v = v * r if op == "*" else (v / r if op == "/" else v % r)
        return v
    def power(self):
        b = self.unary()
        if self.peek() == "**":
            self.take()
            return b ** self.power()
        return b
    def unary(self):
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.atom()
    def atom(self):
        t = self.take()
        if t == "(":
            v = self.expr()
            self.take()
            return v
        if t[0].isdigit() or t[0] == ".":
            return float(t) if "." in t else int(t)
        if self.peek() == "(":
            self.take()
            arg = self.expr()
            self.take()
            return self.env[t](arg)
        return self.env[t]

env = {"x": 3, "y": 4, "abs": abs, "sq": lambda v: v * v, "neg": lambda v: -v}
for e in ["1 + 2 * 3", "(1 + 2) * 3", "2 ** 3 ** 2", "-2 ** 2", "10 / 4", "17 % 5",
          "x * x + y * y", "sq(x + y) - abs(neg(7))", "1.5 * (2 - -2)", "2 ** 100 - 1"]:
    print(e, "=", Calc(e, env).expr())
