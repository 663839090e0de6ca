# expected: native
# GC-heavy: big integers stored as dict values and keys, updated in a loop.
def main():
    table = {}
    seed = 12345
    for r in range(40000):
        seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        k = "k%d" % (seed % 1009)
        table[k] = table.get(k, 0) + seed
    big_keys = {}
    for i in range(2000):
        big_keys[(1 << 70) + i * 1000003] = i
    total = sum(table.values())
    print(len(table), total % 1000000007, len(bin(total)) - 2)
    print(len(big_keys), big_keys[(1 << 70) + 1999 * 1000003], sum(big_keys) % 999999937)
    print(max(table.values()) % 1000003, min(table.values()) % 1000003)

main()
