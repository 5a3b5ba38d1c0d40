#!/usr/bin/env bash
# Runs <cmd...> inside a private D-Bus session bus with an unlocked gnome-keyring (Secret Service
# only) and a temporary HOME and XDG directories, so tests never touch the user's real keychain.
# Returns <cmd>'s exit code. The bus and the keyring daemon end with the session.
# Usage: scripts/keyring-session.sh <cmd...>
set -euo pipefail
(($#)) || { echo "usage: keyring-session.sh <cmd...>" >&2; exit 2; }
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "keyring-session.sh: $tool missing; run scripts/install-system-deps.sh" >&2; exit 1; }
done

home=$(mktemp -d -t kmip-keyring-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.config" "$home/.local/share" "$home/.cache" "$home/run"
chmod 700 "$home/run"

# The keyring's own password only protects this throwaway keyring.
keyring_password=$(openssl rand -hex 16)
status=0
HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_CACHE_HOME=$home/.cache \
XDG_RUNTIME_DIR=$home/run KEYRING_PASSWORD=$keyring_password \
  dbus-run-session -- bash -c '
    set -euo pipefail
    printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset KEYRING_PASSWORD
    # Wait (bounded) until the daemon owns org.freedesktop.secrets on this bus.
    for _ in $(seq 50); do
      dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
      sleep 0.1
    done
    "$@"
  ' keyring-session "$@" || status=$?
exit "$status"
