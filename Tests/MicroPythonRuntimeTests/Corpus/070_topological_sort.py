deps = {
    "app": ["lib", "utils", "config"],
    "lib": ["utils", "core"],
    "utils": ["core"],
    "config": [],
    "core": [],
    "tests": ["app", "mock"],
    "mock": ["core"],
}

def kahn(deps):
    indeg = {n: 0 for n in deps}
    users = {n: [] for n in deps}
    for n, ds in deps.items():
        for d in ds:
            indeg[n] += 1
            users[d].append(n)
    ready = sorted(n for n in deps if indeg[n] == 0)
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for u in sorted(users[n]):
            indeg[u] -= 1
            if indeg[u] == 0:
                ready.append(u)
                ready.sort()
    if len(order) != len(deps):
        raise ValueError("cycle")
    return order

print(kahn(deps))

def dfs_order(deps):
    state, order = {}, []
    def visit(n, trail):
        if state.get(n) == "done":
            return
        if state.get(n) == "active":
            raise ValueError("cycle: " + " -> ".join(trail + [n]))
        state[n] = "active"
        for d in sorted(deps[n]):
            visit(d, trail + [n])
        state[n] = "done"
        order.append(n)
    for n in sorted(deps):
        visit(n, [])
    return order

print(dfs_order(deps))
cyclic = {"a": ["b"], "b": ["c"], "c": ["a"], "d": []}
for fn in (kahn, dfs_order):
    try:
        fn(cyclic)
    except ValueError as e:
        print(fn.__name__, "error:", e)
def levels(deps):
    lvl = {}
    def depth(n):
        if n not in lvl:
            lvl[n] = 1 + max([depth(d) for d in deps[n]] + [-1])
        return lvl[n]
    for n in deps:
        depth(n)
    return sorted(lvl.items(), key=lambda kv: (kv[1], kv[0]))
print(levels(deps))
