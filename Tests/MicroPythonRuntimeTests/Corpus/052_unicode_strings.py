s = "héllo wörld ★ 日本語"
print(s, len(s), len(s.encode("utf-8")))
print(s[1], s[-1], s[12:], s.upper())
print([ord(c) for c in "aé★"], chr(9733), "\u2603", "\U0001F600" == chr(0x1F600))
print("日本" + "語" == "日本語", "本" in s, s.find("★"), s.split(" "))
b = "ünïcödé".encode()
print(b, b.decode(), len(b))
print("é".upper(), "%s|%5s|" % ("é", "ü"))
print(repr("é"), repr("\x00\x7f"), "tab\there")
for ch in "añ€":
    print(ch, ord(ch), ch.encode())
print("".join(reversed("åbc")), sorted("čab"))
try:
    b"\xff\xfe".decode("utf-8")
    print("decoded invalid bytes")
except UnicodeError:
    print("UnicodeError")
