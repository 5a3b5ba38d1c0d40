#!/usr/bin/env bash
# `npm run demo`: the main job end to end, through the operator CLI, against a local PyKMIP server.
# Starts the services with scripts/with-services.sh (a generated test PKI, a PyKMIP server on a free
# loopback port, a private unlocked gnome-keyring), uses a temporary data folder, and runs:
#   settings → test → apply → store a secret → back up → remove the local unlock → recover
#   → read the secret back → restore the backup on a "new machine" (empty data folder) → read it there.
# Prints each step; exits non-zero on any failure. Needs the README set-up (system packages, npm ci).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" != "--inside-services" ]; then
  node scripts/build-node.mjs
  exec bash scripts/with-services.sh bash scripts/demo.sh --inside-services
fi

data=$(mktemp -d -t kmip-demo.XXXXXX)
machine2=$(mktemp -d -t kmip-demo-machine2.XXXXXX)
transfer=$(mktemp -d -t kmip-demo-transfer.XXXXXX)
trap 'rm -rf "$data" "$machine2" "$transfer"' EXIT
pki=$KMIP_TEST_PKI

kc() { node "$root/bin/kmip-console.cjs" "$@"; }
n=0
step() { n=$((n + 1)); printf '\n=== %d. %s\n' "$n" "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }

step "Pending settings for the key server at $KMIP_TEST_HOST:$KMIP_TEST_PORT (data folder $data)"
kc settings set serverName "local PyKMIP" --data-dir "$data"
kc settings set hostName "$KMIP_TEST_HOST" --data-dir "$data"
kc settings set port "$KMIP_TEST_PORT" --data-dir "$data"
kc settings set clientCert --file "$pki/client.pem" --format pem --data-dir "$data"
kc settings set clientKey --file "$pki/client.key" --format pem --data-dir "$data"
kc settings set caCert --file "$pki/ca.pem" --format pem --data-dir "$data"

step "Test the connection (Discover Versions and Query only)"
kc test --data-dir "$data"

step "Apply: register Admin Key generation 1 on the key server, write the store header, apply the settings"
kc apply --data-dir "$data"

step "Store a secret in the encrypted object store"
secret="demo-db-password-$(openssl rand -hex 6)"
printf '%s' "$secret" | kc store add db-password --data-dir "$data"
kc store generate signing-key --bytes 32 --data-dir "$data"
kc store list --data-dir "$data"

step "Back up the store (a self-contained file; opening it needs the key server)"
kc store backup "$transfer/store.backup" --data-dir "$data"

step "Remove the local unlock key from the OS keychain (as if lost)"
store_id=$(kc status --json --data-dir "$data" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).store.storeId))')
secret-tool clear service kmip-console username "store/$store_id/local-unlock"
if kc status --data-dir "$data"; then fail "the store still unlocks after its local unlock key was removed"; fi

step "Recover from the key server: locate the Admin Key, unwrap, verify, re-create the local unlock"
kc recover --data-dir "$data"

step "Read the secret back"
got=$(kc store get db-password --data-dir "$data")
[ "$got" = "$secret" ] || fail "read back '$got', stored '$secret'"
echo "db-password = $got (matches what was stored)"

step "New machine: import the settings and restore the backup into an empty data folder ($machine2)"
kc settings export "$transfer/settings-export.json" --data-dir "$data"
kc settings import "$transfer/settings-export.json" --data-dir "$machine2"
kc settings set clientKey --file "$pki/client.key" --format pem --data-dir "$machine2"
kc store restore "$transfer/store.backup" --data-dir "$machine2"
got=$(kc store get db-password --data-dir "$machine2")
[ "$got" = "$secret" ] || fail "the restored store holds '$got', stored '$secret'"
echo "db-password = $got on the new machine"
kc status --data-dir "$machine2"

printf '\nDEMO PASSED: test, apply, store, backup, loss of the local unlock, recovery and restore all worked.\n'
