#!/usr/bin/env bash
# What the private D-Bus session of keyring-session.sh starts (by D-Bus activation) for the Secret
# Service: gnome-keyring-daemon in the foreground, with its login keyring unlocked by the password
# the session's bus hands to the services it starts (KEYRING_PASSWORD; unset before the daemon runs).
# Should the daemon ever stop, the next keychain call starts it again unlocked, instead of the
# system's service file starting one whose keyring is locked (every call would then fail with
# "unlock prompt was dismissed"). Each start and exit, and the daemon's stderr, go to <log-file>.
# Usage: scripts/keyring-daemon.sh <log-file>
set -uo pipefail
log=${1:?usage: keyring-daemon.sh <log-file>}
password=${KEYRING_PASSWORD:?keyring-daemon.sh: KEYRING_PASSWORD is not set}
unset KEYRING_PASSWORD
echo "$(date -u +%FT%T.%3NZ) start (pid $$)" >>"$log"
# In a subshell whose stderr is the log, so that the shell's word on a killed daemon goes there too.
(printf %s "$password" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null) 2>>"$log"
status=$?
# The session may already have removed the log's folder when the bus ends.
{ echo "$(date -u +%FT%T.%3NZ) exit $status (pid $$)" >>"$log"; } 2>/dev/null
exit "$status"
