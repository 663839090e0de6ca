log = []

def f(x):
    try:
        log.append("try")
        if x == 0:
            raise ValueError("zero")
        r = 10 // x
    except ValueError:
        log.append("except")
        return -1
    else:
        log.append("else")
        return r
    finally:
        log.append("finally")

print(f(2), log)
log.clear()
print(f(0), log)

def finally_overrides():
    try:
        return "try"
    finally:
        print("finally runs before return")

print(finally_overrides())

def loop_with_finally():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out

print(loop_with_finally())

def nested_finally():
    order = []
    try:
        try:
            order.append(1)
            raise KeyError("k")
        finally:
            order.append(2)
    except KeyError:
        order.append(3)
    finally:
        order.append(4)
    return order

print(nested_finally())

def swallow():
    for i in range(3):
        try:
            raise RuntimeError(i)
        except RuntimeError as e:
            last = e.args[0]
        else:
            last = None
    return last

print(swallow())

count = 0
while count < 3:
    try:
        count += 1
    finally:
        pass
else:
    print("while-else after", count)

for i in []:
    pass
else:
    print("for-else on empty")
