import hashlib, binascii
def hexdigest(data):
    return binascii.hexlify(hashlib.sha256(data).digest()).decode()
print(hexdigest(b""))
print(hexdigest(b"abc"))
print(hexdigest(b"The quick brown fox jumps over the lazy dog"))
h = hashlib.sha256()
for chunk in [b"The quick ", b"brown fox ", b"jumps over the lazy dog"]:
    h.update(chunk)
print(binascii.hexlify(h.digest()).decode())
print(hexdigest(b"a" * 1000))
print(len(hashlib.sha256(b"x").digest()))
chain = b"seed"
for _ in range(100):
    chain = hashlib.sha256(chain).digest()
print(binascii.hexlify(chain).decode())
