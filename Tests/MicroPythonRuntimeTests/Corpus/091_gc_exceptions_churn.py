# expected: native
# GC-heavy: many exceptions raised and caught, carrying allocated payloads,
# with gc.threshold so that collections happen during the loop.
import gc
gc.threshold(512 * 1024)

class Failure(Exception):
    def __init__(self, code, detail):
        super().__init__(code)
        self.code = code
        self.detail = detail

def risky(i):
    if i % 3 == 0:
        raise Failure(i % 17, ["d%d" % i] * 4)
    if i % 5 == 0:
        raise KeyError("k" + str(i))
    return [i] * 3

def main():
    codes = {}
    keyerrs = 0
    ok = 0
    for i in range(20000):
        try:
            ok += len(risky(i))
        except Failure as f:
            codes[f.code] = codes.get(f.code, 0) + len(f.detail)
        except KeyError:
            keyerrs += 1
    print(ok, keyerrs, sorted(codes.items())[:5], sum(codes.values()))

main()
