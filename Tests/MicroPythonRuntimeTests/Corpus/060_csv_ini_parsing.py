CSV = '''name,age,city,score
"Smith, John",42,Boston,88.5
Jane Doe,35,"New York",92
"Quote ""Q"" Man",29,Austin,75.25
,0,,0'''

def parse_csv_line(line):
    fields, cur, inq, i = [], [], False, 0
    while i < len(line):
        ch = line[i]
        if inq:
            if ch == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    cur.append('"')
                    i += 1
                else:
                    inq = False
            else:
                cur.append(ch)
        elif ch == '"':
            inq = True
        elif ch == ",":
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    fields.append("".join(cur))
    return fields

lines = CSV.split("\n")
header = parse_csv_line(lines[0])
rows = [dict(zip(header, parse_csv_line(l))) for l in lines[1:]]
for r in rows:
    print([r[h] for h in header])
print(sum(float(r["score"]) for r in rows), max(rows, key=lambda r: int(r["age"]))["name"])

INI = """
; comment
[server]
host = example.org
port = 8080

[paths]
root=/var/www
logs = /var/log  
# another comment
[empty]
"""

def parse_ini(text):
    out, section = {}, None
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out[section] = {}
        elif "=" in line:
            k, v = line.split("=", 1)
            out[section][k.strip()] = v.strip()
    return out

cfg = parse_ini(INI)
for sec in sorted(cfg):
    print(sec, sorted(cfg[sec].items()))
print(int(cfg["server"]["port"]) + 1)

def parse_kv(s):
    return {k: v for k, v in (p.split(":", 1) for p in s.split(";") if p)}
print(sorted(parse_kv("a:1;b:two;c:3:4;").items()))
