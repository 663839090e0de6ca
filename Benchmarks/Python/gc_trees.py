# GC-heavy structures: binary trees of objects built and dropped repeatedly (like the
# "binary-trees" benchmark) while a long-lived tree and a list of records stay alive, so the
# collector runs many times with live data to trace. The heap is 64 MiB, which these
# rounds would not fill, so a threshold makes the collector run after every 1 MiB allocated.
# expected output: gc_trees 55 5
import gc

if hasattr(gc, "threshold"):  # MicroPython (CPython, used to check the output, has none)
    gc.threshold(1 << 20)

DEPTH = 12
ROUNDS = 5


class Node:
    def __init__(self, left, right, value):
        self.left = left
        self.right = right
        self.value = value


def make(depth, value):
    if depth == 0:
        return Node(None, None, value)
    return Node(make(depth - 1, 2 * value), make(depth - 1, 2 * value + 1), value)


def check(node):
    if node.left is None:
        return node.value & 7
    return (node.value & 7) + check(node.left) - check(node.right)


long_lived = make(DEPTH, 1)
records = []
total = 0
for r in range(ROUNDS):
    for d in range(4, DEPTH + 1, 2):
        t = make(d, r)
        total += check(t)
    records.append([str(r), [r] * 50, {"r": r, "sq": r * r}])
    records = records[-8:]
total += check(long_lived) + sum(rec[2]["sq"] for rec in records)
print("gc_trees", total, len(records))
