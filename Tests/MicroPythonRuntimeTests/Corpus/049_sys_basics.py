import sys
print(sys.implementation.name, sys.version_info[0], sys.byteorder, sys.platform)
print(type(sys.argv).__name__, type(sys.path).__name__, "sys" in sys.modules)
print(sys.maxsize >= 2 ** 31 - 1, sys.maxsize > 0)
sys.stdout.write("written via sys.stdout\n")
print(hasattr(sys, "exit"), hasattr(sys, "stdin"), hasattr(sys, "stderr"))
class Fake:
    pass
mod = Fake()
mod.answer = 42
sys.modules["fake_mod"] = mod
import fake_mod
print(fake_mod.answer)
del sys.modules["fake_mod"]
try:
    pass
    raise SystemExit(3)
except SystemExit as e:
    print("SystemExit", e.args[0] if e.args else None)
