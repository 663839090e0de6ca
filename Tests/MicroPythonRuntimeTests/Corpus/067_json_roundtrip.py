import json

def encode(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        out = ['"']
        for ch in v:
            if ch == '"':
                out.append('\\"')
            elif ch == "\\":
                out.append("\\\\")
            elif ch == "\n":
                out.append("\\n")
            elif ord(ch) < 32:
                out.append("\\u%04x" % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(encode(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(encode(k) + ":" + encode(v[k]) for k in sorted(v)) + "}"
    raise TypeError(type(v).__name__)

class Parser:
    def __init__(self, s):
        self.s, self.i = s, 0
    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\n\r":
            self.i += 1
    def value(self):
        self.ws()
        c = self.s[self.i]
        if c == "{":
            self.i += 1
            d = {}
            self.ws()
            if self.s[self.i] == "}":
                self.i += 1
                return d
            while True:
                k = self.value()
                self.ws()
                self.i += 1  # ':'
                d[k] = self.value()
                self.ws()
                c = self.s[self.i]
                self.i += 1
                if c == "}":
                    return d
        if c == "[":
            self.i += 1
            l = []
            self.ws()
            if self.s[self.i] == "]":
                self.i += 1
                return l
            while True:
                l.append(self.value())
                self.ws()
                c = self.s[self.i]
                self.i += 1
                if c == "]":
                    return l
        if c == '"':
            j = self.i + 1
            out = []
            while self.s[j] != '"':
                if self.s[j] == "\\":
                    e = self.s[j + 1]
                    if e == "u":
                        out.append(chr(int(self.s[j + 2:j + 6], 16)))
                        j += 6
                        continue
                    out.append({"n": "\n", "t": "\t"}.get(e, e))
                    j += 2
                else:
                    out.append(self.s[j])
                    j += 1
            self.i = j + 1
            return "".join(out)
        for lit, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(lit, self.i):
                self.i += len(lit)
                return val
        j = self.i
        while j < len(self.s) and self.s[j] in "+-0123456789.eE":
            j += 1
        t = self.s[self.i:j]
        self.i = j
        return float(t) if ("." in t or "e" in t or "E" in t) else int(t)

doc = {"name": "corpus", "items": [1, 2.5, -3, 10 ** 20, True, False, None],
       "nested": {"deep": [[{"x": "y\n\"z\""}]], "empty": {}, "list": []},
       "ctrl": "a\tb\x01"}
mine = encode(doc)
print(mine)
theirs = json.dumps(doc)
print(json.loads(mine) == doc, Parser(theirs).value() == doc, Parser(mine).value() == doc)
print(encode(json.loads(theirs)) == mine)
print(encode(Parser('  [ 1 , {"a" : [ ] } , "\\u0041" , 1e3 ] ').value()))
