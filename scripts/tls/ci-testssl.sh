#!/usr/bin/env bash
# Usage: scripts/tls/ci-testssl.sh BINARY OUTDIR
#
# Starts order-system (BINARY) with HTTPS on 127.0.0.1 using a certificate signed by a
# throwaway test CA, runs testssl-check.sh against it (no HIGH or CRITICAL finding allowed,
# apart from those about the test certificate itself; the server's cipher order must be
# enforced), saves the results in OUTDIR, and stops the server. Exit code: testssl-check's.
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
BIN="$(realpath "$1")"
mkdir -p "$2"
OUTDIR="$(cd "$2" && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bash "$HERE/test-cert.sh" "$WORK"

HTTP_PORT="$(free_port)"
HTTPS_PORT="$(free_port)"
ORDER_SYSTEM_BCRYPT_COST=4 "$BIN" --data-dir "$WORK/data" serve --http "127.0.0.1:$HTTP_PORT" \
  --https "127.0.0.1:$HTTPS_PORT" --tls-cert "$WORK/chain.pem" --tls-key "$WORK/leaf.key" >"$OUTDIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -sf --cacert "$WORK/ca.pem" "https://localhost:$HTTPS_PORT/health" >/dev/null; then break; fi
  sleep 0.1
done
curl -sf --cacert "$WORK/ca.pem" "https://localhost:$HTTPS_PORT/health" >/dev/null

status=0
TESTSSL_CA="$WORK/ca.pem" "$HERE/testssl-check.sh" "localhost:$HTTPS_PORT" "$OUTDIR" || status=$?
exit "$status"
