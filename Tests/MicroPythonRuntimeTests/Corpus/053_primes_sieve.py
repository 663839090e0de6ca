def sieve(n):
    is_p = bytearray(n + 1)
    for i in range(n + 1):
        is_p[i] = 1
    is_p[0] = is_p[1] = 0
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = 0
        i += 1
    return [i for i in range(n + 1) if is_p[i]]

ps = sieve(20000)
print(len(ps), ps[:15], ps[-3:])
print(sum(ps))
twins = [(p, p + 2) for p, q in zip(ps, ps[1:]) if q == p + 2]
print(len(twins), twins[:5], twins[-1])
gaps = {}
for p, q in zip(ps, ps[1:]):
    gaps[q - p] = gaps.get(q - p, 0) + 1
print(sorted(gaps.items())[:8], max(gaps))
def factorize(n):
    f = []
    for p in ps:
        if p * p > n:
            break
        while n % p == 0:
            f.append(p)
            n //= p
    if n > 1:
        f.append(n)
    return f
for n in [360, 9973, 123456789, 2 ** 31 - 1, 600851475143]:
    print(n, factorize(n))
