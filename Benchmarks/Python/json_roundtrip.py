# json round trip: build nested documents, json.dumps, json.loads, compare.
# expected output: json 174512 4
import json

N = 200


def document(i):
    return {
        "id": i,
        "title": "note %d" % i,
        "tags": ["t%d" % (i % 7), "t%d" % (i % 11), "shared"],
        "done": i % 3 == 0,
        "score": None if i % 5 == 0 else i * 37 % 1000,
        "meta": {"author": "user%d" % (i % 13), "rev": i % 4, "path": ["a", "b", str(i)]},
    }


docs = [document(i) for i in range(N)]
length = 0
same = 0
for r in range(4):
    text = json.dumps(docs)
    back = json.loads(text)
    length += len(text)
    if back == docs:
        same += 1
    for d in back:
        length += len(json.dumps(d["meta"])) + len(d["tags"])
print("json", length, same)
