#!/usr/bin/env bash
# Runs <cmd...> inside a private D-Bus session bus with an unlocked gnome-keyring (Secret Service
# only) and a temporary HOME and XDG directories, so tests never touch the user's real keychain.
# Returns <cmd>'s exit code. The bus and the keyring daemon end with the session.
#
# The daemon is started by D-Bus activation from a service file of this session
# (scripts/keyring-daemon.sh), which takes precedence over the system's: if the daemon stops during
# the run, the next call starts it again with the login keyring unlocked, and the session says so on
# stderr at the end, with the daemon's log.
# Usage: scripts/keyring-session.sh <cmd...>
set -euo pipefail
(($#)) || { echo "usage: keyring-session.sh <cmd...>" >&2; exit 2; }
for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || { echo "keyring-session.sh: $tool missing; run scripts/install-system-deps.sh" >&2; exit 1; }
done
scripts=$(cd "$(dirname "$0")" && pwd)

home=$(mktemp -d -t kmip-keyring-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.config" "$home/.local/share/dbus-1/services" "$home/.cache" "$home/run"
chmod 700 "$home/run"

daemon_log=$home/keyring-daemon.log
: >"$daemon_log"
# $XDG_DATA_HOME/dbus-1/services comes before the system's service folders.
for name in org.freedesktop.secrets org.gnome.keyring; do
  printf '[D-BUS Service]\nName=%s\nExec=/bin/bash "%s" "%s"\n' "$name" "$scripts/keyring-daemon.sh" "$daemon_log" \
    >"$home/.local/share/dbus-1/services/$name.service"
done

# The keyring's own password only protects this throwaway keyring. It is in the environment of the
# session's own processes (dbus-run-session, the bus, its shells) and of every service the bus starts,
# readable by this user alone; never in a file or an argument. <cmd> and the daemon do not get it.
keyring_password=$(openssl rand -hex 16)
status=0
HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_CACHE_HOME=$home/.cache \
XDG_RUNTIME_DIR=$home/run KEYRING_PASSWORD=$keyring_password \
  dbus-run-session -- bash -c '
    set -euo pipefail
    unset KEYRING_PASSWORD
    fail() { echo "keyring-session.sh: $1" >&2; exit 1; }
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null ||
      fail "gnome-keyring-daemon did not start on the private bus"
    # A store, lookup and clear before <cmd>: a keyring that cannot store stops the run here.
    probe=(service kmip-console-keyring-session account probe)
    printf probe | secret-tool store --label=keyring-session "${probe[@]}" || fail "the private keyring could not store a secret"
    [ "$(secret-tool lookup "${probe[@]}")" = probe ] || fail "the private keyring did not return what was stored"
    secret-tool clear "${probe[@]}"
    : >"$HOME/cmd-started"
    "$@"
  ' keyring-session "$@" || status=$?

# The daemon's wrappers (keyring-daemon.sh) log "start (pid N)" and "exit S (pid N)" lines.
started_wrappers() { sed -n 's/^[^ ]* start (pid \([0-9]*\))$/\1/p' "$daemon_log"; }
running_wrappers() {
  local pid
  for pid in $(started_wrappers); do grep -q "^[^ ]* exit [0-9]* (pid $pid)$" "$daemon_log" || echo "$pid"; done
}

starts=$(started_wrappers | wc -l)
why=
if ((starts > 1)); then
  why="gnome-keyring-daemon stopped during the run and was started again, unlocked ($starts starts)"
elif [ ! -e "$home/cmd-started" ]; then
  why="the keyring was not ready, so the command did not run"
fi
if [ -n "$why" ]; then
  echo "keyring-session.sh: $why. gnome-keyring-daemon's log:" >&2
  tail -n 40 "$daemon_log" >&2
fi
# The daemon ends when it loses the bus, a moment after the session; its files go only after that.
for _ in $(seq 100); do
  [ -z "$(running_wrappers)" ] && break
  sleep 0.1
done
# Only wrappers that have not logged their exit: the pid of one that has may belong to another process now.
for pid in $(running_wrappers); do pkill -TERM -P "$pid" 2>/dev/null || true; done
exit "$status"
