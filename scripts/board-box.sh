#!/usr/bin/env bash
# The board in a box: the aarch64 board build, installed on a Debian arm64
# system as docs/deploy.md says (systemd as PID 1 running kiosk-config/'s
# unit, udev with kiosk-config/'s touch rule), booted in qemu-system-aarch64
# (TCG, no network) on a virtio-gpu display with a virtio-multitouch device.
# The harness (src/bin/board-box/) touches it through QMP and compares
# screendumps with the emulator's golden screenshots: first frame, a tap,
# Back, the admin gesture, a killed and a hung kiosk restarted by systemd,
# and a sideways panel rotated and calibrated as docs/deploy.md §4 says.
#
#   scripts/board-box.sh          (root: installs QEMU 10, cpio, kmod)
#
# Environment:
#   CARGO_LOCK   a lock file for every cargo command (shared build machines)
#   BOARD_BOX_KIOSK  an aarch64 kiosk binary to use instead of building one
# Output: target/board-box/run/ (serial and console logs, screendumps,
# figures.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "board-box: needs root (apt-get install of QEMU 10 from bookworm-backports)" >&2
  exit 1
fi
work=$PWD/target/board-box
since() { echo $(($(date +%s) - $1)); }
start=$(date +%s)

# A side APT configuration: bookworm-backports (QEMU 10: virtio-multitouch
# and QMP touch events appeared in QEMU 8.1; bookworm has 7.2) and the arm64
# indexes, without touching /etc/apt or dpkg's architectures.
apt_dir=$work/apt
mkdir -p "$apt_dir"/{lists/partial,archives/partial}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  for suite in bookworm bookworm-updates bookworm-backports; do
    echo "deb [arch=amd64,arm64 signed-by=$keyring] http://deb.debian.org/debian $suite main"
  done
  echo "deb [arch=amd64,arm64 signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main"
} >"$apt_dir/sources.list"
cat >"$apt_dir/apt.conf" <<EOF
Dir::Etc::sourcelist "$apt_dir/sources.list";
Dir::Etc::sourceparts "-";
Dir::State::lists "$apt_dir/lists";
Dir::Cache::archives "$apt_dir/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architectures { "amd64"; "arm64"; };
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
export BOARD_BOX_APT_CONFIG=$apt_dir/apt.conf
APT_CONFIG=$BOARD_BOX_APT_CONFIG apt-get update -qq
# Host tools: QEMU 10, cpio (the initramfs), kmod (depmod, modprobe for the
# module closure), systemd (systemctl --root, systemd-sysusers --root).
# Only QEMU comes from backports: `-t bookworm-backports` also upgraded the
# host's systemd and with it libudev1 (Multi-Arch: same), after which the
# armhf -dev packages (libudev-dev:armhf, bookworm's version) could not be
# installed and the armv7 check failed on a fresh machine. QEMU's own
# qemu-system-common and -data are named with it: left to apt, they come
# from bookworm (7.2), which qemu-system-arm 10 refuses ("held broken
# packages").
if ! qemu-system-aarch64 -device help 2>/dev/null | grep -q virtio-multitouch-pci ||
   ! command -v cpio >/dev/null || ! command -v depmod >/dev/null ||
   ! command -v systemd-sysusers >/dev/null; then
  APT_CONFIG=$BOARD_BOX_APT_CONFIG DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
    qemu-system-arm/bookworm-backports qemu-system-common/bookworm-backports \
    qemu-system-data/bookworm-backports cpio kmod systemd >/dev/null
fi
qemu-system-aarch64 --version | head -n1
echo "board-box: host tools $(since "$start")s"

# The kiosk: the cross check's aarch64 release build (a no-op when
# scripts/cross-check.sh aarch64 just ran).
step=$(date +%s)
kiosk=${BOARD_BOX_KIOSK:-}
if [ -z "$kiosk" ]; then
  CROSS_TESTS=none bash scripts/cross-check.sh aarch64
  kiosk=${CROSS_TARGET_DIR:-$PWD/target/cross}/aarch64-unknown-linux-gnu/release/kiosk.stripped
fi
echo "board-box: kiosk build $(since "$step")s"

step=$(date +%s)
bash scripts/board-image.sh "$kiosk" "$work/image"
echo "board-box: image $(since "$step")s"

# The rotation and calibration docs/deploy.md §4 gives a sideways panel.
rotation=$(sed -n 's/.*systemctl edit lobby-kiosk .*SLINT_KMS_ROTATION=\([0-9]*\).*/\1/p' docs/deploy.md)
matrix=$(sed -n 's/.*# in the rules file: ENV{LIBINPUT_CALIBRATION_MATRIX}="\([^"]*\)".*/\1/p' docs/deploy.md)
if [ -z "$rotation" ] || [ -z "$matrix" ]; then
  echo "board-box: docs/deploy.md §4 no longer shows 'systemctl edit lobby-kiosk … SLINT_KMS_ROTATION=N'" \
       "and '# in the rules file: ENV{LIBINPUT_CALIBRATION_MATRIX}=\"…\"'" >&2
  exit 1
fi

step=$(date +%s)
if [ -n "${CARGO_LOCK:-}" ]; then
  flock "$CARGO_LOCK" cargo build --locked --bin board-box
else
  cargo build --locked --bin board-box
fi
echo "board-box: harness build $(since "$step")s"

step=$(date +%s)
rm -rf "$work/run"
target/debug/board-box --kernel "$work/image/vmlinuz" --initrd "$work/image/rootfs.cpio" \
  --out "$work/run" --rotation "$rotation" --calibration "$matrix"
echo "board-box: boots and checks $(since "$step")s; total $(since "$start")s"
