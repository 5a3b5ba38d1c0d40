#!/usr/bin/env bash
# What the private D-Bus session of keyring-session.sh starts (by D-Bus activation) for the Secret
# Service: gnome-keyring-daemon in the foreground, with its login keyring unlocked by the password in
# <password-file>. Should the daemon ever stop, the next keychain call starts it again unlocked,
# instead of the system's service file starting one whose keyring is locked (every call would then
# fail with "unlock prompt was dismissed"). Each start and exit is appended to <log-file>.
# Usage: scripts/keyring-daemon.sh <password-file> <log-file>
set -uo pipefail
password_file=${1:?usage: keyring-daemon.sh <password-file> <log-file>}
log=${2:?usage: keyring-daemon.sh <password-file> <log-file>}
echo "$(date -u +%FT%T.%3NZ) start (pid $$)" >>"$log"
gnome-keyring-daemon --foreground --unlock --components=secrets <"$password_file" >/dev/null 2>>"$log"
status=$?
# The session may already have removed the log's folder when the bus ends.
{ echo "$(date -u +%FT%T.%3NZ) exit $status (pid $$)" >>"$log"; } 2>/dev/null
exit "$status"
