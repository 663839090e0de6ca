# expected: native
# GC-heavy: bytes and bytearray objects created, sliced and joined.
def main():
    chunks = []
    total = 0
    for i in range(40000):
        b = bytes([(i + k) & 255 for k in range(i % 16 + 1)])
        ba = bytearray(b)
        ba.append(i & 255)
        total = (total + sum(ba[-3:]) + len(b)) % 1000003
        chunks.append(b[:2])
        if len(chunks) > 200:
            blob = b"".join(chunks)
            total = (total + len(blob) + blob[-1]) % 1000003
            chunks = []
    print("total", total)
    data = bytearray()
    for i in range(5000):
        data.extend(str(i).encode() + b",")
    print(len(data), bytes(data[:20]), bytes(data[-10:]))

main()
