#!/usr/bin/env bash
# Installs the cross toolchain for the ARM board build from Debian's archive
# (bookworm + bookworm-security): Debian's Rust (rustc-web/cargo-web) with its
# multiarch standard library for each target, the cross gcc, the board's -dev
# libraries for each target architecture, and qemu-user to run ARM test binaries.
# Usage: scripts/cross-deps.sh [arm64] [armhf]   (default: arm64 armhf). Needs root.
set -euo pipefail
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 armhf)
if [ "$(id -u)" -ne 0 ]; then
  echo "cross-deps: needs root (dpkg --add-architecture, apt-get install)" >&2
  exit 1
fi
pkgs=(rustc-web cargo-web qemu-user pkg-config python3)
# Architectures this run adds: if apt-get fails they are removed again, or a
# broken index for them (e.g. a mirror serving a stale bookworm-security
# Packages file) would make every later `apt-get update` on the machine fail.
added=()
remove_added() {
  for arch in "${added[@]}"; do
    dpkg --remove-architecture "$arch" ||
      echo "cross-deps: could not remove architecture $arch again" >&2
  done
}
trap 'status=$?; [ "$status" -eq 0 ] || remove_added; exit "$status"' EXIT
for arch in "${arches[@]}"; do
  case "$arch" in
    arm64) gnu=aarch64-linux-gnu ;;
    armhf) gnu=arm-linux-gnueabihf ;;
    *) echo "cross-deps: unknown architecture '$arch' (arm64 or armhf)" >&2; exit 1 ;;
  esac
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    dpkg --add-architecture "$arch"
    added+=("$arch")
  fi
  pkgs+=("gcc-$gnu" "libc6-dev:$arch" "libstd-rust-web-dev:$arch"
         "libudev-dev:$arch" "libinput-dev:$arch" "libxkbcommon-dev:$arch"
         "libfontconfig-dev:$arch" "libfreetype-dev:$arch")
done
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
