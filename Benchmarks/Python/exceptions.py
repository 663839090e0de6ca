# Exceptions: raise and catch (built-in and user-defined classes, inheritance), finally,
# re-raise, exceptions crossing several frames.
# expected output: exceptions 3000 6608600 6000
N = 6000


class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__("missing", key)
        self.key = key


def lookup(table, key):
    if key not in table:
        raise NotFound(key)
    return table[key]


def deep(n):
    if n == 0:
        raise ValueError("bottom")
    return deep(n - 1)


def parse(text):
    try:
        return int(text)
    except ValueError:
        return -1


table = {i: i * 3 for i in range(0, 100, 2)}
caught = 0
total = 0
cleanups = 0
for i in range(N):
    try:
        total += lookup(table, i % 100)
    except NotFound as e:
        caught += 1
        total += e.key
    except AppError:
        caught += 1000
    finally:
        cleanups += 1
    if i % 10 == 0:
        try:
            deep(8)
        except ValueError as e:
            total += len(e.args[0])
    total += parse("x%d" % i if i % 3 else str(i))
    try:
        try:
            [][i]
        except IndexError:
            raise KeyError(i)
    except KeyError as e:
        total += e.args[0] & 7
print("exceptions", caught, total, cleanups)
