for n in [0, 1, 255, -255, 65535, 123456789]:
    print(n, hex(n), oct(n), bin(n))
print(int("1010", 2), int("zz", 36), int("-7f", 16), int("0x1F", 16), int("0o17", 0))
print(int(3.9), int(-3.9), int(True), int("  -8 "))
print(float(7), str(12) + "3", int("9" * 20) + 1)
print((255).to_bytes(2, "big"), int.from_bytes(b"\xff\xfe", "big"), int.from_bytes(b"\xff\xfe", "little"))
print(ord("€"), chr(8364), ord("\n"), chr(0x41))
print("{:b} {:o} {:x} {:X}".format(10, 10, 254, 254))
def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = []
    neg = n < 0
    n = abs(n)
    while n:
        n, r = divmod(n, b)
        out.append(digits[r])
    return ("-" if neg else "") + "".join(reversed(out))
for b in [2, 3, 7, 16, 36]:
    print(b, to_base(2024, b), to_base(-99, b), int(to_base(10 ** 25, b), b) == 10 ** 25)
try:
    int("12x")
except ValueError:
    print("ValueError")
print(bool(""), bool("0"), bool([]), bool([0]), bool(None), bool(0.0))
print(str(True), repr(None), list("abc"), tuple([1]), set([1, 1]))
