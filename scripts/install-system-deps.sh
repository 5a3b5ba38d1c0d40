#!/usr/bin/env bash
# Installs the Debian packages the tests, the demo and the benchmarks use (gcc and libssl-dev build
# the benchmark's C responder). Idempotent; needs root (or sudo).
set -euo pipefail
packages=(python3-pykmip gnome-keyring dbus libsecret-tools chromium openssl xvfb gcc libc6-dev libssl-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "system packages present: ${packages[*]}"
