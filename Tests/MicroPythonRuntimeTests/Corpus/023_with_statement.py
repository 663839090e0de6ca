class Resource:
    def __init__(self, name, log):
        self.name = name
        self.log = log
    def __enter__(self):
        self.log.append("enter " + self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        self.log.append("exit %s %s" % (self.name, exc_type.__name__ if exc_type else None))
        return exc_type is KeyError

log = []
with Resource("a", log) as r:
    log.append("body " + r.name)
print(log)

log = []
with Resource("outer", log), Resource("inner", log):
    log.append("both")
print(log)

log = []
with Resource("suppress", log):
    raise KeyError("hidden")
log.append("after suppressed")
print(log)

log = []
try:
    with Resource("propagate", log):
        raise ValueError("visible")
except ValueError as e:
    log.append("caught " + str(e))
print(log)

def using_return():
    log = []
    with Resource("ret", log):
        return log
print(using_return())

class Timer:
    depth = 0
    def __enter__(self):
        Timer.depth += 1
        return Timer.depth
    def __exit__(self, *a):
        Timer.depth -= 1

with Timer() as d1:
    with Timer() as d2:
        print("depths", d1, d2)
print("after", Timer.depth)

import io
with io.StringIO() as buf:
    buf.write("written in with")
    print(buf.getvalue())
