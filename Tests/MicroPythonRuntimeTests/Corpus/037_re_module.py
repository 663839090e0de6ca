import re
m = re.match(r"(\w+)@(\w+)\.com", "alice@example.com")
print(m.group(0), m.group(1), m.group(2))
print(re.match(r"\d+", "abc123"), re.search(r"\d+", "abc123").group(0))
date = re.compile(r"(\d\d\d\d)-(\d\d)-(\d\d)")
m = date.search("today is 2024-06-15, ok")
print(m.group(1), m.group(2), m.group(3))
print(re.sub(r"\s+", " ", "too    many   spaces  here"))
print(re.sub(r"(\w+)=(\w+)", r"\2=\1", "a=1 b=2"))
print(re.sub(r"\d", lambda m: str(int(m.group(0)) * 2), "a1b2c3"))
print(re.compile(r"[,;]\s*").split("a, b;c ,d"))
print(re.compile(r"\s").split("x y  z"))
words = re.compile(r"[A-Za-z]+")
text = "Hello, World! It's 2024."
pos = 0
found = []
while True:
    m = words.search(text[pos:])
    if not m:
        break
    found.append(m.group(0))
    pos += text[pos:].find(m.group(0)) + len(m.group(0))
print(found)
print(bool(re.match(r"^[a-z]+$", "lowercase")), bool(re.match(r"^[a-z]+$", "Mixed")))
print(re.match(r"a|b|c", "cat").group(0), re.match(r"(ab)*", "ababx").group(0))
print(re.search(r"colou?r", "my favourite color").group(0))
print(re.match(r".*?(\d)", "abc7def8").group(1), re.match(r".*(\d)", "abc7def8").group(1))
ip = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.(\d+)$")
for s in ["192.168.0.1", "1.2.3", "10.0.0.256"]:
    m = ip.match(s)
    print(s, bool(m) and all(0 <= int(m.group(i)) <= 255 for i in range(1, 5)))
