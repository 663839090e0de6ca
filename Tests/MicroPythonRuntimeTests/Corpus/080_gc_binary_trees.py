# expected: native
# GC-heavy: the classic binary-trees benchmark (build and discard trees),
# with gc.threshold so that collections happen while trees are being built.
import gc
gc.threshold(256 * 1024)

class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right

def make(depth):
    if depth == 0:
        return Node(None, None)
    return Node(make(depth - 1), make(depth - 1))

def check(node):
    if node.left is None:
        return 1
    return 1 + check(node.left) + check(node.right)

def main():
    max_depth = 10
    stretch = make(max_depth + 1)
    print("stretch", max_depth + 1, check(stretch))
    stretch = None
    long_lived = make(max_depth)
    for d in range(4, max_depth + 1, 2):
        iters = 1 << (max_depth - d + 3)
        total = 0
        for _ in range(iters):
            total += check(make(d))
        print(iters, "trees of depth", d, "check", total)
    print("long lived", check(long_lived))

main()
