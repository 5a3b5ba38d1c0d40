#!/usr/bin/env bash
# Starts and stops a private PyKMIP server (own config, database, policy dir and log) on a free
# loopback port.
#
#   scripts/pykmip-server.sh start <state-dir> --pki <dir>
#       [--cert F] [--key F] [--ca F]          default: <pki>/server.pem, server.key, ca.pem
#       [--ciphers LIST]                       comma-separated suite names (IANA or OpenSSL)
#       [--no-client-auth]                     skip PyKMIP's clientAuth EKU check (TLS still asks for a cert)
#       [--logging-level LEVEL]                default INFO (DEBUG logs every message in hex)
#     prints the port; writes <state-dir>/{server.conf,server.log,pid,port}
#   scripts/pykmip-server.sh stop <state-dir>  (idempotent)
set -euo pipefail

PYKMIP_SERVER=/usr/bin/pykmip-server
# Generous: importing PyKMIP takes 1-2 s idle but over 20 s on a loaded 2-CPU machine.
START_TIMEOUT_S=${PYKMIP_START_TIMEOUT_S:-60}
STOP_TIMEOUT_S=5
# CBC suites with an RSA server key: what PyKMIP 0.10's TLS1.2 suite accepts (GCM needs an EC key).
DEFAULT_CIPHERS=TLS_RSA_WITH_AES_128_CBC_SHA256,TLS_RSA_WITH_AES_256_CBC_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384

die() { echo "pykmip-server.sh: $*" >&2; exit 1; }

ensure_installed() {
  [ -x "$PYKMIP_SERVER" ] && return
  echo "pykmip-server.sh: $PYKMIP_SERVER missing, installing python3-pykmip" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pykmip >&2
  [ -x "$PYKMIP_SERVER" ] || die "python3-pykmip installed but $PYKMIP_SERVER is still missing"
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# True once the server presents its certificate in a TLS 1.2 handshake (s_client prints a verify
# line per certificate received, before the handshake fails for want of a client certificate).
answers_tls() { # <port> <ca>
  local out
  out=$(timeout 5 openssl s_client -connect "127.0.0.1:$1" -tls1_2 -CAfile "$2" </dev/null 2>&1 || true)
  [[ $out == *$'\n'depth=* || $out == depth=* ]]
}

is_running() { # <state-dir>
  [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null
}

start() {
  local state=${1:?usage: pykmip-server.sh start <state-dir> --pki <dir> [options]}; shift
  local pki="" cert="" key="" ca="" ciphers=$DEFAULT_CIPHERS client_auth=True level=INFO
  while (($#)); do
    case $1 in
      --pki) pki=$2; shift 2 ;;
      --cert) cert=$2; shift 2 ;;
      --key) key=$2; shift 2 ;;
      --ca) ca=$2; shift 2 ;;
      --ciphers) ciphers=$2; shift 2 ;;
      --no-client-auth) client_auth=False; shift ;;
      --logging-level) level=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -n "$pki" ] || { [ -n "$cert" ] && [ -n "$key" ] && [ -n "$ca" ]; } || die "give --pki <dir> or all of --cert --key --ca"
  cert=${cert:-$pki/server.pem}; key=${key:-$pki/server.key}; ca=${ca:-$pki/ca.pem}
  for f in "$cert" "$key" "$ca"; do [ -r "$f" ] || die "cannot read $f"; done
  ensure_installed

  mkdir -p "$state"
  state=$(cd "$state" && pwd)
  is_running "$state" && die "a server is already running for $state (pid $(cat "$state/pid")); stop it first"
  rm -rf "$state/policies" "$state/pykmip.db" "$state/server.log" "$state/pid" "$state/port"
  mkdir -p "$state/policies"

  # auth_suite is always TLS1.2: PyKMIP's "Basic" (TLS 1.0) suite cannot complete a handshake on
  # OpenSSL 3 at its default security level (NO_SUITABLE_SIGNATURE_ALGORITHM); tests use node:tls
  # servers for TLS 1.0/1.1.
  local attempt port pid
  for attempt in 1 2 3; do
    port=$(free_port)
    cat >"$state/server.conf" <<EOF
[server]
hostname=127.0.0.1
port=$port
certificate_path=$(realpath "$cert")
key_path=$(realpath "$key")
ca_path=$(realpath "$ca")
auth_suite=TLS1.2
enable_tls_client_auth=$client_auth
tls_cipher_suites=$ciphers
logging_level=$level
policy_path=$state/policies
database_path=$state/pykmip.db
EOF
    # Job control on: the server gets its own process group (pgid = pid), so stop can end it and
    # its policy-monitor child, and nothing else.
    # TMPDIR: multiprocessing's pymp-* socket folders, left behind when the server is killed, go
    # into the state folder and are removed with it.
    set -m
    (cd "$state" && TMPDIR="$state" exec "$PYKMIP_SERVER" -f "$state/server.conf" -l "$state/server.log" \
      </dev/null >>"$state/stdout.log" 2>&1) &
    pid=$!
    set +m
    echo "$pid" >"$state/pid"
    local deadline=$((SECONDS + START_TIMEOUT_S))
    while ((SECONDS < deadline)); do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if answers_tls "$port" "$ca"; then
        echo "$port" >"$state/port"
        echo "$port"
        return 0
      fi
      sleep 0.2
    done
    # Port taken between picking and binding: retry with another; anything else is fatal.
    if ! kill -0 "$pid" 2>/dev/null && grep -q 'failed to bind' "$state/server.log" 2>/dev/null; then
      rm -f "$state/pid"; continue
    fi
    stop "$state" >/dev/null 2>&1 || true
    echo "pykmip-server.sh: server did not accept TLS on 127.0.0.1:$port within ${START_TIMEOUT_S}s; log tail:" >&2
    tail -n 30 "$state/server.log" "$state/stdout.log" >&2 2>/dev/null || true
    exit 1
  done
  die "could not bind a free port after 3 attempts"
}

stop() {
  local state=${1:?usage: pykmip-server.sh stop <state-dir>}
  [ -f "$state/pid" ] || return 0
  local pid; pid=$(cat "$state/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$state/pid" "$state/port"
}

cmd=${1:-}; shift || true
case $cmd in
  start) start "$@" ;;
  stop) stop "$@" ;;
  *) die "usage: pykmip-server.sh start <state-dir> --pki <dir> [options] | stop <state-dir>" ;;
esac
