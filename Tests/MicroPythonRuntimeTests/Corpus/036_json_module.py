import json
data = {"name": "sandpiper", "version": [1, 2, 3], "stable": False, "extra": None, "ratio": 0.5}
s = json.dumps(data)
back = json.loads(s)
print(back == data, sorted(back), back["version"], back["stable"], back["extra"])
print(json.dumps([1, "two", 3.5, True, None, [], {}]))
print(json.dumps("quote\" backslash\\ newline\n tab\t unicode é"))
print(json.loads('"\\u00e9\\n\\t\\"x\\""'))
print(json.loads("[1, 2.5, -3e2, true, false, null]"))
print(json.loads('  { "a" : [ { "b" : 1 } ] }  ')["a"][0]["b"])
print(json.dumps({"k": 1}), json.dumps({"k": [1, 2]}, separators=(",", ":")))
print(json.dumps([{"a": 1}, {"b": [2, 3]}], separators=(", ", ": ")))
for bad in ["[1, 2", "{'a': 1}", "tru", "[1,]"]:
    try:
        json.loads(bad)
        print("parsed", bad)
    except ValueError:
        print("ValueError", bad)
big = json.loads("12345678901234567890123")
print(big, type(big).__name__)
print(json.dumps(2 ** 70), json.dumps(-0.25), json.dumps(1e20))
import io
buf = io.StringIO()
json.dump({"x": [1, 2]}, buf)
print(buf.getvalue())
print(json.load(io.StringIO('{"y": "z"}')))
nested = json.loads(json.dumps([[[[["deep"]]]]]))
print(nested[0][0][0][0][0])
