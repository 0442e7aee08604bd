#!/usr/bin/env bash
# Usage: scripts/bench-tls.sh [SECONDS]     (default 10 s per measurement)
#
# HTTPS side by side: order-system (release build) and Debian's nginx serve the same file
# (ui/dist/index.html, embedded in the binary) with the same ECDSA certificate on loopback,
# one after the other, and the same load generators measure both:
#   - keep-alive throughput: wrk, 2 threads, 64 connections, HTTP/1.1 over TLS;
#   - server CPU per request: the server processes' user+system time over the run / requests;
#   - full handshakes: 2 x `openssl s_time -new` (a new TLS 1.3 handshake per connection),
#     and the server CPU per handshake.
# Prints a markdown table with ratios. The machine is noisy: compare ratios, not absolutes.
set -euo pipefail
SECONDS_PER_RUN="${1:-10}"
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

need=()
for pkg in wrk nginx-light openssl curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/order-system"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bash scripts/tls/nginx-down.sh "$WORK/nginx" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
bash scripts/tls/test-cert.sh "$WORK/cert"
FILE="$ROOT/ui/dist/index.html"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
OURS="$(free_port)"
THEIRS="$(free_port)"

ORDER_SYSTEM_BCRYPT_COST=4 "$BIN" --data-dir "$WORK/data" serve --http "127.0.0.1:$(free_port)" --https "127.0.0.1:$OURS" \
  --tls-cert "$WORK/cert/chain.pem" --tls-key "$WORK/cert/leaf.key" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
NGINX_WORKERS=2 bash scripts/tls/nginx-up.sh "$WORK/nginx" "$FILE" "$WORK/cert/chain.pem" "$WORK/cert/leaf.key" "$THEIRS" >/dev/null 2>&1
for _ in $(seq 100); do curl -sf --cacert "$WORK/cert/ca.pem" "https://localhost:$OURS/" -o /dev/null && break; sleep 0.1; done
cmp <(curl -sf --cacert "$WORK/cert/ca.pem" "https://localhost:$OURS/") <(curl -sf --cacert "$WORK/cert/ca.pem" "https://localhost:$THEIRS/") \
  || { echo "the two servers do not serve the same bytes" >&2; exit 1; }
NGINX_MASTER="$(cat "$WORK/nginx/nginx.pid")"
NGINX_PIDS="$NGINX_MASTER,$(pgrep -d, -P "$NGINX_MASTER")"

# CPU ticks (user+system) of a comma-separated list of pids.
ticks() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
HZ="$(getconf CLK_TCK)"

keepalive() { # PORT PIDS -> "req_per_s cpu_us_per_req"
  local before after out reqs
  before="$(ticks "$2")"
  out="$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency "https://localhost:$1/" 2>&1)"
  after="$(ticks "$2")"
  reqs="$(awk '/requests in/ {print $1}' <<<"$out")"
  awk -v r="$reqs" -v s="$SECONDS_PER_RUN" -v t="$((after - before))" -v hz="$HZ" 'BEGIN { printf "%.0f %.1f", r / s, t * 1e6 / hz / r }'
}

handshakes() { # PORT PIDS -> "handshakes_per_s cpu_us_per_handshake"
  local before after n=0 c
  before="$(ticks "$2")"
  for _ in 1 2; do
    openssl s_time -connect "127.0.0.1:$1" -new -time "$SECONDS_PER_RUN" -CAfile "$WORK/cert/ca.pem" >"$WORK/stime.$_" 2>&1 &
  done
  wait
  after="$(ticks "$2")"
  for f in "$WORK"/stime.*; do c="$(awk '/connections in/ && /real seconds/ {print $1; exit}' "$f")"; n=$((n + ${c:-0})); done
  awk -v n="$n" -v s="$SECONDS_PER_RUN" -v t="$((after - before))" -v hz="$HZ" 'BEGIN { printf "%.0f %.0f", n / s, (n ? t * 1e6 / hz / n : 0) }'
}

read -r ours_rps ours_cpu <<<"$(keepalive "$OURS" "$SERVER_PID")"
read -r nginx_rps nginx_cpu <<<"$(keepalive "$THEIRS" "$NGINX_PIDS")"
read -r ours_hs ours_hs_cpu <<<"$(handshakes "$OURS" "$SERVER_PID")"
read -r nginx_hs nginx_hs_cpu <<<"$(handshakes "$THEIRS" "$NGINX_PIDS")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }
echo
echo "| HTTPS, $(wc -c <"$FILE") B embedded file, loopback, ${SECONDS_PER_RUN}s each | order-system | nginx | ratio |"
echo "|---|---|---|---|"
echo "| keep-alive throughput (wrk -t2 -c64), req/s | $ours_rps | $nginx_rps | $(ratio "$ours_rps" "$nginx_rps") |"
echo "| server CPU per request, µs | $ours_cpu | $nginx_cpu | $(ratio "$ours_cpu" "$nginx_cpu") |"
echo "| full TLS handshakes (2 x openssl s_time -new), /s | $ours_hs | $nginx_hs | $(ratio "$ours_hs" "$nginx_hs") |"
echo "| server CPU per full handshake, µs | $ours_hs_cpu | $nginx_hs_cpu | $(ratio "$ours_hs_cpu" "$nginx_hs_cpu") |"
echo
echo "(goal: CPU per request no more than nginx's, handshake CPU within 1.1x of nginx's)"
