# expected: native
# GC-heavy: json.dumps/json.loads of nested structures in a loop, with an
# explicit gc.collect() every 50 rounds.
import gc
import json

def main():
    check = 0
    for r in range(250):
        doc = {"id": r, "tags": ["t%d" % (i % 11) for i in range(20)],
               "items": [{"n": i, "v": [i, i * r, str(i)]} for i in range(15)]}
        text = json.dumps(doc)
        back = json.loads(text)
        check = (check * 7 + len(text) + back["items"][-1]["v"][1]) % 1000000007
        assert back["id"] == r
        if r % 50 == 49:
            gc.collect()
    print("check", check)
    print(len(text), sorted(back)[:3])

main()
