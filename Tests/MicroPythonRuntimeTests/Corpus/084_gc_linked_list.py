# expected: native
# GC-heavy: singly linked lists built, reversed, filtered and dropped.
class Cell:
    def __init__(self, val, nxt):
        self.val = val
        self.next = nxt

def build(n, offset):
    head = None
    for i in range(n):
        head = Cell(i + offset, head)
    return head

def reverse(head):
    prev = None
    while head:
        nxt = head.next
        head.next = prev
        prev = head
        head = nxt
    return prev

def filtered(head, pred):
    out = None
    while head:
        if pred(head.val):
            out = Cell(head.val, out)
        head = head.next
    return out

def to_list(head, limit=5):
    out = []
    while head and len(out) < limit:
        out.append(head.val)
        head = head.next
    return out

def length(head):
    n = 0
    while head:
        n += 1
        head = head.next
    return n

def main():
    total = 0
    for r in range(70):
        lst = reverse(build(3000, r))
        ev = filtered(lst, lambda v: v % 3 == 0)
        total += length(ev)
        if r == 69:
            print(to_list(lst), to_list(ev))
    print("total", total)

main()
