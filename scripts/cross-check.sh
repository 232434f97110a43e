#!/usr/bin/env bash
# Builds the kiosk for the ARM board without Docker and runs its tests under
# qemu-user: Debian's packaged Rust (rustc-web/cargo-web, Rust 1.96 from
# bookworm-security) with the multiarch standard library, the cross gcc and
# the target's -dev packages (installed by scripts/cross-deps.sh).
#
#   scripts/cross-check.sh [aarch64|armv7 ...]     default: aarch64 armv7
#
# For each target: a stripped release build of `kiosk` with the board
# features, then the library and emulator test binaries (release profile,
# sharing the build) run under qemu.
# Environment:
#   CROSS_TARGET_DIR  build directory (default: target/cross)
#   CROSS_TESTS       "all" (default), "build" to build the tests without
#                     running them, or "none": only the kiosk binary (CI's
#                     aarch64 build, which scripts/board-box.sh boots)
#   CARGO_LOCK        a lock file: each cargo command runs under flock on it
#                     (shared build machines)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(aarch64 armv7)
target_dir=${CROSS_TARGET_DIR:-$PWD/target/cross}
tests=${CROSS_TESTS:-all}

arches=()
for t in "${targets[@]}"; do
  case "$t" in
    aarch64) arches+=(arm64) ;;
    armv7) arches+=(armhf) ;;
    *) echo "cross-check: unknown target '$t' (aarch64 or armv7)" >&2; exit 1 ;;
  esac
done
bash scripts/cross-deps.sh "${arches[@]}"

# Debian's toolchain, not whatever rustup puts first on PATH.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
CARGO=/usr/bin/cargo
export CARGO_TARGET_DIR=$target_dir PKG_CONFIG_ALLOW_CROSS=1
mkdir -p "$target_dir"

cargo_locked() {
  if [ -n "${CARGO_LOCK:-}" ]; then
    flock "$CARGO_LOCK" "$CARGO" "$@"
  else
    "$CARGO" "$@"
  fi
}

# Seconds since $1 (a `date +%s` value).
since() { echo $(($(date +%s) - $1)); }

for t in "${targets[@]}"; do
  case "$t" in
    aarch64) triple=aarch64-unknown-linux-gnu gnu=aarch64-linux-gnu qemu=qemu-aarch64 ;;
    armv7) triple=armv7-unknown-linux-gnueabihf gnu=arm-linux-gnueabihf qemu=qemu-arm ;;
  esac
  env_triple=$(echo "$triple" | tr 'a-z-' 'A-Z_')
  lower_triple=${triple//-/_}
  export "CARGO_TARGET_${env_triple}_LINKER=$gnu-gcc"
  export "CC_${lower_triple}=$gnu-gcc" "AR_${lower_triple}=$gnu-ar"
  export "PKG_CONFIG_PATH_${lower_triple}=/usr/lib/$gnu/pkgconfig:/usr/share/pkgconfig"

  board=(--locked --release --target "$triple" --no-default-features --features board)

  start=$(date +%s)
  cargo_locked build --bin kiosk "${board[@]}"
  build_s=$(since "$start")
  bin=$target_dir/$triple/release/kiosk
  "$gnu-strip" -o "$bin.stripped" "$bin"
  size=$(stat -c %s "$bin.stripped")
  echo "cross-check: $triple release build ${build_s}s, stripped kiosk $size bytes ($((size / 1024 / 1024)) MiB)"
  [ "$tests" != none ] || continue

  start=$(date +%s)
  # Build the lib and emulator test binaries (under the lock; the emulator is
  # a feature the board's kiosk binary leaves out), then run them under qemu
  # without holding it.
  artifacts=$target_dir/$triple-test-artifacts.json
  cargo_locked test --no-run --message-format=json "${board[@]}" --features emulator --lib --test emulator >"$artifacts"
  mapfile -t binaries < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["profile"]["test"]:
        print(message["executable"])' "$artifacts")
  [ ${#binaries[@]} -eq 2 ] || { echo "cross-check: expected 2 test binaries, got ${#binaries[@]}" >&2; exit 1; }
  echo "cross-check: $triple test build $(since "$start")s"
  if [ "$tests" = all ]; then
    start=$(date +%s)
    # The lib and emulator suites: domain logic and the real UI rendered
    # headless (screenshots compared with the x86 goldens).
    # No `-L /usr/$gnu`: that prefix holds the cross gcc's glibc loader,
    # whose version differs from the multiarch libc6:<arch> the binaries link
    # (threads then hang in pthread_create). The multiarch loader in /lib
    # matches.
    for binary in "${binaries[@]}"; do
      "$qemu" "$binary"
    done
    echo "cross-check: $triple tests under $qemu $(since "$start")s"
  fi
done
