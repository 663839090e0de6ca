import binascii
data = b"Sandpiper \x00\x01\xfe\xff"
h = binascii.hexlify(data)
print(h, binascii.unhexlify(h) == data)
print(binascii.hexlify(b"abc"), binascii.unhexlify("4142"))
b64 = binascii.b2a_base64(b"hello world")
print(b64, binascii.a2b_base64(b64))
for n in range(6):
    s = bytes(range(65, 65 + n))
    e = binascii.b2a_base64(s)
    print(n, e, binascii.a2b_base64(e) == s)
print(binascii.crc32(b"hello"), binascii.crc32(b"world", binascii.crc32(b"hello ")))
try:
    binascii.unhexlify(b"zz")
except ValueError:
    print("ValueError for bad hex")
