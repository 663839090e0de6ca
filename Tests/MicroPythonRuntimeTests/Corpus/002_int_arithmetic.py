a, b = 17, 5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** b)
print(-a // b, -a % b, a // -b, a % -b)
print(divmod(a, b), divmod(-a, b))
print(abs(-42), pow(3, 4), pow(3, 4, 5), pow(2, 100, 97))
print(7 & 3, 7 | 8, 7 ^ 2, ~7, 1 << 10, 1024 >> 3, -1024 >> 3)
x = 0
for i in range(1, 101):
    x += i * i
print("sum of squares", x)
print(max(3, 9, 2), min(3, 9, 2), sum(range(10)))
print(round(7 / 2), round(5 / 2), round(-2.5), round(1234, -2))
print(int("123") + int("-77"), int("  42  "), int("ff", 16), int("0b1011", 0), int("777", 8))
print(bool(0), bool(3), True + True, True * 10)
print(2 ** 30, 2 ** 31 - 1, -(2 ** 31))
n = 1
for i in range(20):
    n = n * 3 + 1
print(n)
