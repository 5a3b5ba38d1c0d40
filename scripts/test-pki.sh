#!/usr/bin/env bash
# Generates a fresh test PKI (RSA 2048) in <dir> for the integration tests and PyKMIP.
# Usage: scripts/test-pki.sh <dir>
# Files (keys are mode 0600):
#   ca.pem/.key                  test CA
#   server.pem/.key              SAN IP:127.0.0.1, DNS:localhost; EKU serverAuth
#   client.pem/.key              CN kmip-console-test; EKU clientAuth
#   client-encrypted.key         client.key as encrypted PKCS#8 PEM (AES-256), password in password.txt
#   client-encrypted-traditional.key  client.key as traditional "Proc-Type: 4,ENCRYPTED" PEM
#   client.p12                   client cert + key + CA, modern PKCS#12 (AES-256-CBC, PBKDF2, SHA-256 MAC)
#   client-legacy.p12            same, legacy PKCS#12 (certs RC2-40, key 3DES, SHA-1 MAC)
#   client-noclientauth.pem/.key EKU serverAuth only (TLS stacks refuse it as a client cert)
#   client-noeku.pem/.key        no EKU at all (TLS accepts it; PyKMIP refuses it at the KMIP level)
#   other-ca.pem/.key            a second CA the server does not trust
#   untrusted-client.pem/.key    client cert signed by other-ca
#   server-otherca.pem/.key      server cert (valid SAN) signed by other-ca
#   server-wronghost.pem/.key    SAN DNS:wrong.example only
#   server-expired.pem/.key      valid 2020-01-01 .. 2021-01-01
#   client-expired.pem/.key      valid 2020-01-01 .. 2021-01-01
#   client-notyetvalid.pem/.key  valid from 2099-01-01
#   client2.pem/.key             a second client identity (CN kmip-console-test-2)
#   ca-bundle.pem                ca.pem + other-ca.pem
#   password.txt                 the random test password of this run (mode 0600, no newline)
set -euo pipefail

dir=${1:?usage: test-pki.sh <dir>}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl rand -hex 16 | tr -d '\n' >"$dir/password.txt"
chmod 600 "$dir/password.txt"

# Extension sections for every kind of certificate issued below.
cat >"$work/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server_wronghost]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_serverauth_only]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_noeku]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

new_key() { # <name>
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/$1.key" 2>/dev/null
  chmod 600 "$dir/$1.key"
}

self_signed_ca() { # <name> <CN>
  new_key "$1"
  openssl req -new -x509 -key "$dir/$1.key" -subj "/O=kmip-console tests/CN=$2" -days 3650 \
    -sha256 -config "$work/ext.cnf" -extensions ca -out "$dir/$1.pem"
}

# openssl 3.0 has no `x509 -not_before`; `openssl ca` takes explicit start and end dates.
ca_db_for() { # <ca-name>: a throwaway `openssl ca` database signed by that CA
  local db="$work/db-$1"
  if [ ! -d "$db" ]; then
    mkdir -p "$db/new"
    : >"$db/index.txt"
    openssl rand -hex 8 >"$db/serial"
    cat >"$db/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
dir = $db
database = $db/index.txt
new_certs_dir = $db/new
serial = $db/serial
certificate = $dir/$1.pem
private_key = $dir/$1.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
organizationName = optional
EOF
  fi
  echo "$db/ca.cnf"
}

issue() { # <name> <CN> <ext-section> <ca-name> [<startdate> <enddate>] (dates YYYYMMDDHHMMSSZ)
  local name=$1 cn=$2 ext=$3 ca=$4 start=${5:-} end=${6:-}
  new_key "$name"
  openssl req -new -key "$dir/$name.key" -subj "/O=kmip-console tests/CN=$cn" -out "$work/$name.csr"
  if [ -n "$start" ]; then
    openssl ca -batch -notext -config "$(ca_db_for "$ca")" -in "$work/$name.csr" -out "$dir/$name.pem" \
      -startdate "$start" -enddate "$end" -extfile "$work/ext.cnf" -extensions "$ext" 2>/dev/null
  else
    openssl x509 -req -in "$work/$name.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" -CAcreateserial \
      -CAserial "$work/$ca.srl" -days 825 -sha256 -extfile "$work/ext.cnf" -extensions "$ext" \
      -out "$dir/$name.pem" 2>/dev/null
  fi
}

self_signed_ca ca "kmip-console test CA"
self_signed_ca other-ca "kmip-console untrusted CA"
cat "$dir/ca.pem" "$dir/other-ca.pem" >"$dir/ca-bundle.pem"

issue server localhost server ca
issue server-wronghost wrong.example server_wronghost ca
issue server-otherca localhost server other-ca
issue server-expired localhost server ca 20200101000000Z 20210101000000Z
issue client kmip-console-test client ca
issue client2 kmip-console-test-2 client ca
issue client-noclientauth kmip-console-noclientauth client_serverauth_only ca
issue client-noeku kmip-console-noeku client_noeku ca
issue untrusted-client kmip-console-untrusted client other-ca
issue client-expired kmip-console-expired client ca 20200101000000Z 20210101000000Z
issue client-notyetvalid kmip-console-notyetvalid client ca 20990101000000Z 20991231000000Z

pass="file:$dir/password.txt"
openssl pkey -in "$dir/client.key" -aes256 -passout "$pass" -out "$dir/client-encrypted.key"
openssl rsa -in "$dir/client.key" -aes256 -traditional -passout "$pass" \
  -out "$dir/client-encrypted-traditional.key" 2>/dev/null
openssl pkcs12 -export -in "$dir/client.pem" -inkey "$dir/client.key" -certfile "$dir/ca.pem" \
  -name kmip-console-test -passout "$pass" \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -out "$dir/client.p12"
openssl pkcs12 -export -legacy -in "$dir/client.pem" -inkey "$dir/client.key" -certfile "$dir/ca.pem" \
  -name kmip-console-test -passout "$pass" \
  -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-RC2-40 -macalg sha1 -out "$dir/client-legacy.p12"

chmod 600 "$dir"/*.key "$dir"/*.p12 "$dir/password.txt"
chmod 644 "$dir"/*.pem
echo "test PKI written to $dir"
