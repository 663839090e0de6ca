import binascii
ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

def b64encode(data):
    out = []
    for i in range(0, len(data), 3):
        chunk = data[i:i + 3]
        n = 0
        for b in chunk:
            n = n << 8 | b
        n <<= 8 * (3 - len(chunk))
        chars = [ALPHA[(n >> s) & 63] for s in (18, 12, 6, 0)]
        chars = chars[:len(chunk) + 1] + ["="] * (3 - len(chunk))
        out.append("".join(chars))
    return "".join(out)

def b64decode(text):
    vals = [ALPHA.index(c) for c in text if c != "="]
    out = bytearray()
    bits = nbits = 0
    for v in vals:
        bits = bits << 6 | v
        nbits += 6
        if nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 255)
    return bytes(out)

samples = [b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", bytes(range(256))]
for s in samples[:-1]:
    e = b64encode(s)
    print(repr(s), e, b64decode(e) == s)
big = samples[-1]
e = b64encode(big)
print(len(e), e[:32], e[-8:])
print(e == binascii.b2a_base64(big).decode().strip(), b64decode(e) == big)

def rle(s):
    out, i = [], 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append("%d%s" % (j - i, s[i]))
        i = j
    return "".join(out)

def unrle(s):
    out, num = [], ""
    for ch in s:
        if ch.isdigit():
            num += ch
        else:
            out.append(ch * int(num))
            num = ""
    return "".join(out)

for s in ["aaabccddddd", "abc", "", "zzzzzzzzzzzz"]:
    print(repr(s), rle(s), unrle(rle(s)) == s)
