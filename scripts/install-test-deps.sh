#!/usr/bin/env bash
# Installs what the tests need beyond crates: nginx (sync against an
# ordinary web server), mosquitto (the fleet channel's MQTT broker),
# espeak-ng (the speech engine, tests/speech.rs), libzinnia0 with the
# tegaki-zinnia-simplified-chinese model (the search page's handwriting pad,
# tests/handwriting.rs, benches/handwriting.rs), chromium and
# chromium-driver (the admin console in a real browser, tests/console_browser.rs)
# and python-tuf (TUF interoperability, below).
# Uses Debian's archive; needs root (CI runs as root).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# The kiosk opens libzinnia at run time (dlopen): the library package, not -dev.
ldconfig -p 2>/dev/null | grep -q 'libzinnia\.so\.0' || missing+=(libzinnia0)
[ -f /usr/share/tegaki/models/zinnia/handwriting-zh_CN.model ] || missing+=(tegaki-zinnia-simplified-chinese)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: missing ${missing[*]}; run this script as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package starts a system nginx on port 80; the tests run their own.
  (command -v systemctl >/dev/null && systemctl stop nginx) >/dev/null 2>&1 || true
  # Likewise mosquitto starts a system broker on port 1883; the tests start private ones.
  (command -v systemctl >/dev/null && systemctl stop mosquitto) >/dev/null 2>&1 || true
  (command -v service >/dev/null && service mosquitto stop) >/dev/null 2>&1 || true
fi

# python-tuf, the TUF reference implementation, for tests/tuf_interop.rs:
# a virtual environment under target/, pinned versions from PyPI.
venv="$(cd "$(dirname "$0")/.." && pwd)/target/python-tuf"
if ! "$venv/bin/python" -c 'import tuf.ngclient' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    tuf==7.0.1 securesystemslib==1.6.0 cryptography==50.0.2
fi
