#!/usr/bin/env bash
# Usage: scripts/tls/nginx-up.sh DIR FILE CERT KEY PORT
#
# Starts a minimal nginx (Debian's nginx-light, installed if missing) that serves FILE over
# HTTPS on https://127.0.0.1:PORT/ (every path returns FILE), with CERT (PEM chain) and KEY,
# TLS 1.2/1.3, HTTP/2 + HTTP/1.1, keep-alive, access_log off: the reference side of a
# side-by-side benchmark against order-system. Everything nginx writes (nginx.conf rendered
# from nginx-bench.conf.template, nginx.pid, error.log, tmp/) stays in DIR; loopback only.
# Idempotent: if the nginx of DIR runs with the same configuration it is left alone; if the
# configuration changed it is restarted. Checks itself with `curl --http2` before returning.
#
# Environment (defaults):
#   NGINX_WORKERS=1        worker_processes (1 or 2 make sense on this 2-core machine)
# Stop with: scripts/tls/nginx-down.sh DIR
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 5 ] || usage

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
log() { printf 'nginx-up: %s\n' "$*" >&2; }
die() { printf 'nginx-up: ERROR: %s\n' "$*" >&2; exit 1; }
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }

mkdir -p "$1"
DIR="$(cd "$1" && pwd)"
if ! { [ -f "$2" ] && [ -r "$2" ]; }; then die "FILE $2 is not a readable file"; fi
if ! { [ -f "$3" ] && [ -r "$3" ]; }; then die "CERT $3 is not a readable file"; fi
if ! { [ -f "$4" ] && [ -r "$4" ]; }; then die "KEY $4 is not a readable file"; fi
FILE="$(abspath "$2")"
CERT="$(abspath "$3")"
KEY="$(abspath "$4")"
PORT="$5"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
if ! { [[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ]; }; then die "PORT must be a number, got '$PORT'"; fi
if ! { [[ "$NGINX_WORKERS" =~ ^([0-9]+|auto)$ ]]; }; then die "NGINX_WORKERS must be a number or auto"; fi
for p in "$DIR" "$FILE" "$CERT" "$KEY"; do
  case "$p" in *[\"\$\\\;\{\}\|\&]* | *$'\n'*) die "path not supported in an nginx config: $p" ;; esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v nginx >/dev/null 2>&1; then
  log "installing Debian package nginx-light"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q --no-install-recommends nginx-light >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q --no-install-recommends nginx-light >/dev/null; }
  # The package's postinst may start the system-wide nginx on :80 where an init system exists;
  # this script never uses it.
fi
nginx -V 2>&1 | grep -- --with-http_v2_module >/dev/null || die "this nginx has no HTTP/2 module"
command -v curl >/dev/null 2>&1 || die "curl is required"

# Workers of an nginx started by root run as 'nobody' unless told otherwise; keep the invoking
# user so that FILE and DIR need no extra permissions.
USER_LINE=""
if [ "$(id -u)" -eq 0 ]; then USER_LINE="user $(id -un) $(id -gn);"; fi

mkdir -p "$DIR/tmp"
sed_escape() { printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'; }
sed -e "s|@USER_LINE@|$(sed_escape "$USER_LINE")|" \
  -e "s|@WORKERS@|$NGINX_WORKERS|" \
  -e "s|@DIR@|$(sed_escape "$DIR")|g" \
  -e "s|@PORT@|$PORT|g" \
  -e "s|@CERT@|$(sed_escape "$CERT")|g" \
  -e "s|@KEY@|$(sed_escape "$KEY")|g" \
  -e "s|@ROOT@|$(sed_escape "$(dirname "$FILE")")|g" \
  -e "s|@FILE_NAME@|$(sed_escape "$(basename "$FILE")")|g" \
  "$SCRIPT_DIR/nginx-bench.conf.template" >"$DIR/nginx.conf.new"
if grep -q '@[A-Z_]*@' "$DIR/nginx.conf.new"; then die "unreplaced placeholder in $DIR/nginx.conf.new"; fi

NGINX=(nginx -p "$DIR/" -c "$DIR/nginx.conf" -e "$DIR/error.log")

master_alive() {
  local pid
  [ -s "$DIR/nginx.pid" ] || return 1
  pid="$(cat "$DIR/nginx.pid")"
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep 'nginx: master' >/dev/null
}

if master_alive; then
  if cmp -s "$DIR/nginx.conf.new" "$DIR/nginx.conf"; then
    rm -f "$DIR/nginx.conf.new"
    log "already running (pid $(cat "$DIR/nginx.pid")) with the same configuration"
    echo "https://127.0.0.1:${PORT}/"
    exit 0
  fi
  log "configuration changed: restarting"
  "$SCRIPT_DIR/nginx-down.sh" "$DIR"
fi
mv "$DIR/nginx.conf.new" "$DIR/nginx.conf"

if [ -n "$(ss -Hltn "sport = :$PORT" 2>/dev/null)" ]; then
  die "TCP port $PORT is already in use: $(ss -Hltnp "sport = :$PORT" | head -1)"
fi
"${NGINX[@]}" -t -q || die "nginx -t failed for $DIR/nginx.conf"
: >"$DIR/error.log"
"${NGINX[@]}" </dev/null >/dev/null 2>>"$DIR/error.log" || { cat "$DIR/error.log" >&2; die "nginx failed to start"; }

for ((i = 0; i < 50; i++)); do
  master_alive && [ -n "$(ss -Hltn "sport = :$PORT" 2>/dev/null)" ] && break
  sleep 0.1
done
master_alive || { cat "$DIR/error.log" >&2; die "nginx did not stay up"; }

# Self-check: HTTP/2 over TLS, and the body is FILE.
got="$(curl -sS -k --http2 --max-time 10 -o "$DIR/selfcheck.body" -w '%{http_version} %{http_code}' "https://127.0.0.1:${PORT}/")" ||
  die "curl against https://127.0.0.1:${PORT}/ failed"
if ! { [ "$got" = "2 200" ]; }; then die "expected HTTP/2 200, got '$got'"; fi
cmp -s "$DIR/selfcheck.body" "$FILE" || die "served body differs from $FILE"
rm -f "$DIR/selfcheck.body"
log "up: https://127.0.0.1:${PORT}/ (pid $(cat "$DIR/nginx.pid"), workers ${NGINX_WORKERS}) serving $FILE"
echo "https://127.0.0.1:${PORT}/"
