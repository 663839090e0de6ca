counter = 0

def bump():
    global counter
    counter += 1
    return counter

bump(); bump()
print(counter)

def read_global():
    return counter * 10

print(read_global())

def shadow():
    counter = 100
    return counter

print(shadow(), counter)

def make_global():
    global created
    created = "made inside"

make_global()
print(created)

def outer():
    x = 1
    def mid():
        nonlocal x
        x += 10
        def inner():
            nonlocal x
            x *= 2
        inner()
    mid()
    mid()
    return x

print(outer())

def counter_pair():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    def get():
        return n
    return inc, get

inc, get = counter_pair()
inc(); inc(); inc()
print(get())

try:
    def broken():
        print(local_before)
        local_before = 1
    broken()
except NameError as e:
    print("NameError (unbound local)")

values = []
def collect(v):
    values.append(v)
for i in range(3):
    collect(i * i)
print(values)
