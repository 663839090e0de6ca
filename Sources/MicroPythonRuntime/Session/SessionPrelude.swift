// The Python program a resident session boots with: it asks the host for requests through
// `host.call`, runs them, and reports results. The host treats everything it says as
// untrusted: requests carry a fresh nonce that the completion must echo, and the Swift side
// checks every message and every capability call itself.

/// The session prelude (run as `micropython -c PRELUDE`).
enum SessionPrelude {
    /// The control channel's host-call name.
    static let controlName = "__sandpiper__"

    /// Modules hidden from plugin code: raw memory access, devices and network.
    static let hiddenModules = ["uctypes", "machine", "ssl", "mip", "requests", "socket", "network",
                                "select", "termios", "ffi", "btree", "vfs", "_thread", "bluetooth"]

    static let source = #"""
import host as _h, json as _j, sys as _s, io as _io, builtins as _b, binascii as _ba
_call = _h.call
_dump = _j.dump
_StringIO = _io.StringIO

# JSON text sizes. The guest grows a string 16 bytes at a time, so json.dumps takes quadratic
# time on large values; those are dumped into a buffer sized up front instead. _enc adds to
# _est[0] a lower bound of the text's length (string lengths, separators and brackets).
_est = [0]

def _dumps(v, est):
    if est < 2048:
        return _j.dumps(v)
    try:
        buffer = _StringIO(min(est * 4, __MAXMSG__) + 64)
    except MemoryError:
        return _j.dumps(v)
    _dump(v, buffer)
    return buffer.getvalue()
_loads = _j.loads
_inf = float("inf")
if not hasattr(_b, "PermissionError"):
    class PermissionError(OSError):
        pass
    _b.PermissionError = PermissionError
_EXC = {}
for _n in ("BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError", "EOFError",
           "ImportError", "IndexError", "KeyError", "LookupError", "MemoryError", "NameError",
           "NotImplementedError", "OSError", "OverflowError", "PermissionError", "RuntimeError",
           "StopIteration", "SyntaxError", "TypeError", "ValueError", "ZeroDivisionError", "KeyboardInterrupt",
           "SystemExit", "UnicodeError"):
    try:
        _EXC[_n] = eval(_n)
    except NameError:
        pass

def _enc(v):
    t = type(v)
    if t is str:
        _est[0] += len(v)
        return v
    if v is None or t is bool or t is int:
        return v
    if t is float:
        if v != v or v == _inf or v == -_inf:
            return {"\0f": repr(v)}
        return v
    if t is list:
        _est[0] += 3 * len(v)
        return [_enc(x) for x in v]
    if t is tuple:
        _est[0] += 3 * len(v) + 8
        return {"\0t": [_enc(x) for x in v]}
    if t is dict:
        _est[0] += 7 * len(v)
        out = {}
        nul = False
        for k in v:
            if type(k) is not str:
                raise TypeError("dict keys passed to the host must be str, not " + type(k).__name__)
            _est[0] += len(k)
            if k[:1] == "\0":
                nul = True
            out[k] = _enc(v[k])
        if nul:
            return {"\0d": [[k, out[k]] for k in out]}
        return out
    if t is bytes or t is bytearray or t is memoryview:
        _est[0] += len(v) * 4 // 3 + 16
        return {"\0b": _ba.b2a_base64(bytes(v)).decode().strip()}
    raise TypeError("cannot pass a '" + t.__name__ + "' object to the host")

def _dec(v):
    t = type(v)
    if t is list:
        return [_dec(x) for x in v]
    if t is dict:
        if len(v) == 1:
            for k in v:
                if k == "\0t":
                    return tuple(_dec(x) for x in v[k])
                if k == "\0b":
                    return _ba.a2b_base64(v[k])
                if k == "\0f":
                    return float(v[k])
                if k == "\0d":
                    return {p[0]: _dec(p[1]) for p in v[k]}
                if k == "\0e":
                    raise _EXC.get(v[k][0], RuntimeError)(v[k][1])
        return {k: _dec(v[k]) for k in v}
    return v

_repr = repr

class SwiftFunction:
    def __init__(self, qualified, name, signature, doc):
        self.__name__ = name
        self.__qualname__ = qualified
        self.__doc__ = signature + "\n\n" + doc if doc else signature
        self.signature = signature
    def __call__(self, *args, **kwargs):
        # The arguments go as their repr, which is written in C: the host reads Python
        # literals. What it cannot read (a set, an object, a dict with non-str keys), or a repr
        # that fails, goes again in the tagged wire format ("\0" is the host asking for that),
        # whose encoder raises the right TypeError. The function runs once, after its
        # arguments were read.
        try:
            text = _repr((args, kwargs))
        except Exception:
            text = "\0"
        if text != "\0":
            text = _call(self.__qualname__, text)
        if text == "\0":
            _est[0] = 3 * len(args)   # _enc adds the rest, kwargs' separators included
            text = _call(self.__qualname__, _dumps(([_enc(x) for x in args], _enc(kwargs)), _est[0]))
        if "\\u0000" in text:
            return _dec(_loads(text))
        return _loads(text)
    def __repr__(self):
        return "<swift function " + self.__qualname__ + ">"

class SwiftModule:
    def __init__(self, name, doc):
        self.__name__ = name
        self.__doc__ = doc
    def __repr__(self):
        return "<swift module '" + self.__name__ + "'>"

class _Hidden:
    def __init__(self, name, why):
        self._n = name
        self._w = why
    def __getattr__(self, attr):
        raise ImportError("module '" + self._n + "' is not available here: " + self._w)

_registry = {}
_denied = {}
for _n in __HIDDEN__:
    _denied[_n] = "it is not available to plugins"
    _s.modules[_n] = _Hidden(_n, "it is not available to plugins")
_import = _b.__import__
def _guarded_import(name, *rest):
    why = _denied.get(name.split(".")[0])
    if why is not None:
        raise ImportError("no module named '" + name + "': " + why)
    return _import(name, *rest)
_b.__import__ = _guarded_import

_help = getattr(_b, "help", None)
def _swift_help(obj=None):
    if isinstance(obj, SwiftFunction):
        print(obj.__doc__)
    elif isinstance(obj, SwiftModule):
        print("module " + obj.__name__ + (" - " + obj.__doc__ if obj.__doc__ else ""))
        for k in sorted(dir(obj)):
            f = getattr(obj, k)
            if isinstance(f, SwiftFunction):
                print("  " + f.signature)
    elif _help is not None:
        if obj is None:
            _help()
        else:
            _help(obj)
_b.help = _swift_help

def _install(request, g):
    for spec in request["modules"]:
        m = SwiftModule(spec["name"], spec["doc"])
        for fn in spec["functions"]:
            setattr(m, fn["name"], SwiftFunction(spec["name"] + "." + fn["name"], fn["name"], fn["signature"], fn["doc"]))
        _registry[spec["name"]] = m
    for name in request["grant"]:
        _s.modules[name] = _registry[name]
        _denied.pop(name, None)
    for name in request["deny"]:
        _denied[name] = request["deny"][name]
        if name in _s.modules:
            del _s.modules[name]
    if request.get("prelude"):
        exec(compile(request["prelude"], "<sandpiper>", "exec"), g)

def _message(nonce, reply, est):
    # A reply the control channel cannot carry becomes an error reply, so the session lives on.
    try:
        if est <= __MAXMSG__:   # est is a lower bound: past the limit, nothing to try
            text = _dumps({"n": nonce, "r": reply}, est + 64)
            if len(text) <= __MAXMSG__ // 4 or len(text.encode()) <= __MAXMSG__:
                return text
        why = "the result is too large to return to the host (more than __MAXMSG__ bytes encoded)"
    except BaseException as e:
        why = "the result could not be encoded for the host: " + type(e).__name__
    return _j.dumps({"n": nonce, "r": {"err": ["ValueError", why, ""]}})

def _session():
    nonce = ""
    reply = {"ready": True}
    g = {"__name__": "__main__"}
    while True:
        text = _message(nonce, reply, _est[0])
        reply = None
        text = _call("__sandpiper__", text)
        request = _loads(text)
        _est[0] = 0
        value = None
        nonce = request["n"]
        op = request["op"]
        # Tagged values (tuples, bytes, odd floats, keys starting with NUL) all write "\u0000"
        # in the request: a call without one passes the JSON values as its arguments.
        tagged = op == "call" and "\\u0000" in text
        text = None
        reply = None
        try:
            # A forked session's grants ride along with its first request.
            if "install" in request:
                _install(request["install"], g)
            if op == "exec" or op == "single":
                exec(compile(request["code"], request["file"], op), g)
                reply = {"ok": None}
            elif op == "eval":
                value = eval(compile(request["code"], request["file"], "eval"), g)
                _est[0] = 0
                reply = {"ok": _enc(value)}
                value = None
            elif op == "call":
                target = g
                parts = request["fn"].split(".")
                f = g[parts[0]] if parts[0] in g else _s.modules[parts[0]]
                for p in parts[1:]:
                    f = getattr(f, p)
                if tagged:
                    value = f(*_dec(request["args"]), **_dec(request["kwargs"]))
                else:
                    value = f(*request["args"], **request["kwargs"])
                _est[0] = 0
                reply = {"ok": _enc(value)}
                value = None
            elif op == "install":
                _install(request, g)
                reply = {"ok": None}
            elif op == "close":
                return
            else:
                reply = {"err": ["ValueError", "unknown request", ""]}
        except BaseException as e:
            buffer = _io.StringIO()
            _s.print_exception(e, buffer)
            reply = {"err": [type(e).__name__, str(e), buffer.getvalue()]}
            _est[0] = len(reply["err"][1]) + len(reply["err"][2]) + 64

_session()
"""#

    /// The prelude with the hidden-module list filled in.
    static let program: String =
        source.replacingOccurrences(of: "__HIDDEN__", with: "(" + hiddenModules.map { "\"\($0)\"" }.joined(separator: ", ") + ",)")
            .replacingOccurrences(of: "__MAXMSG__", with: String(SessionChannel.maxPayloadBytes))
}
