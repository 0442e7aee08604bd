#!/usr/bin/env bash
# Usage: scripts/tls/test-cert.sh DIR
#
# Makes a throwaway test CA and an ECDSA P-256 leaf for localhost/127.0.0.1 (90 days), as a
# real CA would issue it: DIR/ca.pem, DIR/chain.pem (leaf + CA), DIR/leaf.key (PKCS#8).
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
mkdir -p "$1"
W="$(cd "$1" && pwd)"
openssl ecparam -name prime256v1 -genkey -noout -out "$W/ca.key" 2>/dev/null
openssl req -x509 -new -key "$W/ca.key" -sha256 -days 30 -subj "/CN=order-system test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$W/ca.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$W/leaf.key.ec" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$W/leaf.key.ec" -out "$W/leaf.key"
openssl req -new -key "$W/leaf.key" -subj "/CN=localhost" -out "$W/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >"$W/leaf.ext"
openssl x509 -req -in "$W/leaf.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial -days 90 -sha256 \
  -extfile "$W/leaf.ext" -out "$W/leaf.pem" 2>/dev/null
cat "$W/leaf.pem" "$W/ca.pem" >"$W/chain.pem"
