def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return "div by zero"

print(safe_div(6, 3), safe_div(1, 0))

for expr in ["int('x')", "[][1]", "{}['k']", "None.attr", "1 + 'a'", "undefined_name", "(1).foo()"]:
    try:
        eval(expr)
    except Exception as e:
        print(type(e).__name__)

try:
    raise ValueError("bad value", 42)
except ValueError as e:
    print(e.args)

def nested():
    try:
        try:
            raise KeyError("inner")
        except KeyError:
            raise RuntimeError("outer")
    except RuntimeError as e:
        return str(e)

print(nested())

try:
    try:
        raise IndexError("a")
    except (TypeError, IndexError) as e:
        print("caught tuple", type(e).__name__)
        raise
except IndexError as e:
    print("re-raised", e)

def checker(x):
    assert x > 0, "must be positive"
    return x

try:
    checker(-1)
except AssertionError as e:
    print("assert:", e)

print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError))
print(isinstance(ValueError("x"), Exception), isinstance(StopIteration(), BaseException))

try:
    raise TypeError
except TypeError as e:
    print("bare raise of class:", repr(e.args))

errors = []
for v in ["1", "2", "x", "4", ""]:
    try:
        errors.append(int(v))
    except ValueError:
        errors.append(None)
print(errors)

try:
    [1, 2, 3].index(9)
except ValueError:
    print("not found")

def gen():
    yield 1
    raise StopIteration

try:
    print(list(gen()))
except RuntimeError as e:
    print("RuntimeError from generator")
