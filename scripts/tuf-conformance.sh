#!/usr/bin/env bash
# Runs the TUF conformance suite (theupdateframework/tuf-conformance, a
# checkout of which is SUITE_DIR) against the kiosk's TUF client, the
# `kiosk tuf-client` command, and prints the pass / fail / xfail counts.
# Not part of CI: the suite is not in a package registry.
#
#   scripts/tuf-conformance.sh SUITE_DIR [pytest arguments, e.g. -k rollback]
#
# Installs the suite's pinned Python dependencies (its pyproject.toml) from
# PyPI into target/tuf-conformance/venv, and faketime from Debian's archive
# when missing (as root). Expected failures, each with its reason, are in
# tests/tuf-conformance/kiosk-tuf-client.xfails.
# Environment:
#   CARGO_LOCK  a lock file: the cargo build runs under flock on it
set -euo pipefail
suite=${1:?usage: scripts/tuf-conformance.sh SUITE_DIR [pytest arguments]}
shift
suite=$(cd "$suite" && pwd)
cd "$(dirname "$0")/.."
root=$PWD
[ -f "$suite/pyproject.toml" ] && [ -d "$suite/tuf_conformance" ] || {
  echo "tuf-conformance: $suite is not a checkout of theupdateframework/tuf-conformance" >&2
  exit 1
}

# The suite runs clients under faketime for its expiry tests.
if ! command -v faketime >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tuf-conformance: faketime is missing; run as root or apt-get install faketime" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi

# The suite's pinned dependencies, reinstalled when its pyproject.toml changes them.
out=$root/target/tuf-conformance
venv=$out/venv
mkdir -p "$out"
deps=$(python3 -c 'import sys, tomllib; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' "$suite/pyproject.toml")
if [ ! -x "$venv/bin/pytest" ] || [ "$(cat "$venv/.suite-deps" 2>/dev/null)" != "$deps" ]; then
  python3 -m venv "$venv"
  mapfile -t packages <<<"$deps"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
  printf '%s' "$deps" >"$venv/.suite-deps"
fi

# The kiosk binary the board runs, in the debug profile the tests share.
if [ -n "${CARGO_LOCK:-}" ]; then
  flock "$CARGO_LOCK" cargo build --locked --bin kiosk
else
  cargo build --locked --bin kiosk
fi
export KIOSK_BIN=${CARGO_TARGET_DIR:-$root/target}/debug/kiosk

report=$out/report.json
status=0
(cd "$suite" && "$venv/bin/pytest" tuf_conformance -p no:cacheprovider -q -rfEX \
  --entrypoint "$root/tests/tuf-conformance/kiosk-tuf-client" \
  --json-report --json-report-file="$report" "$@") || status=$?
"$venv/bin/python" - "$report" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))["summary"]
counts = ", ".join(f"{summary.get(k, 0)} {k}" for k in ("passed", "failed", "xfailed", "xpassed", "skipped", "error"))
print(f"tuf-conformance: {counts} (of {summary.get('total', 0)})")
PY
exit $status
