#!/usr/bin/env bash
# Usage: scripts/tls/pebble-up.sh DIR
#
# Starts a local, offline ACME test CA (Debian's `pebble`, letsencrypt/pebble 2.4.0) plus
# `pebble-challtestsrv` as its mock DNS server, everything on 127.0.0.1 only.
# Idempotent: if the pebble recorded in DIR is already up, it only re-prints DIR/env.
#
#   DIR/ca.pem, ca.key            throwaway CA that signs pebble's own HTTPS listener cert
#                                 (= PEBBLE_CA_ROOT: what an ACME client must trust to talk to
#                                 the directory; NOT the root of the certificates pebble issues)
#   DIR/localhost.pem, .key       pebble's listener cert (SAN DNS:localhost, IP:127.0.0.1, IP:::1)
#   DIR/pebble-config.json        pebble config
#   DIR/issuer-root.pem           root of the certificates pebble issues (fetched from
#                                 PEBBLE_ISSUER_ROOT_URL; pebble makes a new one on every start)
#   DIR/env                       sourceable: ACME_DIRECTORY, PEBBLE_CA_ROOT, PEBBLE_ISSUER_ROOT_URL,
#                                 ports, PIDs, PEBBLE_STOP (the command that stops it all)
#   DIR/pebble.log, challtestsrv.log, *.pid
#
# Challenge validation: pebble resolves every name through challtestsrv (A -> 127.0.0.1, no AAAA),
# then connects to NAME:PEBBLE_HTTP_PORT (http-01) or NAME:PEBBLE_TLS_PORT (tls-alpn-01), i.e. to
# whatever listens there on loopback: the server under test, not challtestsrv (whose own
# challenge listeners are all disabled). If pebble-challtestsrv is missing (or
# PEBBLE_FORCE_ALWAYS_VALID=1), pebble runs with PEBBLE_VA_ALWAYS_VALID=1 instead: every
# challenge is then accepted WITHOUT contacting the server (PEBBLE_VALIDATION=always-valid in env).
#
# Environment (defaults):
#   PEBBLE_PORT=14000             ACME directory: https://127.0.0.1:$PEBBLE_PORT/dir
#   PEBBLE_MGMT_PORT=15000        management API (roots, intermediates, cert status)
#   PEBBLE_HTTP_PORT=5002         port pebble's VA contacts for http-01
#   PEBBLE_TLS_PORT=5001          port pebble's VA contacts for tls-alpn-01
#   PEBBLE_DNS_PORT=8053          challtestsrv DNS (udp+tcp) on 127.0.0.1
#   CHALLTESTSRV_MGMT_PORT=8055   challtestsrv management API on 127.0.0.1
#   PEBBLE_DEFAULT_IPV4=127.0.0.1 A record returned for every name
#   PEBBLE_AUTHZREUSE=0           % of valid authorizations pebble reuses (pebble's default is 50;
#                                 0 makes every order go through a real challenge)
#   PEBBLE_FORCE_ALWAYS_VALID=0   1: skip challtestsrv and use PEBBLE_VA_ALWAYS_VALID=1
#   PEBBLE_START_TIMEOUT=30       seconds to wait for the listeners
# Stop with: scripts/tls/pebble-down.sh DIR
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in -h | --help) usage ;; esac

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
DIR="$(cd "$1" && pwd)"

PEBBLE_PORT="${PEBBLE_PORT:-14000}"
PEBBLE_MGMT_PORT="${PEBBLE_MGMT_PORT:-15000}"
PEBBLE_HTTP_PORT="${PEBBLE_HTTP_PORT:-5002}"
PEBBLE_TLS_PORT="${PEBBLE_TLS_PORT:-5001}"
PEBBLE_DNS_PORT="${PEBBLE_DNS_PORT:-8053}"
CHALLTESTSRV_MGMT_PORT="${CHALLTESTSRV_MGMT_PORT:-8055}"
PEBBLE_DEFAULT_IPV4="${PEBBLE_DEFAULT_IPV4:-127.0.0.1}"
PEBBLE_AUTHZREUSE="${PEBBLE_AUTHZREUSE:-0}"
PEBBLE_FORCE_ALWAYS_VALID="${PEBBLE_FORCE_ALWAYS_VALID:-0}"
PEBBLE_START_TIMEOUT="${PEBBLE_START_TIMEOUT:-30}"

