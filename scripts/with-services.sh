#!/usr/bin/env bash
# Runs <cmd...> with the test services up: a fresh test PKI, a private D-Bus session with an unlocked
# gnome-keyring (temporary HOME), and a fresh PyKMIP server on a free loopback port. Stops them
# afterwards (also on failure and on INT/TERM) and returns <cmd>'s exit code.
# Exports to <cmd>: KMIP_TEST_HOST, KMIP_TEST_PORT, KMIP_TEST_PKI, KMIP_TEST_SERVICES=1,
# KMIP_TEST_STATE (scratch dir of this run), DBUS_SESSION_BUS_ADDRESS (the private bus).
# Usage: scripts/with-services.sh <cmd...>     e.g. scripts/with-services.sh vitest run
set -euo pipefail
(($#)) || { echo "usage: with-services.sh <cmd...>" >&2; exit 2; }
scripts=$(cd "$(dirname "$0")" && pwd)

state=$(mktemp -d -t kmip-services.XXXXXX)
cleanup() {
  bash "$scripts/pykmip-server.sh" stop "$state/pykmip" >/dev/null 2>&1 || true
  if [ -n "${KMIP_TEST_KEEP_STATE:-}" ]; then echo "with-services: state kept in $state" >&2; else rm -rf "$state"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$scripts/test-pki.sh" "$state/pki" >/dev/null
port=$(bash "$scripts/pykmip-server.sh" start "$state/pykmip" --pki "$state/pki")

export KMIP_TEST_HOST=127.0.0.1 KMIP_TEST_PORT=$port KMIP_TEST_PKI=$state/pki KMIP_TEST_STATE=$state KMIP_TEST_SERVICES=1
echo "with-services: PyKMIP on $KMIP_TEST_HOST:$KMIP_TEST_PORT, PKI in $KMIP_TEST_PKI" >&2
status=0
bash "$scripts/keyring-session.sh" "$@" || status=$?
exit "$status"
