#!/usr/bin/env bash
# Assembles the board-in-a-box image: a Debian arm64 system with systemd as
# PID 1 that installs the kiosk exactly as docs/deploy.md §2 says, from
# kiosk-config/ (the unit, the udev rule, kiosk.toml), as an initramfs for
# qemu-system-aarch64. Everything comes from Debian's arm64 packages (downloaded,
# never installed on this machine) plus the cross-built kiosk.
#
#   scripts/board-image.sh KIOSK_BINARY OUT_DIR
#
# Writes OUT_DIR/vmlinuz and OUT_DIR/rootfs.cpio (uncompressed: the guest
# unpacks it faster than it could decompress it under TCG).
# Needs: the side APT config of scripts/board-box.sh (BOARD_BOX_APT_CONFIG),
# cpio and kmod (depmod, modprobe) on the host, qemu-aarch64 (qemu-user) to run
# two of the image's own tools (systemd-hwdb, lobby-kiosk hash-pin), root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 KIOSK_BINARY OUT_DIR" >&2; exit 2; }
kiosk=$1
out=$2
: "${BOARD_BOX_APT_CONFIG:?set by scripts/board-box.sh (the side APT config)}"
[ -x "$kiosk" ] || { echo "board-image: no kiosk binary at $kiosk" >&2; exit 1; }
work=${BOARD_BOX_WORK:-$PWD/target/board-box}
debs=$work/debs-arm64
root=$work/root
mkdir -p "$debs/partial" "$out"

# The packages docs/deploy.md §2 tells an installer to apt-get install, the
# optional line too (espeak-ng for read-aloud, the handwriting model): the box
# installs that same list, so a package missing from the doc shows here.
doc_packages=$(sed -n 's/^ *apt-get install \([^#]*\).*$/\1/p' docs/deploy.md)
case $doc_packages in
  *libinput10*espeak-ng*) ;;
  *)
    echo "board-image: docs/deploy.md's install section no longer has its 'apt-get install libinput10 …'" \
         "and 'apt-get install espeak-ng …' lines" >&2
    exit 1
    ;;
esac
# What a minimal Debian board adds around it: systemd, udev and kmod (PID 1,
# device permissions, libinput's udev database, module loading), base files,
# users, and busybox for the test harness's shell on /dev/hvc0.
# shellcheck disable=SC2206
packages=($doc_packages systemd udev kmod base-files base-passwd busybox-static)

apt_arm64=(-o APT::Architecture=arm64 -o "Dir::State::status=$work/empty-status"
           -o "Dir::Cache::archives=$debs" -o Debug::NoLocking=1)
: >"$work/empty-status"
export APT_CONFIG=$BOARD_BOX_APT_CONFIG
# The dependency closure as apt resolves it on an empty arm64 system
# (no recommends, as on a lean board image).
mapfile -t resolved < <(apt-get install -s --no-install-recommends "${apt_arm64[@]}" "${packages[@]}" |
  sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) [^[]*\[\([a-z0-9]*\)\]).*/\1 \2 \3/p')