log() { printf 'pebble-up: %s\n' "$*" >&2; }
die() { printf 'pebble-up: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  log "installing Debian package(s): $*"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}

# pid_alive PIDFILE NAME: the recorded process is alive and really is NAME (guards PID reuse).
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid="$(cat "$1")"
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -- "$2" >/dev/null
}

# starting PIDFILE: the process this script just started has not exited (a zombie has). Its
# name is not checked: until its exec the child still shows this script's command line, and a
# busy CI machine once caught it there, reporting a healthy challtestsrv as "exited".
starting() {
  local state
  state="$(sed 's/.*) //' "/proc/$(cat "$1")/stat" 2>/dev/null | cut -d' ' -f1)"
  [ -n "$state" ] && [ "$state" != Z ]
}

port_busy() { # port_busy tcp|udp PORT
  local flag=-Hltn
  [ "$1" = udp ] && flag=-Hlun
  [ -n "$(ss "$flag" "sport = :$2" 2>/dev/null)" ]
}

CURL=(curl -fsS --max-time 5 --cacert "$DIR/ca.pem")
ACME_DIRECTORY="https://127.0.0.1:${PEBBLE_PORT}/dir"
PEBBLE_MGMT_URL="https://127.0.0.1:${PEBBLE_MGMT_PORT}"
PEBBLE_ISSUER_ROOT_URL="${PEBBLE_MGMT_URL}/roots/0"
PEBBLE_ISSUER_INTERMEDIATE_URL="${PEBBLE_MGMT_URL}/intermediates/0"

# ---------------------------------------------------------------- already running?
if pid_alive "$DIR/pebble.pid" pebble && [ -s "$DIR/env" ] && [ -s "$DIR/ca.pem" ]; then
  # shellcheck disable=SC1091
  if (. "$DIR/env" && curl -fsS --max-time 5 --cacert "$PEBBLE_CA_ROOT" -o /dev/null "$ACME_DIRECTORY" &&
    { [ "$PEBBLE_VALIDATION" != real ] || pid_alive "$DIR/challtestsrv.pid" pebble-challtestsrv; }); then
    log "already running (pid $(cat "$DIR/pebble.pid")); nothing to do"
    cat "$DIR/env"
    exit 0
  fi
fi
# Anything half-started from an earlier run is stopped first.
"$SCRIPT_DIR/pebble-down.sh" "$DIR" >/dev/null 2>&1 || true

# ---------------------------------------------------------------- packages
command -v pebble >/dev/null 2>&1 || apt_install pebble
command -v pebble >/dev/null 2>&1 || die "pebble is not installed and could not be installed"
for tool in openssl curl ss; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done
PEBBLE_VERSION="$(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo unknown)"

USE_CHALLTESTSRV=1
if [ "$PEBBLE_FORCE_ALWAYS_VALID" = 1 ]; then
  USE_CHALLTESTSRV=0
elif ! command -v pebble-challtestsrv >/dev/null 2>&1; then
  USE_CHALLTESTSRV=0
fi

# ---------------------------------------------------------------- certificates for pebble's listener
cert_ok() {
  [ -s "$DIR/ca.pem" ] && [ -s "$DIR/ca.key" ] && [ -s "$DIR/localhost.pem" ] && [ -s "$DIR/localhost.key" ] &&
    openssl verify -CAfile "$DIR/ca.pem" "$DIR/localhost.pem" >/dev/null 2>&1 &&
    openssl x509 -checkend 86400 -noout -in "$DIR/localhost.pem" >/dev/null 2>&1 &&
    openssl x509 -checkend 86400 -noout -in "$DIR/ca.pem" >/dev/null 2>&1
}
if ! cert_ok; then
  log "generating test CA and localhost certificate in $DIR"
  cat >"$DIR/openssl-ext.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  umask_old="$(umask)"
  umask 077
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/ca.key" 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/localhost.key" 2>/dev/null
  umask "$umask_old"
  openssl req -x509 -new -config "$DIR/openssl-ext.cnf" -extensions ca -key "$DIR/ca.key" \
    -subj "/CN=order-system pebble listener test CA $(date +%s)" -days 3650 -sha256 \
    -set_serial "0x$(openssl rand -hex 16)" -out "$DIR/ca.pem"
  openssl req -new -config "$DIR/openssl-ext.cnf" -key "$DIR/localhost.key" -subj "/CN=localhost" \
    -out "$DIR/localhost.csr"
  openssl x509 -req -in "$DIR/localhost.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 \
    -extfile "$DIR/openssl-ext.cnf" -extensions leaf -out "$DIR/localhost.pem" 2>/dev/null
  rm -f "$DIR/localhost.csr"
  cert_ok || die "generated certificates do not verify"
