def trace(fn):
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args, sorted(kwargs.items()))
        result = fn(*args, **kwargs)
        print("ret", result)
        return result
    return wrapper

@trace
def add(a, b=0):
    return a + b

add(1, 2)
add(5, b=7)

def repeat(times):
    def deco(fn):
        def wrapper(*a):
            return [fn(*a) for _ in range(times)]
        return wrapper
    return deco

@repeat(3)
def hello(name):
    return "hi " + name

print(hello("bob"))

registry = {}
def register(name):
    def deco(fn):
        registry[name] = fn
        return fn
    return deco

@register("double")
def _d(x):
    return 2 * x

@register("square")
def _s(x):
    return x * x

print(sorted(registry), registry["double"](4), registry["square"](4))

def stack_a(fn):
    return lambda: "a(" + fn() + ")"
def stack_b(fn):
    return lambda: "b(" + fn() + ")"

@stack_a
@stack_b
def base():
    return "base"

print(base())

class CountCalls:
    def __init__(self, fn):
        self.fn = fn
        self.calls = 0
    def __call__(self, *args):
        self.calls += 1
        return self.fn(*args)

@CountCalls
def mul(a, b):
    return a * b

print(mul(2, 3), mul(4, 5), mul.calls)