[ ${#resolved[@]} -gt 0 ] || { echo "board-image: apt resolved no packages for ${packages[*]}" >&2; exit 1; }
apt-get install -qq -y --download-only --no-install-recommends "${apt_arm64[@]}" "${packages[@]}" >/dev/null
# The kernel: the version linux-image-arm64 points at, without its
# dependencies (initramfs-tools and friends: the box brings its own root).
kernel_package=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -n1)
kernel_version=${kernel_package#linux-image-}
kernel_deb=$(cd "$debs" && apt-get download --print-uris "$kernel_package:arm64" | awk '{print $2}' | tr -d "'")
[ -f "$debs/$kernel_deb" ] || (cd "$debs" && apt-get download -qq "$kernel_package:arm64")

deb_file() { # package version arch -> the .deb apt downloaded
  local file="${1}_${2//:/%3a}_${3}.deb"
  [ -f "$debs/$file" ] || { echo "board-image: $file was not downloaded" >&2; exit 1; }
  echo "$debs/$file"
}

rm -rf "$root"
mkdir -p "$root"
for entry in "${resolved[@]}"; do
  # shellcheck disable=SC2086
  dpkg-deb -x "$(deb_file $entry)" "$root"
done
rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion,zsh,gdb}

# Kernel and the module closure the board needs: virtio PCI, the GPU, input
# (evdev for libinput), the console the harness talks on, entropy, autofs
# (systemd mounts with it), and the sound card read-aloud plays on: an Intel
# HD Audio controller with QEMU's output codec (the HDA core loads the generic
# codec driver by name). Bookworm's arm64 kernel is built without virtio-snd
# (CONFIG_SND_VIRTIO), so the box cannot give the guest a virtio sound device;
# HDA reaches the kiosk through the same ALSA path. udev loads the modules by
# modalias, as on a real board.
kernel_dir=$work/kernel-$kernel_version
if [ ! -f "$kernel_dir/boot/vmlinuz-$kernel_version" ]; then
  rm -rf "$kernel_dir"
  dpkg-deb -x "$debs/$kernel_deb" "$kernel_dir"
  depmod -b "$kernel_dir" "$kernel_version"
fi
cp "$kernel_dir/boot/vmlinuz-$kernel_version" "$out/vmlinuz"
modules=(virtio_pci virtio_gpu virtio_input evdev virtio_console virtio_rng autofs4
         snd_hda_intel snd_hda_codec_generic)
mapfile -t module_files < <(for module in "${modules[@]}"; do
  modprobe -d "$kernel_dir" -S "$kernel_version" --show-depends "$module"
done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | sort -u)
for file in "${module_files[@]}"; do
  relative=${file#"$kernel_dir"/}
  install -D -m 644 "$kernel_dir/$relative" "$root/$relative"
done
for file in modules.order modules.builtin modules.builtin.modinfo; do
  cp "$kernel_dir/lib/modules/$kernel_version/$file" "$root/lib/modules/$kernel_version/"
done
depmod -b "$root" "$kernel_version"

# What dpkg's maintainer scripts would have done.
ln -sf busybox "$root/bin/sh"
cp "$root/usr/share/base-passwd/passwd.master" "$root/etc/passwd"
cp "$root/usr/share/base-passwd/group.master" "$root/etc/group"
install -m 640 /dev/null "$root/etc/shadow"
install -m 640 /dev/null "$root/etc/gshadow"
systemd-sysusers --root="$root" >/dev/null # systemd-journal, systemd-network
for group in input sgx kvm render; do       # udev's postinst (addgroup --system)
  groupadd --prefix "$root" --system "$group"
done
# A fixed machine id: not a first boot (systemd-firstboot would prompt).
echo 6c6f6262796b696f736b626f61726462 >"$root/etc/machine-id"
# The hardware database, built once as udev's postinst does, by the image's
# own systemd-hwdb under qemu-user.
qemu-aarch64 -L "$root" "$root/bin/systemd-hwdb" --root="$root" update
mkdir -p "$root"/{dev,proc,sys,run,tmp,var/tmp,var/lib,root}
chmod 1777 "$root/tmp" "$root/var/tmp"
mknod -m 600 "$root/dev/console" c 5 1

# --- docs/deploy.md §2 "Install", step by step (paths under the image root) ---
install -m 755 "$kiosk" "$root/usr/bin/lobby-kiosk"
install -d "$root/usr/share/lobby-kiosk/fonts" "$root/etc/lobby-kiosk"
install -m 644 assets/fonts/NotoSansSC_*.ttf assets/fonts/fonts.conf "$root/usr/share/lobby-kiosk/fonts/"
install -m 644 kiosk-config/kiosk.toml "$root/etc/lobby-kiosk/kiosk.toml"
install -m 644 kiosk-config/systemd/lobby-kiosk.service "$root/etc/systemd/system/"
install -m 644 kiosk-config/udev/99-lobby-kiosk-touch.rules "$root/etc/udev/rules.d/"
install -D -m 644 docs/deploy.md "$root/usr/share/doc/lobby-kiosk/deploy.md"
useradd --prefix "$root" --system --user-group --home-dir /var/lib/lobby-kiosk --shell /usr/sbin/nologin \
  --groups video,input,render,audio lobby-kiosk
systemctl --root="$root" enable lobby-kiosk.service
systemctl --root="$root" set-default multi-user.target
# §3: the admin PIN, hashed by the kiosk itself (the demo PIN 2468).
pin_hash=$(qemu-aarch64 -L "$root" "$root/usr/bin/lobby-kiosk" hash-pin 2468)
sed -i "s|^# pin_sha256 = .*|pin_sha256 = \"$pin_hash\"|" "$root/etc/lobby-kiosk/kiosk.toml"
grep -q "^pin_sha256 = \"$pin_hash\"" "$root/etc/lobby-kiosk/kiosk.toml" || {
  echo "board-image: could not set [admin] pin_sha256 in kiosk.toml (its commented key changed?)" >&2
  exit 1
}

# --- The box's own additions: test hooks and the harness's console ---
mkdir -p "$root/etc/systemd/system/lobby-kiosk.service.d"
cat >"$root/etc/systemd/system/lobby-kiosk.service.d/board-box.conf" <<'EOF'
# Board in a box (scripts/board-box.sh) only, never on a real kiosk:
# the emulator's fixed clock, so the screen matches its golden screenshots,
# and a line on the serial console once systemd has READY=1 from the kiosk.
[Service]
Environment=LOBBY_KIOSK_TEST_CLOCK=2026-11-25T01:30:00Z
ExecStartPost=+/bin/sh -c 'echo "BOARDBOX: lobby-kiosk ready, pid $MAINPID" >/dev/ttyAMA0'
EOF
cat >"$root/etc/systemd/system/board-box-console.service" <<'EOF'
# Board in a box only: a root shell on /dev/hvc0 (virtio console) for the
# test harness (scripts/board-box.sh): kill, RSS, systemctl, udevadm.
[Unit]
Description=Board box harness console
BindsTo=dev-hvc0.device
After=dev-hvc0.device

[Service]
Environment=PS1=
ExecStart=/bin/sh
StandardInput=tty
StandardOutput=tty
TTYPath=/dev/hvc0
Restart=always

[Install]
WantedBy=multi-user.target
EOF
systemctl --root="$root" enable board-box-console.service
# No login prompts: nobody logs in on a kiosk, and the box has no agetty.
ln -sf /dev/null "$root/etc/systemd/system/getty.target"

# The installation is complete: /etc and /var are up to date with /usr
# (systemd-update-done's stamp), so no ConditionNeedsUpdate= unit runs.
stamp=$(date +%s)
touch -d "@$stamp" "$root/usr"
for dir in etc var; do
  printf 'TIMESTAMP_NSEC=%s000000000\n' "$stamp" >"$root/$dir/.updated"
done

(cd "$root" && find . -print0 | cpio --null --create --format=newc --owner=0:0 --quiet) >"$out/rootfs.cpio"
echo "board-image: $kernel_package, ${#resolved[@]} packages, rootfs.cpio $(($(stat -c %s "$out/rootfs.cpio") / 1024 / 1024)) MiB"