fi

# ---------------------------------------------------------------- config
cat >"$DIR/pebble-config.json" <<EOF
{
  "pebble": {
    "listenAddress": "127.0.0.1:${PEBBLE_PORT}",
    "managementListenAddress": "127.0.0.1:${PEBBLE_MGMT_PORT}",
    "certificate": "${DIR}/localhost.pem",
    "privateKey": "${DIR}/localhost.key",
    "httpPort": ${PEBBLE_HTTP_PORT},
    "tlsPort": ${PEBBLE_TLS_PORT},
    "ocspResponderURL": "",
    "certificateValidityPeriod": ${PEBBLE_CERT_VALIDITY:-157766400},
    "externalAccountBindingRequired": false
  }
}
EOF

# ---------------------------------------------------------------- ports
for p in "$PEBBLE_PORT" "$PEBBLE_MGMT_PORT"; do
  port_busy tcp "$p" && die "TCP port $p is already in use (set PEBBLE_PORT / PEBBLE_MGMT_PORT): $(ss -Hltnp "sport = :$p" | head -1)"
done
if [ "$USE_CHALLTESTSRV" = 1 ]; then
  port_busy udp "$PEBBLE_DNS_PORT" && die "UDP port $PEBBLE_DNS_PORT is already in use (set PEBBLE_DNS_PORT)"
  for p in "$PEBBLE_DNS_PORT" "$CHALLTESTSRV_MGMT_PORT"; do
    port_busy tcp "$p" && die "TCP port $p is already in use (set PEBBLE_DNS_PORT / CHALLTESTSRV_MGMT_PORT)"
  done
fi

