def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

print(fact(30))
print(fact(50))
print(2 ** 200)
print(2 ** 100 - 3 ** 60)
a = 123456789012345678901234567890
b = 987654321098765432109876543210
print(a * b)
print(b // a, b % a)
print(-b // a, -b % a)
print(a ** 3)
print(hex(2 ** 100), oct(2 ** 70), bin(2 ** 40 + 1))
print((2 ** 100) >> 37, (2 ** 100 + 12345) & 0xFFFF, (1 << 90) | 1)
print(pow(12345678901234567890, 65537, 10 ** 30 + 57))
print(int("123456789123456789123456789") * 2)
print(str(7 ** 77)[:20], len(str(7 ** 77)))
print(2 ** 64 == 18446744073709551616, 2 ** 64 > 2 ** 63, -(2 ** 70) < 0)
fib = [0, 1]
while len(fib) < 150:
    fib.append(fib[-1] + fib[-2])
print(fib[149])
print(sum(fib) % 1000000007)
print(abs(-(10 ** 40)), divmod(10 ** 40 + 7, 10 ** 20))
