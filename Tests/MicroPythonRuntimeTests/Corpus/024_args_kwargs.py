def f(a, b=2, *args, c=3, **kwargs):
    return (a, b, args, c, sorted(kwargs.items()))

print(f(1))
print(f(1, 5))
print(f(1, 5, 6, 7))
print(f(1, c=9))
print(f(1, 2, 3, c=4, d=5, e=6))
print(f(*[1, 2, 3]))
print(f(**{"a": 1, "b": 2, "z": 26}))
print(f(1, *(2, 3), **{"c": 0}))

def kwonly(*, x, y=10):
    return x + y

print(kwonly(x=1), kwonly(x=1, y=2))
try:
    kwonly(1)
except TypeError:
    print("TypeError for positional")

def total(*nums):
    return sum(nums)

print(total(), total(1), total(1, 2, 3))

def describe(**info):
    return ", ".join("%s=%s" % (k, info[k]) for k in sorted(info))

print(describe(name="x", size=3, ok=True))

def apply(fn, *args, **kwargs):
    return fn(*args, **kwargs)

print(apply(max, 3, 8, 1), apply(sorted, [3, 1, 2], reverse=True))

def defaults(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc

print(defaults(1), defaults(2))

def mutable_default(x, acc=[]):
    acc.append(x)
    return len(acc)

print(mutable_default(1), mutable_default(2), mutable_default(3))
try:
    f()
except TypeError:
    print("missing argument")
