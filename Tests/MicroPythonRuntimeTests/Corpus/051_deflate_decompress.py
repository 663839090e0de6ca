import deflate, io
# Streams made with CPython's zlib/gzip (the guest can only decompress).
text = b"sandpiper " * 50 + b"the end"
zlib_stream = bytes.fromhex("78da2b4ecc4b29c82c482d52281e658d10564946aa426a5e0a006741c585")
raw_stream = bytes.fromhex("2b4ecc4b29c82c482d52281e658d10564946aa426a5e0a00")
gzip_stream = bytes.fromhex("1f8b08000000000002034bafca2c502848acccc94f4cb1526060646266616563e7e0e4e2e6e1e5e3171014121611151397909492969195930700b07ecc742e000000")
for name, fmt, stream in [("zlib", deflate.ZLIB, zlib_stream), ("raw", deflate.RAW, raw_stream)]:
    out = deflate.DeflateIO(io.BytesIO(stream), fmt).read()
    print(name, len(stream), len(out), out == text)
auto = deflate.DeflateIO(io.BytesIO(zlib_stream), deflate.AUTO).read()
print("auto", auto == text)
g = deflate.DeflateIO(io.BytesIO(gzip_stream), deflate.GZIP)
print(g.read(5), g.read())
d = deflate.DeflateIO(io.BytesIO(zlib_stream), deflate.ZLIB)
chunks = []
while True:
    c = d.read(64)
    if not c:
        break
    chunks.append(len(c))
print(chunks, sum(chunks))
try:
    deflate.DeflateIO(io.BytesIO(b"not a zlib stream"), deflate.ZLIB).read()
    print("no error")
except OSError as e:
    print("OSError")