wait_for() { # wait_for WHAT PIDFILE LOGFILE COMMAND...
  local what="$1" pidfile="$2" logfile="$3" i
  shift 3
  for ((i = 0; i < PEBBLE_START_TIMEOUT * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    starting "$pidfile" || { tail -n 20 "$logfile" >&2; die "$what exited during start-up (log: $logfile)"; }
    sleep 0.2
  done
  tail -n 20 "$logfile" >&2
  kill "$(cat "$pidfile")" 2>/dev/null || true
  die "$what did not come up within ${PEBBLE_START_TIMEOUT}s (log: $logfile)"
}

# ---------------------------------------------------------------- challtestsrv (mock DNS)
PEBBLE_ARGS=(-config "$DIR/pebble-config.json" -strict=false)
PEBBLE_ENV=(PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 "PEBBLE_AUTHZREUSE=${PEBBLE_AUTHZREUSE}")
CHALLTESTSRV_PID=""
CHALLTESTSRV_MGMT_URL=""
PEBBLE_DNS_SERVER=""
if [ "$USE_CHALLTESTSRV" = 1 ]; then
  PEBBLE_VALIDATION=real
  PEBBLE_DNS_SERVER="127.0.0.1:${PEBBLE_DNS_PORT}"
  CHALLTESTSRV_MGMT_URL="http://127.0.0.1:${CHALLTESTSRV_MGMT_PORT}"
  # -http01/-https01/-tlsalpn01 "" disable challtestsrv's own challenge listeners, so that the
  # validation ports stay free for the server under test. -defaultIPv6 "" = no AAAA answers,
  # so pebble only ever dials IPv4 loopback.
  pebble-challtestsrv \
    -defaultIPv4 "$PEBBLE_DEFAULT_IPV4" -defaultIPv6 "" \
    -dns01 "$PEBBLE_DNS_SERVER" -http01 "" -https01 "" -tlsalpn01 "" \
    -management "127.0.0.1:${CHALLTESTSRV_MGMT_PORT}" \
    </dev/null >"$DIR/challtestsrv.log" 2>&1 &
  CHALLTESTSRV_PID=$!
  echo "$CHALLTESTSRV_PID" >"$DIR/challtestsrv.pid"
  wait_for pebble-challtestsrv "$DIR/challtestsrv.pid" "$DIR/challtestsrv.log" \
    port_busy udp "$PEBBLE_DNS_PORT"
  PEBBLE_ARGS+=(-dnsserver "$PEBBLE_DNS_SERVER")
else
  PEBBLE_VALIDATION=always-valid
  PEBBLE_ENV+=(PEBBLE_VA_ALWAYS_VALID=1)
  {
    echo "################################################################################"
    echo "# pebble-up: WARNING: pebble-challtestsrv is NOT used$([ "$PEBBLE_FORCE_ALWAYS_VALID" = 1 ] && echo ' (PEBBLE_FORCE_ALWAYS_VALID=1)' || echo ' (not installed)')."
    echo "# pebble runs with PEBBLE_VA_ALWAYS_VALID=1: EVERY challenge is accepted WITHOUT"
    echo "# contacting the server. http-01 / tls-alpn-01 handling is NOT being tested."
    echo "################################################################################"
  } >&2
fi

# ---------------------------------------------------------------- pebble
env "${PEBBLE_ENV[@]}" pebble "${PEBBLE_ARGS[@]}" </dev/null >"$DIR/pebble.log" 2>&1 &
PEBBLE_PID=$!
echo "$PEBBLE_PID" >"$DIR/pebble.pid"
wait_for pebble "$DIR/pebble.pid" "$DIR/pebble.log" "${CURL[@]}" -o /dev/null "$ACME_DIRECTORY"
wait_for "pebble management API" "$DIR/pebble.pid" "$DIR/pebble.log" \
  "${CURL[@]}" -o "$DIR/issuer-root.pem" "$PEBBLE_ISSUER_ROOT_URL"

if [ "$USE_CHALLTESTSRV" = 1 ]; then CTS_VERSION="$PEBBLE_VERSION"; else CTS_VERSION=""; fi
cat >"$DIR/env" <<EOF
# Written by scripts/tls/pebble-up.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); source it.
# pebble ${PEBBLE_VERSION} (Debian), validation mode: ${PEBBLE_VALIDATION}
ACME_DIRECTORY='${ACME_DIRECTORY}'
PEBBLE_CA_ROOT='${DIR}/ca.pem'
PEBBLE_ISSUER_ROOT_URL='${PEBBLE_ISSUER_ROOT_URL}'
PEBBLE_ISSUER_INTERMEDIATE_URL='${PEBBLE_ISSUER_INTERMEDIATE_URL}'
PEBBLE_ISSUER_ROOT_FILE='${DIR}/issuer-root.pem'
PEBBLE_MGMT_URL='${PEBBLE_MGMT_URL}'
PEBBLE_HTTP_PORT='${PEBBLE_HTTP_PORT}'
PEBBLE_TLS_PORT='${PEBBLE_TLS_PORT}'
PEBBLE_DNS_SERVER='${PEBBLE_DNS_SERVER}'
PEBBLE_VALIDATION='${PEBBLE_VALIDATION}'
PEBBLE_VERSION='${PEBBLE_VERSION}'
CHALLTESTSRV_VERSION='${CTS_VERSION}'
CHALLTESTSRV_MGMT_URL='${CHALLTESTSRV_MGMT_URL}'
PEBBLE_PID='${PEBBLE_PID}'
CHALLTESTSRV_PID='${CHALLTESTSRV_PID}'
PEBBLE_STOP='${SCRIPT_DIR}/pebble-down.sh ${DIR}'
EOF
export ACME_DIRECTORY
log "up: ${ACME_DIRECTORY} (pid ${PEBBLE_PID}), validation=${PEBBLE_VALIDATION}, http-01 -> :${PEBBLE_HTTP_PORT}, tls-alpn-01 -> :${PEBBLE_TLS_PORT}"
cat "$DIR/env"
